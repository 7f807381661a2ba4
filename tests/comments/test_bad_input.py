"""Bad input: a 4xx with a message the reader can act on; nothing stored, nothing lost (issue 3)."""

import html
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from comments.forms import CommentForm
from comments.models import Comment
from comments.posting import MAX_BODY_LENGTH, clean_comment_body, comment_create
from tests.comments.pages import posted_status
from tests.factories import PASSWORD, CommentFactory

pytestmark = pytest.mark.django_db


def _post_url(post):
    return reverse("comments:post", kwargs={"post_id": post.pk})


def _reply_url(post, number):
    return reverse("comments:reply", kwargs={"post_id": post.pk, "number": number})


@pytest.fixture
def signed_in(client, reader):
    client.force_login(reader)
    return client


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _send(client, url, body="A fair point.", **extra):
    return client.post(url, {"body": body, "submission_token": str(uuid.uuid4()), **extra})


# ─── The body ────────────────────────────────────────────────────────────────


BAD_BODIES = {
    "empty": ("", "Write something before posting."),
    "whitespace": ("  \n\t \r\n ", "Write something before posting."),
    "too long": ("x" * (MAX_BODY_LENGTH + 1), "at most 10,000 characters"),
    "NUL byte": ("before\x00after", "Null characters are not allowed."),
    "bell": ("ring\x07ring", "invisible control characters"),
    "escape": ("\x1b[31mred\x1b[0m", "invisible control characters"),
    "C1 control": ("next\x85line", "invisible control characters"),
}


@pytest.mark.parametrize("case", BAD_BODIES, ids=str)
def test_bad_body_is_refused_with_a_message(signed_in, post, case):
    body, message = BAD_BODIES[case]
    response = _send(signed_in, _post_url(post), body)
    assert response.status_code == 400
    assert message in _text(response)


@pytest.mark.parametrize("case", BAD_BODIES, ids=str)
def test_bad_body_stores_nothing(signed_in, post, case):
    _send(signed_in, _post_url(post), BAD_BODIES[case][0])
    assert not Comment.objects.exists()


@pytest.mark.parametrize("case", BAD_BODIES, ids=str)
def test_bad_reply_body_is_refused_and_stores_nothing(signed_in, post, case):
    parent = CommentFactory(post=post)
    response = _send(signed_in, _reply_url(post, parent.number), BAD_BODIES[case][0])
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_bad_body_keeps_the_text_in_the_form_to_fix(signed_in, post):
    response = _send(signed_in, _post_url(post), "keep this\x07")
    assert response.context["form"]["body"].value() == "keep this\x07"


def test_a_body_of_exactly_the_limit_is_accepted(signed_in, post):
    response = _send(signed_in, _post_url(post), "x" * MAX_BODY_LENGTH)
    assert posted_status(response, post) == Comment.Status.PUBLISHED


def test_surrounding_whitespace_does_not_count_towards_the_limit(signed_in, post):
    response = _send(signed_in, _post_url(post), "\n" + "x" * MAX_BODY_LENGTH + "  \n")
    assert posted_status(response, post) == Comment.Status.PUBLISHED


def test_tabs_and_newlines_are_not_control_characters(signed_in, post):
    response = _send(signed_in, _post_url(post), "one\ttwo\r\nthree")
    assert posted_status(response, post) == Comment.Status.PUBLISHED


def test_lone_surrogate_is_refused_by_the_body_check():
    with pytest.raises(ValidationError) as refused:
        clean_comment_body("broken \ud800 text")
    assert "lone surrogates" in refused.value.messages[0]


def test_lone_surrogate_is_refused_by_the_write_function(post, reader):
    with pytest.raises(ValidationError):
        comment_create(post=post, author=reader, body="broken \udfff text")
    assert not Comment.objects.exists()


def test_lone_surrogate_is_refused_by_the_comment_form(reader):
    form = CommentForm(data={"body": "broken \ud800 text"}, user=reader)
    assert not form.is_valid()
    assert "lone surrogates" in form.errors["body"][0]


def test_percent_encoded_lone_surrogate_never_reaches_the_database(signed_in, post):
    # Django decodes form data with errors="replace": the surrogate arrives as U+FFFD.
    signed_in.post(
        _post_url(post),
        "body=broken%ED%A0%80text",
        content_type="application/x-www-form-urlencoded",
    )
    stored = "".join(Comment.objects.values_list("body", flat=True))
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in stored)


# ─── The parent ──────────────────────────────────────────────────────────────


def test_reply_to_a_number_the_post_does_not_have_is_refused_with_a_message(signed_in, post):
    CommentFactory(post=post)
    response = _send(signed_in, _post_url(post), parent="99")
    assert response.status_code == 400
    assert "There is no comment #99 on this post" in _text(response)


