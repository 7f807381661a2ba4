"""Moderator write functions (issue 5): each change is logged and refreshes caches, once."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from blog.models import Post
from comments.models import Ban, Comment, Flag, ModerationAction
from comments.moderation import actions
from tests.comments.pages import plain, shown_numbers
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

Status = Comment.Status
Action = ModerationAction.Action


def _version(post) -> int:
    return Post.objects.values_list("comments_version", flat=True).get(pk=post.pk)


def _status(comment) -> str:
    return Comment.objects.values_list("status", flat=True).get(pk=comment.pk)


# ─── Each status change writes one log row ───────────────────────────────────

STATUS_CHANGES = [
    # write function, starting status, status after, logged action
    (actions.comment_publish, Status.PENDING, Status.PUBLISHED, Action.PUBLISH),
    (actions.comment_remove, Status.PUBLISHED, Status.REMOVED, Action.REMOVE),
    (actions.comment_mark_spam, Status.PUBLISHED, Status.SPAM, Action.SPAM),
    (actions.comment_restore, Status.REMOVED, Status.PUBLISHED, Action.RESTORE),
    (actions.comment_restore, Status.SPAM, Status.PUBLISHED, Action.RESTORE),
    (actions.comment_hold, Status.PUBLISHED, Status.PENDING, Action.HOLD),
]


@pytest.mark.parametrize(("write", "start", "after", "action"), STATUS_CHANGES)
def test_a_status_change_is_logged_with_who_what_why_and_both_statuses(
    post, moderator, write, start, after, action
):
    comment = CommentFactory(post=post, status=start)
    write(comment=comment, moderator=moderator, reason="Because the rules say so.")
    logged = ModerationAction.objects.get()
    assert (
        logged.action,
        logged.moderator,
        logged.comment,
        logged.comment_number,
        logged.post,
        logged.user,
        logged.reason,
        logged.status_before,
        logged.status_after,
    ) == (
        action,
        moderator,
        comment,
        comment.number,
        post,
        comment.author,
        "Because the rules say so.",
        start,
        after,
    )
    assert _status(comment) == after


@pytest.mark.parametrize(("write", "start", "after", "action"), STATUS_CHANGES)
def test_a_status_change_refreshes_the_cached_thread(post, moderator, write, start, after, action):
    comment = CommentFactory(post=post, status=start)
    before = _version(post)
    write(comment=comment, moderator=moderator, reason="Rules.")
    assert _version(post) == before + 1


@pytest.mark.parametrize(("write", "start", "after", "action"), STATUS_CHANGES)
def test_repeating_a_status_change_changes_and_logs_nothing_more(
    post, moderator, write, start, after, action
):
    comment = CommentFactory(post=post, status=start)
    write(comment=comment, moderator=moderator, reason="Rules.")
    version = _version(post)
    write(comment=comment, moderator=moderator, reason="Rules, again.")
    assert ModerationAction.objects.count() == 1
    assert _version(post) == version


@pytest.mark.parametrize(("write", "start", "after", "action"), STATUS_CHANGES)
def test_a_reader_may_not_change_a_status(post, reader, write, start, after, action):
    comment = CommentFactory(post=post, status=start)
    with pytest.raises(PermissionDenied):
        write(comment=comment, moderator=reader, reason="Rules.")
    assert _status(comment) == start
    assert not ModerationAction.objects.exists()


def test_removing_needs_a_reason(post, moderator):
    comment = CommentFactory(post=post)
    with pytest.raises(ValidationError) as refused:
        actions.comment_remove(comment=comment, moderator=moderator, reason="  ")
    assert "reason" in refused.value.message_dict
    assert _status(comment) == Status.PUBLISHED


def test_a_reason_longer_than_300_characters_is_refused(post, moderator):
    comment = CommentFactory(post=post)
    with pytest.raises(ValidationError):
        actions.comment_remove(comment=comment, moderator=moderator, reason="x" * 301)


def test_a_comment_deleted_by_its_author_cannot_be_moderated(post, moderator):
    comment = CommentFactory(post=post, deleted=True)
    with pytest.raises(ValidationError):
        actions.comment_publish(comment=comment, moderator=moderator)
    assert _status(comment) == Status.DELETED


# ─── Removal keeps the thread ────────────────────────────────────────────────


def test_removal_keeps_replies_and_numbers_and_shows_the_reason(client, post, moderator):
    first = CommentFactory(post=post, body="The first word.")
    removed = CommentFactory(post=post, parent=first, body="Something nasty.")
    reply = CommentFactory(post=post, parent=removed, body="A reply that stays.")
    last = CommentFactory(post=post, body="The last word.")
    actions.comment_remove(comment=removed, moderator=moderator, reason="Personal attack")
    page = client.get(post.get_absolute_url())
    assert shown_numbers(page) == [1, 2, 3, 4]
    assert [c.number for c in (first, removed, reply, last)] == [1, 2, 3, 4]
    assert "#2 [removed by a moderator: Personal attack]" in plain(page)
    assert "Something nasty." not in plain(page)
    assert "A reply that stays." in plain(page)


def test_a_removed_comment_without_replies_leaves_the_page(client, post, moderator):
    comment = CommentFactory(post=post, body="Gone soon.")
    CommentFactory(post=post)
    actions.comment_remove(comment=comment, moderator=moderator, reason="Spam link")
    assert shown_numbers(client.get(post.get_absolute_url())) == [2]


def test_the_reason_in_a_placeholder_is_escaped(client, post, moderator):
    removed = CommentFactory(post=post)
    CommentFactory(post=post, parent=removed)
    actions.comment_remove(comment=removed, moderator=moderator, reason="<b>rude</b>")
    assert "&lt;b&gt;rude&lt;/b&gt;" in client.get(post.get_absolute_url()).content.decode()


def test_a_new_comment_after_a_removal_gets_the_next_number(post, moderator):
    CommentFactory(post=post)
    removed = CommentFactory(post=post)
    actions.comment_remove(comment=removed, moderator=moderator, reason="Off-topic")
    assert CommentFactory(post=post).number == 3


# ─── Flags follow the decision ───────────────────────────────────────────────


def _flagged(post, readers):
    comment = CommentFactory(post=post)
    for reader in readers:
        Flag.objects.create(comment=comment, reader=reader, reason=Flag.Reason.ABUSE)
    return comment


def test_removing_a_flagged_comment_upholds_its_flags(post, moderator, reader):
    comment = _flagged(post, [reader])
    actions.comment_remove(comment=comment, moderator=moderator, reason="Abuse")
    assert Flag.objects.get().outcome == Flag.Outcome.UPHELD


def test_restoring_a_flagged_comment_dismisses_its_flags(post, moderator, reader):
    comment = _flagged(post, [reader])
    actions.comment_hold(comment=comment, moderator=moderator)
    actions.comment_publish(comment=comment, moderator=moderator)
    assert Flag.objects.get().outcome == Flag.Outcome.DISMISSED


def test_dismissing_flags_logs_and_republishes_a_comment_held_by_them(post, moderator, reader):
    comment = _flagged(post, [reader])
    Comment.objects.filter(pk=comment.pk).update(status=Status.PENDING)
    comment.refresh_from_db()
    actions.flags_dismiss(comment=comment, moderator=moderator, reason="Fair comment")
    logged = ModerationAction.objects.get()
    assert (logged.action, logged.status_before, logged.status_after) == (
        Action.DISMISS_FLAGS,
        Status.PENDING,
        Status.PUBLISHED,
    )
    assert Flag.objects.get().outcome == Flag.Outcome.DISMISSED
    assert _status(comment) == Status.PUBLISHED


def test_dismissing_flags_twice_changes_nothing_more(post, moderator, reader):
    comment = _flagged(post, [reader])
    actions.flags_dismiss(comment=comment, moderator=moderator)
    actions.flags_dismiss(comment=comment, moderator=moderator)
    assert ModerationAction.objects.count() == 1


# ─── Hard delete ─────────────────────────────────────────────────────────────


def test_only_a_superuser_deletes_for_good(post, moderator):
    comment = CommentFactory(post=post)
    with pytest.raises(PermissionDenied):
        actions.comment_delete_hard(comment=comment, moderator=moderator)
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_deleting_for_good_is_logged_with_the_number_kept(post, superuser):
    comment = CommentFactory(post=post)
    actions.comment_delete_hard(comment=comment, moderator=superuser, reason="Doxxing")
    logged = ModerationAction.objects.get()
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert (logged.action, logged.comment, logged.comment_number, logged.post) == (
        Action.DELETE,
        None,
        comment.number,
        post,
    )
    assert CommentFactory(post=post).number == comment.number + 1


def test_a_comment_with_replies_cannot_be_deleted_for_good(post, superuser):
    parent = CommentFactory(post=post)
    CommentFactory(post=post, parent=parent)
    with pytest.raises(ValidationError):
        actions.comment_delete_hard(comment=parent, moderator=superuser)
    assert Comment.objects.filter(pk=parent.pk).exists()


# ─── Bans ────────────────────────────────────────────────────────────────────


def test_a_ban_is_logged_with_its_length(moderator, reader):
    ban = actions.user_ban(user=reader, moderator=moderator, reason="Trolling", days=7)
    logged = ModerationAction.objects.get()
    assert (logged.action, logged.user, logged.reason, logged.is_public) == (
        Action.BAN,
        reader,
        "Trolling (for 7 days)",
        True,
    )
    assert ban.ends_at == pytest.approx(
        timezone.now() + timedelta(days=7), abs=timedelta(seconds=5)
    )


def test_a_permanent_ban_has_no_end(moderator, reader):
    assert (
        actions.user_ban(user=reader, moderator=moderator, reason="Spam", days=None).ends_at is None
    )


def test_a_shadow_ban_stays_off_the_public_log(moderator, reader):
    actions.user_ban(user=reader, moderator=moderator, reason="Spam", days=30, is_shadow=True)
    assert not ModerationAction.objects.public().exists()
    assert ModerationAction.objects.get().reason == "Spam (for 30 days, shadow-ban)"


def test_banning_again_for_no_longer_changes_nothing(moderator, reader):
    first = actions.user_ban(user=reader, moderator=moderator, reason="Spam", days=30)
    again = actions.user_ban(user=reader, moderator=moderator, reason="Spam", days=7)
    assert again == first
    assert ModerationAction.objects.count() == 1


def test_a_longer_ban_replaces_the_one_in_force(moderator, reader):
    first = actions.user_ban(user=reader, moderator=moderator, reason="Spam", days=1)
    longer = actions.user_ban(user=reader, moderator=moderator, reason="Spam again", days=None)
    first.refresh_from_db()
    assert first.lifted_at is not None
    assert list(Ban.objects.in_force()) == [longer]


def test_a_ban_needs_a_reason(moderator, reader):
    with pytest.raises(ValidationError):
        actions.user_ban(user=reader, moderator=moderator, reason="", days=1)


def test_a_superuser_cannot_be_banned(moderator, superuser):
    with pytest.raises(ValidationError):
        actions.user_ban(user=superuser, moderator=moderator, reason="Oops", days=1)


def test_a_reader_may_not_ban(reader, other_reader):
    with pytest.raises(PermissionDenied):
        actions.user_ban(user=other_reader, moderator=reader, reason="Annoying", days=1)


def test_lifting_a_ban_is_logged_once(moderator, reader):
    actions.user_ban(user=reader, moderator=moderator, reason="Spam", days=7)
    actions.user_unban(user=reader, moderator=moderator, reason="Apologised")
    actions.user_unban(user=reader, moderator=moderator, reason="Apologised")
    assert list(ModerationAction.objects.values_list("action", flat=True)) == [
        Action.UNBAN,
        Action.BAN,
    ]
    assert not Ban.objects.in_force().exists()


# ─── Closing threads ─────────────────────────────────────────────────────────


def test_closing_and_reopening_are_logged(post, moderator):
    actions.post_close_comments(post=post, moderator=moderator, reason="Heated")
    actions.post_close_comments(post=post, moderator=moderator, reason="Heated")
    assert not Post.objects.get(pk=post.pk).allow_comments
    actions.post_reopen_comments(post=post, moderator=moderator)
    assert Post.objects.get(pk=post.pk).allow_comments
    assert list(ModerationAction.objects.values_list("action", "post")) == [
        (Action.REOPEN, post.pk),
        (Action.CLOSE, post.pk),
    ]


def test_a_thread_closed_by_age_cannot_be_reopened_by_hand(settings, moderator):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = PostFactory(published_at=timezone.now() - timedelta(days=31))
    with pytest.raises(ValidationError):
        actions.post_reopen_comments(post=old, moderator=moderator)


# ─── Authors on their own posts ──────────────────────────────────────────────


@pytest.fixture
def authors_post(author):
    return PostFactory(author=author)


def test_authors_do_not_moderate_by_default(authors_post, author):
    comment = CommentFactory(post=authors_post)
    with pytest.raises(PermissionDenied):
        actions.comment_remove(comment=comment, moderator=author, reason="Rude")


def test_with_the_setting_authors_moderate_their_own_posts(settings, authors_post, author):
    settings.COMMENTS_AUTHORS_MODERATE = True
    comment = CommentFactory(post=authors_post)
    actions.comment_remove(comment=comment, moderator=author, reason="Rude")
    assert _status(comment) == Status.REMOVED


def test_with_the_setting_authors_still_keep_off_other_posts(settings, post, author):
    settings.COMMENTS_AUTHORS_MODERATE = True
    comment = CommentFactory(post=post)
    with pytest.raises(PermissionDenied):
        actions.comment_remove(comment=comment, moderator=author, reason="Rude")


def test_with_the_setting_authors_still_cannot_ban(settings, authors_post, author, reader):
    settings.COMMENTS_AUTHORS_MODERATE = True
    with pytest.raises(PermissionDenied):
        actions.user_ban(user=reader, moderator=author, reason="Rude", days=1)
