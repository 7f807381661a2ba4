"""Whole-page cache of post pages for anonymous readers (blog/page_cache.py)."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.registration import confirmation_token
from blog import page_cache
from comments.models import Comment
from tests.comments.pages import form_fields, posted_status
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r'name="submission_token" value="([0-9a-f-]+)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def post():
    return PostFactory(title="Cached essay", slug="cached-essay")


def test_second_anonymous_view_is_served_from_the_cache_without_a_query(
    post, django_assert_max_num_queries
):
    """Issue 10: a hit is cache reads only; the post, sidebar and comments are all in it."""
    Client().get(post.get_absolute_url())
    with django_assert_max_num_queries(0):
        response = Client().get(post.get_absolute_url())
    assert response.status_code == 200
    assert "Cached essay" in response.content.decode()


def test_anonymous_readers_get_the_same_bytes(post):
    """Issue 10: nothing per request in the shared page, so a proxy can keep it too."""
    CommentFactory(post=post)
    first = Client().get(post.get_absolute_url())
    second = Client().get(post.get_absolute_url())
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]


def test_the_anonymous_page_holds_no_token_stamp_or_csrf_cookie(post):
    CommentFactory(post=post)
    for _ in range(2):  # rendered, then from the cache
        response = Client().get(post.get_absolute_url())
        page = response.content.decode()
        assert re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', page) == [""]
        assert TOKEN_RE.search(page) is None
        assert not re.search(r'name="stamp" value="[^"]+"', page)
        assert "csrftoken" not in response.cookies


def test_a_conditional_request_for_an_unchanged_page_gets_304(post):
    etag = Client().get(post.get_absolute_url())["ETag"]
    response = Client().get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_the_cached_page_is_sent_compressed_to_browsers_that_accept_it(post):
    import gzip

    plain = Client().get(post.get_absolute_url())
    packed = Client().get(post.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, br")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert "Accept-Encoding" in packed["Vary"]


def test_a_comment_on_another_post_leaves_this_page_cached(post, django_assert_max_num_queries):
    """Issue 10: every comment anywhere used to invalidate every cached post page."""
    Client().get(post.get_absolute_url())
    CommentFactory(post=PostFactory())
    with django_assert_max_num_queries(0):
        assert Client().get(post.get_absolute_url()).status_code == 200


def test_an_edit_of_the_post_shows_on_the_next_anonymous_view(post):
    Client().get(post.get_absolute_url())
    post.title = "Cached essay, revised"
    post.save()
    assert "Cached essay, revised" in Client().get(post.get_absolute_url()).content.decode()


def test_each_form_tokens_answer_is_fresh_and_never_cached(post):
    first = Client().get(reverse("comments:form-tokens"))
    second = Client().get(reverse("comments:form-tokens"))
    assert first.json()["submission_token"] != second.json()["submission_token"]
    assert first["Cache-Control"] == "no-store"
    assert "csrftoken" in first.cookies


def test_comment_form_from_a_cached_page_passes_csrf_checks(post):
    Client().get(post.get_absolute_url())
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(post.get_absolute_url())
    action = reverse("comments:post", kwargs={"post_id": post.pk})
    fields = form_fields(page, action)
    fields.update(browser.get(reverse("comments:form-tokens")).json())
    fields.update(
        guest_name="Casper", guest_email="casper@example.org", body="Posted from a cached page."
    )
    response = browser.post(action, fields)
    # Accepted, and held: a guest's first comment, sent back as soon as it was served.
    assert posted_status(response, post) == Comment.Status.PENDING


def test_without_javascript_write_a_comment_leads_to_the_form_page(post):
    page = Client().get(post.get_absolute_url()).content.decode()
    write = reverse("comments:write", kwargs={"post_id": post.pk})
    assert f'<a href="{write}">Write a comment</a>' in page
    form_page = Client().get(write)
    assert form_page.status_code == 200
    assert TOKEN_RE.search(form_page.content.decode())


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
    assert len(queries) >= 5  # the post and the sidebar's four lists: rendered again


def test_with_the_page_cache_off_an_unchanged_page_still_gets_304(post, settings):
    """Issue 12: without Redis the page cache is off, and the post page had no ETag, so
    neither a browser nor a proxy or CDN could revalidate it."""
    settings.RIPOSTE_PAGE_CACHE_SECONDS = 0
    first = Client().get(post.get_absolute_url())
    assert first["Cache-Control"] == "public, no-cache"
    again = Client().get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_with_the_page_cache_off_a_new_comment_changes_the_etag(post, settings):
    settings.RIPOSTE_PAGE_CACHE_SECONDS = 0
    before = Client().get(post.get_absolute_url())["ETag"]
    CommentFactory(post=post, body="A new point.")
    after = Client().get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before


def test_with_the_page_cache_off_pages_of_ones_own_carry_no_shared_etag(post, reader, settings):
    """A signed-in reader's page, a page for a session and one that sets a cookie are
    not everyone's: no validator that a shared cache could answer others with."""
    settings.RIPOSTE_PAGE_CACHE_SECONDS = 0
    signed_in = Client()
    signed_in.force_login(reader)
    with_session = Client()
    with_session.cookies["sessionid"] = "no-such-session"
    for response in (
        signed_in.get(post.get_absolute_url()),
        with_session.get(post.get_absolute_url()),
        Client().get(post.get_absolute_url() + "?view=chronological"),
    ):
        assert response.status_code == 200
        assert "ETag" not in response
        assert "public" not in response.get("Cache-Control", "")


