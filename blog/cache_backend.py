"""A Redis cache whose outage costs speed, never availability.

`RedisWithFallbackCache` sends every call to Django's own `RedisCache`. When
Redis fails (refused, timed out, out of memory…) the call is answered by a
fallback backend instead, and Redis is left alone for `RETRY_SECONDS` (a circuit
breaker), so a dead Redis costs one short socket timeout per process every few
seconds, not one per call. The first call after that tries Redis again; when it
answers, shared caching resumes without a restart.

- `"FALLBACK"` names the backend used meanwhile. The default cache falls back to
  `DummyCache`: every read misses, so pages render uncached and nothing one
  process stored can go stale in another. Rate limits fall back to
  `LocMemCache`: each process counts on its own (see README, "When Redis is down").
- Writes Redis missed (a `delete`, a `set`, a version `incr`) are remembered and
  replayed when it returns, so no invalidation made during the outage is lost
  and a stale entry written before it cannot come back.
- The log says "unreachable" once per outage and "answers again" once after it.

Breaker state is per process and per Redis address: Django builds one cache
object per thread, but they share it.
"""

import contextlib
import logging
import threading
import time
from dataclasses import dataclass, field

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

logger = logging.getLogger("riposte.cache")

# Keys whose writes Redis missed, replayed when it returns; past this many, older
# entries simply expire by their own timeouts (logged).
MAX_MISSED_WRITES = 10_000
_OUR_PARAMS = ("FALLBACK", "RETRY_SECONDS")


@dataclass
class _Breaker:
    """Whether this process is leaving one Redis server alone, and until when."""

    down_until: float = 0.0  # time.monotonic(); 0 while Redis answers
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def is_down(self) -> bool:
        return self.down_until > 0

    @property
    def is_open(self) -> bool:
        """Redis failed less than RETRY_SECONDS ago: do not even try it."""
        return self.is_down and time.monotonic() < self.down_until


@dataclass
class _Missed:
    """What one cache (one alias) did on its fallback that Redis has to be told."""

    is_pending: bool = False  # the fallback answered since Redis last did
    deletes: set = field(default_factory=set)  # (key, version)
    bumps: set = field(default_factory=set)
    clear: bool = False
    overflowed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def remember(self, kind: str, keys, version) -> None:
        with self.lock:
            self.is_pending = True
            if kind == "clear":
                self.clear = True
            elif kind:
                target = self.bumps if kind == "bump" else self.deletes
                for key in keys:
                    if len(self.deletes) + len(self.bumps) >= MAX_MISSED_WRITES:
                        self.overflowed = True
                        return
                    target.add((key, version))

    def take(self) -> tuple[set, set, bool, bool]:
        with self.lock:
            taken = (self.deletes, self.bumps, self.clear, self.overflowed)
            self.deletes, self.bumps, self.clear, self.overflowed = set(), set(), False, False
            self.is_pending = False
            return taken


_shared: dict[tuple, object] = {}
_shared_lock = threading.Lock()


def _shared_state(kind: type, *key):
    """One `kind` per process for `key`, whichever thread's cache object asks."""
    with _shared_lock:
        return _shared.setdefault((kind, *key), kind())


