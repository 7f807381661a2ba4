"""Real servers for production tests: gunicorn with production settings, Debian's nginx in front.

gunicorn serves the test database (tests write with `transactional_db` so it sees
the rows); nginx runs from a private prefix directory with the repository's
config template (deploy/nginx/riposte.conf.template) filled in for free ports
and temporary folders, as the official nginx image fills it in under compose.
"""

import fcntl
import getpass
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parents[2]
NGINX_TEMPLATE = BASE_DIR / "deploy" / "nginx" / "riposte.conf.template"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(db: dict) -> str:
    """A DATABASE_URL naming the same database as a Django connection's settings."""
    host = quote(str(db.get("HOST") or ""), safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    password = f":{quote(str(db['PASSWORD']), safe='')}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}{port}/{db['NAME']}"


def install_nginx() -> str | None:
    """Debian's nginx, installed when missing (root only); one installer at a time."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    with open("/tmp/riposte-nginx-install.lock", "w") as lock:  # noqa: S108
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = shutil.which("nginx", path="/usr/sbin")
        if found:
            return found
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", "nginx"],
        ):
            result = subprocess.run(command, env=env, capture_output=True, timeout=900, check=False)
            if result.returncode != 0:
                sys.stderr.write(result.stderr.decode(errors="replace")[-2000:])
                return None
    return shutil.which("nginx", path="/usr/sbin")


def render_template(text: str, values: dict[str, str]) -> str:
    """`${NAME}` replaced as envsubst would; nginx's own `$variables` stay untouched."""

    def value(match: re.Match) -> str:
        return values[match.group(1)]

    return re.sub(r"\$\{([A-Z_]+)\}", value, text)


def wait_for(url: str, process: subprocess.Popen, log_path: Path, what: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    f"{what} did not start:\n{log_path.read_text()[-3000:]}"
                ) from None
            time.sleep(0.2)


@dataclass
class Gunicorn:
    url: str
    port: int
    log_path: Path
    static_root: Path
    media_root: Path
    process: subprocess.Popen

    def has_logged(self, path: str, *, within: float = 5.0) -> bool:
        """Whether gunicorn's access log records a request for `path` (it logs after replying)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if path in re.findall(r'"[A-Z]+ (\S+) HTTP/', self.log_path.read_text()):
                return True
            time.sleep(0.05)
        return False

    def requests_logged(self, method: str, path: str) -> int:
        """How many `method` requests for `path` (query included) the access log holds so far."""
        return re.findall(r'"([A-Z]+) (\S+) HTTP/', self.log_path.read_text()).count((method, path))


@dataclass
class Nginx:
    url: str
    port: int
    prefix: Path
    process: subprocess.Popen


def gunicorn_start(
    *, db_url: str, workdir: Path, extra_env: dict[str, str], static_from: Path | None = None
) -> Gunicorn:
    """gunicorn with production settings behind a proxy: DEBUG off, 2 sync workers.

    `static_from`: the collected static files of another app server, copied instead
    of collected again (a second server of the same release)."""
    static_root, media_root = workdir / "static", workdir / "media"
    if static_from:
        shutil.copytree(static_from, static_root)
    else:
        static_root.mkdir()
    media_root.mkdir()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "production-tests-only-" + "x" * 50,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_MEDIA_ROOT": str(media_root),
        "DJANGO_SERVE_MEDIA": "false",
        "DJANGO_BEHIND_PROXY": "true",
        "RIPOSTE_TRUSTED_PROXIES": "1",
        "DJANGO_CONN_MAX_AGE": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "1",
        **extra_env,
    }
    if not static_from:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=BASE_DIR,
            env=env,
            check=True,
        )
    log_path = workdir / "gunicorn.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-c", "config/gunicorn.conf.py"]
            + ["config.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/robots.txt", process, log_path, "gunicorn")
    return Gunicorn(url, port, log_path, static_root, media_root, process)


def nginx_start(*, nginx: str, app: Gunicorn, prefix: Path) -> Nginx:
    """Debian's nginx from `prefix` with the repository's server config, in the foreground."""
    port = free_port()
    server = render_template(
        NGINX_TEMPLATE.read_text(),
        {
            "RIPOSTE_LISTEN": f"127.0.0.1:{port}",
            "RIPOSTE_UPSTREAM": f"127.0.0.1:{app.port}",
            "RIPOSTE_STATIC_ROOT": str(app.static_root),
            "RIPOSTE_MEDIA_ROOT": str(app.media_root),
            "RIPOSTE_PROXY_CACHE": str(prefix / "cache"),
        },
    )
    return nginx_run(nginx=nginx, prefix=prefix, server=server, port=port)


def nginx_run(*, nginx: str, prefix: Path, server: str, port: int) -> Nginx:
    """Debian's nginx from `prefix` serving the `server` block (listening on loopback
    `port`), in the foreground; returns once /proxy-health answers."""
    (prefix / "tmp").mkdir(parents=True)
    (prefix / "riposte.conf").write_text(server)
    # Workers read files under pytest's private temporary folder, so they keep our user.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    mime_types = Path("/etc/nginx/mime.types")
    (prefix / "nginx.conf").write_text(
        f"""
{user}
worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    {f"include {mime_types};" if mime_types.exists() else ""}
    default_type application/octet-stream;
    # As Debian's and the official image's nginx.conf: files (static, cached pages) by sendfile.
    sendfile on;
    tcp_nopush on;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include {prefix}/riposte.conf;
}}
"""
    )
    command = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", "stderr"]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx refused the config:\n{checked.stderr}")
    log_path = prefix / "nginx.out"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [*command, "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/proxy-health", process, log_path, "nginx")
    return Nginx(url, port, prefix, process)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
