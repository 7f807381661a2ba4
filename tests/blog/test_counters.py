"""Shared limits in the cache: sliding windows, exact across clock minutes and processes."""

import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache.backends.redis import RedisCache

from blog import counters
from blog.counters import Limit, limits_take


class Clock:
    """A controlled time.time(): the cache's expiry reads the same clock."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock(1_800_000_000.0)  # a whole minute: 30000000 * 60
    monkeypatch.setattr(time, "time", fake)
    return fake


def _taken(limits, times: int) -> int:
    return sum(limits_take(limits) is None for _ in range(times))


def test_a_burst_across_a_minute_boundary_gets_no_more_than_the_limit(clock):
    """Issue 8: fixed minute windows let 6 of 8 through across a boundary."""
    limits = [Limit("test:boundary", 5, 60)]
    clock.now += 58
    accepted = _taken(limits, 4)
    clock.now += 3  # the clock minute changes between the two bursts
    accepted += _taken(limits, 4)
    assert accepted == 5


def test_a_slot_frees_a_whole_window_after_it_was_taken(clock):
    limits = [Limit("test:slide", 2, 60)]
    assert _taken(limits, 1) == 1
    clock.now += 30
    assert _taken(limits, 2) == 1
    clock.now += 29
    assert limits_take(limits) is not None
    clock.now += 2  # 61 s after the first
    assert limits_take(limits) is None


def test_the_refusal_says_when_the_oldest_slot_frees(clock):
    limits = [Limit("test:retry", 1, 60)]
    limits_take(limits)
    clock.now += 45
    reached = limits_take(limits)
    assert reached.limit == limits[0]
    assert 15 <= reached.retry_after <= 16


def test_a_refused_event_counts_against_no_limit(clock):
    minute, hour = Limit("test:minute", 1, 60), Limit("test:hour", 3, 3600)
    limits_take([minute, hour])
    for _ in range(5):
        assert limits_take([minute, hour]).limit == minute
    clock.now += 61
    assert _taken([minute, hour], 1) == 1
    clock.now += 61
    assert _taken([minute, hour], 1) == 1
    clock.now += 61
    assert limits_take([minute, hour]).limit == hour


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_limits_hold_when_many_connections_to_redis_race(monkeypatch):
    """With REDIS_URL every process shares the slots; the threads here race over a pool."""
    shared = RedisCache(
        "redis://127.0.0.1:6379/0", {"KEY_PREFIX": f"riposte-test-{uuid.uuid4().hex}"}
    )
    monkeypatch.setattr(counters, "limits_cache", lambda: shared)
    limits = [Limit("test:race", 5, 60)]
    start = threading.Barrier(20)

    def send(_):
        start.wait(5)
        return limits_take(limits) is None

    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            accepted = sum(pool.map(send, range(20)))
    finally:
        shared.delete_many([f"test:race:{index}" for index in range(5)])
    assert accepted == 5
