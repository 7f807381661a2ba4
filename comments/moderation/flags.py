"""Readers flag comments; when enough distinct readers did, the comment is held for review.

The comment's row is locked while a flag is added and the open flags counted,
so concurrent flaggers queue up: the one whose flag reaches
`COMMENTS_FLAG_THRESHOLD` holds the comment, exactly once, and later flags find
it already held.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from comments.models import Comment, Flag, ModerationAction
from comments.posting import thread_changed
from comments.rendering import flags_changed

NOTE_MAX_LENGTH = 500
logger = logging.getLogger(__name__)


def flag_threshold() -> int:
    return max(1, getattr(settings, "COMMENTS_FLAG_THRESHOLD", 3))


def flag_create(*, comment: Comment, reader, reason: str, note: str = "") -> Flag:
    """Record a registered reader's flag on someone else's published comment; returns it.

    A reader flags a comment once: flagging it again returns the first flag
    unchanged. The flag that brings the open flags to the threshold holds the
    comment (pending) and logs that as an automatic moderation action.
    """
    if not (reader.is_authenticated and reader.is_active):
        raise PermissionDenied("Sign in to flag comments.")
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": "Choose what is wrong with the comment."})
    note = (note or "").strip()
    if reason == Flag.Reason.OTHER and not note:
        raise ValidationError({"note": "Say in a few words what is wrong with the comment."})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": f"Keep the note under {NOTE_MAX_LENGTH} characters."})
    if comment.author_id is not None and comment.author_id == reader.pk:
        raise ValidationError("You can't flag your own comment; delete or edit it instead.")
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update()
            .only("status", "author_id", "post_id", "number")
            .get(pk=comment.pk)
        )
        earlier = Flag.objects.filter(comment_id=comment.pk, reader=reader).first()
        if earlier is not None:
            return earlier
        if locked.status != Comment.Status.PUBLISHED:
            raise ValidationError(
                f"Comment #{locked.number} is no longer shown to readers, so it can't be flagged."
            )
        flag = Flag.objects.create(comment_id=comment.pk, reader=reader, reason=reason, note=note)
        transaction.on_commit(lambda: flags_changed(locked.post_id))
        open_flags = Flag.objects.open().filter(comment_id=comment.pk).count()
        if open_flags >= flag_threshold():
            _hold_by_flags(locked, open_flags)
    return flag


def _hold_by_flags(comment: Comment, count: int) -> None:
    reason = f"Held for review after {count} readers flagged it."
    Comment.objects.filter(pk=comment.pk).update(
        status=Comment.Status.PENDING, moderation_reason=reason
    )
    ModerationAction.objects.create(
        action=ModerationAction.Action.HOLD,
        is_automatic=True,
        post_id=comment.post_id,
        comment_id=comment.pk,
        comment_number=comment.number,
        user_id=comment.author_id,
        reason=reason,
        status_before=Comment.Status.PUBLISHED,
        status_after=Comment.Status.PENDING,
    )
    thread_changed(comment.post_id)
    if getattr(settings, "COMMENTS_NOTIFY_MODERATORS", True):
        transaction.on_commit(lambda: notify_moderators_of_hold(comment.pk))


def moderator_emails() -> list[str]:
    """Addresses of active superusers and of everyone allowed to moderate comments."""
    may_moderate = Q(codename="change_comment", content_type__app_label="comments")
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    permission = Permission.objects.filter(may_moderate)
    users = users.filter(
        Q(is_superuser=True)
        | Q(user_permissions__in=permission)
        | Q(groups__permissions__in=permission)
    )
    return sorted(set(users.values_list("email", flat=True)))


def notify_moderators_of_hold(comment_id: int) -> None:
    """Email the moderators that readers' flags held a comment (best effort)."""
    comment = Comment.objects.select_related("post").filter(pk=comment_id).first()
    recipients = moderator_emails()
    if comment is None or not recipients:
        return
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    admin_url = site + reverse("admin:comments_comment_change", args=[comment.pk])
    try:
        send_mail(
            subject=f"[{settings.SITE_NAME}] Comment #{comment.number} held after flags",
            message=(
                f"Readers flagged comment #{comment.number} on “{comment.post.title}” often "
                f"enough that it is now hidden until a moderator decides.\n\n"
                f"In context: {site}{comment.get_absolute_url()}\nIn admin: {admin_url}\n"
            ),
            from_email=None,
            recipient_list=recipients,
        )
    except OSError:
        logger.exception("Could not email moderators about held comment %s", comment_id)
