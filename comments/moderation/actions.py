"""Moderator actions: each one checks who may do it, makes the change, logs it, refreshes caches.

Every function here writes one `ModerationAction` row per change (who, when,
what, which comment, user or post, the reason, the status before and after) and
calls `thread_changed()` for the post concerned. Repeating an action that is
already in effect changes nothing and logs nothing. Refusals raise
`PermissionDenied` (not allowed) or `ValidationError` (a message the moderator
can act on) before anything is written.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from blog.models import Post
from comments.models import Ban, Comment, Flag, ModerationAction
from comments.moderation.permissions import (
    can_ban,
    can_close,
    can_delete_for_good,
    can_moderate,
)
from comments.posting import comments_closed_by_age, quotes_refresh, thread_changed
from comments.tasks import notifications_enqueue

REASON_MAX_LENGTH = 300
BAN_MAX_DAYS = 3650
Status = Comment.Status
Action = ModerationAction.Action


def clean_reason(reason: str | None, *, required: bool = False, what: str = "this") -> str:
    """A moderator's reason: one line, at most 300 characters; refuses an empty required one."""
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise ValidationError({"reason": f"Give a reason for {what}; readers see it."})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"Keep the reason under {REASON_MAX_LENGTH} characters ({len(reason)} now)."}
        )
    return reason


def _log(*, action: str, moderator, **fields) -> ModerationAction:
    return ModerationAction.objects.create(action=action, moderator=moderator, **fields)


# ─── Comment status ──────────────────────────────────────────────────────────


def _change_status(
    *, comment: Comment, moderator, status: str, action: str, reason: str = ""
) -> Comment:
    """Move a comment to `status` under a row lock, resolve its flags, log, refresh caches."""
    if not can_moderate(moderator, comment.post):
        raise PermissionDenied("Only moderators can moderate comments.")
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update()
            .only("status", "moderation_reason", "author_id", "post_id", "number")
            .get(pk=comment.pk)
        )
        before = locked.status
        if before == Status.DELETED:
            raise ValidationError(
                f"Comment #{locked.number} was deleted by its author; there is nothing to moderate."
            )
        if before == status:
            comment.status, comment.moderation_reason = before, locked.moderation_reason
            return comment
        Comment.objects.filter(pk=comment.pk).update(status=status, moderation_reason=reason)
        if (before in Comment.UNQUOTABLE_STATUSES) != (status in Comment.UNQUOTABLE_STATUSES):
            quotes_refresh(post=comment.post, number=locked.number)
        outcome = {
            Status.PUBLISHED: Flag.Outcome.DISMISSED,
            Status.REMOVED: Flag.Outcome.UPHELD,
            Status.SPAM: Flag.Outcome.UPHELD,
        }.get(status)
        if outcome is not None:
            Flag.objects.open().filter(comment_id=comment.pk).update(
                outcome=outcome, resolved_at=timezone.now()
            )
        _log(
            action=action,
            moderator=moderator,
            post_id=locked.post_id,
            comment_id=comment.pk,
            comment_number=locked.number,
            user_id=locked.author_id,
            reason=reason,
            status_before=before,
            status_after=status,
        )
        thread_changed(locked.post_id)
    comment.status, comment.moderation_reason = status, reason
    return comment


def comment_publish(*, comment: Comment, moderator, reason: str = "") -> Comment:
    """Approve a held (or shadow-banned) comment: readers see it; open flags are dismissed."""
    reason = clean_reason(reason)
    with transaction.atomic():
        published = _change_status(
            comment=comment,
            moderator=moderator,
            status=Status.PUBLISHED,
            action=Action.PUBLISH,
            reason=reason,
        )
        # Readers following the thread hear about a held reply once it is approved (once
        # only: the job records one notification per reader and comment).
        notifications_enqueue(comment=published)
    return published


def comment_remove(*, comment: Comment, moderator, reason: str) -> Comment:
    """Take a comment down with a reason readers see in its place; numbers and replies stay."""
    reason = clean_reason(reason, required=True, what="removing a comment")
    return _change_status(
        comment=comment,
        moderator=moderator,
        status=Status.REMOVED,
        action=Action.REMOVE,
        reason=reason,
    )


def comment_mark_spam(*, comment: Comment, moderator, reason: str = "") -> Comment:
    """Take a comment down as spam; its open flags count as upheld."""
    reason = clean_reason(reason)
    return _change_status(
        comment=comment,
        moderator=moderator,
        status=Status.SPAM,
        action=Action.SPAM,
        reason=reason,
    )


