"""Posting comments and replies through the site (post/redirect/get)."""

import uuid

import pytest
from django.urls import reverse

from blog.models import Post
from comments.models import Comment
from tests.comments.pages import posted_status, text
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def _post_url(post):
    return reverse("comments:post", kwargs={"post_id": post.pk})


def _reply_url(comment):
    return reverse("comments:reply", kwargs={"post_id": comment.post_id, "number": comment.number})


def _form(body="The vote was never going to pass.", **extra):
    return {"body": body, "submission_token": str(uuid.uuid4()), **extra}


# ─── Landing on the new comment ──────────────────────────────────────────────


def test_guest_comment_redirects_to_its_anchor_on_the_post_page(client, post, guest_fields):
    response = client.post(_post_url(post), _form(**guest_fields))
    assert response["Location"] == f"{post.get_absolute_url()}#c1"
    # A guest's first comment is held (issue 5); the page the redirect leads to says so.
    assert posted_status(response, post) == Comment.Status.PENDING
    assert "held for review" in text(client.get(response["Location"]))


def test_reader_comment_redirects_to_its_anchor_on_the_post_page(client, post, reader):
    CommentFactory(post=post)
    client.force_login(reader)
    response = client.post(_post_url(post), _form())
    assert response["Location"] == f"{post.get_absolute_url()}#c2"


def test_reply_redirects_to_its_own_anchor(client, post, reader):
    parent = CommentFactory(post=post)
    client.force_login(reader)
    response = client.post(_reply_url(parent), _form())
    assert response["Location"] == f"{post.get_absolute_url()}#c2"


def test_reply_is_stored_under_the_comment_it_answers(client, post, reader):
    parent = CommentFactory(post=post)
    client.force_login(reader)
    client.post(_reply_url(parent), _form())
    reply = Comment.objects.get(post=post, number=2)
    assert (reply.parent_id, reply.parent_number, reply.depth) == (parent.pk, 1, 1)


def test_reply_through_the_hidden_parent_field_is_stored_under_its_parent(client, post, reader):
    CommentFactory(post=post)
    client.force_login(reader)
    client.post(_post_url(post), _form(parent="1"))
    assert Comment.objects.get(post=post, number=2).parent_number == 1


def test_reader_comment_is_stored_under_the_readers_account(client, post, reader):
    client.force_login(reader)
    client.post(_post_url(post), _form(guest_name="Someone Else", guest_email="x@example.net"))
    comment = Comment.objects.get(post=post)
    assert (comment.author, comment.guest_name, comment.guest_email) == (reader, "", "")


def test_guest_comment_keeps_name_email_and_address(client, post, guest_fields):
    client.post(_post_url(post), _form(**guest_fields), REMOTE_ADDR="203.0.113.9")
    comment = Comment.objects.get(post=post)
    assert (comment.author, comment.guest_name, comment.guest_email, comment.ip_address) == (
        None,
        "Sam Visitor",
        "sam@example.net",
        "203.0.113.9",
    )


def test_behind_a_proxy_the_comment_keeps_the_hop_the_proxy_appended(
    client, post, guest_fields, settings
):
    """Issue 8: rate limits and blocks count by this address; a client-written hop is not it."""
    settings.RIPOSTE_TRUSTED_PROXIES = 1
    client.post(
        _post_url(post),
        _form(**guest_fields),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7",
    )
    assert Comment.objects.get(post=post).ip_address == "198.51.100.7"


def test_without_a_trusted_proxy_forwarded_for_is_ignored(client, post, guest_fields, settings):
    """Issue 8: a client reaching the site directly can't choose its address."""
    settings.RIPOSTE_TRUSTED_PROXIES = 0
    client.post(
        _post_url(post),
        _form(**guest_fields),
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert Comment.objects.get(post=post).ip_address == "198.51.100.7"


def test_the_new_comment_is_shown_on_the_page_the_redirect_leads_to(
    client, post, guest_fields, settings
):
    # Issue 5 holds a guest's first comment, and one sent back too fast: switch both off.
    settings.COMMENTS_HOLD_FIRST_GUEST_COMMENT = False
    settings.COMMENTS_MIN_FORM_SECONDS = 0
    response = client.post(
        _post_url(post), _form("Turnout *matters*.", **guest_fields), follow=True
    )
    assert '<li class="comment" id="c1"' in response.content.decode()
    assert "Turnout <em>matters</em>." in response.content.decode()


def test_guest_email_is_never_shown_on_the_post_page(client, post, guest_fields):
    client.post(_post_url(post), _form(**guest_fields))
    assert "sam@example.net" not in client.get(post.get_absolute_url()).content.decode()


# ─── Submitting twice ────────────────────────────────────────────────────────


def test_submitting_the_same_form_twice_creates_one_comment(client, post, guest_fields):
    data = _form(**guest_fields)
    client.post(_post_url(post), data)
    client.post(_post_url(post), data)
    assert Comment.objects.filter(post=post).count() == 1


def test_both_submits_of_the_same_form_land_on_the_one_comment(client, post, guest_fields):
    data = _form(**guest_fields)
    first = client.post(_post_url(post), data)
    second = client.post(_post_url(post), data)
    assert first["Location"] == second["Location"] == f"{post.get_absolute_url()}#c1"


def test_a_new_form_posts_a_new_comment(client, post, guest_fields):
    client.post(_post_url(post), _form(**guest_fields))
    # Another text: the same text again within minutes is refused as a duplicate (issue 5).
    client.post(_post_url(post), _form("And the turnout was low.", **guest_fields))
    assert Comment.objects.filter(post=post).count() == 2


# ─── Guests ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("missing", ["guest_name", "guest_email"])
def test_guest_must_give_name_and_email(client, post, guest_fields, missing):
    response = client.post(_post_url(post), _form(**{**guest_fields, missing: ""}))
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "name", ["rita", "Rita", "RITA", "  rita  ", "Rita Reader", " rita   reader "]
)
def test_guest_may_not_post_under_a_registered_readers_name(client, post, name):
    UserFactory(username="rita", display_name="Rita Reader")
    response = client.post(_post_url(post), _form(guest_name=name, guest_email="fake@example.net"))
    assert response.status_code == 400
    assert "is the name of a registered reader" in response.content.decode()
    assert not Comment.objects.exists()


