"""Posting a comment or reply: every new comment on a thread is created here.

Numbers and thread positions are assigned while the post's row is locked
(SELECT … FOR UPDATE), so concurrent posting never duplicates or skips a number.
"""

import hashlib
import uuid
from datetime import datetime, timedelta
from functools import partial

from django.core.exceptions import ValidationError
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

from accounts.guest_claims import guest_claim_offer
from accounts.notifications import notify_reply
from blog.markup import render_comment_markdown
from blog.models import Post
from blog.page_cache import bump_site_comments_version
from comments.models import Ban, Comment
from comments.moderation.permissions import can_see_comment
from comments.moderation.screening import (
    RateLimited,
    Screening,
    duplicate_minutes,
    duplicate_refusal,
    hold_reason,
    rate_limit_check,
)
from comments.posting.checks import (
    CommenterBanned,
    CommentsClosed,
    EmailNotConfirmed,
    ban_refusal_message,
    clean_comment_body,
    clean_guest_identity,
    comments_closed_reason,
    no_such_parent,
)
from comments.posting.references import cited_numbers, reference_url_for


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
    bump_site_comments_version()
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
