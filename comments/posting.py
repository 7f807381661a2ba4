"""Writing comments: create, edit, delete. Every write to a thread goes through here.

Numbers and thread positions are assigned while the post's row is locked
(SELECT … FOR UPDATE), so concurrent posting never duplicates or skips a number.
"""

import hashlib
import unicodedata
import uuid
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.guest_claims import guest_claim_offer, reserved_name_refusal
from accounts.names import clean_display_name, name_is_reserved, refuse_site_label
from accounts.notifications import notify_reply
from blog.cache_keys import comments_changed
from blog.characters import refuse_xml_forbidden
from blog.markup import REFERENCE_RE, render_comment_markdown
from blog.models import Post
from comments.models import Ban, Comment, CommentRevision
from comments.moderation.permissions import can_see_comment
from comments.moderation.screening import (
    RateLimited,
    Screening,
    duplicate_minutes,
    duplicate_refusal,
    hold_reason,
    rate_limit_check,
)

MAX_BODY_LENGTH = 10_000


class EmailNotConfirmed(PermissionDenied):
    """A registered reader who has not followed the sign-up email link yet."""


class CommentsClosed(PermissionDenied):
    """The post does not take comments (closed by hand or comments disallowed)."""


class CommenterBanned(PermissionDenied):
    """A moderator barred this reader from commenting; the message names until when."""


def comments_closed_by_age(post: Post) -> bool:
    """Posts older than COMMENTS_CLOSE_AFTER_DAYS (when set) take no more comments."""
    days = getattr(settings, "COMMENTS_CLOSE_AFTER_DAYS", 0)
    return bool(days) and post.published_at + timedelta(days=days) <= timezone.now()


def comments_closed_reason(post: Post) -> str:
    """Why a post takes no comments now, for the place where the form would be ("" if open)."""
    if not post.allow_comments:
        return "Comments are closed for this post."
    if comments_closed_by_age(post):
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
        return f"Comments are closed: this blog takes comments for {days} days after a post."
    return ""


def ban_refusal_message(ends_at: datetime | None, reason: str) -> str:
    """What a banned reader is told when their comment is refused."""
    if ends_at is None:
        until = "You are banned from commenting on this blog."
    else:
        local = timezone.localtime(ends_at)
        until = f"You are banned from commenting until {local:%-d %B %Y, %H:%M} ({local:%Z})."
    return f"{until} Reason: {reason}" if reason else until


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
    refuse_xml_forbidden(body)
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
        raise ValidationError(
            "Sign in to comment; this blog does not take guest comments.", code="guests_not_allowed"
        )
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"guest_name": "Give a name to comment under."})
    if not email:
        raise ValidationError({"guest_email": "Give an email address (it is never shown)."})
    try:
        name = clean_display_name(name)
    except ValidationError as error:
        raise ValidationError({"guest_name": error.messages}) from error
    refuse_site_label(name, field="guest_name")
    if name_is_reserved(name, for_email=email.strip()):
        raise ValidationError({"guest_name": reserved_name_refusal(name, for_email=email.strip())})
    return name, email.strip()


