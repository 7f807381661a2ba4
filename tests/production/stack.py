"""A whole site on loopback for fault and load runs (issue 12's proof).

Everything here is private to the run, so any part can be stopped, killed or
restarted without touching anyone else's servers: a PostgreSQL cluster made with
`initdb` in a temporary folder, a `redis-server`, gunicorn app servers (with
Debian's nginx in front when installed), job workers, and an SMTP sink
(tests/jobs/smtp.py) that can refuse or stall.

`tests/production/test_faults.py` runs the short version in the test suite;
`bench/soak.py` (`make soak`) the long one and `bench/load.py` the load table.
Nothing here imports Django: the site runs in its own processes, and the ledger
is checked with psycopg against the private database.
"""

import contextlib
import email
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from tests.jobs.smtp import SmtpSink
from tests.production import servers

BASE_DIR = servers.BASE_DIR
PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
WRITER_PASSWORD = "soak-writer-passphrase-42"  # noqa: S105 - a throw-away test account
# The flood rules would refuse a load generator's writers (all from one address);
# writers take turns over enough accounts to stay under the per-account limit.
POSTING_RULES_OFF = {
    "COMMENTS_HOLD_FIRST_GUEST_COMMENT": "false",
    "COMMENTS_MIN_FORM_SECONDS": "0",
    "COMMENTS_RATE_IP_PER_MINUTE": "0",
    "COMMENTS_RATE_IP_PER_HOUR": "0",
    # Kept on, and shared through Redis: the two-server phase counts it across servers.
    "COMMENTS_RATE_ACCOUNT_PER_MINUTE": "8",
    "COMMENTS_RATE_ACCOUNT_PER_HOUR": "0",
    "COMMENTS_DUPLICATE_MINUTES": "0",
}


def pg_bin(name: str) -> str:
    for folder in PG_BIN_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed")
    return found


def available() -> str:
    """Why this machine cannot run the stack, or "" when it can."""
    try:
        pg_bin("initdb")
    except RuntimeError as missing:
        return str(missing)
    if not shutil.which("redis-server"):
        return "redis-server is not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a `postgres` user to run initdb as"
    return ""


# ─── PostgreSQL: a cluster of our own ────────────────────────────────────────


