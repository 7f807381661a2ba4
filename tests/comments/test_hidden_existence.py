"""A hidden comment is answered like a missing number to everyone who may not see it (issue 8).

Its permalink, reply page, reply form, flag page, history, edit and delete
pages give the same 404 or the same message as a number the post never had;
its author and moderators still reach it.
"""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.comments.pages import plain
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

HIDDEN = ["pending", "removed", "spam", "deleted", "shadowed"]
MISSING = 99


@pytest.fixture
def hidden(post, request):
    """Comment #1 on the post, in the state named by the test's `status` parameter."""
    status = request.node.callspec.params["status"]
    comment = CommentFactory(post=post, body="Words nobody may read.")
    Comment.objects.filter(pk=comment.pk).update(status=status)
    comment.refresh_from_db()
    return comment


@pytest.fixture(params=["anonymous", "reader"])
def stranger(request, reader):
    client = Client()
    if request.param == "reader":
        client.force_login(reader)
    return client


def _permalink(post, number):
    return reverse(
        "comments:permalink",
        kwargs={
            "year": post.published_at.year,
            "month": post.published_at.month,
            "day": post.published_at.day,
            "slug": post.slug,
            "number": number,
        },
    )


def _url(name, post, number):
    return reverse(f"comments:{name}", kwargs={"post_id": post.pk, "number": number})


def _same_answer(first, second) -> bool:
    """Same status and the same words on the page (tokens aside), whatever number was asked for."""

    def words(response):
        return re.sub(rf"(?<![\w.])(1|{MISSING})(?![\w.])", "N", plain(response))

    return first.status_code == second.status_code and words(first) == words(second)


@pytest.mark.parametrize("status", HIDDEN)
def test_the_permalink_of_a_hidden_comment_answers_like_a_missing_number(
    post, hidden, stranger, status
):
    for_hidden = stranger.get(_permalink(post, hidden.number))
    for_missing = stranger.get(_permalink(post, MISSING))
    assert for_hidden.status_code == 404
    assert _same_answer(for_hidden, for_missing)


@pytest.mark.parametrize("status", HIDDEN)
def test_the_reply_page_of_a_hidden_comment_answers_like_a_missing_number(
    post, hidden, stranger, status
):
    for_hidden = stranger.get(_url("reply", post, hidden.number))
    for_missing = stranger.get(_url("reply", post, MISSING))
    assert for_hidden.status_code == 404
    assert _same_answer(for_hidden, for_missing)


@pytest.mark.parametrize("status", HIDDEN)
def test_a_reply_posted_to_a_hidden_comment_answers_like_a_missing_number(
    post, hidden, stranger, status
):
    def send(number):
        data = {"body": "A reply.", "submission_token": str(uuid.uuid4())}
        data.update(guest_name="Sam Visitor", guest_email="sam@example.net")
        return stranger.post(_url("reply", post, number), data)

    for_hidden, for_missing = send(hidden.number), send(MISSING)
    assert for_hidden.status_code == 404
    assert _same_answer(for_hidden, for_missing)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("status", HIDDEN)
def test_a_reply_naming_a_hidden_parent_gets_the_missing_numbers_message(
    post, hidden, client, reader, status
):
    client.force_login(reader)

    def errors(number):
        data = {"body": "A reply.", "submission_token": str(uuid.uuid4()), "parent": number}
        response = client.post(reverse("comments:post", kwargs={"post_id": post.pk}), data)
        assert response.status_code == 400
        messages = response.context["form"].errors.as_data()
        return [e.message.replace(f"#{number} ", "#N ") for e in messages["parent"]]

    assert errors(hidden.number) == errors(MISSING)
    assert errors(MISSING) == ["There is no comment #N on this post to reply to."]


@pytest.mark.parametrize("view", ["flag", "history", "edit", "delete"])
@pytest.mark.parametrize("status", HIDDEN)
def test_a_hidden_comments_other_pages_answer_like_a_missing_number(
    post, hidden, client, reader, view, status
):
    client.force_login(reader)
    for_hidden = client.get(_url(view, post, hidden.number))
    for_missing = client.get(_url(view, post, MISSING))
    assert for_hidden.status_code == 404
    assert _same_answer(for_hidden, for_missing)


@pytest.mark.parametrize("status", ["pending", "removed"])
def test_moderators_still_follow_a_hidden_comments_permalink(
    post, hidden, client, moderator, status
):
    client.force_login(moderator)
    response = client.get(_permalink(post, hidden.number))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#c{hidden.number}")


@pytest.mark.parametrize("status", ["pending", "shadowed"])
def test_the_author_still_follows_their_own_hidden_comments_permalink(post, hidden, client, status):
    client.force_login(hidden.author)
    assert client.get(_permalink(post, hidden.number)).status_code == 302


@pytest.mark.parametrize("status", ["removed", "deleted"])
def test_a_hidden_comment_shown_as_a_placeholder_keeps_its_permalink(post, hidden, status):
    """Readers see its number above the published replies, so its permalink is no secret."""
    CommentFactory(post=post, parent=None, body="Unrelated.")
    Comment.objects.filter(pk=hidden.pk).update(status=Comment.Status.PUBLISHED)
    CommentFactory(post=post, parent=hidden, body="A published reply.")
    Comment.objects.filter(pk=hidden.pk).update(status=status)
    assert Client().get(_permalink(post, hidden.number)).status_code == 302
