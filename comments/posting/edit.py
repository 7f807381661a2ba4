"""A writer's own changes after posting: edit within the window, withdraw (delete)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from blog.cache_keys import comments_changed
from blog.models import Post
from comments.models import Comment, CommentRevision
from comments.posting.checks import clean_comment_body
from comments.posting.references import quotes_refresh, render_comment_body


def edit_window() -> timedelta:
    """How long after posting an author may still edit a comment."""
    return timedelta(minutes=settings.COMMENTS_EDIT_WINDOW)


def edit_refusal(comment: Comment) -> str | None:
    """Why the author can no longer edit `comment`, or None while they still may."""
    if not comment.is_visible_to_author:
        return "This comment is no longer published, so it can't be edited."
    if timezone.now() > comment.created_at + edit_window():
        minutes = int(edit_window().total_seconds() // 60)
        return (
            "The edit window for this comment has closed: comments can be edited for "
            f"{minutes} minutes after posting; this one can no longer be changed."
        )
    return None


def comment_edit(*, comment: Comment, user, body: str) -> Comment:
    """Replace the body of one's own published comment within the edit window."""
    if comment.author_id is None or comment.author_id != getattr(user, "pk", None):
        raise PermissionDenied("You can only edit your own comments.")
    refusal = edit_refusal(comment)
    if refusal:
        raise PermissionDenied(refusal)
    body = clean_comment_body(body)
    if body == comment.body:
        return comment
    with transaction.atomic():
        CommentRevision.objects.create(
            comment=comment,
            body=comment.body,
            body_html=comment.body_html,
            written_at=comment.edited_at or comment.created_at,
        )
        comment.body = body
        comment.body_html, comment.referenced_numbers = render_comment_body(comment.post, body)
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "referenced_numbers", "edited_at"])
        thread_changed(comment.post_id)
    return comment


def comment_delete_own(*, comment: Comment, user) -> Comment:
    """Withdraw one's own comment: its number stays taken, its replies stay in place."""
    if comment.author_id is None or comment.author_id != getattr(user, "pk", None):
        raise PermissionDenied("You can only delete your own comments.")
    if comment.status == Comment.Status.DELETED:
        return comment
    if comment.status not in (
        Comment.Status.PUBLISHED,
        Comment.Status.PENDING,
        Comment.Status.SHADOWED,
    ):
        # A moderator's removal or spam mark stays what it is.
        raise PermissionDenied("A moderator has already taken this comment down.")
    with transaction.atomic():
        comment.status = Comment.Status.DELETED
        comment.save(update_fields=["status"])
        quotes_refresh(post=comment.post, number=comment.number)
        thread_changed(comment.post_id)
    return comment


def thread_changed(post_id: int) -> None:
    """Mark a post's comments as changed, so cached renderings are rebuilt."""
    Post.objects.filter(pk=post_id).update(comments_version=F("comments_version") + 1)
    comments_changed(post_id)