def reference_url_for(post: Post, numbers: set[int]):
    """A function mapping a cited number to its permalink when the post has that comment."""

    def url(number: int) -> str | None:
        if number not in numbers:
            return None
        return Comment(post=post, number=number).get_absolute_url()

    return url


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
    screening: Screening | None = None,
) -> Comment:
    """Post a comment or reply on a live post that takes comments; returns it.

    A repeated `submission_token` returns the comment the first submit created,
    also past a rate limit. Everything the new comment depends on (number,
    parent, its place in the thread, the author's ban, a duplicate) is read
    while the post's row is locked; nothing is written unless every check
    passed, so a refusal leaves the surrounding transaction usable. With
    `screening` (the site's own form) rate limits, duplicates and pre-moderation
    apply too: a held comment is saved as pending with the reason in
    `moderation_reason`.
    """
    if not post.is_live:
        raise Post.DoesNotExist("No such post.")
    body = clean_comment_body(body)
    if author is None:
        guest_name, guest_email = clean_guest_identity(name=guest_name, email=guest_email)
    elif not author.can_comment:
        raise EmailNotConfirmed(
            "Confirm your email address first: follow the link we sent you "
            "(your account page can send it again)."
        )
    if screening is not None:
        try:
            rate_limit_check(author=author, ip_address=ip_address)
        except RateLimited:
            # A resend of a comment that is already stored is answered, not refused.
            stored = _stored_submission(post, submission_token)
            if stored is None:
                raise
            return stored
    cited = cited_numbers(body)
    same_text = _same_text_recently(author, guest_email, ip_address, body, screening)
    refusal: Exception | None = None
    with transaction.atomic(savepoint=False):
        locked = (
            Post.objects.select_for_update()
            .only("last_comment_number", "allow_comments", "published_at")
            .annotate(**_facts_about_the_writer(author, guest_email, screening))
            .annotate(**_writer_locks(author, guest_email, ip_address, same_text))
            .get(pk=post.pk)
        )
        # A statement of its own, started once the locks are held: under READ COMMITTED
        # it sees every comment committed while this request waited for them.
        rows = _related_rows(post, parent_number, submission_token, cited, same_text)
        related = [r for r in rows if r.post_id == post.pk]
        duplicate = next((r for r in related if r.submission_token == submission_token), None)
        if submission_token is not None and duplicate is not None:
            return duplicate
        parent = next((r for r in related if r.number == parent_number), None)
        is_duplicate = any(getattr(r, "is_same_text", False) for r in rows)
        refusal = _refusal(locked, parent_number, parent, author, is_duplicate=is_duplicate)
        if refusal is None:
            comment = Comment(
                post=post,
                number=locked.last_comment_number + 1,
                author=author,
                guest_name=guest_name if author is None else "",
                guest_email=guest_email if author is None else "",
                body=body,
                ip_address=ip_address,
                submission_token=submission_token,
                created_at=created_at or timezone.now(),
            )
            _place_in_thread(comment, parent)
            existing = {r.number for r in related}
            comment.body_html, comment.referenced_numbers = render_comment_markdown(
                body, reference_url=reference_url_for(post, existing)
            )
            if locked.ban_is_shadow:
                comment.status = Comment.Status.SHADOWED
            elif screening is not None:
                comment.moderation_reason = hold_reason(
                    body=body,
                    body_html=comment.body_html,
                    author=author,
                    guest_email=guest_email,
                    ip_address=ip_address,
                    screening=screening,
                    guest_has_published=locked.guest_has_published,
                )
                if comment.moderation_reason:
                    comment.status = Comment.Status.PENDING
            comment.save(force_insert=True)
            Post.objects.filter(pk=post.pk).update(
                last_comment_number=comment.number, comments_version=F("comments_version") + 1
            )
    if refusal is not None:
        raise refusal
    comments_changed(post.pk)
    if comment.status == Comment.Status.PUBLISHED:
        # Mail goes out only once the comment is safely stored; a failure is logged there.
        transaction.on_commit(partial(notify_reply, comment), robust=True)
    if author is None:
        transaction.on_commit(partial(guest_claim_offer, comment), robust=True)
    return comment


def _stored_submission(post: Post, submission_token: uuid.UUID | None) -> Comment | None:
    """The comment an earlier send of the same form created on this post, if any."""
    if submission_token is None:
        return None
    return Comment.objects.filter(post=post, submission_token=submission_token).first()


def _same_text_recently(author, guest_email, ip_address, body, screening) -> Q | None:
    """The comments that make this one a duplicate: same writer, same text, recent; None: off."""
    minutes = duplicate_minutes()
    if screening is None or not minutes:
        return None
    if author is not None:
        same_writer = Q(author=author)
    else:
        # Guests may change the email they give, not so easily their address.
        same_guest = Q(guest_email__iexact=guest_email)
        if ip_address:
            same_guest |= Q(ip_address=ip_address)
        same_writer = Q(author__isnull=True) & same_guest
    return same_writer & Q(body=body, created_at__gte=timezone.now() - timedelta(minutes=minutes))


def _writer_locks(author, guest_email, ip_address, same_text) -> dict:
    """Transaction locks on the writer's identities, taken with the post's lock.

    The post's lock already queues up one writer's sends to one post; these queue
    up their sends to different posts, so the duplicate check sees them all.
    """
    if same_text is None:
        return {}
    if author is not None:
        identities = [f"account:{author.pk}"]
    else:
        identities = [f"guest:{guest_email.lower()}"] + ([f"ip:{ip_address}"] if ip_address else [])
    # Always taken in the same order, so two guests sharing one identity can't deadlock.
    keys = sorted(_lock_key(identity) for identity in identities)
    return {
        f"writer_lock_{index}": RawSQL(
            "pg_advisory_xact_lock(%s) IS NOT NULL", (key,), output_field=BooleanField()
        )
        for index, key in enumerate(keys)
    }