class PrivatePostgres:
    """initdb + pg_ctl in a temporary folder, on a free port; stop and start at will."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "pgdata"
        self.log = root / "postgres.log"
        self.port = servers.free_port()
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            # initdb refuses root; the Debian package's user owns the folder instead.
            account = pwd.getpwnam("postgres")
            os.chown(root, account.pw_uid, account.pw_gid)
            self._as_user = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/riposte"

    def _run(self, *args: str, timeout: float = 180) -> None:
        try:
            subprocess.run(
                [*self._as_user, *args],
                check=True,
                capture_output=True,
                timeout=timeout,
                cwd=self.root,
            )
        except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as failed:
            raise RuntimeError(f"{failed}\nThe server's log ends:\n{self.log_tail()}") from failed

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def create(self) -> "PrivatePostgres":
        self._run(
            pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\nmax_connections = 200\n"
                "shared_buffers = 64MB\n"
                # The faults stop and restart processes, never the machine: what a
                # committed transaction wrote is in the OS's cache either way, and a
                # shutdown checkpoint that waits for a busy CI disk outlasted pg_ctl's
                # wait (a restart timed out after 60 s).
                "fsync = off\nfull_page_writes = off\n"
            )
        self.start()
        with psycopg.connect(self.url.replace("/riposte", "/postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE riposte")
        return self

    def start(self) -> None:
        self._run(
            pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "150", "start"
        )

    def stop(self) -> None:
        """A fast shutdown: open connections are cut, as when the server is stopped."""
        self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "150", "stop")

    def restart(self) -> None:
        self._run(
            pg_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-m",
            "fast",
            "-w",
            "-t",
            "150",
            "restart",
        )

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError):
            self.stop()

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.url, autocommit=True)


# ─── Redis ───────────────────────────────────────────────────────────────────


class PrivateRedis:
    """A redis-server without persistence on a free port; `stop()` and `start()` at will.

    `command`: the server and its options (docker-compose.yml's, say); the port, the
    loopback address and the folder are added after them."""

    def __init__(self, root: Path, command: list[str] | None = None):
        self.root = root
        self.port = servers.free_port()
        self.command = command or ["redis-server", "--save", "", "--appendonly", "no"]
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = open(self.root / "redis.log", "a")  # noqa: SIM115 - kept by the process
        self.process = subprocess.Popen(
            [*self.command, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--dir", str(self.root)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                import socket

                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            servers.stop(self.process)


# ─── The site's processes ────────────────────────────────────────────────────


def site_env(*, db_url: str, redis_url: str, smtp_port: int, extra: dict | None = None) -> dict:
    """Production settings for app servers and workers of one site."""
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "production-tests-only-" + "x" * 50,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_DB_CONNECT_TIMEOUT": "2",
        "DJANGO_CONN_MAX_AGE": "60",  # the production default: connections outlive a restart
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": "5",
        "RIPOSTE_SITE_URL": "http://127.0.0.1",
        **POSTING_RULES_OFF,
        **(extra or {}),
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def manage(env: dict, *args: str, timeout: float = 600) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}")
    return result.stdout


def seed(env: dict, *, writers: int, demo: bool = False, comments: int = 0) -> dict:
    """Accounts and posts for a run (tests/production/soak_seed.py); what it made, as a dict."""
    args = ["--writers", str(writers), "--comments", str(comments)] + (["--demo"] if demo else [])
    result = subprocess.run(
        [sys.executable, "-m", "tests.production.soak_seed", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


class Worker:
    """`manage.py jobs_worker`, as production runs it."""

    def __init__(self, env: dict, log_path: Path):
        self.env, self.log_path = env, log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "jobs_worker"],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            servers.stop(self.process)


def gunicorn_workers(master_pid: int) -> list[int]:
    """The pids of a gunicorn master's worker processes."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master_pid:
                children.append(int(stat.parent.name))
    return children


@dataclass
class Site:
    """One PostgreSQL, one Redis, the SMTP sink, app servers (each behind nginx when
    installed), job workers; `url` is the first app's public address."""

    root: Path
    postgres: PrivatePostgres
    redis: PrivateRedis
    sink: SmtpSink
    env: dict
    data: dict
    apps: list = field(default_factory=list)  # servers.Gunicorn
    proxies: list = field(default_factory=list)  # servers.Nginx
    workers: list = field(default_factory=list)  # Worker

    @property
    def url(self) -> str:
        return self.urls[0]

    @property
    def urls(self) -> list[str]:
        return [proxy.url for proxy in self.proxies] or [app.url for app in self.apps]

    def add_app(self, *, workers: int = 2, extra: dict | None = None) -> servers.Gunicorn:
        workdir = Path(tempfile.mkdtemp(dir=self.root, prefix="app-"))
        env = {**self.env, "GUNICORN_WORKERS": str(workers), "GUNICORN_THREADS": "1"}
        env.update(extra or {})
        app = servers.gunicorn_start(
            db_url=self.postgres.url,
            workdir=workdir,
            extra_env=env,
            static_from=self.apps[0].static_root if self.apps else None,
        )
        self.apps.append(app)
        nginx = servers.install_nginx()
        if nginx:
            prefix = Path(tempfile.mkdtemp(dir=self.root, prefix="nginx-"))
            self.proxies.append(servers.nginx_start(nginx=nginx, app=app, prefix=prefix))
        return app

    def add_worker(self) -> Worker:
        worker = Worker(self.env, self.root / f"worker-{len(self.workers)}.log")
        worker.start()
        self.workers.append(worker)
        return worker

    def stop_apps(self) -> None:
        for proxy in self.proxies:
            servers.stop(proxy.process)
        for app in self.apps:
            servers.stop(app.process)
        self.apps, self.proxies = [], []

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.stop_apps()
        self.sink.__exit__(None, None, None)
        self.redis.stop()
        self.postgres.destroy()

    def wait_for_jobs(self, *, timeout: float) -> bool:
        """Until no job is waiting or running (periodic ones aside); False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(psycopg.Error), self.postgres.connect() as conn:
                (busy,) = conn.execute(
                    "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"
                    " AND task_name NOT IN ('jobs.cleanup', 'accounts.digests_send')"
                ).fetchone()
                if busy == 0:
                    return True
            time.sleep(0.5)
        return False

    def recover_stalled(self, seconds: float, *, not_before: float = 0) -> int:
        """What the worker's 2-minute sweep does, run now (or at wall-clock time
        `not_before`, once Django has started): requeue a dead worker's jobs."""
        out = manage(
            self.env,
            "shell",
            "-c",
            "import time; from jobs.tasks import recover_stalled_jobs as r; "
            f"time.sleep(max(0, {not_before} - time.time())); "
            f"print(r(seconds_since_heartbeat={seconds}))",
        )
        return int(out.strip().splitlines()[-1])


