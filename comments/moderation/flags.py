"""Readers flag comments; when enough distinct readers did, the comment is held for review.

The comment's row is locked while a flag is added and the open flags weighed,
so concurrent flaggers queue up: the one whose flag reaches
`COMMENTS_FLAG_THRESHOLD` holds the comment, exactly once, and later flags find
it already held.

Flags weigh by the reader's standing, so a handful of fresh accounts cannot
hold whatever they like: a flag counts fully from staff and from readers whose
account is `COMMENTS_FLAG_FULL_WEIGHT_DAYS` old and who have a published
comment; from anyone else it counts a third. A reader may flag at most
`COMMENTS_FLAGS_PER_DAY` comments in 24 hours, also when the flags are sent at once.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, Exists, Min, OuterRef, Q, Sum, Value, When
from django.utils import timezone

from accounts.models import User
from comments.models import Comment, Flag, ModerationAction
from comments.moderation.permissions import can_moderate
from comments.posting import thread_changed
from comments.tasks import moderators_alert
from jobs.outbox import enqueue

NOTE_MAX_LENGTH = 500


# A flag from a reader without standing counts this fraction of a full one.
LIGHT_FLAG_SHARES, FULL_FLAG_SHARES = 1, 3


def flag_threshold() -> int:
    return max(1, settings.COMMENTS_FLAG_THRESHOLD)


def flags_per_day() -> int:
    return settings.COMMENTS_FLAGS_PER_DAY


def full_weight_days() -> int:
    return settings.COMMENTS_FLAG_FULL_WEIGHT_DAYS


def flag_weight_of_standing() -> Case:
    """A flag's weight in shares: full from staff and established readers, else a third.

    Established: an account `COMMENTS_FLAG_FULL_WEIGHT_DAYS` old with a published comment.
    """
    established = Q(reader__date_joined__lte=timezone.now() - timedelta(days=full_weight_days()))
    has_published = Exists(
        Comment.objects.filter(author=OuterRef("reader"), status=Comment.Status.PUBLISHED)
    )
    return Case(
        When(reader__is_staff=True, then=Value(FULL_FLAG_SHARES)),
        When(established & Q(has_published), then=Value(FULL_FLAG_SHARES)),
        default=Value(LIGHT_FLAG_SHARES),
    )


def daily_cap_refusal(reader) -> ValidationError | None:
    """Why this reader may flag nothing more today (COMMENTS_FLAGS_PER_DAY), or None."""
    cap = flags_per_day()
    if not cap or can_moderate(reader):
        return None
    since = timezone.now() - timedelta(days=1)
    recent = Flag.objects.filter(reader=reader, created_at__gt=since).aggregate(
        count=Count("id"), oldest=Min("created_at")
    )
    if recent["count"] < cap:
        return None
    again = timezone.localtime(recent["oldest"] + timedelta(days=1))
    return ValidationError(
        f"You have flagged {cap} comment{'' if cap == 1 else 's'} in the last 24 hours, "
        "as many as one reader may. "
        f"Moderators will look at those; you can flag again from {again:%-d %B, %H:%M} "
        f"({again:%Z}).",
        code="flags_per_day",
    )


def flag_create(*, comment: Comment, reader, reason: str, note: str = "") -> Flag:
    """Record a registered reader's flag on someone else's published comment; returns it.

    A reader flags a comment once: flagging it again returns the first flag
    unchanged. The flag that brings the open flags' weight to the threshold
    holds the comment (pending) and logs that as an automatic moderation action.
    Past the daily cap a new flag is refused.
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
        # The reader's row, locked until commit: their flags on other comments, each under
        # its own comment's lock, are counted one after the other, so the cap holds.
        # (NO KEY: rows that only point at the reader, like the new flag, are not held up.)
        User.objects.select_for_update(no_key=True).filter(pk=reader.pk).exists()
        refusal = daily_cap_refusal(reader)
        if refusal is not None:
            raise refusal
        flag = Flag.objects.create(comment_id=comment.pk, reader=reader, reason=reason, note=note)
        open_flags = (
            Flag.objects.open()
            .filter(comment_id=comment.pk)
            .aggregate(count=Count("id"), shares=Sum(flag_weight_of_standing()))
        )
        if open_flags["shares"] >= flag_threshold() * FULL_FLAG_SHARES:
            _hold_by_flags(locked, open_flags["count"])
    return flag


def _hold_by_flags(comment: Comment, count: int) -> None:
    reason = f"Held for review after {count} readers flagged it."
    Comment.objects.filter(pk=comment.pk).update(
        status=Comment.Status.PENDING, moderation_reason=reason
    )
    held = ModerationAction.objects.create(
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
    if settings.COMMENTS_NOTIFY_MODERATORS:
        # Queued with the hold itself: the alert exists exactly when the hold committed.
        enqueue(moderators_alert, comment_id=comment.pk, action_id=held.pk)
