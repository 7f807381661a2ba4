"""Reading a post's comments: threaded and chronological, placeholders, backlinks."""

import re

import pytest
from django.urls import reverse

from comments.models import Comment
from comments.section import VIEW_COOKIE
from tests.comments.pages import comment_items, shown_numbers, text
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(post):
    """1 ─ 2 ─ 4      3 (cites @1)
    └ 5"""
    first = CommentFactory(post=post, body="Opening argument.")
    second = CommentFactory(parent=first, body="Counterpoint.")
    CommentFactory(post=post, body="@1 is right, and so is #2.")
    CommentFactory(parent=second, body="Counter-counterpoint.")
    CommentFactory(parent=first, body="Late reply to the opening.")
    return post


# ─── Threaded and chronological ──────────────────────────────────────────────


def test_comments_are_threaded_by_default(client, thread):
    response = client.get(thread.get_absolute_url())
    assert shown_numbers(response) == [1, 2, 4, 5, 3]


def test_threaded_view_nests_each_reply_inside_its_parent(client, thread):
    items = comment_items(client.get(thread.get_absolute_url()))
    assert {item.number: item.inside for item in items} == {1: None, 2: 1, 4: 2, 5: 1, 3: None}


def test_chronological_view_lists_comments_by_number(client, thread):
    response = client.get(thread.get_absolute_url(), {"view": "chronological"})
    assert shown_numbers(response) == [1, 2, 3, 4, 5]


def test_chronological_view_is_flat(client, thread):
    items = comment_items(client.get(thread.get_absolute_url(), {"view": "chronological"}))
    assert {item.inside for item in items} == {None}


def test_chronological_view_says_which_comment_a_reply_answers(client, thread):
    response = client.get(thread.get_absolute_url(), {"view": "chronological"})
    assert 'in reply to <a class="comment-ref" data-ref="2" href="#c2">#2</a>' in text(response)


def test_choosing_a_view_sets_a_cookie(client, thread):
    response = client.get(thread.get_absolute_url(), {"view": "chronological"})
    assert response.cookies[VIEW_COOKIE].value == "chronological"


def test_the_chosen_view_is_remembered_on_later_visits(client, thread):
    client.get(thread.get_absolute_url(), {"view": "chronological"})
    assert shown_numbers(client.get(thread.get_absolute_url())) == [1, 2, 3, 4, 5]


def test_choosing_threaded_again_switches_back(client, thread):
    client.get(thread.get_absolute_url(), {"view": "chronological"})
    client.get(thread.get_absolute_url(), {"view": "threaded"})
    assert shown_numbers(client.get(thread.get_absolute_url())) == [1, 2, 4, 5, 3]


def test_an_unknown_view_falls_back_to_threaded(client, thread):
    response = client.get(thread.get_absolute_url(), {"view": "<script>"})
    assert shown_numbers(response) == [1, 2, 4, 5, 3]
    assert VIEW_COOKIE not in response.cookies


def test_page_links_to_both_views(client, thread):
    content = client.get(thread.get_absolute_url()).content.decode()
    assert 'href="?view=chronological#comments"' in content
    assert 'href="?view=threaded#comments" aria-current="true"' in content


# ─── What each comment shows ─────────────────────────────────────────────────


def test_each_comment_has_its_number_as_permalink_anchor(client, thread):
    content = client.get(thread.get_absolute_url()).content.decode()
    assert '<a class="comment__number" href="#c4">#4</a>' in content


def test_each_comment_links_its_permalink_page(client, thread):
    comment = thread.comments.get(number=4)
    assert (
        f'href="{comment.get_absolute_url()}"'
        in client.get(thread.get_absolute_url()).content.decode()
    )


def test_each_comment_has_a_reply_link_to_the_reply_page(client, thread):
    url = reverse("comments:reply", kwargs={"post_id": thread.pk, "number": 3})
    assert f'href="{url}"' in client.get(thread.get_absolute_url()).content.decode()


def test_backlinks_list_replies_and_at_references(client, thread):
    content = client.get(thread.get_absolute_url()).content.decode()
    assert (
        'Replies: <a class="comment-ref" data-ref="2" href="#c2">#2</a>, '
        '<a class="comment-ref" data-ref="3" href="#c3">#3</a>, '
        '<a class="comment-ref" data-ref="5" href="#c5">#5</a>'
    ) in content


def test_at_reference_in_a_body_links_to_the_comment(client, thread):
    comment = thread.comments.get(number=1)
    content = client.get(thread.get_absolute_url()).content.decode()
    assert f'href="{comment.get_absolute_url()}" class="comment-ref" data-ref="1"' in content