def test_guest_comments_are_refused_when_guests_are_not_allowed(
    client, post, guest_fields, settings
):
    """Issue 8: 403, not 400: who is asking is refused, not what they typed (as for a ban)."""
    settings.COMMENTS_ALLOW_GUESTS = False
    response = client.post(_post_url(post), _form(**guest_fields))
    assert response.status_code == 403
    assert "Sign in to comment" in response.content.decode()
    assert not Comment.objects.exists()


def test_readers_still_comment_when_guests_are_not_allowed(client, post, reader, settings):
    settings.COMMENTS_ALLOW_GUESTS = False
    client.force_login(reader)
    assert posted_status(client.post(_post_url(post), _form()), post) == Comment.Status.PUBLISHED


# ─── Posts that take no comments ─────────────────────────────────────────────


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_commenting_on_an_unpublished_post_answers_404(client, guest_fields, state):
    hidden = PostFactory(**{state: True})
    assert client.post(_post_url(hidden), _form(**guest_fields)).status_code == 404
    assert not Comment.objects.exists()


def test_commenting_on_a_missing_post_answers_404(client, guest_fields):
    url = reverse("comments:post", kwargs={"post_id": 987654})
    assert client.post(url, _form(**guest_fields)).status_code == 404


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_replying_on_an_unpublished_post_answers_404(client, post, guest_fields, state):
    comment = CommentFactory(post=post)
    Post.objects.filter(pk=post.pk).update(
        **(
            {"status": Post.Status.DRAFT}
            if state == "draft"
            else {"published_at": post.published_at.replace(year=2999)}
        )
    )
    assert client.post(_reply_url(comment), _form(**guest_fields)).status_code == 404
    assert Comment.objects.count() == 1


def test_commenting_where_comments_are_disallowed_is_refused_with_a_reason(client, guest_fields):
    closed = PostFactory(allow_comments=False)
    response = client.post(_post_url(closed), _form(**guest_fields))
    assert response.status_code == 403
    assert "Comments are closed for this post" in response.content.decode()


def test_nothing_is_stored_where_comments_are_disallowed(client, guest_fields):
    closed = PostFactory(allow_comments=False)
    client.post(_post_url(closed), _form(**guest_fields))
    assert not Comment.objects.exists()


def test_replying_where_comments_are_disallowed_is_refused(client, post, reader):
    parent = CommentFactory(post=post)
    Post.objects.filter(pk=post.pk).update(allow_comments=False)
    client.force_login(reader)
    assert client.post(_reply_url(parent), _form()).status_code == 403
    assert Comment.objects.count() == 1


def test_post_page_of_a_closed_post_shows_no_comment_form(client):
    closed = PostFactory(allow_comments=False)
    content = client.get(closed.get_absolute_url()).content.decode()
    assert "Comments are closed for this post." in content
    assert _post_url(closed) not in content


# ─── Preview and honeypot ────────────────────────────────────────────────────


def test_preview_shows_the_rendered_comment(client, post, guest_fields):
    response = client.post(
        _post_url(post), _form("Turnout **matters**.", preview="1", **guest_fields)
    )
    assert response.status_code == 200
    assert "<strong>matters</strong>" in response.content.decode()


def test_preview_stores_nothing(client, post, guest_fields):
    client.post(_post_url(post), _form(preview="1", **guest_fields))
    assert not Comment.objects.exists()


def test_preview_keeps_the_text_in_the_form(client, post, guest_fields):
    response = client.post(_post_url(post), _form("Keep me, please.", preview="1", **guest_fields))
    assert "Keep me, please.</textarea>" in response.content.decode()


def test_filled_honeypot_is_refused(client, post, guest_fields):
    response = client.post(_post_url(post), _form(website="http://spam.example", **guest_fields))
    assert response.status_code == 400
    assert not Comment.objects.exists()


# ─── The reply page (no JavaScript) ──────────────────────────────────────────


def test_reply_page_shows_the_comment_answered_and_a_form(client, post):
    parent = CommentFactory(post=post, body="The vote was rigged.")
    content = client.get(_reply_url(parent)).content.decode()
    assert "Reply to comment #1" in content
    assert "The vote was rigged." in content
    assert 'name="body"' in content


def test_quote_link_fills_the_form_with_the_comment_as_a_markdown_quote(client, post):
    parent = CommentFactory(post=post, body="The vote was rigged.")
    response = client.get(_reply_url(parent), {"quote": "1"})
    assert response.context["form"].initial["body"].startswith("> The vote was rigged.\n")
    assert "#1" in response.context["form"].initial["body"]


@pytest.mark.parametrize("status", ["pending", "removed", "spam", "deleted"])
def test_reply_page_of_an_unpublished_comment_answers_404(client, post, status):
    parent = CommentFactory(post=post, **{status: True})
    assert client.get(_reply_url(parent)).status_code == 404


def test_reply_page_of_a_missing_comment_answers_404(client, post):
    url = reverse("comments:reply", kwargs={"post_id": post.pk, "number": 42})
    assert client.get(url).status_code == 404
