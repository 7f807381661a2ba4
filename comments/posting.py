"""Writing comments: create, edit, delete. Every write to a thread goes through here.

Numbers and thread positions are assigned while the post's row is locked
(SELECT … FOR UPDATE), so concurrent posting never duplicates or skips a number.
"""

import unicodedata
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.names import name_is_reserved
from blog.markup import REFERENCE_RE, render_comment_markdown
from blog.models import Post
from comments.models import Comment, CommentRevision

MAX_BODY_LENGTH = 10_000


class CommentsClosed(PermissionDenied):
    """The post does not take comments (closed by hand or comments disallowed)."""


def clean_comment_body(body: str) -> str:
    """The body without surrounding whitespace; refuses what no reader meant to send."""
    if body is None or not body.strip():
        raise ValidationError("Write something before posting.", code="empty")
    if any(unicodedata.category(ch) == "Cs" for ch in body):
        raise ValidationError(
            "The text contains broken characters (lone surrogates); retype or re-paste it.",
            code="surrogates",
        )
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in body):
        raise ValidationError(
            "The text contains invisible control characters; remove them and try again.",
            code="control_characters",
        )
    body = body.strip().replace("\r\n", "\n")
    if len(body) > MAX_BODY_LENGTH:
        raise ValidationError(
            f"Comments can be at most {MAX_BODY_LENGTH:,} characters; this one has {len(body):,}.",
            code="too_long",
        )
    return body


def clean_guest_identity(*, name: str, email: str) -> tuple[str, str]:
    """A guest's name and email, checked: both present, name not someone's account."""
    if not getattr(settings, "COMMENTS_ALLOW_GUESTS", True):
        raise ValidationError("Sign in to comment; this blog does not take guest comments.")
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"guest_name": "Give a name to comment under."})
    if not email:
        raise ValidationError({"guest_email": "Give an email address (it is never shown)."})
    if name_is_reserved(name):
        raise ValidationError(
            {
                "guest_name": f"“{name}” is the name of a registered reader. If it is yours, "
                "sign in to comment under it; otherwise choose another name."
            }
        )
    return name, email.strip()


def reference_url_for(post: Post, numbers: set[int]):
    """A function mapping a cited number to its permalink when the post has that comment."""

    def url(number: int) -> str | None:
        if number not in numbers:
            return None
        return Comment(post=post, number=number).get_absolute_url()

    return url


def _thread_slot(post: Post, parent: Comment) -> tuple[int, int | None]:
    """(position for a new last reply of `parent`, first position to shift or None)."""
    thread = Comment.objects.filter(post=post, root_number=parent.root_number)
    bounds = thread.aggregate(
        after=Min(
            "thread_position",
            filter=Q(thread_position__gt=parent.thread_position, depth__lte=parent.depth),
        ),
        last=Max("thread_position"),
    )
    if bounds["after"] is None:
        return bounds["last"] + 1, None
    return bounds["after"], bounds["after"]


def comment_create(
    *,
    post: Post,
    body: str,
    author=None,
    guest_name: str = "",
    guest_email: str = "",
    parent_number: int | None = None,
    ip_address: str | None = None,
    submission_token: uuid.UUID | None = None,
    created_at: datetime | None = None,
) -> Comment:
    """Post a comment or reply on a live post that takes comments; returns it.

    A repeated `submission_token` returns the comment the first submit created.
    """
    if not post.is_live:
        raise Post.DoesNotExist("No such post.")
    body = clean_comment_body(body)
    if author is None:
        guest_name, guest_email = clean_guest_identity(name=guest_name, email=guest_email)
    parent = None
    if parent_number is not None:
        parent = Comment.objects.filter(post=post, number=parent_number).first()
        if parent is None:
            raise ValidationError(
                {"parent": f"There is no comment #{parent_number} on this post to reply to."}
            )
        if not parent.is_visible:
            raise ValidationError(
                {"parent": f"Comment #{parent_number} is not published; you can't reply to it."}
            )

    with transaction.atomic():
        locked = Post.objects.select_for_update().only("last_comment_number", "allow_comments")
        if submission_token is not None:
            # Checked under the lock: a second submit waits for the first to commit.
            locked = locked.annotate(
                duplicate_id=Subquery(
                    Comment.objects.filter(
                        post=OuterRef("pk"), submission_token=submission_token
                    ).values("pk")[:1]
                )
            )
        locked = locked.get(pk=post.pk)
        if getattr(locked, "duplicate_id", None) is not None:
            return Comment.objects.get(pk=locked.duplicate_id)
        if not locked.allow_comments:
            raise CommentsClosed("Comments are closed on this post.")
        number = locked.last_comment_number + 1
        comment = Comment(
            post=post,
            number=number,
            author=author,
            guest_name=guest_name if author is None else "",
            guest_email=guest_email if author is None else "",
            body=body,
            ip_address=ip_address,
            submission_token=submission_token,
            created_at=created_at or timezone.now(),
        )
        if parent is None:
            comment.root_number, comment.thread_position, comment.depth = number, 0, 0
        else:
            position, shift_from = _thread_slot(post, parent)
            if shift_from is not None:
                Comment.objects.filter(
                    post=post,
                    root_number=parent.root_number,
                    thread_position__gte=shift_from,
                ).update(thread_position=F("thread_position") + 1)
            comment.parent = parent
            comment.parent_number = parent.number
            comment.root_number = parent.root_number
            comment.thread_position = position
            comment.depth = parent.depth + 1
        comment.body_html, comment.referenced_numbers = render_comment_body(post, body)
        comment.save(force_insert=True)
        Post.objects.filter(pk=post.pk).update(
            last_comment_number=number, comments_version=F("comments_version") + 1
        )
    return comment


def render_comment_body(post: Post, body: str) -> tuple[str, list[int]]:
    """Body HTML and cited numbers; @N/#N link only to comments the post really has."""
    candidates = {int(match.group(1)) for match in REFERENCE_RE.finditer(body)}
    existing = (
        set(
            Comment.objects.filter(post=post, number__in=candidates).values_list(
                "number", flat=True
            )
        )
        if candidates
        else set()
    )
    return render_comment_markdown(body, reference_url=reference_url_for(post, existing))


def edit_window() -> timedelta:
    return timedelta(minutes=getattr(settings, "COMMENTS_EDIT_WINDOW", 15))


def comment_edit(*, comment: Comment, user, body: str) -> Comment:
    """Replace the body of one's own published comment within the edit window."""
    if comment.author_id is None or comment.author_id != getattr(user, "pk", None):
        raise PermissionDenied("You can only edit your own comments.")
    if not comment.is_visible:
        raise PermissionDenied("This comment can no longer be edited.")
    if timezone.now() > comment.created_at + edit_window():
        raise PermissionDenied(
            f"Comments can be edited for {int(edit_window().total_seconds() // 60)} minutes "
            "after posting; this one can no longer be changed."
        )
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
        _touch(comment.post_id)
    return comment


def comment_delete_own(*, comment: Comment, user) -> Comment:
    """Withdraw one's own comment: its number stays taken, its replies stay in place."""
    if comment.author_id is None or comment.author_id != getattr(user, "pk", None):
        raise PermissionDenied("You can only delete your own comments.")
    if comment.status == Comment.Status.DELETED:
        return comment
    with transaction.atomic():
        comment.status = Comment.Status.DELETED
        comment.save(update_fields=["status"])
        _touch(comment.post_id)
    return comment


def _touch(post_id: int) -> None:
    """Invalidate cached renderings of a post's comments."""
    Post.objects.filter(pk=post_id).update(comments_version=F("comments_version") + 1)