def comment_restore(*, comment: Comment, moderator, reason: str = "") -> Comment:
    """Put a removed or spam-marked comment back up, as it was."""
    reason = clean_reason(reason)
    return _change_status(
        comment=comment,
        moderator=moderator,
        status=Status.PUBLISHED,
        action=Action.RESTORE,
        reason=reason,
    )


def comment_hold(*, comment: Comment, moderator, reason: str = "") -> Comment:
    """Hide a comment until a moderator decides (status pending)."""
    reason = clean_reason(reason)
    return _change_status(
        comment=comment,
        moderator=moderator,
        status=Status.PENDING,
        action=Action.HOLD,
        reason=reason,
    )


def flags_dismiss(*, comment: Comment, moderator, reason: str = "") -> Comment:
    """Judge a flagged comment fine: open flags are dismissed and, if they held it, it's back."""
    if not can_moderate(moderator, comment.post):
        raise PermissionDenied("Only moderators can dismiss flags.")
    reason = clean_reason(reason)
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update()
            .only("status", "author_id", "post_id", "number")
            .get(pk=comment.pk)
        )
        dismissed = Flag.objects.open().filter(comment_id=comment.pk)
        if not dismissed.update(outcome=Flag.Outcome.DISMISSED, resolved_at=timezone.now()):
            return comment
        # Readers can't flag what they can't see: a held comment with flags was held by them.
        after = Status.PUBLISHED if locked.status == Status.PENDING else locked.status
        if after != locked.status:
            Comment.objects.filter(pk=comment.pk).update(status=after, moderation_reason="")
        _log(
            action=Action.DISMISS_FLAGS,
            moderator=moderator,
            post_id=locked.post_id,
            comment_id=comment.pk,
            comment_number=locked.number,
            user_id=locked.author_id,
            reason=reason,
            status_before=locked.status,
            status_after=after,
        )
        thread_changed(locked.post_id)
    comment.status = after
    return comment


def comment_approve(*, comment: Comment, moderator, reason: str = "") -> Comment:
    """Judge a comment fine, whatever brought it to the queue: publish it if held or
    shadowed, dismiss its open flags if published, restore it if taken down."""
    if comment.status in (Status.PENDING, Status.SHADOWED):
        return comment_publish(comment=comment, moderator=moderator, reason=reason)
    if comment.status in (Status.REMOVED, Status.SPAM):
        return comment_restore(comment=comment, moderator=moderator, reason=reason)
    return flags_dismiss(comment=comment, moderator=moderator, reason=reason)


def comment_delete_hard(*, comment: Comment, moderator, reason: str = "") -> None:
    """Delete a comment from the database (superusers only); its number is never reused."""
    if not can_delete_for_good(moderator):
        raise PermissionDenied("Only superusers can delete comments for good.")
    reason = clean_reason(reason)
    with transaction.atomic():
        if Comment.objects.filter(parent_id=comment.pk).exists():
            raise ValidationError(
                f"Comment #{comment.number} has replies; remove it instead, so the thread "
                "keeps its shape."
            )
        _log(
            action=Action.DELETE,
            moderator=moderator,
            post_id=comment.post_id,
            comment_number=comment.number,
            user_id=comment.author_id,
            reason=reason,
            status_before=comment.status,
        )
        comment.delete()
        quotes_refresh(post=comment.post, number=comment.number, deleted_for_good=True)
        thread_changed(comment.post_id)


# ─── Bans ────────────────────────────────────────────────────────────────────