def test_heading_counts_published_comments(client, thread):
    CommentFactory(post=thread, pending=True)
    assert "5 comments" in text(client.get(thread.get_absolute_url()))


def test_post_without_comments_invites_the_first(client, post):
    assert "No comments yet." in text(client.get(post.get_absolute_url()))


def test_guest_comments_are_marked_as_guest(client, post):
    CommentFactory(post=post, guest=True, guest_name="Walk In")
    content = client.get(post.get_absolute_url()).content.decode()
    assert '<span class="comment__author">Walk In</span>' in content
    assert "comment__badge--guest" in content


def test_registered_authors_show_their_display_name(client, post, other_reader):
    CommentFactory(post=post, author=other_reader)
    assert "Otto Other" in text(client.get(post.get_absolute_url()))


def test_staff_comments_carry_their_role_badges(client, post, moderator, superuser, reader):
    """Roles come with the thread's rows (comments' with_author_roles), not a query apart."""
    former = UserFactory(username="ex", is_staff=False, groups=["Moderators"])
    for author in (moderator, superuser, reader, former):
        CommentFactory(post=post, author=author)
    content = client.get(post.get_absolute_url()).content.decode()
    names = dict(re.findall(r'id="c(\d+)-name">(.*?)</h3>', content, re.S))
    assert "comment__badge--moderator" in names["1"]
    assert "comment__badge--staff" in names["2"] and "badge--moderator" not in names["2"]
    assert "comment__badge" not in names["3"] + names["4"]


# ─── Hidden comments ─────────────────────────────────────────────────────────


def _set_status(comment, status):
    """Hide a comment after its replies were posted (nobody may reply to a hidden one)."""
    Comment.objects.filter(pk=comment.pk).update(status=status)


@pytest.mark.parametrize(
    "status, label",
    [
        ("removed", "[removed by a moderator]"),
        ("spam", "[removed by a moderator]"),
        ("pending", "[awaiting review]"),
    ],
)
def test_hidden_comment_with_visible_replies_shows_a_placeholder(client, post, status, label):
    hidden = CommentFactory(post=post, body="The offending words.")
    CommentFactory(parent=hidden, body="An answer that stays.")
    _set_status(hidden, status)
    response = client.get(post.get_absolute_url())
    assert label in text(response)
    assert "The offending words." not in text(response)
    assert "An answer that stays." in text(response)


def test_reply_stays_nested_under_the_placeholder(client, post):
    parent = CommentFactory(post=post)
    CommentFactory(parent=parent)
    _set_status(parent, "removed")
    items = comment_items(client.get(post.get_absolute_url()))
    assert [(item.number, item.inside) for item in items] == [(1, None), (2, 1)]
    assert "comment--placeholder" in items[0].classes


def test_removed_comment_without_visible_replies_is_absent(client, post):
    CommentFactory(post=post)
    parent = CommentFactory(post=post, body="Gone for good.")
    CommentFactory(parent=parent, removed=True)
    _set_status(parent, "removed")
    response = client.get(post.get_absolute_url())
    assert shown_numbers(response) == [1]
    assert "Gone for good." not in text(response)


def test_placeholder_in_chronological_view(client, post):
    parent = CommentFactory(post=post, body="Withdrawn words.")
    CommentFactory(parent=parent)
    _set_status(parent, "deleted")
    response = client.get(post.get_absolute_url(), {"view": "chronological"})
    assert shown_numbers(response) == [1, 2]
    assert "[deleted by its author]" in text(response)
    assert "Withdrawn words." not in text(response)


def test_moderators_see_pending_and_removed_comments_inline(client, moderator, post):
    CommentFactory(post=post, body="Waiting for review.", pending=True)
    CommentFactory(post=post, body="Taken down.", removed=True)
    client.force_login(moderator)
    response = client.get(post.get_absolute_url())
    assert "Waiting for review." in text(response)
    assert "Taken down." in text(response)


def test_moderators_see_hidden_comments_marked_with_their_status(client, moderator, post):
    CommentFactory(post=post, pending=True)
    CommentFactory(post=post, removed=True)
    client.force_login(moderator)
    items = {
        item.number: item.classes for item in comment_items(client.get(post.get_absolute_url()))
    }
    assert "comment--pending" in items[1]
    assert "comment--removed" in items[2]


def test_readers_do_not_see_hidden_comments(client, reader, post):
    CommentFactory(post=post, body="Waiting for review.", pending=True)
    client.force_login(reader)
    assert "Waiting for review." not in text(client.get(post.get_absolute_url()))
