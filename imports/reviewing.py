"""Moderators' review of inferred threads and impersonation suspects.

Each decision is kept on the `ImportedComment` (re-imports never undo it),
moves the comment in its thread when the parent changes (the post's thread keys
are rebuilt), and writes one `ModerationAction` row. Repeating a decision
already in effect changes and logs nothing. Review actions are not on the
public moderation log: they reorder threads, they take nothing down.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from comments.importing import comment_move
from comments.models import Comment, ModerationAction
from comments.moderation.permissions import can_moderate
from imports.models import ImpersonationSuspect, ImportedComment

Review = ImportedComment.ReviewState


def _check(imported: ImportedComment, moderator) -> None:
    if not can_moderate(moderator, imported.post):
        raise PermissionDenied("Only moderators can review imported threads.")


def _decide(
    *, imported: ImportedComment, moderator, state: str, parent: Comment | None, action: str
) -> ImportedComment:
    """Record a review decision, move the comment if its parent changes, log it."""
    _check(imported, moderator)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=imported.comment_id)
        new_parent_number = parent.number if parent else None
        moves = comment.parent_number != new_parent_number
        if imported.review_state == state and not moves:
            return imported
        before = f"#{comment.parent_number}" if comment.parent_number else "top level"
        if moves:
            comment_move(comment=comment, parent=parent)
            imported.comment = comment
        after = f"#{new_parent_number}" if new_parent_number else "top level"
        imported.review_state = state
        imported.reviewed_by = moderator
        imported.reviewed_at = timezone.now()
        imported.save(update_fields=["review_state", "reviewed_by", "reviewed_at"])
        ModerationAction.objects.create(
            action=action,
            moderator=moderator,
            post_id=comment.post_id,
            comment_id=comment.pk,
            comment_number=comment.number,
            user_id=comment.author_id,
            reason=(
                f"Reply link found by “{imported.rule or 'export'}”: {before} → {after}"
                if moves
                else f"Reply link found by “{imported.rule or 'export'}” to {after} is right"
            )[:300],
            is_public=False,
        )
    return imported


def link_accept(*, imported: ImportedComment, moderator) -> ImportedComment:
    """Confirm the parent the import chose; the comment stays where it is."""
    comment = imported.comment
    parent = comment.parent if comment.parent_id else None
    return _decide(
        imported=imported,
        moderator=moderator,
        state=Review.ACCEPTED,
        parent=parent,
        action=ModerationAction.Action.ACCEPT_LINK,
    )


def link_make_top_level(*, imported: ImportedComment, moderator) -> ImportedComment:
    """Detach the comment from the parent inference gave it; its replies move with it."""
    return _decide(
        imported=imported,
        moderator=moderator,
        state=Review.TOP_LEVEL,
        parent=None,
        action=ModerationAction.Action.REPARENT,
    )


def link_change_parent(
    *, imported: ImportedComment, moderator, parent_number: int
) -> ImportedComment:
    """Hang the comment under another, older comment of the same post."""
    _check(imported, moderator)
    number = imported.comment.number
    parent = Comment.objects.filter(post_id=imported.post_id, number=parent_number).first()
    if parent is None:
        raise ValidationError(f"There is no comment #{parent_number} on this post.")
    if parent_number >= number:
        raise ValidationError(
            f"Comment #{number} can only answer an older comment (a number below {number})."
        )
    return _decide(
        imported=imported,
        moderator=moderator,
        state=Review.CHANGED,
        parent=parent,
        action=ModerationAction.Action.REPARENT,
    )


def suspect_decide(*, suspect: ImpersonationSuspect, moderator, state: str) -> ImpersonationSuspect:
    """Confirm or dismiss an impersonation suspect (taking the comment down is a separate act)."""
    if not can_moderate(moderator, suspect.post):
        raise PermissionDenied("Only moderators can review impersonation suspects.")
    if suspect.state != state:
        ImpersonationSuspect.objects.filter(pk=suspect.pk).update(state=state)
        suspect.state = state
    return suspect
