"""Posting a comment or reply: every new comment on a thread is created here.

`comment_create` reads as its steps, each named for what it decides: may this
writer comment, was this send already stored, what the locked post and thread
hold, why the comment is refused, and how it is stored (number, thread place,
status). Numbers and thread positions are assigned while the post's row is locked
(SELECT … FOR UPDATE), so concurrent posting never duplicates or skips a number;
what is read under that lock, and in which statements, is in `under_lock`.
"""

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from blog.cache_keys import comments_changed
from blog.markup import render_comment_markdown
from blog.models import Post
from comments.models import Comment
from comments.moderation.permissions import can_see_comment
from comments.moderation.screening import (
    RateLimited,
    Screening,
    duplicate_refusal,
    hold_reason,
    rate_limit_check,
)
from comments.posting.checks import (
    CommenterBanned,
    CommentsClosed,
    Writer,
    ban_refusal_message,
    clean_comment_body,
    comments_closed_reason,
    no_such_parent,
    writer_allowed_to_comment,
)
from comments.posting.references import cited_numbers, reference_url_for
from comments.posting.under_lock import (
    ThreadFacts,
    lock_post_and_writer,
    same_text_recently,
    what_the_thread_holds,
)
from comments.tasks import guest_claim_offer_enqueue, notifications_enqueue


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
    writer = writer_allowed_to_comment(
        author=author, guest_name=guest_name, guest_email=guest_email, ip_address=ip_address
    )
    if screening is not None:
        stored = _stored_resend_past_rate_limit(post, writer, submission_token)
        if stored is not None:
            return stored
    cited = cited_numbers(body)
    same_text = same_text_recently(writer, body, screening)
    with transaction.atomic(savepoint=False):
        locked = lock_post_and_writer(post, writer, screening, same_text)
        # Read only now, in a statement of its own: under READ COMMITTED it sees every
        # comment committed while this request waited for the locks (duplicates too).
        thread = what_the_thread_holds(post, parent_number, submission_token, cited, same_text)
        if thread.earlier_send is not None:
            return thread.earlier_send
        refusal = _refusal(locked, writer, parent_number, thread)
        if refusal is None:
            comment = _insert_comment(
                post=post,
                locked=locked,
                writer=writer,
                body=body,
                thread=thread,
                submission_token=submission_token,
                created_at=created_at,
                screening=screening,
            )
    # Raised outside the atomic block: nothing was written, and the caller's
    # transaction is not marked for rollback.
    if refusal is not None:
        raise refusal
    _announce(comment)
    return comment


# ─── Before the lock ─────────────────────────────────────────────────────────


def _stored_resend_past_rate_limit(
    post: Post, writer: Writer, submission_token: uuid.UUID | None
) -> Comment | None:
    """Counts the send; past a limit, a resend gets the comment its first send stored, else
    RateLimited. None: within the limits."""
    try:
        rate_limit_check(author=writer.author, ip_address=writer.ip_address)
    except RateLimited:
        stored = _stored_submission(post, submission_token)
        if stored is None:
            raise
        return stored
    return None


def _stored_submission(post: Post, submission_token: uuid.UUID | None) -> Comment | None:
    """The comment an earlier send of the same form created on this post, if any."""
    if submission_token is None:
        return None
    return Comment.objects.filter(post=post, submission_token=submission_token).first()


# ─── Under the lock ──────────────────────────────────────────────────────────


def _refusal(
    locked: Post, writer: Writer, parent_number: int | None, thread: ThreadFacts
) -> Exception | None:
    """Why this comment can't be posted now (closed, banned, duplicate, its parent), or None."""
    closed = comments_closed_reason(locked)
    if closed:
        return CommentsClosed(closed)
    # A shadow ban (True) lets the comment through, seen by its writer only; None: no ban.
    if locked.ban_is_shadow is False:
        return CommenterBanned(ban_refusal_message(locked.ban_ends_at, locked.ban_reason))
    if thread.is_duplicate:
        return duplicate_refusal()
    return _reply_refusal(locked, writer, parent_number, thread.parent)


def _reply_refusal(
    locked: Post, writer: Writer, parent_number: int | None, parent: Comment | None
) -> ValidationError | None:
    """Why the writer can't reply to comment `parent_number`: it is missing or not visible."""
    if parent_number is not None and parent is None:
        return no_such_parent(parent_number)
    own_shadowed = (
        parent is not None
        and parent.status == Comment.Status.SHADOWED
        and writer.author is not None
        and parent.author_id == writer.author.pk
    )
    if parent is not None and not parent.is_visible and not own_shadowed:
        if not can_see_comment(writer.author, parent, locked):
            # Told exactly what a missing number is told: its existence is not theirs to know.
            return no_such_parent(parent_number)
        return ValidationError(
            {"parent": f"Comment #{parent_number} is not published; you can't reply to it."}
        )
    return None


def _insert_comment(
    *,
    post: Post,
    locked: Post,
    writer: Writer,
    body: str,
    thread: ThreadFacts,
    submission_token: uuid.UUID | None,
    created_at: datetime | None,
    screening: Screening | None,
) -> Comment:
    """Store the comment under the next number, in its thread place, with the status it
    arrives in; the post's counter and version move on."""
    comment = Comment(
        post=post,
        number=locked.last_comment_number + 1,
        author=writer.author,
        guest_name=writer.guest_name,
        guest_email=writer.guest_email,
        body=body,
        ip_address=writer.ip_address,
        submission_token=submission_token,
        created_at=created_at or timezone.now(),
    )
    _place_in_thread(comment, thread.parent)
    comment.body_html, comment.referenced_numbers = render_comment_markdown(
        body,
        reference_url=reference_url_for(post, thread.numbers),
        withheld_quotes=thread.unquotable,
    )
    comment.status, comment.moderation_reason = _arrival_status(
        comment, locked=locked, writer=writer, screening=screening
    )
    comment.save(force_insert=True)
    Post.objects.filter(pk=post.pk).update(
        last_comment_number=comment.number, comments_version=F("comments_version") + 1
    )
    _queue_emails(comment)
    return comment


def _queue_emails(comment: Comment) -> None:
    """Jobs in the comment's own transaction (an outbox): committed with it or not at all,
    sent by the worker, retried there; a request never waits on the mail server."""
    if comment.status == Comment.Status.PUBLISHED:
        notifications_enqueue(comment=comment)
    if comment.author_id is None:
        guest_claim_offer_enqueue(comment=comment)


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


def _arrival_status(
    comment: Comment, *, locked: Post, writer: Writer, screening: Screening | None
) -> tuple[str, str]:
    """Status and moderation reason of a new comment: shadowed under a shadow ban, pending
    when screening finds a reason to hold it, else published."""
    if locked.ban_is_shadow:
        return Comment.Status.SHADOWED, ""
    if screening is None:
        return Comment.Status.PUBLISHED, ""
    reason = hold_reason(
        body=comment.body,
        body_html=comment.body_html,
        author=writer.author,
        guest_email=writer.guest_email,
        ip_address=writer.ip_address,
        screening=screening,
        guest_has_published=locked.guest_has_published,
    )
    return (Comment.Status.PENDING if reason else Comment.Status.PUBLISHED), reason


# ─── After the insert ────────────────────────────────────────────────────────


def _announce(comment: Comment) -> None:
    """Cached pages renew now (the emails were queued with the comment)."""
    comments_changed(comment.post_id)
