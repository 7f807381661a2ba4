"""Issue 12's faults, each under mixed traffic, with the counts of what survived.

Each phase runs `Traffic` against the site, breaks one part for a while (or not:
the baseline), lets the traffic run on, stops it, waits for the job queue to
drain and audits: every acknowledged comment stored exactly once under its
number, every notification mailed exactly once, answers by status, and the
seconds from the part's return to the first success. Used by
tests/production/test_faults.py (seconds per fault) and bench/soak.py (minutes).
"""

import time
from dataclasses import dataclass

from tests.production import stack
from tests.production.traffic import ACKNOWLEDGED_AT, Browser, Traffic, wait_until

# jobs.tasks.STALLED_AFTER_SECONDS: the sweep's own threshold (a live worker's heartbeat
# is at most 10 s old).
STALE_HEARTBEAT_SECONDS = 60


@dataclass
class Plan:
    """How long and how hard: the test suite's short run or `make soak`'s long one."""

    threads: int = 4
    write_share: float = 0.05
    settle: float = 2.0  # traffic before and after each fault
    app_kill_seconds: float = 5.0  # kill -9 every app worker every `app_kill_every`
    app_kill_every: float = 2.0
    postgres_down_seconds: float = 10.0
    redis_down_seconds: float = 30.0
    smtp_refusing_seconds: float = 60.0
    two_servers_seconds: float = 10.0
    # Run the 2-minute stalled-job sweep at once: after a kill -9 of the job workers, and
    # when the queue has not drained within `jobs_timeout` after a fault.
    stalled_sweep_now: bool = False
    jobs_timeout: float = 300.0
    write_patience: float = 120.0
    # Traffic goes on after the settle time until a request started after the fault
    # succeeds (respawning workers on a busy machine can take longer than the settle).
    recovery_timeout: float = 30.0


# The short run of the test suite (tests/production/test_faults.py; `SOAK_PLAN=short
# make soak` prints its counts): every fault for a couple of seconds, a fifth of the
# requests writing so each fault sees writes.
SHORT = Plan(
    threads=4,
    write_share=0.2,
    settle=0.75,
    app_kill_seconds=2.0,
    app_kill_every=1.0,
    postgres_down_seconds=2.0,
    redis_down_seconds=2.0,
    smtp_refusing_seconds=2.0,
    two_servers_seconds=0.5,
    stalled_sweep_now=True,  # the worker's 2-minute sweep, run at once
    jobs_timeout=60.0,
    write_patience=30.0,
)
SHORT_SETTINGS = {
    "JOBS_RETRY_BACKOFF": "1",  # retries after 1 s instead of 3, 9, 27…
    "RIPOSTE_PROXY_CACHE_SECONDS": "1",  # a guest sees a new comment within a second
}


def phase(site: stack.Site, plan: Plan, name: str, fault) -> dict:
    """Traffic, `fault(site)` (returns extra counts and `ended`), traffic, audit."""
    traffic = Traffic(
        urls=site.urls,
        data=site.data,
        threads=plan.threads,
        write_share=plan.write_share,
        write_patience=plan.write_patience,
    )
    started = time.monotonic()
    with traffic:
        time.sleep(plan.settle)
        detail = fault(site) or {}
        ended = detail.pop("ended", time.monotonic())
        time.sleep(plan.settle)
        deadline = time.monotonic() + plan.recovery_timeout
        while traffic.ledger.recovery_after(ended) is None and time.monotonic() < deadline:
            time.sleep(0.2)
    drained, swept = site.wait_for_jobs(timeout=plan.jobs_timeout), None
    if not drained and plan.stalled_sweep_now:
        # A job that a worker losing the database left *doing* waits for the worker's
        # sweep (its dead worker's heartbeat a minute old, by now, and a tick every 2
        # minutes); the short run does that sweep now. (Seen once in a short run of
        # postgres_stopped; mostly the worker writes the job's end once PostgreSQL is back.)
        swept = site.recover_stalled(STALE_HEARTBEAT_SECONDS)
        drained = site.wait_for_jobs(timeout=plan.jobs_timeout)
    # From the part's return until the last notification went out (traffic included).
    drained_after = round(time.monotonic() - ended, 1)
    ledger = traffic.ledger
    result = {
        "fault": name,
        **stack.audit(site, ledger),
        **ledger.summary(),
        "recovery_s": ledger.recovery_after(ended),
        "jobs_drained": drained,
        "jobs_recovered_by_sweep_after_wait": swept,
        "jobs_drained_after_s": drained_after,
        "seconds": round(time.monotonic() - started, 1),
        **detail,
    }
    return result


