"""The moderation log says what happened (issue 11): "approved #3 on <post>", "banned the
author of #7", the same words on the public log and in admin, for every kind of action."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import ModerationAction
from comments.moderation import actions
from comments.moderation.flags import flag_create
from comments.moderation.log import what_happened
from tests.comments.pages import plain
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

LOG = reverse("comments:moderation-log")
ADMIN_LOG = reverse("admin:comments_moderationaction_changelist")


def _said(entry: ModerationAction) -> str:
    """The sentence as a reader hears it (links dropped)."""
    return plain(type("Page", (), {"content": str(what_happened(entry)).encode()})())


def _last() -> ModerationAction:
    return ModerationAction.objects.for_log().newest_first().first()


def test_approving_says_approved_the_comment_on_its_post(post, moderator):
    comment = CommentFactory(post=post, pending=True)
    actions.comment_publish(comment=comment, moderator=moderator)
    assert _said(_last()) == f"approved #{comment.number} on {post.title}"


def test_removing_says_removed_the_comment_on_its_post(post, moderator):
    comment = CommentFactory(post=post)
    actions.comment_remove(comment=comment, moderator=moderator, reason="Rude")
    assert _said(_last()) == f"removed #{comment.number} on {post.title}"


def test_marking_spam_says_marked_the_comment_as_spam(post, moderator):
    comment = CommentFactory(post=post)
    actions.comment_mark_spam(comment=comment, moderator=moderator)
    assert _said(_last()) == f"marked #{comment.number} on {post.title} as spam"


def test_restoring_says_restored_the_comment(post, moderator):
    comment = CommentFactory(post=post, removed=True)
    actions.comment_restore(comment=comment, moderator=moderator)
    assert _said(_last()) == f"restored #{comment.number} on {post.title}"


def test_holding_says_held_the_comment_for_review(post, moderator):
    comment = CommentFactory(post=post)
    actions.comment_hold(comment=comment, moderator=moderator)
    assert _said(_last()) == f"held #{comment.number} on {post.title} for review"


def test_dismissing_flags_says_dismissed_the_flags_on_the_comment(post, moderator, reader):
    comment = CommentFactory(post=post)
    flag_create(comment=comment, reader=reader, reason="spam")
    actions.flags_dismiss(comment=comment, moderator=moderator)
    assert _said(_last()) == f"dismissed the flags on #{comment.number} on {post.title}"


def test_deleting_says_deleted_the_comment_for_good_without_a_link(post, superuser):
    comment = CommentFactory(post=post)
    number = comment.number
    actions.comment_delete_hard(comment=comment, moderator=superuser)
    entry = _last()
    assert _said(entry) == f"deleted #{number} on {post.title} for good"
    assert "/comments/" not in str(what_happened(entry))


def test_banning_from_a_comment_says_banned_the_author_of_that_comment(post, moderator, reader):
    comment = CommentFactory(post=post, author=reader)
    actions.user_ban(user=reader, moderator=moderator, reason="Trolling", days=7, comment=comment)
    assert _said(_last()) == f"banned the author of #{comment.number} on {post.title}"


def test_banning_without_a_comment_names_the_reader(moderator, reader):
    actions.user_ban(user=reader, moderator=moderator, reason="Trolling", days=7)
    assert _said(_last()) == f"banned {reader.public_name}"


def test_lifting_a_ban_says_lifted_the_ban_on_the_reader(moderator, reader):
    actions.user_ban(user=reader, moderator=moderator, reason="Trolling", days=7)
    actions.user_unban(user=reader, moderator=moderator)
    assert _said(_last()) == f"lifted the ban on {reader.public_name}"


def test_closing_says_closed_the_comments_on_the_post(post, moderator):
    actions.post_close_comments(post=post, moderator=moderator)
    assert _said(_last()) == f"closed the comments on {post.title}"


def test_reopening_says_reopened_the_comments_on_the_post(post, moderator):
    actions.post_close_comments(post=post, moderator=moderator)
    actions.post_reopen_comments(post=post, moderator=moderator)
    assert _said(_last()) == f"reopened the comments on {post.title}"


def test_the_sentence_links_the_comment_and_the_post(post, moderator):
    comment = CommentFactory(post=post)
    actions.comment_remove(comment=comment, moderator=moderator, reason="Rude")
    sentence = str(what_happened(_last()))
    assert f'<a href="{comment.get_absolute_url()}">#{comment.number}</a>' in sentence
    assert f'<a href="{post.get_absolute_url()}">' in sentence


def test_the_sentence_escapes_the_post_title(moderator):
    comment = CommentFactory(post__title="<b>Bold</b> claims")
    actions.comment_remove(comment=comment, moderator=moderator, reason="Rude")
    assert "&lt;b&gt;Bold&lt;/b&gt; claims" in str(what_happened(_last()))


def test_the_public_log_says_what_happened(client, post, moderator, reader):
    comment = CommentFactory(post=post, author=reader)
    actions.user_ban(user=reader, moderator=moderator, reason="Trolling", days=7, comment=comment)
    page = plain(client.get(LOG))
    assert (
        f"A moderator banned the author of #{comment.number} on {post.title}: "
        "Trolling (for 7 days)" in page
    )


def test_the_admin_log_says_what_happened(post, moderator):
    comment = CommentFactory(post=post, pending=True)
    actions.comment_publish(comment=comment, moderator=moderator)
    client = Client()
    client.force_login(moderator)
    assert f"approved #{comment.number} on {post.title}" in plain(client.get(ADMIN_LOG))


def test_a_ban_of_a_deleted_account_still_reads(moderator):
    banned = UserFactory(username="gone")
    actions.user_ban(user=banned, moderator=moderator, reason="Spam", days=1)
    banned.delete()
    assert _said(_last()) == "banned a deleted account"
