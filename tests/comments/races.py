"""Running database work really at once: each worker has its own connection, and a race
test proves its requests overlapped instead of silently running one after the other."""

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction


def in_own_connection(function):
    """Run `function` in a worker thread's own connection, closed afterwards."""

    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    return run


def wait_until_others_wait_for_a_lock(count: int = 1, timeout: float = 15.0) -> None:
    """Return once `count` other sessions wait for a lock; fail the test when they never do.

    Called while holding a lock: it proves the requests under test really
    overlapped, instead of silently running one after the other.
    """
    deadline = time.monotonic() + timeout
    waiting = 0
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Activity statistics are a snapshot per transaction unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            waiting = cursor.fetchone()[0]
            if waiting >= count:
                return
            time.sleep(0.02)
    pytest.fail(
        f"{waiting} of {count} requests waited for the lock within {timeout:.0f} s: "
        "they did not overlap, so this test proved nothing about concurrency."
    )


def run_all_at_once(lock: Callable[[], object], calls: Sequence[Callable], *, workers: int):
    """Run `calls` from `workers` threads, released together: another connection holds
    `lock` (a function taking a row lock) until that many of them wait for it.

    Returns the calls' results in order; an exception in any call is raised here.
    """
    held = threading.Event()

    @in_own_connection
    def hold():
        with transaction.atomic():
            lock()
            held.set()
            wait_until_others_wait_for_a_lock(count=min(workers, len(calls)))

    @in_own_connection
    def call(function):
        assert held.wait(10), "the lock was never taken"
        return function()

    with ThreadPoolExecutor(max_workers=workers + 1) as pool:
        holder = pool.submit(hold)
        futures = [pool.submit(call, function) for function in calls]
        holder.result()
        return [future.result() for future in futures]