def _lock_key(identity: str) -> int:
    """A signed 64-bit advisory lock key for a writer identity."""
    digest = hashlib.blake2b(f"comments.writer:{identity}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _facts_about_the_writer(author, guest_email, screening) -> dict:
    """Subqueries read along with the post's lock: the ban in force, guest trust."""
    facts = {}
    if author is not None:
        ban = Ban.objects.in_force().filter(user=author)
        facts["ban_ends_at"] = Subquery(ban.values("ends_at")[:1])
        facts["ban_reason"] = Subquery(ban.values("reason")[:1])
        facts["ban_is_shadow"] = Subquery(ban.values("is_shadow")[:1])
    else:
        facts.update(
            ban_ends_at=Value(None, output_field=DateTimeField()),
            ban_reason=Value(None, output_field=CharField()),
            ban_is_shadow=Value(None, output_field=BooleanField()),
        )
    facts["guest_has_published"] = Value(True, output_field=BooleanField())
    if screening is None:
        return facts
    if author is None:
        facts["guest_has_published"] = Exists(
            Comment.objects.alias(email_key=Lower("guest_email")).filter(
                author__isnull=True,
                email_key=guest_email.lower(),
                status=Comment.Status.PUBLISHED,
            )
        )
    return facts


def _related_rows(post, parent_number, submission_token, cited, same_text) -> list[Comment]:
    """In one query: the parent (with its thread slot), a token twin, the cited comments,
    and any comment that makes this one a duplicate (`is_same_text`, on any post)."""
    wanted = Q(number__in=cited) if cited else Q(pk__in=[])
    if parent_number is not None:
        wanted |= Q(number=parent_number)
    if submission_token is not None:
        wanted |= Q(submission_token=submission_token)
    wanted = Q(post=post) & wanted
    if same_text is None:
        rows = Comment.objects.filter(wanted)
    else:
        rows = Comment.objects.filter(wanted | same_text).annotate(
            is_same_text=ExpressionWrapper(same_text, output_field=BooleanField())
        )
    if parent_number is not None:
        thread = Comment.objects.filter(post=OuterRef("post"), root_number=OuterRef("root_number"))
        rows = rows.annotate(
            # First position after the parent's subtree: the next comment no deeper than it.
            slot_after=Subquery(
                thread.filter(
                    thread_position__gt=OuterRef("thread_position"), depth__lte=OuterRef("depth")
                )
                .order_by("thread_position")
                .values("thread_position")[:1]
            ),
            slot_last=Subquery(thread.order_by("-thread_position").values("thread_position")[:1]),
        )
    return list(rows)


def _refusal(
    locked: Post, parent_number: int | None, parent: Comment | None, author, *, is_duplicate: bool
):
    """Why this comment can't be posted now, or None."""
    closed = comments_closed_reason(locked)
    if closed:
        return CommentsClosed(closed)
    if locked.ban_is_shadow is False:
        return CommenterBanned(ban_refusal_message(locked.ban_ends_at, locked.ban_reason))
    if is_duplicate:
        return duplicate_refusal()
    if parent_number is not None and parent is None:
        return no_such_parent(parent_number)
    own_shadowed = (
        parent is not None
        and parent.status == Comment.Status.SHADOWED
        and author is not None
        and parent.author_id == author.pk
    )
    if parent is not None and not parent.is_visible and not own_shadowed:
        if not can_see_comment(author, parent, locked):
            # Told exactly what a missing number is told: its existence is not theirs to know.
            return no_such_parent(parent_number)
        return ValidationError(
            {"parent": f"Comment #{parent_number} is not published; you can't reply to it."}
        )
    return None


def no_such_parent(parent_number: int) -> ValidationError:
    """The refusal of a reply to a number the post has no comment under (for this writer)."""
    return ValidationError(
        {
            "parent": ValidationError(
                f"There is no comment #{parent_number} on this post to reply to.",
                code="no_such_parent",
            )
        }
    )


def _place_in_thread(comment: Comment, parent: Comment | None) -> None:
    """Set depth and thread key; a reply goes last under its parent, later rows shift down."""
    if parent is None:
        comment.root_number, comment.thread_position, comment.depth = comment.number, 0, 0
        return
    if parent.slot_after is None:
        position = parent.slot_last + 1
    else:
        position = parent.slot_after
        Comment.objects.filter(
            post_id=comment.post_id,
            root_number=parent.root_number,
            thread_position__gte=position,
        ).update(thread_position=F("thread_position") + 1)
    comment.parent = parent
    comment.parent_number = parent.number
    comment.root_number = parent.root_number
    comment.thread_position = position
    comment.depth = parent.depth + 1


def cited_numbers(body: str) -> set[int]:
    """Numbers written as @N or #N in a body (whether or not such comments exist)."""
    return {int(match.group(1)) for match in REFERENCE_RE.finditer(body)}


def render_comment_body(post: Post, body: str) -> tuple[str, list[int]]:
    """Body HTML and cited numbers; @N/#N link only to comments the post really has."""
    candidates = cited_numbers(body)
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
        thread_changed(comment.post_id)
    return comment


def thread_changed(post_id: int) -> None:
    """Mark a post's comments as changed, so cached renderings are rebuilt."""
    Post.objects.filter(pk=post_id).update(comments_version=F("comments_version") + 1)
    comments_changed(post_id)