def site_start(
    *,
    root: Path,
    writers: int,
    demo: bool = False,
    comments: int = 0,
    extra: dict | None = None,
    with_redis: bool = True,
) -> Site:
    """Start the database, Redis and the sink, migrate and seed; no app server yet."""
    postgres = PrivatePostgres(root).create()
    redis = PrivateRedis(root)
    if with_redis:
        redis.start()
    sink = SmtpSink().__enter__()
    env = site_env(
        db_url=postgres.url,
        redis_url=redis.url if with_redis else "",
        smtp_port=sink.port,
        extra=extra,
    )
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    data = seed(env, writers=writers, demo=demo, comments=comments)
    return Site(root=root, postgres=postgres, redis=redis, sink=sink, env=env, data=data)


# ─── Counting: what was acknowledged, stored and delivered ───────────────────


def delivered(messages: list[bytes]) -> Counter:
    """{(comment token, recipient): emails} over what the sink accepted."""
    counts: Counter = Counter()
    for raw in messages:
        message = email.message_from_bytes(raw)
        text = ""
        for part in message.walk():
            payload = part.get_payload(decode=True)
            if payload and part.get_content_type() == "text/plain":
                text += payload.decode(errors="replace")
        for token in set(re.findall(r"soak-[0-9a-f]{16}", text)):
            counts[(token, message["To"])] += 1
    return counts


def stored(postgres: PrivatePostgres, tokens: set[str]) -> tuple[dict, set]:
    """{token: numbers of the published comments carrying it}, and the (token, email)
    pairs their notifications were recorded for."""
    numbers: dict[str, list[int]] = {}
    owed: set = set()
    with postgres.connect() as conn:
        rows = conn.execute(
            "SELECT substring(c.body from 'soak-[0-9a-f]{16}'), c.number, u.email"
            " FROM comments_comment c"
            " LEFT JOIN accounts_notification n ON n.comment_id = c.id"
            " LEFT JOIN accounts_user u ON u.id = n.user_id"
            " WHERE c.body LIKE '%%soak-%%' AND c.status = 'published'"
        ).fetchall()
    seen = set()
    for token, number, address in rows:
        if token not in tokens:
            continue
        if (token, number) not in seen:
            seen.add((token, number))
            numbers.setdefault(token, []).append(number)
        if address:
            owed.add((token, address))
    return numbers, owed


def audit(site: Site, ledger) -> dict:
    """Every acknowledged comment stored once under its number; every notification the
    stored comments owe (a reply to soak-target's comments) mailed exactly once."""
    acked = ledger.acknowledged  # {token: number}
    numbers, owed = stored(site.postgres, set(ledger.attempted))
    sent = delivered(list(site.sink.messages))
    return {
        "acknowledged": len(acked),
        "found": sum(1 for t in acked if t in numbers),
        "lost": sum(1 for t in acked if t not in numbers),
        "doubled": sum(1 for found in numbers.values() if len(found) > 1),
        "wrong_number": sum(1 for t, n in acked.items() if t in numbers and numbers[t] != [n]),
        "stored_unacknowledged": sum(1 for t in numbers if t not in acked),
        "notifications_owed": len(owed),
        "notifications_delivered": sum(1 for pair in owed if sent[pair] >= 1),
        "notifications_lost": sum(1 for pair in owed if sent[pair] == 0),
        "notifications_doubled": sum(1 for pair in owed if sent[pair] > 1),
        "replies_without_notification": sum(
            1 for t in numbers if not any(pair[0] == t for pair in owed)
        ),
    }


def kill_app_workers(app: servers.Gunicorn) -> int:
    """`kill -9` every worker of a gunicorn; the master starts new ones. How many."""
    pids = gunicorn_workers(app.process.pid)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return len(pids)