class RedisWithFallbackCache(BaseCache):
    """Django's RedisCache, with a fallback backend and a breaker for when Redis fails."""

    def __init__(self, server, params):
        super().__init__(params)
        redis_params = {k: v for k, v in params.items() if k not in _OUR_PARAMS}
        self.location = server if isinstance(server, str) else ",".join(server)
        self.redis = RedisCache(server, redis_params)
        fallback = params.get("FALLBACK", "django.core.cache.backends.dummy.DummyCache")
        # Every thread's cache object finds the same local storage under this name.
        self.fallback = import_string(fallback)(f"{fallback}:{self.location}", redis_params)
        self.retry_seconds = float(params.get("RETRY_SECONDS", 5))
        self.breaker = _shared_state(_Breaker, self.location)
        self.missed = _shared_state(_Missed, self.location, self.key_prefix, fallback)

    # ─── Routing ─────────────────────────────────────────────────────────────

    def _call(self, name: str, *args, missed: str = "", keys=(), missed_version=None):
        """Run cache method `name` on Redis, or on the fallback while Redis is failing.

        `missed` says what Redis must be told when it returns if it did not see
        this call: "delete" the keys, "bump" them (version counters) or "clear".
        """
        if not self.breaker.is_open:
            try:
                if self.breaker.is_down or self.missed.is_pending:
                    self._catch_up()
                return getattr(self.redis, name)(*args)
            except RedisError as error:
                self._went_down(error)
        self.missed.remember(missed, keys, missed_version)
        return getattr(self.fallback, name)(*args)

    def _went_down(self, error: Exception) -> None:
        breaker = self.breaker
        with breaker.lock:
            first = not breaker.is_down
            breaker.down_until = time.monotonic() + self.retry_seconds
        if first:
            logger.warning(
                "Redis at %s is unreachable (%s): the site goes on without it (pages "
                "uncached, rate limits counted per process) and tries it again every %g s.",
                self.location,
                error,
                self.retry_seconds,
            )

    def _catch_up(self) -> None:
        """Redis may be back: replay what it missed, then forget the fallback's entries."""
        self.redis._cache.get_client(write=True).ping()  # RedisCache keeps its client in _cache
        deletes, bumps, clear, overflowed = self.missed.take()
        try:
            self._replay(deletes=deletes, bumps=bumps, clear=clear)
        except RedisError:
            if clear:
                self.missed.remember("clear", (), None)
            for kind, keys in (("delete", deletes), ("bump", bumps)):
                for key, version in keys:
                    self.missed.remember(kind, [key], version)
            raise
        self.fallback.clear()
        with self.breaker.lock:
            came_back, self.breaker.down_until = self.breaker.is_down, 0.0
        if came_back:
            logger.warning("Redis at %s answers again: shared caching resumes.", self.location)
        if deletes or bumps or clear or overflowed:
            logger.info(
                "Redis at %s was told of %d writes it missed%s.",
                self.location,
                len(deletes) + len(bumps) + clear,
                " (more were missed than kept: those expire by their timeouts)"
                if overflowed
                else "",
            )

    def _replay(self, *, deletes, bumps, clear) -> None:
        """Tell Redis what it missed: stale entries go, version counters move on."""
        if clear:
            self.redis.clear()
            return
        by_version: dict = {}
        for key, version in deletes:
            by_version.setdefault(version, []).append(key)
        for version, keys in by_version.items():
            for start in range(0, len(keys), 500):
                self.redis.delete_many(keys[start : start + 500], version=version)
        for key, version in bumps:
            with contextlib.suppress(ValueError):  # never set: nothing cached under it
                self.redis.incr(key, version=version)

    def is_reachable(self) -> bool:
        """Ask Redis now, whatever the breaker says (health checks); resumes it if it answers."""
        try:
            self._catch_up()
        except RedisError as error:
            self._went_down(error)
            return False
        return True

    # ─── The cache API ───────────────────────────────────────────────────────

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(
            "set", key, value, timeout, version, missed="delete", keys=[key], missed_version=version
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call(
            "delete", key, version, missed="delete", keys=[key], missed_version=version
        )

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call(
            "incr", key, delta, version, missed="bump", keys=[key], missed_version=version
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "set_many",
            data,
            timeout,
            version,
            missed="delete",
            keys=list(data),
            missed_version=version,
        )

    def delete_many(self, keys, version=None):
        keys = list(keys)
        self._call("delete_many", keys, version, missed="delete", keys=keys, missed_version=version)

    def clear(self):
        return self._call("clear", missed="clear")

    def close(self, **kwargs):
        self.redis.close(**kwargs)
        self.fallback.close(**kwargs)
