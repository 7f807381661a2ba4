"""Counters and limits in the cache that every app process shares (Redis in production).

Limits count in the "limits" cache. With Redis it is shared by every process;
while Redis fails it falls back to each process's memory (config/settings.py),
so a limit still refuses past its count, counted per process: with N app
processes a writer may get up to N times the limit through during an outage.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches


def limits_cache():
    """The cache limits count in: "limits", or the default one where CACHES names none."""
    return caches["limits" if "limits" in settings.CACHES else "default"]


@dataclass(frozen=True)
class Limit:
    """At most `count` events per `seconds`, for the events named by `key`."""

    key: str
    count: int
    seconds: int


@dataclass(frozen=True)
class LimitReached:
    """The limit an event ran into, and the seconds until it may happen again."""

    limit: Limit
    retry_after: int


def limits_take(limits: Sequence[Limit]) -> LimitReached | None:
    """Count one event against every limit, or against none when one of them is reached.

    Each limit is a sliding window: `count` slots in the cache, each claimed by
    one event with an atomic add and freed `seconds` after its claim, so no
    window of `seconds` ever holds more than `count` events, wherever it starts.
    One read finds the free slots of every limit; claiming one costs one add.
    """
    slots = {limit: [f"{limit.key}:{index}" for index in range(limit.count)] for limit in limits}
    store = limits_cache()
    claimed = store.get_many([key for keys in slots.values() for key in keys])
    now = time.time()
    for limit in limits:
        if all(key in claimed for key in slots[limit]):
            return _reached(limit, claimed, slots[limit], now)
    for limit in limits:
        free = [key for key in slots[limit] if key not in claimed]
        # Another process may claim a slot between the read and the add: try the next.
        if not any(store.add(key, now, limit.seconds) for key in free):
            return _reached(limit, store.get_many(slots[limit]), slots[limit], now)
    return None


def _reached(limit: Limit, claimed: dict, keys: list[str], now: float) -> LimitReached:
    oldest = min((claimed[key] for key in keys if key in claimed), default=now)
    return LimitReached(limit, retry_after=max(1, int(oldest + limit.seconds - now) + 1))
