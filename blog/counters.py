"""Counters in the cache that every app process shares (Redis in production)."""

from django.core.cache import cache


def bump_counter(key: str, *, timeout: int | None = None) -> int:
    """Add one to a shared counter and return it (atomic in Redis and in local memory)."""
    try:
        return cache.incr(key)
    except ValueError:
        if cache.add(key, 1, timeout):
            return 1
        return cache.incr(key)