# ─── The faults ──────────────────────────────────────────────────────────────


def baseline(plan: Plan):
    def fault(site):
        time.sleep(plan.app_kill_seconds)

    return fault


def app_workers_killed(plan: Plan):
    def fault(site):
        kills = 0
        until = time.monotonic() + plan.app_kill_seconds
        while time.monotonic() < until:
            for app in site.apps:
                kills += stack.kill_app_workers(app)
            time.sleep(plan.app_kill_every)
        return {"workers_killed": kills}

    return fault


def postgres_restarted(plan: Plan):
    def fault(site):
        site.postgres.restart()
        return {}

    return fault


def postgres_stopped(plan: Plan):
    def fault(site):
        site.postgres.stop()
        time.sleep(plan.postgres_down_seconds)
        site.postgres.start()
        return {"down_s": plan.postgres_down_seconds}

    return fault


def redis_stopped(plan: Plan):
    def fault(site):
        site.redis.stop()
        time.sleep(plan.redis_down_seconds)
        site.redis.start()
        return {"down_s": plan.redis_down_seconds}

    return fault


def job_worker_killed_mid_job(plan: Plan):
    """The mail server holds a notification; every job worker is `kill -9`ed while it
    waits; a worker is started again (as its supervisor would) and the stalled-job
    sweep puts the abandoned job back.

    All workers but one are first stopped the way their supervisor stops them (each
    finishes its job), so the held email's job is the only one in flight when the
    kill comes: a worker killed just after the mail server took some other email, and
    before its job committed, would send that one again on the retry (no one can know
    it went out), which is SMTP's own limit and not this fault."""

    def fault(site):
        for worker in site.workers[1:]:
            worker.stop()
        site.sink.stalled.clear()
        site.sink.stall_next = True
        caught = wait_until(site.sink.stalled.is_set, 60)
        killed = 0
        for worker in site.workers:
            if worker.process.poll() is None:
                worker.kill()
                killed += 1
        site.sink.release()
        abandoned = _jobs_in(site, "doing")
        recovered = None
        if plan.stalled_sweep_now:
            # Once the dead workers' last heartbeat is 2 s old (and before any new one
            # starts, whose heartbeat could be as old).
            recovered = site.recover_stalled(2, not_before=time.time() + 2.5)
        for worker in site.workers:
            worker.start()
        return {
            "caught_mid_send": caught,
            "job_workers_killed": killed,
            "jobs_abandoned": abandoned,
            "jobs_recovered_by_sweep_now": recovered,
        }

    return fault


def smtp_refusing(plan: Plan):
    def fault(site):
        site.sink.refusals = 10**9
        time.sleep(plan.smtp_refusing_seconds)
        site.sink.refusals = 0
        return {"refusing_s": plan.smtp_refusing_seconds}

    return fault


def _jobs_in(site: stack.Site, status: str) -> int:
    with site.postgres.connect() as conn:
        return conn.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE status = %s", [status]
        ).fetchone()[0]


# ─── Two app servers, two job workers ────────────────────────────────────────

LIMIT_PER_MINUTE = 8  # COMMENTS_RATE_ACCOUNT_PER_MINUTE of the run (stack.POSTING_RULES_OFF)