def user_ban(
    *,
    user,
    moderator,
    reason: str,
    days: int | None,
    is_shadow: bool = False,
    comment: Comment | None = None,
) -> Ban:
    """Bar a registered reader from commenting for `days` (None: for good).

    A new ban replaces the one in force unless that one already goes as far (ban
    lengths count in days: ending less than a day later is not going further).
    """
    if not can_ban(moderator):
        raise PermissionDenied("Only moderators can ban readers.")
    reason = clean_reason(reason, required=True, what="a ban")
    if days is not None and not 1 <= days <= BAN_MAX_DAYS:
        raise ValidationError({"days": f"Ban for 1 to {BAN_MAX_DAYS} days, or for good."})
    if user.pk == moderator.pk:
        raise ValidationError("You can't ban yourself.")
    if user.is_superuser:
        raise ValidationError(f"{user.public_name} is a superuser and can't be banned.")
    now = timezone.now()
    ends_at = now + timedelta(days=days) if days is not None else None
    with transaction.atomic():
        current = Ban.objects.select_for_update().filter(user=user, lifted_at__isnull=True).first()
        if (
            current is not None
            and current.is_in_force
            and current.is_shadow == is_shadow
            and (
                current.ends_at is None
                or (ends_at is not None and current.ends_at > ends_at - timedelta(days=1))
            )
        ):
            return current
        if current is not None:
            Ban.objects.filter(pk=current.pk).update(lifted_at=now)
        ban = Ban.objects.create(
            user=user,
            moderator=moderator,
            reason=reason,
            created_at=now,
            ends_at=ends_at,
            is_shadow=is_shadow,
        )
        _log(
            action=Action.BAN,
            moderator=moderator,
            user=user,
            post_id=comment.post_id if comment is not None else None,
            comment=comment,
            comment_number=comment.number if comment is not None else None,
            reason=f"{reason} ({ban_length_text(days)}{', shadow-ban' if is_shadow else ''})",
            is_public=not is_shadow,
        )
    return ban


def ban_consequence_text(*, user, days: int | None, is_shadow: bool) -> str:
    """What user_ban would do to `user`, in words, for the moderator's confirmation step."""
    name = user.public_name
    if days is None:
        until = "again unless a moderator lifts the ban"
    else:
        ends_at = timezone.localtime(timezone.now() + timedelta(days=days))
        until = f"until {ends_at.day} {ends_at:%B %Y, %H:%M} ({ends_at.tzname()})"
    if is_shadow:
        return (
            f"Shadow-bans {name} {ban_length_text(days)}: their new comments are shown to them "
            f"alone {until}. They are not told; only moderators see this ban in the log."
        )
    return (
        f"Bans {name} {ban_length_text(days)}: they cannot post or reply {until}. Their "
        "comments stay as they are; the public moderation log records the ban."
    )


def ban_length_text(days: int | None) -> str:
    """ "for 7 days", "for 1 day" or "for good"."""
    if days is None:
        return "for good"
    return f"for {days} day{'' if days == 1 else 's'}"


def user_unban(*, user, moderator, reason: str = "") -> Ban | None:
    """Lift the ban in force on a reader; None when there was none."""
    if not can_ban(moderator):
        raise PermissionDenied("Only moderators can lift bans.")
    reason = clean_reason(reason)
    with transaction.atomic():
        current = Ban.objects.select_for_update().filter(user=user, lifted_at__isnull=True).first()
        if current is None:
            return None
        current.lifted_at = timezone.now()
        current.save(update_fields=["lifted_at"])
        if current.ends_at is None or current.ends_at > current.lifted_at:
            _log(
                action=Action.UNBAN,
                moderator=moderator,
                user=user,
                reason=reason,
                is_public=not current.is_shadow,
            )
    return current


# ─── Closing threads ─────────────────────────────────────────────────────────


def post_close_comments(*, post: Post, moderator, reason: str = "") -> Post:
    """Stop a post taking comments; what was said stays readable."""
    return _set_open(post=post, moderator=moderator, is_open=False, reason=reason)


def post_reopen_comments(*, post: Post, moderator, reason: str = "") -> Post:
    """Let a post closed by hand take comments again."""
    return _set_open(post=post, moderator=moderator, is_open=True, reason=reason)


def _set_open(*, post: Post, moderator, is_open: bool, reason: str) -> Post:
    if not can_close(moderator, post):
        raise PermissionDenied("Only moderators can close or reopen comments.")
    reason = clean_reason(reason)
    if is_open and comments_closed_by_age(post):
        raise ValidationError(
            "This post's comments closed by themselves because of its age "
            "(COMMENTS_CLOSE_AFTER_DAYS); they can't be reopened by hand."
        )
    with transaction.atomic():
        locked = Post.objects.select_for_update().only("allow_comments").get(pk=post.pk)
        if locked.allow_comments == is_open:
            post.allow_comments = is_open
            return post
        Post.objects.filter(pk=post.pk).update(allow_comments=is_open)
        _log(
            action=Action.REOPEN if is_open else Action.CLOSE,
            moderator=moderator,
            post_id=post.pk,
            reason=reason,
        )
        thread_changed(post.pk)
    post.allow_comments = is_open
    return post
