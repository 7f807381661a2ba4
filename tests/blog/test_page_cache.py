"""Whole-page cache of post pages for anonymous readers (blog/page_cache.py)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment
from tests.comments.pages import form_fields, posted_status
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r'name="submission_token" value="([0-9a-f-]+)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def post():
    return PostFactory(title="Cached essay", slug="cached-essay")


def test_second_anonymous_view_is_served_from_the_cache(post, django_assert_max_num_queries):
    Client().get(post.get_absolute_url())
    # Only the post itself is read; sidebar and comments come from the cache.
    with django_assert_max_num_queries(4):
        response = Client().get(post.get_absolute_url())
    assert response.status_code == 200
    assert "Cached essay" in response.content.decode()


def test_cached_pages_get_their_own_submission_token(post):
    first = Client().get(post.get_absolute_url()).content.decode()
    second = Client().get(post.get_absolute_url()).content.decode()
    assert TOKEN_RE.search(first).group(1) != TOKEN_RE.search(second).group(1)


def test_comment_form_from_a_cached_page_passes_csrf_checks(post):
    Client().get(post.get_absolute_url())
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(post.get_absolute_url()).content.decode()
    response = browser.post(
        f"/comments/{post.pk}/post/",
        {
            "csrfmiddlewaretoken": CSRF_RE.search(page).group(1),
            "submission_token": TOKEN_RE.search(page).group(1),
            "guest_name": "Casper",
            "guest_email": "casper@example.org",
            "body": "Posted from a cached page.",
        },
    )
    # Accepted, and held: a guest's first comment, sent back as soon as it was served.
    assert posted_status(response, post) == Comment.Status.PENDING


def test_a_new_comment_shows_on_the_next_anonymous_view(post):
    Client().get(post.get_absolute_url())
    CommentFactory(post=post, body="Fresh remark after caching.")
    assert "Fresh remark after caching." in Client().get(post.get_absolute_url()).content.decode()


def test_signed_in_readers_are_never_served_the_anonymous_page(post, reader):
    Client().get(post.get_absolute_url())
    client = Client()
    client.force_login(reader)
    assert "Signed in as" in client.get(post.get_absolute_url()).content.decode()


def test_a_page_cached_for_a_signed_in_reader_never_reaches_anonymous_readers(post, reader):
    client = Client()
    client.force_login(reader)
    client.get(post.get_absolute_url())
    assert "Signed in as" not in Client().get(post.get_absolute_url()).content.decode()


def test_page_cache_can_be_switched_off(post, settings):
    settings.RIPOSTE_PAGE_CACHE_SECONDS = 0
    Client().get(post.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        Client().get(post.get_absolute_url())
    assert len(queries) >= 6


def test_cached_page_never_carries_the_first_visitors_csrf_token(post):
    first = Client().get(post.get_absolute_url()).content.decode()
    second = Client().get(post.get_absolute_url()).content.decode()
    assert CSRF_RE.search(first).group(1) != CSRF_RE.search(second).group(1)


HELD = "held for review"


def _guest_posts_a_held_comment(browser, post):
    """A first-time guest posts through the form on the page; the comment is held."""
    page = browser.get(post.get_absolute_url())
    action = reverse("comments:post", kwargs={"post_id": post.pk})
    fields = form_fields(page, action)
    fields.update(guest_name="Casper", guest_email="casper@example.org", body="First words.")
    response = browser.post(action, fields)
    assert response.status_code == 302
    assert Comment.objects.get(post=post).status == Comment.Status.PENDING


def test_a_page_carrying_a_flash_message_is_never_cached_for_other_readers(post):
    """Issue 8: the guest's "held for review" must not reach the next anonymous reader."""
    guest = Client(enforce_csrf_checks=True)
    _guest_posts_a_held_comment(guest, post)
    assert HELD in guest.get(post.get_absolute_url()).content.decode()
    assert HELD not in Client().get(post.get_absolute_url()).content.decode()


def test_a_reader_with_a_flash_message_is_not_served_the_cached_page(post):
    """Issue 8: a page cached before the guest posted must not swallow their message."""
    Client().get(post.get_absolute_url())
    guest = Client(enforce_csrf_checks=True)
    _guest_posts_a_held_comment(guest, post)
    Client().get(post.get_absolute_url())
    assert HELD in guest.get(post.get_absolute_url()).content.decode()
