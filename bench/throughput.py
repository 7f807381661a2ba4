"""page_throughput: the anonymous post page under load, beside nginx serving the same bytes.

gunicorn runs the app with 2 workers (2 threads each) against the bench database,
its page cache on (each worker keeps its own copy: nothing is written meanwhile);
wrk, the load generator, asks for the page for a few seconds with
`Accept-Encoding: gzip` and no cookies, as a first-time reader would, three ways:

- `app_rps`: through nginx with the production config (deploy/nginx/riposte.conf.template
  rendered as tests/production/servers.py does, in front of that gunicorn): the
  requests per second readers get from the deployed site. nginx keeps the page the
  app marks as shared for RIPOSTE_PROXY_CACHE_SECONDS and revalidates it with the
  app's 304, so most answers never reach gunicorn.
- `direct_rps`: gunicorn alone, every request answered by the app's page cache.
- `static_rps`: nginx (Debian's, 2 workers, minimal config) serving the very bytes
  the app answered as a static file (gzip_static, so both send the same compressed body).

Each is the median of three rounds of BENCH_LOAD_SECONDS (default 5), interleaved.
`ratio` = app_rps / static_rps; the issue's bar is at least 0.5.
"""

import gzip
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.db import connection

from tests.production import servers

WORKERS = 2
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "5"))
ROUNDS = 3
CONNECTIONS = 8
ROOT = Path(__file__).resolve().parent.parent

NGINX_CONF = """
worker_processes {workers};
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
daemon off;
events {{ worker_connections 256; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    gzip_static on;
    types {{ text/html html; }}
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {folder}/www;
    }}
}}
"""


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - local
                answer.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _wrk(url: str) -> float:
    """Requests per second wrk reached against url."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-H", "Accept-Encoding: gzip", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if re.search(r"Non-2xx or 3xx responses", out):
        raise RuntimeError(f"wrk saw errors from {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _kept_by_the_proxy(url: str) -> None:
    """Asks until nginx answers the page from its cache, as it will under load."""
    deadline = time.monotonic() + 30
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310
    while True:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - local
            answer.read()
            if answer.headers["X-Cache-Status"] == "HIT":
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"nginx never kept {url}: {answer.headers['X-Cache-Status']}")
        time.sleep(0.1)


def run(post, page: bytes) -> dict | None:
    """The page_throughput row for `post`, whose anonymous page is `page`; None (with a
    note on stderr) when wrk or nginx is missing."""
    missing = [tool for tool in ("wrk", "nginx") if not shutil.which(tool)]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if missing or not gunicorn.exists():
        print(f"bench: page_throughput skipped, missing {missing or ['gunicorn']}", file=sys.stderr)
        return None
    path = post.get_absolute_url()
    with tempfile.TemporaryDirectory(prefix="riposte-bench-") as folder:
        os.chmod(folder, 0o755)  # nginx's workers run as an unprivileged user
        app_port, static_port = servers.free_port(), servers.free_port()
        env = {
            **os.environ,
            "DATABASE_URL": servers.database_url(connection.settings_dict),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_STATIC_ROOT": f"{folder}/static",
            "PYTHONPATH": str(ROOT),
        }
        # Production settings want the hashed static files' manifest.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        app = subprocess.Popen(
            [str(gunicorn), "config.wsgi", "-w", str(WORKERS), "--threads", "2"]
            + ["-b", f"127.0.0.1:{app_port}", "--error-logfile", f"{folder}/gunicorn.log"],
            cwd=ROOT,
            env=env,
        )
        Path(folder, "media").mkdir()
        proxy = servers.nginx_start(
            nginx=shutil.which("nginx"),
            app=servers.Gunicorn(
                url=f"http://127.0.0.1:{app_port}",
                port=app_port,
                log_path=Path(folder, "gunicorn.log"),
                static_root=Path(folder, "static"),
                media_root=Path(folder, "media"),
                process=app,
            ),
            prefix=Path(folder, "proxy"),
        )
        www = Path(folder, "www", path.strip("/"))
        www.mkdir(parents=True)
        Path(www, "index.html").write_bytes(page)
        Path(www, "index.html.gz").write_bytes(gzip.compress(page, compresslevel=6, mtime=0))
        for node in (Path(folder, "www"), *Path(folder, "www").glob("**/*")):
            node.chmod(0o755)
        conf = Path(folder, "nginx.conf")
        conf.write_text(NGINX_CONF.format(workers=WORKERS, folder=folder, port=static_port))
        static = subprocess.Popen(["nginx", "-c", str(conf)])
        try:
            direct_url = f"http://127.0.0.1:{app_port}{path}"
            proxied_url = f"{proxy.url}{path}"
            static_url = f"http://127.0.0.1:{static_port}{path}"
            _wait_for(direct_url)
            _wait_for(static_url)
            for _ in range(4 * WORKERS):  # every worker renders and caches its copy
                _wait_for(direct_url)
            _kept_by_the_proxy(proxied_url)
            # Interleaved rounds, the median of each: load from elsewhere on a shared
            # machine then weighs on all three alike.
            rounds = [
                (_wrk(proxied_url), _wrk(direct_url), _wrk(static_url)) for _ in range(ROUNDS)
            ]
            app_rps, direct_rps, static_rps = (
                statistics.median(column) for column in zip(*rounds, strict=True)
            )
        finally:
            _stop(proxy.process)
            _stop(app)
            _stop(static)
    return {
        "bench": "page_throughput",
        "n": post.last_comment_number,
        "app_rps": round(app_rps, 1),
        "static_rps": round(static_rps, 1),
        "workers": WORKERS,
        "direct_rps": round(direct_rps, 1),
        "ratio": round(app_rps / static_rps, 2),
    }
