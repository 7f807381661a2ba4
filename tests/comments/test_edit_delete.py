"""Editing and deleting one's own comment: the window, the history, the placeholder."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentRevision
from comments.posting import comment_create, comment_edit
from tests.comments.pages import visible_controls
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def _url(name, comment):
    return reverse(
        f"comments:{name}", kwargs={"post_id": comment.post_id, "number": comment.number}
    )


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def own_comment(post, reader):
    return CommentFactory(post=post, author=reader, body="The first version.")


@pytest.fixture
def as_author(client, reader):
    client.force_login(reader)
    return client


def _age(comment, minutes):
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )
    comment.refresh_from_db()


# ─── Editing ─────────────────────────────────────────────────────────────────


def test_author_edits_own_comment_within_the_window(as_author, own_comment):
    response = as_author.post(_url("edit", own_comment), {"body": "The second version."})
    own_comment.refresh_from_db()
    assert response.status_code == 302
    assert own_comment.body == "The second version."


def test_edit_redirects_to_the_comment_on_the_post_page(as_author, own_comment, post):
    response = as_author.post(_url("edit", own_comment), {"body": "The second version."})
    assert response["Location"] == f"{post.get_absolute_url()}#c1"


def test_edit_rerenders_the_body(as_author, own_comment):
    as_author.post(_url("edit", own_comment), {"body": "Now **bold**."})
    own_comment.refresh_from_db()
    assert own_comment.body_html == "<p>Now <strong>bold</strong>.</p>\n"


def test_edit_keeps_the_earlier_version(as_author, own_comment):
    as_author.post(_url("edit", own_comment), {"body": "The second version."})
    revision = CommentRevision.objects.get(comment=own_comment)
    assert revision.body == "The first version."
    assert revision.written_at == own_comment.created_at


def test_edited_comment_shows_edited_linking_to_its_history(as_author, own_comment, post):
    as_author.post(_url("edit", own_comment), {"body": "The second version."})
    content = as_author.get(post.get_absolute_url()).content.decode()
    assert f'href="{_url("history", own_comment)}">edited</a>' in content


def test_history_page_shows_the_earlier_version(client, as_author, own_comment):
    as_author.post(_url("edit", own_comment), {"body": "The second version."})
    content = client.get(_url("history", own_comment)).content.decode()
    assert "The first version." in content
    assert "The second version." in content


def test_every_edit_keeps_one_more_version(as_author, own_comment):
    for body in ("Second.", "Third."):
        as_author.post(_url("edit", own_comment), {"body": body})
    bodies = CommentRevision.objects.filter(comment=own_comment).order_by("replaced_at")
    assert [revision.body for revision in bodies] == ["The first version.", "Second."]


def test_saving_an_unchanged_body_keeps_no_version(as_author, own_comment):
    as_author.post(_url("edit", own_comment), {"body": "The first version."})
    own_comment.refresh_from_db()
    assert not CommentRevision.objects.exists()
    assert own_comment.edited_at is None


def test_edit_page_shows_the_current_text(as_author, own_comment):
    response = as_author.get(_url("edit", own_comment))
    assert response.status_code == 200
    assert "The first version.</textarea>" in response.content.decode()


def test_editing_to_an_empty_body_is_refused_and_keeps_the_comment(as_author, own_comment):
    response = as_author.post(_url("edit", own_comment), {"body": "   "})
    own_comment.refresh_from_db()
    assert response.status_code == 400
    assert "Write something" in _text(response)
    assert own_comment.body == "The first version."


def test_editing_to_control_characters_is_refused_and_keeps_the_comment(as_author, own_comment):
    response = as_author.post(_url("edit", own_comment), {"body": "bell\x07"})
    own_comment.refresh_from_db()
    assert response.status_code == 400
    assert own_comment.body == "The first version."


def test_editing_after_the_window_is_refused_with_a_message(as_author, own_comment):
    _age(own_comment, 16)
    response = as_author.post(_url("edit", own_comment), {"body": "Too late."})
    assert response.status_code == 403
    assert "can no longer be changed" in _text(response)


def test_editing_after_the_window_keeps_the_comment(as_author, own_comment):
    _age(own_comment, 16)
    as_author.post(_url("edit", own_comment), {"body": "Too late."})
    own_comment.refresh_from_db()
    assert own_comment.body == "The first version."
    assert not CommentRevision.objects.exists()


def test_edit_page_after_the_window_is_refused_with_a_message(as_author, own_comment):
    _age(own_comment, 16)
    response = as_author.get(_url("edit", own_comment))
    assert response.status_code == 403
    assert "edit window for this comment has closed" in _text(response)


@pytest.fixture
def clock(monkeypatch):
    """A controlled `timezone.now`: tests move it forward with `clock.advance(minutes=…)`."""

    class Clock:
        now = timezone.now()

        def advance(self, **delta):
            self.now += timedelta(**delta)

    fixed = Clock()
    monkeypatch.setattr(timezone, "now", lambda: fixed.now)
    return fixed


def test_an_edit_does_not_reopen_the_window(as_author, post, reader, clock):
    """Issue 8: the window runs from posting, not from the last edit."""
    comment = comment_create(post=post, author=reader, body="The first version.")
    clock.advance(minutes=10)
    assert as_author.post(_url("edit", comment), {"body": "Second."}).status_code == 302
    clock.advance(minutes=6)
    response = as_author.post(_url("edit", comment), {"body": "Third, too late."})
    comment.refresh_from_db()
    assert response.status_code == 403
    assert "can no longer be changed" in _text(response)
    assert comment.body == "Second."


def test_edit_window_follows_the_setting(as_author, own_comment, settings):
    settings.COMMENTS_EDIT_WINDOW = 60
    _age(own_comment, 30)
    assert as_author.post(_url("edit", own_comment), {"body": "Still in time."}).status_code == 302


def test_editing_a_deleted_comment_is_refused(as_author, own_comment):
    as_author.post(_url("delete", own_comment))
    response = as_author.post(_url("edit", own_comment), {"body": "Back again."})
    own_comment.refresh_from_db()
    assert response.status_code == 403
    assert own_comment.status == Comment.Status.DELETED


def test_edit_link_shows_on_own_comment_within_the_window(as_author, own_comment, post):
    seen = visible_controls(as_author, as_author.get(post.get_absolute_url()))
    assert "edit" in seen.get(own_comment.number, set())


def test_edit_link_is_gone_after_the_window(as_author, own_comment, post):
    _age(own_comment, 16)
    seen = visible_controls(as_author, as_author.get(post.get_absolute_url()))
    assert seen.get(own_comment.number) == {"delete"}


# Permission checklist: anonymous, another reader, a moderator, the author.


def test_anonymous_edit_is_sent_to_sign_in(client, own_comment):
    response = client.post(_url("edit", own_comment), {"body": "Hijack."})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_another_reader_may_not_edit(client, other_reader, own_comment):
    client.force_login(other_reader)
    response = client.post(_url("edit", own_comment), {"body": "Hijack."})
    own_comment.refresh_from_db()
    assert response.status_code == 403
    assert own_comment.body == "The first version."


def test_another_reader_may_not_open_the_edit_page(client, other_reader, own_comment):
    client.force_login(other_reader)
    assert client.get(_url("edit", own_comment)).status_code == 403


def test_a_moderator_may_not_edit_a_readers_words(client, moderator, own_comment):
    client.force_login(moderator)
    assert client.post(_url("edit", own_comment), {"body": "Softened."}).status_code == 403


def test_nobody_edits_a_guest_comment(post, reader):
    guest_comment = CommentFactory(post=post, guest=True)
    with pytest.raises(PermissionDenied, match="only edit your own"):
        comment_edit(comment=guest_comment, user=reader, body="Mine now.")


def test_edit_of_a_missing_comment_answers_404(as_author, post):
    url = reverse("comments:edit", kwargs={"post_id": post.pk, "number": 77})
    assert as_author.get(url).status_code == 404


# ─── Deleting ────────────────────────────────────────────────────────────────


def test_delete_asks_for_confirmation_first(as_author, own_comment):
    response = as_author.get(_url("delete", own_comment))
    own_comment.refresh_from_db()
    assert response.status_code == 200
    assert own_comment.status == Comment.Status.PUBLISHED


def test_deleting_own_comment_with_replies_leaves_a_placeholder(
    as_author, client, own_comment, post
):
    CommentFactory(parent=own_comment, body="A reply that stays.")
    as_author.post(_url("delete", own_comment))
    content = client.get(post.get_absolute_url()).content.decode()
    assert "[deleted by its author]" in content
    assert "The first version." not in content


def test_replies_to_a_deleted_comment_stay(as_author, client, own_comment, post):
    CommentFactory(parent=own_comment, body="A reply that stays.")
    as_author.post(_url("delete", own_comment))
    content = client.get(post.get_absolute_url()).content.decode()
    assert "A reply that stays." in content
    assert 'id="c2"' in content


def test_deleting_own_comment_without_replies_removes_it_from_the_page(
    as_author, client, own_comment, post
):
    as_author.post(_url("delete", own_comment))
    content = client.get(post.get_absolute_url()).content.decode()
    assert 'id="c1"' not in content
    assert "The first version." not in content


def test_deleting_keeps_the_row_and_its_number(as_author, own_comment):
    as_author.post(_url("delete", own_comment))
    own_comment.refresh_from_db()
    assert (own_comment.number, own_comment.status) == (1, Comment.Status.DELETED)


def test_deleting_shifts_no_other_number(as_author, own_comment, post):
    CommentFactory(parent=own_comment)
    CommentFactory(post=post)
    as_author.post(_url("delete", own_comment))
    assert list(Comment.objects.filter(post=post).values_list("number", flat=True)) == [1, 2, 3]


def test_deleting_twice_changes_nothing_more(as_author, own_comment, post):
    as_author.post(_url("delete", own_comment))
    post.refresh_from_db()
    version = post.comments_version
    response = as_author.post(_url("delete", own_comment))
    post.refresh_from_db()
    own_comment.refresh_from_db()
    assert response.status_code == 302
    assert own_comment.status == Comment.Status.DELETED
    assert post.comments_version == version


def test_delete_redirects_to_the_comments_of_the_post(as_author, own_comment, post):
    response = as_author.post(_url("delete", own_comment))
    assert response["Location"] == f"{post.get_absolute_url()}#comments"


def test_anonymous_delete_is_sent_to_sign_in(client, own_comment):
    response = client.post(_url("delete", own_comment))
    own_comment.refresh_from_db()
    assert response["Location"].startswith(reverse("accounts:login"))
    assert own_comment.status == Comment.Status.PUBLISHED


def test_another_reader_may_not_delete(client, other_reader, own_comment):
    client.force_login(other_reader)
    response = client.post(_url("delete", own_comment))
    own_comment.refresh_from_db()
    assert response.status_code == 403
    assert own_comment.status == Comment.Status.PUBLISHED


def test_another_reader_may_not_open_the_delete_page(client, other_reader, own_comment):
    client.force_login(other_reader)
    assert client.get(_url("delete", own_comment)).status_code == 403


def test_delete_link_shows_only_to_the_author(client, other_reader, own_comment, post):
    client.force_login(other_reader)
    seen = visible_controls(client, client.get(post.get_absolute_url()))
    assert "delete" not in seen.get(own_comment.number, set())


def test_deleting_a_comment_a_moderator_removed_keeps_it_removed(as_author, post, reader):
    """Issue 3: moderation is explicit; the author cannot turn a removal into a withdrawal."""
    removed = CommentFactory(post=post, author=reader, removed=True)
    as_author.post(_url("delete", removed))
    removed.refresh_from_db()
    assert removed.status == Comment.Status.REMOVED


def test_deleting_a_comment_marked_as_spam_keeps_it_spam(as_author, post, reader):
    """Issue 3: a spammer cannot clear the spam mark by deleting the comment."""
    spam = CommentFactory(post=post, author=reader, spam=True)
    as_author.post(_url("delete", spam))
    spam.refresh_from_db()
    assert spam.status == Comment.Status.SPAM


def test_a_deleted_comments_number_is_not_reused(as_author, own_comment, post, reader):
    as_author.post(_url("delete", own_comment))
    assert comment_create(post=post, author=reader, body="Again.").number == 2


def test_edit_page_of_a_deleted_comment_is_refused(as_author, own_comment):
    as_author.post(_url("delete", own_comment))
    assert as_author.get(_url("edit", own_comment)).status_code == 403