def two_servers(plan: Plan):
    """A second app server and a second worker on the same PostgreSQL and Redis: a
    comment posted through one is on the other's page at once for a signed-in reader
    and, for a guest, within the proxy's cache time; one account's per-minute limit
    counts across both; each job once."""

    def fault(site):
        if len(site.apps) < 2:
            site.add_app(workers=2)
        while len([w for w in site.workers if w.process.poll() is None]) < 2:
            site.add_worker()
        urls = site.urls
        account = site.data["limits_account"]
        proxy_seconds = float(site.env.get("RIPOSTE_PROXY_CACHE_SECONDS", "5"))
        sessions: dict = {}
        seen_on_other = acked = 0
        refused_at = None
        for attempt in range(LIMIT_PER_MINUTE + 1):
            here, there = urls[attempt % 2], urls[(attempt + 1) % 2]
            browser = Browser(here)
            browser.cookies = sessions
            if "sessionid" not in sessions:
                browser.sign_in(account)
            path = f"/comments/{site.data['post_id']}/{site.data['targets'][0]}/reply/"
            _, _, page = browser.request("GET", path)
            form = {**browser.hidden_fields(page), "body": f"Limit check {attempt}."}
            status, headers, _ = browser.request("POST", path, form)
            if status != 302:
                refused_at = (attempt + 1, status)
                break
            acked += 1
            number = ACKNOWLEDGED_AT.search(headers["Location"]).group(1)
            anchor = f'id="c{number}"'.encode()
            other = Browser(there)
            other.cookies = sessions
            page_path = _page_showing(other, site.data["pages"]["soak"], number)
            _, _, signed_in = other.request("GET", page_path)
            seen_on_other += anchor in signed_in and _seen_by_a_guest(
                Browser(there), page_path, anchor, proxy_seconds
            )
        time.sleep(plan.two_servers_seconds)
        return {
            "app_servers": len(site.apps),
            "job_workers": len(site.workers),
            "limit_per_minute": LIMIT_PER_MINUTE,
            "limit_posts_accepted": acked,
            "limit_refused_at": refused_at,
            "seen_on_other_server": seen_on_other,
        }

    return fault


def _page_showing(browser: Browser, post_path: str, number: str) -> str:
    """The comment page holding #number, as its permalink answers (the post is paged)."""
    status, headers, _ = browser.request("GET", f"{post_path}comments/{number}/")
    assert status == 302, status
    return headers["Location"].split("#", 1)[0]


def _seen_by_a_guest(browser: Browser, path: str, anchor: bytes, proxy_seconds: float) -> bool:
    """Whether a guest sees the comment on `path` within the proxy's cache time (nginx may
    keep an anonymous page that long; the app's own cache is current at once)."""
    deadline = time.monotonic() + proxy_seconds + 1
    while True:
        _, _, page = browser.request("GET", path)
        if anchor in page:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)


def jobs_started_twice(site: stack.Site, since_job_id: int) -> int:
    """Jobs that started more than once without a failed try in between (a double run)."""
    with site.postgres.connect() as conn:
        return conn.execute(
            """
            SELECT count(*) FROM (
              SELECT job_id FROM procrastinate_events
               WHERE job_id > %s
               GROUP BY job_id
              HAVING count(*) FILTER (WHERE type = 'started')
                   > 1 + count(*) FILTER (WHERE type = 'deferred_for_retry')
                       + count(*) FILTER (WHERE type = 'retried')
            ) twice
            """,
            [since_job_id],
        ).fetchone()[0]


def last_job_id(site: stack.Site) -> int:
    with site.postgres.connect() as conn:
        return conn.execute("SELECT coalesce(max(id), 0) FROM procrastinate_jobs").fetchone()[0]


FAULTS = {
    "baseline": baseline,
    "app_workers_kill9": app_workers_killed,
    "postgres_restart": postgres_restarted,
    "postgres_stopped": postgres_stopped,
    "redis_stopped": redis_stopped,
    "job_worker_kill9_mid_job": job_worker_killed_mid_job,
    "smtp_refusing": smtp_refusing,
    "two_servers_two_workers": two_servers,
}


def run_all(site: stack.Site, plan: Plan, names=None, emit=print) -> list[dict]:
    """Every fault in turn on one site (which must have an app server and a worker)."""
    results = []
    for name in names or FAULTS:
        first_job = last_job_id(site)
        result = phase(site, plan, name, FAULTS[name](plan))
        result["jobs_started_twice"] = jobs_started_twice(site, first_job)
        # A worker that exited by itself would need its supervisor: counted, restarted.
        exited = [w for w in site.workers if w.process.poll() is not None]
        result["job_workers_exited"] = len(exited)
        for worker in exited:
            worker.start()
        emit(result)
        results.append(result)
    return results
