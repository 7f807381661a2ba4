"""Issue 11: a held comment returns its writer to its place in the thread, where they alone
see an "Awaiting review" copy of it (comments/held.py)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments.held import NOTE
from comments.models import Comment
from comments.moderation import actions
from tests.comments.pages import comment_items, text
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

HELD_TEXT = "Held back: my first words here"
# Three links hold a registered reader's comment (COMMENTS_MAX_LINKS is 2).
LINKY = "See https://a.example https://b.example https://c.example"


@pytest.fixture
def parent(post, other_reader):
    CommentFactory(post=post)
    return CommentFactory(post=post, author=other_reader)


def _guest_reply(client, post, parent, body=HELD_TEXT):
    url = reverse("comments:reply", kwargs={"post_id": post.pk, "number": parent.number})
    data = {"body": body, "guest_name": "Wren Visitor", "guest_email": "wren@example.net"}
    return client.post(url, data)


def _held_lists(response) -> list[tuple[str, int]]:
    """(data-parent, number) of each held copy's list on the page."""
    return [
        (parent, int(number))
        for parent, number in re.findall(
            r'<ol class="comment-list comments__held" data-parent="(\d*)"[^>]*>\s*'
            r'<li class="comment comment--held" id="c(\d+)"',
            response.content.decode(),
        )
    ]


def test_a_held_guest_reply_lands_on_its_place_in_the_thread(client, post, parent):
    response = _guest_reply(client, post, parent)
    held = Comment.objects.get(post=post, body=HELD_TEXT)
    assert held.status == Comment.Status.PENDING
    assert response["Location"] == f"{post.get_absolute_url()}#c{held.number}"
    page = client.get(response["Location"])
    assert _held_lists(page) == [(str(parent.number), held.number)]
    assert NOTE in text(page)
    assert HELD_TEXT in text(page)
    assert "only you can see it" in text(page)  # the message


def test_the_held_copy_is_the_writers_alone(client, post, parent, reader):
    client.get(_guest_reply(client, post, parent)["Location"])
    for other in (Client(), Client()):
        assert HELD_TEXT not in text(other.get(post.get_absolute_url()))
    signed_in = Client()
    signed_in.force_login(reader)
    assert HELD_TEXT not in text(signed_in.get(post.get_absolute_url()))


def test_the_held_copy_never_reaches_the_shared_page_cache(client, post, parent):
    """The writer's pages are rendered for them (their session) and never stored; the
    page every anonymous reader gets stays the same bytes."""
    shared = Client().get(post.get_absolute_url()).content
    location = _guest_reply(client, post, parent)["Location"]
    before = Client().get(post.get_absolute_url()).content
    for _ in range(2):
        assert HELD_TEXT in text(client.get(location))
    after = Client().get(post.get_absolute_url())
    assert HELD_TEXT not in text(after)
    assert after.content == before
    assert shared != before  # the post's counter moved on: a new shared page, still no copy


def test_the_held_copy_stays_on_later_visits_until_approved(client, post, parent, moderator):
    client.get(_guest_reply(client, post, parent)["Location"])
    assert HELD_TEXT in text(client.get(post.get_absolute_url()))
    held = Comment.objects.get(post=post, body=HELD_TEXT)
    actions.comment_publish(comment=held, moderator=moderator)
    page = client.get(post.get_absolute_url())
    assert _held_lists(page) == []
    assert held.number in [item.number for item in comment_items(page)]
    assert "held_comments" not in client.session  # forgotten once published


def test_a_held_copy_removed_by_a_moderator_disappears(client, post, parent, moderator):
    client.get(_guest_reply(client, post, parent)["Location"])
    held = Comment.objects.get(post=post, body=HELD_TEXT)
    actions.comment_remove(comment=held, moderator=moderator, reason="Off-topic")
    assert HELD_TEXT not in text(client.get(post.get_absolute_url()))


def test_the_guests_own_held_permalink_works_for_them_only(client, post, parent):
    _guest_reply(client, post, parent)
    held = Comment.objects.get(post=post, body=HELD_TEXT)
    assert client.get(held.get_absolute_url()).status_code == 302
    assert Client().get(held.get_absolute_url()).status_code == 404


def test_a_signed_in_writers_held_comment_is_shown_to_them_on_every_device(
    client, post, parent, reader
):
    client.force_login(reader)
    response = client.post(
        reverse("comments:reply", kwargs={"post_id": post.pk, "number": parent.number}),
        {"body": LINKY},
    )
    held = Comment.objects.get(post=post, author=reader)
    assert held.status == Comment.Status.PENDING
    phone = Client()
    phone.force_login(reader)
    page = phone.get(response["Location"])
    assert _held_lists(page) == [(str(parent.number), held.number)]


def test_a_held_top_level_comment_has_no_parent(client, post, reader):
    client.force_login(reader)
    response = client.post(reverse("comments:post", kwargs={"post_id": post.pk}), {"body": LINKY})
    held = Comment.objects.get(post=post, author=reader)
    assert _held_lists(client.get(response["Location"])) == [("", held.number)]


def test_moderators_see_held_comments_in_the_thread_not_as_copies(client, post, parent, moderator):
    _guest_reply(Client(), post, parent)
    client.force_login(moderator)
    page = client.get(post.get_absolute_url())
    assert _held_lists(page) == []
    assert HELD_TEXT in text(page)


def test_a_shadow_banned_writer_sees_their_comment_as_published(
    client, post, parent, reader, moderator
):
    """As today: no "held" message, no "Awaiting review", the comment in the thread."""
    actions.user_ban(user=reader, moderator=moderator, reason="Trolling", days=7, is_shadow=True)
    client.force_login(reader)
    response = client.post(
        reverse("comments:reply", kwargs={"post_id": post.pk, "number": parent.number}),
        {"body": "Shadowed words"},
    )
    shadowed = Comment.objects.get(post=post, author=reader)
    assert shadowed.status == Comment.Status.SHADOWED
    page = client.get(response["Location"])
    assert _held_lists(page) == []
    assert NOTE not in text(page)
    assert "held for review" not in text(page)
    assert shadowed.number in [item.number for item in comment_items(page)]
    assert "comment--held" not in page.content.decode()


def test_a_held_copy_costs_its_writer_one_query(
    client, post, parent, reader, django_assert_num_queries
):
    client.force_login(reader)
    client.get(post.get_absolute_url())  # the first visit
    with django_assert_num_queries(SIGNED_IN_RETURN_VISIT):
        client.get(post.get_absolute_url())
    CommentFactory(post=post, author=reader, pending=True)
    client.get(post.get_absolute_url())
    with django_assert_num_queries(SIGNED_IN_RETURN_VISIT + 1):
        page = client.get(post.get_absolute_url())
    assert len(_held_lists(page)) == 1


# Post (with its tags), session, user, two permission lookups, own comments, "following?
# banned?", the visit (read with what is new since); thread and sidebar from the cache.
SIGNED_IN_RETURN_VISIT = 8
