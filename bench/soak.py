"""`make soak`: issue 12's faults at full length, each under mixed traffic, with counts.

The same faults as tests/production/test_faults.py, for minutes instead of
seconds, on a site of its own (tests/production/stack.py): a private PostgreSQL
cluster, a redis-server, two gunicorn app servers (2 workers each, behind Debian's
nginx when installed), two job workers and an SMTP sink, on loopback, with the
production retry settings. Eight clients read post pages and post replies through
the real form (95 % reads, 5 % writes). In turn:

- baseline: nothing breaks (60 s);
- app_workers_kill9: every gunicorn worker `kill -9`ed every 10 s for 60 s;
- postgres_restart: `pg_ctl restart -m fast`;
- postgres_stopped: PostgreSQL stopped for 10 s;
- redis_stopped: Redis stopped for 30 s;
- job_worker_kill9_mid_job: both job workers `kill -9`ed while the mail server holds
  an email, then started again; the stalled-job sweep (every 2 minutes) requeues it;
- smtp_refusing: the mail server refuses every email for 60 s;
- two_servers_two_workers: a comment posted through one app server is on the other's
  page at once; the per-account limit counts across both; then 60 s of traffic.

Each fault prints one JSON line (stdout, and appended to
`.data/soak/soak-<UTC time>.jsonl`): acknowledged comments, found, lost, doubled,
notifications owed/delivered/lost/doubled, client answers by status (503 while
PostgreSQL is down is the site's page; 502 is nginx meeting a killed worker),
seconds from the part's return to the first success, and more. About 15 minutes.

Environment: SOAK_FAULTS (comma-separated names, default all), SOAK_THREADS (8),
SOAK_SETTLE (traffic before and after each fault, 15 s); SOAK_PLAN=short runs the
test suite's short plan instead (faults.SHORT: seconds per fault, about 2 minutes)
and prints its counts, which tests/production/test_faults.py only asserts.
"""

import json
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from tests.production import faults, stack  # noqa: E402

FULL = faults.Plan(
    threads=int(os.environ.get("SOAK_THREADS", "8")),
    write_share=0.05,
    settle=float(os.environ.get("SOAK_SETTLE", "15")),
    app_kill_seconds=60,
    app_kill_every=10,
    postgres_down_seconds=10,
    redis_down_seconds=30,
    smtp_refusing_seconds=60,
    two_servers_seconds=60,
    stalled_sweep_now=False,  # the worker's own sweep, every 2 minutes, finds it
    jobs_timeout=400,
    write_patience=120,
)


def main() -> None:
    missing = stack.available()
    if missing:
        sys.exit(f"soak: cannot run here: {missing}")
    names = [n for n in os.environ.get("SOAK_FAULTS", "").split(",") if n] or list(faults.FAULTS)
    results_dir = Path(__file__).resolve().parent.parent / ".data" / "soak"
    results_dir.mkdir(parents=True, exist_ok=True)
    short = os.environ.get("SOAK_PLAN") == "short"
    plan, settings = (faults.SHORT, faults.SHORT_SETTINGS) if short else (FULL, {})
    kind = "-short" if short else ""
    results_path = results_dir / f"soak-{datetime.now(UTC):%Y%m%dT%H%M%SZ}{kind}.jsonl"
    root = Path(tempfile.mkdtemp(prefix="riposte-soak-"))
    started = time.monotonic()
    # Writers take turns over many accounts, each staying under the per-account limit.
    site = stack.site_start(root=root, writers=256, extra=settings)
    try:
        for _ in range(2):
            site.add_app(workers=2)
            site.add_worker()

        def emit(result: dict) -> None:
            line = json.dumps(result)
            print(line, flush=True)
            with results_path.open("a") as out:
                out.write(line + "\n")

        results = faults.run_all(site, plan, names=names, emit=emit)
    finally:
        site.close()
        shutil.rmtree(root, ignore_errors=True)
    bad = [
        r["fault"]
        for r in results
        if r["lost"]
        or r["doubled"]
        or r["notifications_lost"]
        or r["notifications_doubled"]
        or r["count_500"]
        or r["replies_without_notification"]
        or not r["jobs_drained"]
    ]
    minutes = (time.monotonic() - started) / 60
    print(
        f"soak: {len(results)} faults in {minutes:.1f} min, results in {results_path}; "
        + (f"FAILED: {', '.join(bad)}" if bad else "nothing lost, nothing doubled, no 500"),
        file=sys.stderr,
    )
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
