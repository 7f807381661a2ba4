"""Redis is an optimisation (issue 12): while it is down, pages render, comments post, limits
hold per process, and the log says so once; when it returns, caching resumes by itself.

Each test runs its own throwaway `redis-server` on a free port and kills it; the
machine's Redis is never touched.
"""

import logging
import shutil
import socket
import subprocess
import time
import uuid

import pytest
import redis
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client
from django.urls import reverse

from blog.cache_backend import RedisWithFallbackCache
from comments.models import Comment
from tests.comments.pages import form_fields, posted_status
from tests.factories import PostFactory, UserFactory
from tests.production.servers import free_port

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]

RETRY_SECONDS = 0.3


class ThrowawayRedis:
    """A redis-server of this test's own, on a free port, that it may stop and start."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port, socket_timeout=0.2).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def stored_keys(self) -> list[bytes]:
        return redis.Redis(port=self.port).keys("*")


def _cache_settings(url: str, *, retry_seconds: float = RETRY_SECONDS) -> dict:
    shared = {
        "BACKEND": "blog.cache_backend.RedisWithFallbackCache",
        "LOCATION": url,
        "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        "RETRY_SECONDS": retry_seconds,
    }
    return {
        "default": {**shared, "FALLBACK": "django.core.cache.backends.dummy.DummyCache"},
        "limits": {**shared, "FALLBACK": "django.core.cache.backends.locmem.LocMemCache"},
    }


@pytest.fixture
def throwaway_redis(settings):
    server = ThrowawayRedis()
    server.start()
    settings.CACHES = _cache_settings(server.url)
    yield server
    server.kill()


@pytest.fixture
def unreachable_redis(settings):
    """REDIS_URL names a port where nothing ever listens."""
    settings.CACHES = _cache_settings(f"redis://127.0.0.1:{free_port()}/0")


@pytest.fixture
def post(db):
    return PostFactory(title="The budget vote, again", slug="budget-vote")


@pytest.fixture
def writer(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="writer"))
    return client


def _post_comment(client, post, body: str):
    """Send the comment form as a browser does: taken from the rendered post page."""
    action = reverse("comments:post", kwargs={"post_id": post.pk})
    page = client.get(post.get_absolute_url())
    assert page.status_code == 200
    return client.post(action, {**form_fields(page, action), "body": body})


def _outage_lines(caplog, words: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "riposte.cache" and words in r.getMessage()]


# ─── Redis stops while the site runs ─────────────────────────────────────────


def test_the_post_page_renders_while_redis_is_down(throwaway_redis, post):
    assert Client().get(post.get_absolute_url()).status_code == 200  # cached in Redis
    throwaway_redis.kill()
    response = Client().get(post.get_absolute_url())
    assert response.status_code == 200
    assert "The budget vote, again" in response.content.decode()


def test_a_comment_is_posted_and_stored_while_redis_is_down(throwaway_redis, post, writer):
    throwaway_redis.kill()
    response = _post_comment(writer, post, "Posted while the cache was away.")
    assert posted_status(response, post) == Comment.Status.PUBLISHED
    assert Comment.objects.filter(post=post, body="Posted while the cache was away.").exists()


def test_the_rate_limit_still_refuses_past_it_while_redis_is_down(
    throwaway_redis, post, writer, settings
):
    settings.COMMENTS_RATE_ACCOUNT_PER_MINUTE = 2
    throwaway_redis.kill()
    statuses = [_post_comment(writer, post, f"Comment {n}.").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert Comment.objects.filter(post=post).count() == 2


def test_an_outage_is_logged_once_not_per_request(throwaway_redis, post, writer, caplog):
    throwaway_redis.kill()
    with caplog.at_level(logging.WARNING, logger="riposte.cache"):
        for n in range(3):
            Client().get(post.get_absolute_url())
            _post_comment(writer, post, f"Comment {n}.")
            time.sleep(RETRY_SECONDS)  # Redis is tried again, and fails again, in between
    assert len(_outage_lines(caplog, "unreachable")) == 1


def test_caching_resumes_without_a_restart_when_redis_returns(
    throwaway_redis, post, writer, caplog
):
    throwaway_redis.kill()
    assert Client().get(post.get_absolute_url()).status_code == 200
    throwaway_redis.start()
    time.sleep(RETRY_SECONDS)
    with caplog.at_level(logging.WARNING, logger="riposte.cache"):
        Client().get(post.get_absolute_url())
        Client().get(post.get_absolute_url())
    assert any(b":page:" in key for key in throwaway_redis.stored_keys())
    assert len(_outage_lines(caplog, "answers again")) == 1
    assert posted_status(_post_comment(writer, post, "Back to normal."), post) == "published"
    assert any(b"comments:rate:" in key for key in throwaway_redis.stored_keys())


def test_a_hung_redis_is_skipped_after_one_timeout(settings):
    """A Redis that accepts connections and never answers costs one timeout, not one per call."""
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)
        address = f"redis://127.0.0.1:{hung.getsockname()[1]}/0"
        settings.CACHES = _cache_settings(address, retry_seconds=5)
        started = time.monotonic()
        for n in range(50):
            cache.get(f"key-{n}")
            cache.set(f"key-{n}", n)
        # One read timeout (0.2 s), where a call each would cost 100 of them (20 s).
        assert time.monotonic() - started < 1


def test_an_entry_deleted_during_an_outage_is_deleted_in_redis_when_it_returns(
    throwaway_redis, monkeypatch
):
    """A network split: Redis keeps the old entry; the delete it missed must reach it later."""
    cache.set("block-list", "old")

    def split(*args, **kwargs):
        raise redis.ConnectionError("network split")

    with monkeypatch.context() as during:
        during.setattr(RedisCache, "delete", split)
        cache.delete("block-list")
    assert cache.get("block-list") is None  # the fallback misses meanwhile
    time.sleep(RETRY_SECONDS + 0.05)
    assert cache.get("block-list") is None


def test_a_version_bumped_during_an_outage_moves_on_in_redis(throwaway_redis):
    cache.set("version", 1)
    redis.Redis(port=throwaway_redis.port).client_pause(int(RETRY_SECONDS * 1000))
    with pytest.raises(ValueError):
        cache.incr("version")  # the fallback has no such key, as after an eviction
    time.sleep(RETRY_SECONDS + 0.05)
    assert cache.get("version") == 2


# ─── Redis unreachable from the start ────────────────────────────────────────


def test_with_redis_unreachable_from_the_start_the_site_serves_and_limits(
    unreachable_redis, post, writer, settings
):
    settings.COMMENTS_RATE_ACCOUNT_PER_MINUTE = 1
    assert Client().get(post.get_absolute_url()).status_code == 200
    assert posted_status(_post_comment(writer, post, "First."), post) == "published"
    assert _post_comment(writer, post, "Second.").status_code == 429


def test_the_backend_reports_whether_redis_answers(throwaway_redis):
    backend = caches["default"]
    assert isinstance(backend, RedisWithFallbackCache)
    assert backend.is_reachable()
    throwaway_redis.kill()
    assert not backend.is_reachable()


def test_threads_of_one_process_share_the_fallback_counts_and_the_breaker():
    """Django builds a cache object per thread: a limit must not multiply by threads too."""
    params = _cache_settings(f"redis://127.0.0.1:{free_port()}/0", retry_seconds=5)["limits"]
    first, second = (RedisWithFallbackCache(params["LOCATION"], params) for _ in range(2))
    assert first.add("slot", 1, 60)
    assert not second.add("slot", 1, 60)  # already claimed, through the other thread's object
    assert second.breaker is first.breaker and first.breaker.is_open
