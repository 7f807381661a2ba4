"""One comment card (templates/comments/_comment.jinja) on every surface that shows a comment."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.moderation import actions
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def _card_of(comment) -> str:
    """The opening of a comment's card outside the thread."""
    return (
        f'<article class="comment__card comment__card--context" '
        f'aria-labelledby="c{comment.number}-name">'
    )


@pytest.fixture
def comment(post, reader):
    return CommentFactory(post=post, author=reader, body="The quorum rule *matters*.")


def _pages(comment, post):
    kwargs = {"post_id": post.pk, "number": comment.number}
    return {
        "recent comments": (None, reverse("comments:recent")),
        "profile": (
            None,
            reverse("accounts:profile", kwargs={"username": comment.author.username}),
        ),
        "reply page": (None, reverse("comments:reply", kwargs=kwargs)),
        "history": (None, reverse("comments:history", kwargs=kwargs)),
        "delete page": (comment.author, reverse("comments:delete", kwargs=kwargs)),
        "flag page": ("other", reverse("comments:flag", kwargs=kwargs)),
    }


def test_every_surface_draws_the_same_card(comment, post, other_reader):
    """Issue 10: the card was written again in four templates."""
    drawn = {}
    for surface, (user, url) in _pages(comment, post).items():
        client = Client()
        if user is not None:
            client.force_login(other_reader if user == "other" else user)
        page = client.get(url).content.decode()
        drawn[surface] = _card_of(comment) in page and "<em>matters</em>" in page
    assert drawn == dict.fromkeys(drawn, True)


def test_the_moderation_page_draws_the_card_with_its_status(comment, post, moderator):
    actions.comment_remove(comment=comment, moderator=moderator, reason="Off-topic <here>")
    client = Client()
    client.force_login(moderator)
    url = reverse("comments:moderate", kwargs={"post_id": post.pk, "number": comment.number})
    page = client.get(url).content.decode()
    assert _card_of(comment) in page
    status = f"{Comment.Status.REMOVED.label}. Off-topic &lt;here&gt;"
    assert f'<p class="comment__status">{status}</p>' in page


def test_the_card_in_the_thread_is_the_same_template(comment, post):
    page = Client().get(post.get_absolute_url()).content.decode()
    assert f'<article class="comment__card" aria-labelledby="c{comment.number}-name">' in page


def test_a_removed_comments_reason_is_escaped_in_its_placeholder(post, reader, moderator):
    parent = CommentFactory(post=post, body="Rude.")
    CommentFactory(post=post, parent=parent, body="A calm reply.")
    actions.comment_remove(comment=parent, moderator=moderator, reason="<script>x</script>")
    page = Client().get(post.get_absolute_url()).content.decode()
    assert "[removed by a moderator: &lt;script&gt;x&lt;/script&gt;]" in page
    assert Comment.objects.get(pk=parent.pk).status == Comment.Status.REMOVED
