"""The rendered thread is cached; per-reader controls and fresh changes never leak or lag."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from comments import rendering
from comments.models import Comment
from tests.comments.pages import shown_numbers, text
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"comments-cache-test-{uuid.uuid4()}",
        }
    }


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _edit_url(comment):
    return reverse("comments:edit", kwargs={"post_id": comment.post_id, "number": comment.number})


def _delete_url(comment):
    return reverse("comments:delete", kwargs={"post_id": comment.post_id, "number": comment.number})


@pytest.fixture
def warm(post):
    """Fail loudly if a request renders the thread instead of taking it from the cache."""

    def refuse(*args, **kwargs):
        raise AssertionError("thread was rendered again instead of read from the cache")

    def warm_up(client):
        client.get(post.get_absolute_url())
        return refuse

    return warm_up


def test_a_warm_page_is_served_from_the_cache(post, reader, warm, monkeypatch):
    CommentFactory(post=post)
    monkeypatch.setattr(rendering, "build_thread", warm(_client()))
    assert _client(reader).get(post.get_absolute_url()).status_code == 200


def test_cached_page_never_shows_one_readers_edit_link_to_another(post, reader, other_reader):
    mine = CommentFactory(post=post, author=reader)
    seen = {}
    for name, user in (("author", reader), ("other", other_reader), ("anonymous", None)):
        seen[name] = _edit_url(mine) in _client(user).get(post.get_absolute_url()).content.decode()
    assert seen == {"author": True, "other": False, "anonymous": False}


def test_cached_page_never_shows_one_readers_delete_link_to_another(post, reader, other_reader):
    mine = CommentFactory(post=post, author=reader)
    seen = {}
    for name, user in (("author", reader), ("other", other_reader), ("anonymous", None)):
        seen[name] = (
            _delete_url(mine) in _client(user).get(post.get_absolute_url()).content.decode()
        )
    assert seen == {"author": True, "other": False, "anonymous": False}


def test_page_warmed_by_another_reader_still_shows_the_authors_controls(post, reader, other_reader):
    mine = CommentFactory(post=post, author=reader)
    _client(other_reader).get(post.get_absolute_url())
    _client().get(post.get_absolute_url())
    assert _edit_url(mine) in _client(reader).get(post.get_absolute_url()).content.decode()


def test_cached_moderator_page_never_reaches_readers(post, moderator, reader):
    CommentFactory(post=post, body="Awaiting a moderator.", pending=True)
    _client(moderator).get(post.get_absolute_url())
    assert "Awaiting a moderator." not in text(_client(reader).get(post.get_absolute_url()))


def test_cached_public_page_does_not_hide_pending_comments_from_moderators(post, moderator):
    CommentFactory(post=post, body="Awaiting a moderator.", pending=True)
    _client().get(post.get_absolute_url())
    assert "Awaiting a moderator." in text(_client(moderator).get(post.get_absolute_url()))


def test_a_new_comment_shows_on_a_cached_page(post, reader):
    CommentFactory(post=post)
    anonymous = _client()
    anonymous.get(post.get_absolute_url())
    _client(reader).post(
        reverse("comments:post", kwargs={"post_id": post.pk}),
        {"body": "Fresh words.", "submission_token": str(uuid.uuid4())},
    )
    response = anonymous.get(post.get_absolute_url())
    assert shown_numbers(response) == [1, 2]


def test_an_edit_shows_on_a_cached_page(post, reader):
    mine = CommentFactory(post=post, author=reader, body="Before the edit.")
    anonymous = _client()
    anonymous.get(post.get_absolute_url())
    _client(reader).post(_edit_url(mine), {"body": "After the edit."})
    assert "After the edit." in text(anonymous.get(post.get_absolute_url()))


def test_a_deletion_shows_on_a_cached_page(post, reader):
    mine = CommentFactory(post=post, author=reader, body="Soon withdrawn.")
    anonymous = _client()
    anonymous.get(post.get_absolute_url())
    _client(reader).post(_delete_url(mine))
    assert "Soon withdrawn." not in text(anonymous.get(post.get_absolute_url()))


def test_a_removal_in_the_admin_shows_on_a_cached_page(post, superuser):
    """Issue 3: a moderator's removal must not linger in the cached thread."""
    comment = CommentFactory(post=post, body="Soon removed.")
    anonymous = _client()
    anonymous.get(post.get_absolute_url())
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    form = {
        "status": Comment.Status.REMOVED,
        "moderation_reason": "Off-topic.",  # issue 5: a removal needs a reason
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
    }
    response = _client(superuser).post(url, form)
    assert response.status_code == 302
    assert "Soon removed." not in text(anonymous.get(post.get_absolute_url()))


def test_cache_seconds_zero_never_reads_or_writes_the_thread_cache(settings, post, monkeypatch):
    """Issue 8: with COMMENTS_CACHE_SECONDS=0 entries already in a shared cache were still read."""
    from django.core.cache import caches

    cache = caches["default"]
    settings.RIPOSTE_PAGE_CACHE_SECONDS = 0
    CommentFactory(post=post, body="What the database holds.")
    real_set, thread_keys = cache.set, []

    def spy(key, value, *args, **kwargs):
        if isinstance(value, rendering.RenderedThread):
            thread_keys.append(key)
        return real_set(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    _client().get(post.get_absolute_url())
    assert thread_keys, "with the cache on, the thread is cached"
    stale = rendering.RenderedThread(html=b"<li>stale entry</li>", shown=1, numbers=frozenset({1}))
    for key in thread_keys:
        real_set(key, stale)
    thread_keys.clear()
    settings.COMMENTS_CACHE_SECONDS = 0
    page = text(_client().get(post.get_absolute_url()))
    assert "What the database holds." in page
    assert "stale entry" not in page
    assert thread_keys == []
