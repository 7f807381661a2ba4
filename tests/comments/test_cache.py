"""The rendered thread is cached; per-reader controls and fresh changes never leak or lag."""

import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import rendering
from comments.models import Comment
from tests.comments.pages import shown_numbers, text, visible_controls
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


def _controls_seen(user, post, comment) -> set[str]:
    """The controls on `comment` that `user` (None: anonymous) sees on the post page."""
    client = _client(user)
    return visible_controls(client, client.get(post.get_absolute_url())).get(comment.number, set())


def test_cached_page_never_shows_one_readers_edit_link_to_another(post, reader, other_reader):
    mine = CommentFactory(post=post, author=reader)
    seen = {}
    for name, user in (("author", reader), ("other", other_reader), ("anonymous", None)):
        seen[name] = "edit" in _controls_seen(user, post, mine)
    assert seen == {"author": True, "other": False, "anonymous": False}


def test_cached_page_never_shows_one_readers_delete_link_to_another(post, reader, other_reader):
    mine = CommentFactory(post=post, author=reader)
    seen = {}
    for name, user in (("author", reader), ("other", other_reader), ("anonymous", None)):
        seen[name] = "delete" in _controls_seen(user, post, mine)
    assert seen == {"author": True, "other": False, "anonymous": False}


def test_flag_links_show_to_signed_in_readers_on_others_comments_only(post, reader, other_reader):
    mine = CommentFactory(post=post, author=reader)
    seen = {}
    for name, user in (("author", reader), ("other", other_reader), ("anonymous", None)):
        seen[name] = "flag" in _controls_seen(user, post, mine)
    assert seen == {"author": False, "other": True, "anonymous": False}


def test_the_edit_link_goes_once_the_edit_window_closes(post, reader, settings):
    mine = CommentFactory(post=post, author=reader)
    Comment.objects.filter(pk=mine.pk).update(created_at=timezone.now() - timedelta(days=30))
    assert _controls_seen(reader, post, mine) == {"delete"}


def test_the_thread_is_the_same_bytes_for_every_reader_who_is_not_a_moderator(
    post, reader, other_reader
):
    """Issue 10: per-reader controls are revealed by the reader's stylesheet, never
    written into the shared thread."""
    CommentFactory(post=post, author=reader)
    CommentFactory(post=post, author=other_reader)

    def thread(user):
        page = _client(user).get(post.get_absolute_url()).content.decode()
        start = page.index('<ol class="comment-list comment-list--root')
        return page[start : page.index('id="comment-form-heading"')]

    assert thread(reader) == thread(other_reader) == thread(None)


def test_the_reader_stylesheet_needs_no_query(post, reader, django_assert_max_num_queries):
    url = reverse("comments:reader-css") + f"?author={reader.pk}&edit=1,2&flag=1"
    with django_assert_max_num_queries(0):
        response = Client().get(url)
    assert response["Content-Type"].startswith("text/css")


def test_page_warmed_by_another_reader_still_shows_the_authors_controls(post, reader, other_reader):
    mine = CommentFactory(post=post, author=reader)
    _client(other_reader).get(post.get_absolute_url())
    _client().get(post.get_absolute_url())
    assert "edit" in _controls_seen(reader, post, mine)


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
    stale = rendering.RenderedThread(html="<li>stale entry</li>", shown=1, numbers=frozenset({1}))
    for key in thread_keys:
        real_set(key, stale)
    thread_keys.clear()
    settings.COMMENTS_CACHE_SECONDS = 0
    page = text(_client().get(post.get_absolute_url()))
    assert "What the database holds." in page
    assert "stale entry" not in page
    assert thread_keys == []


def test_cached_anonymous_page_carries_nothing_of_the_readers_before(post, reader, moderator):
    """Issue 10: the shared page holds no stylesheet, form, token or name of another reader."""
    CommentFactory(post=post, author=reader)
    for user in (reader, moderator):
        _client(user).get(post.get_absolute_url())
    _client().get(post.get_absolute_url())
    page = _client().get(post.get_absolute_url()).content.decode()
    assert "reader.css" not in page
    assert "comment__moderate" not in page
    assert "Signed in as" not in page
    assert re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', page) == [""]
    assert not re.search(r'name="(submission_token|stamp)" value="[^"]', page)