def test_reply_page_of_a_number_the_post_does_not_have_answers_404(signed_in, post):
    assert _send(signed_in, _reply_url(post, 99)).status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("parent", ["abc", "1.5", "0", "-3", "1; DROP TABLE"])
def test_parent_that_is_not_a_comment_number_is_refused_with_a_message(signed_in, post, parent):
    CommentFactory(post=post)
    response = _send(signed_in, _post_url(post), parent=parent)
    assert response.status_code == 400
    assert "not a valid comment number" in _text(response)
    assert Comment.objects.count() == 1


def test_parent_number_of_another_posts_comment_is_refused(signed_in, post, other_post):
    CommentFactory.create_batch(3, post=other_post)
    response = _send(signed_in, _post_url(post), parent="3")
    assert response.status_code == 400
    assert "There is no comment #3 on this post" in _text(response)
    assert not Comment.objects.filter(post=post).exists()


@pytest.mark.parametrize("status", ["removed", "pending", "spam", "deleted"])
def test_reply_to_an_unpublished_comment_is_refused_with_a_message(client, post, moderator, status):
    """Moderators see hidden comments, so they are told why; readers get a 404 (issue 8)."""
    client.force_login(moderator)
    parent = CommentFactory(post=post, **{status: True})
    response = _send(client, _reply_url(post, parent.number))
    assert response.status_code == 400
    assert "is not published; you can't reply to it" in _text(response)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("status", ["removed", "pending", "spam"])
def test_refused_reply_does_not_reveal_the_unpublished_comment(signed_in, post, status):
    """Issue 3: readers see only published comments, on every surface."""
    parent = CommentFactory(post=post, body="Secret text held for review.", **{status: True})
    response = _send(signed_in, _reply_url(post, parent.number))
    assert "Secret text held for review." not in _text(response)


@pytest.mark.parametrize("status", ["removed", "pending"])
def test_reply_to_an_unpublished_comment_through_the_parent_field_is_refused(
    signed_in, post, status
):
    CommentFactory(post=post, **{status: True})
    response = _send(signed_in, _post_url(post), parent="1")
    assert response.status_code == 400
    assert Comment.objects.count() == 1


# ─── CSRF and methods ────────────────────────────────────────────────────────


@pytest.fixture
def csrf_client(reader):
    client = Client(enforce_csrf_checks=True)
    client.login(username=reader.username, password=PASSWORD)
    return client


def test_comment_without_csrf_token_is_refused(csrf_client, post):
    assert _send(csrf_client, _post_url(post)).status_code == 403
    assert not Comment.objects.exists()


def test_comment_with_a_wrong_csrf_token_is_refused(csrf_client, post):
    csrf_client.get(post.get_absolute_url())
    csrf_client.cookies["csrftoken"] = "a" * 32
    response = _send(csrf_client, _post_url(post), csrfmiddlewaretoken="b" * 32)
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_comment_with_the_pages_csrf_token_is_accepted(csrf_client, post):
    page = csrf_client.get(post.get_absolute_url())
    token = page.context["csrf_token"]
    response = _send(csrf_client, _post_url(post), csrfmiddlewaretoken=str(token))
    assert posted_status(response, post) == Comment.Status.PUBLISHED


def test_reply_without_csrf_token_is_refused(csrf_client, post):
    parent = CommentFactory(post=post)
    assert _send(csrf_client, _reply_url(post, parent.number)).status_code == 403
    assert Comment.objects.count() == 1


def test_get_on_the_comment_endpoint_is_not_allowed(client, post):
    assert client.get(_post_url(post)).status_code == 405


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_on_the_reply_endpoint_are_not_allowed(client, post, method):
    parent = CommentFactory(post=post)
    response = getattr(client, method)(_reply_url(post, parent.number))
    assert response.status_code == 405


# ─── Not a form ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("content_type", "payload"),
    [("application/json", '{"body": "A fair point."}'), ("text/plain", "A fair point.")],
)
def test_a_comment_sent_as_json_is_told_to_send_a_form(signed_in, post, content_type, payload):
    """Issue 8: a JSON post was told "Write something before posting."."""
    response = signed_in.post(_post_url(post), payload, content_type=content_type)
    assert response.status_code == 415
    text = response.content.decode()
    assert "Send comments as a form" in text
    assert "Write something" not in text
    assert not Comment.objects.exists()


def test_a_reply_or_edit_sent_as_json_is_refused_the_same_way(signed_in, post, reader):
    comment = CommentFactory(post=post, author=reader)
    edit_url = reverse("comments:edit", kwargs={"post_id": post.pk, "number": comment.number})
    for url in (_reply_url(post, comment.number), edit_url):
        response = signed_in.post(url, '{"body": "x"}', content_type="application/json")
        assert response.status_code == 415