HELD = "held for review"


def _guest_posts_a_held_comment(browser, post):
    """A first-time guest posts through the form on the page; the comment is held."""
    page = browser.get(post.get_absolute_url())
    action = reverse("comments:post", kwargs={"post_id": post.pk})
    fields = form_fields(page, action)
    fields.update(browser.get(reverse("comments:form-tokens")).json())
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


CONFIRMED = "is confirmed. You can comment now."


def _confirms_their_address_signed_out(browser):
    """A newcomer follows the emailed link without signing in: a message, and no session."""
    newcomer = UserFactory(username="nina", email="nina@example.org", email_verified_at=None)
    link = reverse(
        "accounts:email-confirm", kwargs={"token": confirmation_token(newcomer, newcomer.email)}
    )
    assert browser.get(link).status_code == 302
    assert "messages" in browser.cookies
    assert settings.SESSION_COOKIE_NAME not in browser.cookies


def test_a_flash_message_without_a_session_is_never_cached_for_other_readers(post):
    """Issue 8: a held comment's guest has a session, which alone keeps the cache away;
    a message can also come without one, and must not reach the next reader either."""
    reader = Client()
    _confirms_their_address_signed_out(reader)
    assert CONFIRMED in reader.get(post.get_absolute_url()).content.decode()
    assert CONFIRMED not in Client().get(post.get_absolute_url()).content.decode()


def test_a_flash_message_without_a_session_is_not_swallowed_by_the_cached_page(post):
    Client().get(post.get_absolute_url())
    reader = Client()
    _confirms_their_address_signed_out(reader)
    assert CONFIRMED in reader.get(post.get_absolute_url()).content.decode()


# ─── What a proxy may keep (deploy/nginx/riposte.conf.template) ──────────────

PROXY_HEADER = "X-Accel-Expires"


def test_the_shared_page_tells_a_proxy_how_long_it_may_keep_it(post, settings):
    """Issue 10: the page every anonymous reader gets can be kept by a proxy, briefly."""
    settings.RIPOSTE_PROXY_CACHE_SECONDS = 7
    rendered = Client().get(post.get_absolute_url())
    cached = Client().get(post.get_absolute_url())
    revalidated = Client().get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=cached["ETag"])
    assert revalidated.status_code == 304
    for response in (rendered, cached, revalidated):
        assert response[PROXY_HEADER] == "7"
        # Browsers still ask each time.
        assert response["Cache-Control"] == "public, no-cache"


def test_a_page_that_sets_a_cookie_is_never_offered_to_a_proxy(post):
    for _ in range(2):  # rendered, then from the cache
        response = Client().get(post.get_absolute_url() + "?view=chronological")
        assert "comment_view" in response.cookies
        assert PROXY_HEADER not in response


def test_a_signed_in_readers_page_is_never_offered_to_a_proxy(post, reader):
    client = Client()
    client.force_login(reader)
    for _ in range(2):
        assert PROXY_HEADER not in client.get(post.get_absolute_url())


def test_a_page_for_a_reader_with_a_session_is_never_offered_to_a_proxy(post):
    Client().get(post.get_absolute_url())
    client = Client()
    client.cookies["sessionid"] = "no-such-session"
    assert PROXY_HEADER not in client.get(post.get_absolute_url())


@pytest.mark.parametrize(
    "path", [reverse("comments:form-tokens"), reverse("comments:reader-css") + "?author=3"]
)
def test_per_reader_answers_are_never_offered_to_a_proxy(path):
    assert PROXY_HEADER not in Client().get(path)


def test_no_proxy_keeps_a_page_while_the_page_cache_is_off(post, settings):
    """The proxy revalidates against this cache's ETag: without it, nothing is offered,
    and a writer needs no pass by the proxy."""
    settings.RIPOSTE_PAGE_CACHE_SECONDS = 0
    assert PROXY_HEADER not in Client().get(post.get_absolute_url())
    guest = Client(enforce_csrf_checks=True)
    _guest_posts_a_held_comment(guest, post)
    assert page_cache.FRESH_COOKIE not in guest.cookies


def test_a_form_sent_gives_its_writer_a_pass_by_the_proxy_while_it_keeps_pages(post, settings):
    """So the guest who posted sees their comment at once, not the proxy's older copy."""
    settings.RIPOSTE_PROXY_CACHE_SECONDS = 7
    guest = Client(enforce_csrf_checks=True)
    page = guest.get(post.get_absolute_url())
    assert page_cache.FRESH_COOKIE not in page.cookies
    _guest_posts_a_held_comment(guest, post)
    fresh = guest.cookies[page_cache.FRESH_COOKIE]
    assert fresh["max-age"] == 7
    assert fresh["httponly"]
