"""Load through the production stack: wrk against nginx and gunicorn on loopback (issue 12).

Starts a site of its own (tests/production/stack.py: a private PostgreSQL cluster,
redis-server, gunicorn with production settings behind Debian's nginx when it is
installed, a job worker, an SMTP sink), loads the demo content and a generated post
with 1,000 comments, and prints one JSON line per measurement:

    {"bench": "load", "page": "demo", "reader": "anonymous_cached", "workers": 2,
     "rps": …, "p50_ms": …, "p99_ms": …, "non_2xx": 0, …}

Readers: `anonymous_cached` (whole cached page, the default), `anonymous_uncached`
(a server with RIPOSTE_PAGE_CACHE_SECONDS=0 and COMMENTS_CACHE_SECONDS=0: every
request renders page and thread from the database), `signed_in` (a session cookie:
no page cache, the thread cache warm). Then one `{"bench": "mixed", …}` line: 95 %
readers, 5 % writers posting replies through the real form, with the audit of what
was acknowledged, stored and mailed.

Environment: BENCH_LOAD_SECONDS (each wrk run, default 10), BENCH_LOAD_WORKERS
(default "2,4"), BENCH_LOAD_CONNECTIONS (per gunicorn worker, default 4),
BENCH_LOAD_COMMENTS (default 1000), BENCH_MIXED_SECONDS (default 30; 0 skips).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from tests.production import faults, stack  # noqa: E402

SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "10"))
WORKER_COUNTS = tuple(int(n) for n in os.environ.get("BENCH_LOAD_WORKERS", "2,4").split(","))
CONNECTIONS_PER_WORKER = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "4"))
COMMENTS = int(os.environ.get("BENCH_LOAD_COMMENTS", "1000"))
MIXED_SECONDS = float(os.environ.get("BENCH_MIXED_SECONDS", "30"))
NO_CACHES = {"RIPOSTE_PAGE_CACHE_SECONDS": "0", "COMMENTS_CACHE_SECONDS": "0"}
NO_ACCOUNT_LIMIT = {"COMMENTS_RATE_ACCOUNT_PER_MINUTE": "0"}
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def emit(result: dict) -> None:
    print(json.dumps(result), flush=True)


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(number) * _UNITS_MS[unit], 1)


def wrk(url: str, *, connections: int, seconds: float, cookie: str = "") -> dict:
    """requests per second, p50 and p99 of GET url with `connections` open, from wrk."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(  # noqa: S603 - our own wrk command line
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)\s*$", out, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)$", out, re.MULTILINE)
    return {
        "rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), 1),
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
    }


def _warm(url: str, cookie: str = "") -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    for _ in range(3):
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            response.read()
    return response.status


def measure_server(site: stack.Site, *, workers: int, cached: bool) -> None:
    """Every page and reader this server configuration serves, one wrk run each."""
    site.add_app(workers=workers, extra=None if cached else NO_CACHES)
    session = f"sessionid={site.data['sessions'][site.data['writers'][0]]}"
    readers = (
        {"anonymous_cached": "", "signed_in": session} if cached else {"anonymous_uncached": ""}
    )
    try:
        for page in ("demo", f"comments_{COMMENTS}"):
            url = site.url + site.data["pages"][page]
            for reader, cookie in readers.items():
                assert _warm(url, cookie) == 200
                result = wrk(
                    url,
                    connections=CONNECTIONS_PER_WORKER * workers,
                    seconds=SECONDS,
                    cookie=cookie,
                )
                emit(
                    {
                        "bench": "load",
                        "page": page,
                        "reader": reader,
                        "workers": workers,
                        **result,
                        "connections": CONNECTIONS_PER_WORKER * workers,
                        "via": "nginx" if site.proxies else "gunicorn",
                    }
                )
    finally:
        site.stop_apps()


def mixed_run(site: stack.Site, *, workers: int) -> dict:
    """95 % readers and 5 % writers for MIXED_SECONDS; the audit of every write."""
    site.add_app(workers=workers)
    try:
        plan = faults.Plan(threads=2 * workers, write_share=0.05, settle=0)

        def steady(site):
            time.sleep(MIXED_SECONDS)

        result = faults.phase(site, plan, "none", steady)
    finally:
        site.stop_apps()
    del result["fault"], result["recovery_s"]
    return {"bench": "mixed", "workers": workers, "write_share": 0.05, **result}


def main() -> None:
    missing = stack.available()
    if missing:
        print(f"load bench skipped: {missing}", file=sys.stderr)
        return
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="riposte-load-"))
    # The mixed run counts what is acknowledged, not the flood rules: with pages served
    # from nginx's cache its writers post faster than 64 accounts may (429s).
    site = stack.site_start(
        root=root, writers=64, demo=True, comments=COMMENTS, extra=NO_ACCOUNT_LIMIT
    )
    print(f"load bench: site seeded in {time.monotonic() - started:.0f} s", file=sys.stderr)
    try:
        site.add_worker()
        for workers in WORKER_COUNTS:
            measure_server(site, workers=workers, cached=True)
            measure_server(site, workers=workers, cached=False)
        if MIXED_SECONDS > 0:
            emit(mixed_run(site, workers=max(WORKER_COUNTS)))
    finally:
        site.close()
        shutil.rmtree(root, ignore_errors=True)
    print(f"load bench: {time.monotonic() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
