"""Error pages in the site's layout, with DEBUG off, and the reader's text kept (issue 8)."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from tests.comments.pages import text
from tests.factories import CommentFactory, PostFactory, UserFactory

TYPED = "My careful <b>reply</b> & its 3 sources"
TYPED_ESCAPED = "My careful &lt;b&gt;reply&lt;/b&gt; &amp; its 3 sources"
LAYOUT = 'class="site-header"'


@pytest.fixture(autouse=True)
def _production_errors(settings):
    settings.DEBUG = False


@pytest.fixture
def post(db):
    return PostFactory(title="The budget vote, again", slug="budget-vote")


@pytest.fixture
def others_comment(post):
    return CommentFactory(post=post, author=UserFactory(username="otto"), body="No.")


def _in_layout(response) -> bool:
    return LAYOUT in response.content.decode()


def test_bad_request_renders_in_the_layout(db):
    response = Client().get(reverse("blog:post-list"), HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert _in_layout(response)
    assert "We couldn’t read that request" in text(response)


def test_unreadable_form_data_answers_400_in_the_layout(settings, post):
    """Form data past Django's limits cannot be read back; the page still renders."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    fields = {f"field{n}": "x" for n in range(10)} | {"body": TYPED}
    response = Client().post(reverse("comments:post", args=[post.pk]), fields)
    assert response.status_code == 400
    assert _in_layout(response)


def test_permission_denied_shows_the_views_reason(client, reader, post, others_comment):
    client.force_login(reader)
    response = client.get(reverse("comments:moderate", args=[post.pk, others_comment.number]))
    assert response.status_code == 403
    assert _in_layout(response)
    assert "Only moderators can moderate comments." in text(response)


def test_permission_denied_offers_anonymous_readers_to_sign_in(post, others_comment):
    url = reverse("comments:moderate", args=[post.pk, others_comment.number])
    response = Client().get(url)
    assert response.status_code == 403
    assert f'href="{reverse("accounts:login")}?next=' in response.content.decode()


def test_permission_denied_keeps_the_text_the_reader_sent(client, reader, post, others_comment):
    client.force_login(reader)
    url = reverse("comments:edit", args=[post.pk, others_comment.number])
    response = client.post(url, {"body": TYPED})
    assert response.status_code == 403
    assert "You can only edit your own comments." in text(response)
    assert TYPED_ESCAPED in response.content.decode()


def test_csrf_failure_renders_in_the_layout_and_keeps_the_comment(reader, post):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    client.get(post.get_absolute_url())  # the CSRF cookie is set; the token is not sent
    response = client.post(reverse("comments:post", args=[post.pk]), {"body": TYPED})
    assert response.status_code == 403
    assert _in_layout(response)
    assert "Your form wasn’t sent" in text(response)
    assert TYPED_ESCAPED in response.content.decode()
    assert not Comment.objects.exists()


def test_csrf_failure_without_the_cookie_says_to_allow_cookies(post):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("comments:post", args=[post.pk]), {"body": TYPED})
    assert response.status_code == 403
    assert "Allow cookies for this site" in text(response)


def test_not_found_renders_in_the_layout(db):
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert _in_layout(response)
    assert "We can’t find that page" in text(response)


def test_rate_limited_comment_keeps_the_text(settings, client, reader, post):
    settings.COMMENTS_RATE_ACCOUNT_PER_MINUTE = 1
    client.force_login(reader)
    url = reverse("comments:post", args=[post.pk])
    assert client.post(url, {"body": "The first one."}).status_code == 302
    response = client.post(url, {"body": TYPED})
    assert response.status_code == 429
    assert _in_layout(response)
    assert TYPED_ESCAPED in response.content.decode()


def test_comment_on_a_closed_thread_keeps_the_text(client, reader):
    closed = PostFactory(allow_comments=False)
    client.force_login(reader)
    response = client.post(reverse("comments:post", args=[closed.pk]), {"body": TYPED})
    assert response.status_code == 403
    assert TYPED_ESCAPED in response.content.decode()


def test_edit_refused_after_the_window_keeps_the_text(client, reader, post):
    old = CommentFactory(post=post, author=reader, created_at=timezone.now() - timedelta(days=1))
    client.force_login(reader)
    response = client.post(reverse("comments:edit", args=[post.pk, old.number]), {"body": TYPED})
    assert response.status_code == 403
    assert "The edit window for this comment has closed" in text(response)
    assert TYPED_ESCAPED in response.content.decode()


def test_server_error_renders_in_the_layout_and_keeps_the_comment(monkeypatch, reader, post):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("comments.views.comment_create", broken)
    client = Client(raise_request_exception=False)
    client.force_login(reader)
    response = client.post(reverse("comments:post", args=[post.pk]), {"body": TYPED})
    assert response.status_code == 500
    assert _in_layout(response)
    assert "Something went wrong on our side" in text(response)
    assert TYPED_ESCAPED in response.content.decode()


def test_server_error_page_stands_alone_when_the_layout_fails(monkeypatch, db):
    """With the database down even the layout fails: a page needing nothing is sent."""

    def broken_view(*args, **kwargs):
        raise RuntimeError("a bug")

    def database_down(*args, **kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr("blog.views.PostListView.get", broken_view)
    monkeypatch.setattr("blog.errors.render", database_down)
    response = Client(raise_request_exception=False).get(reverse("blog:post-list"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in text(response)
    assert 'href="/static/css/error.css"' in response.content.decode()
    assert "<style" not in response.content.decode()


def test_a_database_that_cannot_be_reached_answers_503_with_retry_after(monkeypatch, post):
    """Issue 12: while PostgreSQL restarts or is stopped, readers get a 503, never a 500."""

    def database_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("blog.views.PostListView.get", database_down)
    response = Client(raise_request_exception=False).get(reverse("blog:post-list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Back in a moment" in text(response)
    assert "<style" not in response.content.decode()


def test_a_comment_refused_for_want_of_the_database_comes_back_to_its_writer(monkeypatch, post):
    """Issue 12: the 503 page shows the text the reader sent, to send again."""

    def database_down(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr("comments.views._live_post", database_down)
    response = Client(raise_request_exception=False).post(
        reverse("comments:post", args=[post.pk]), {"body": TYPED}
    )
    assert response.status_code == 503
    assert TYPED_ESCAPED in response.content.decode()


def test_a_get_at_a_form_only_address_answers_405_in_the_layout(post):
    response = Client().get(reverse("comments:post", args=[post.pk]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert _in_layout(response)
    assert "This address only takes forms" in text(response)
