"""What posting reads while the post's row is locked, in two statements.

First the lock itself, read with the writer's ban and guest trust (and, while
duplicates are checked, locks on the writer's identities). Then, started only
once the locks are held, the rows the new comment depends on: its parent, an
earlier send of the same form, the cited comments and any duplicate. Under READ
COMMITTED that second statement sees every comment committed while this request
waited, so a duplicate sent at the same moment is found.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone

from blog.models import Post
from comments.models import Ban, Comment
from comments.moderation.screening import Screening, duplicate_minutes
from comments.posting.checks import Writer


def same_text_recently(writer: Writer, body: str, screening: Screening | None) -> Q | None:
    """The comments that make this one a duplicate: same writer, same text, recent; None: off."""
    minutes = duplicate_minutes()
    if screening is None or not minutes:
        return None
    if writer.author is not None:
        same_writer = Q(author=writer.author)
    else:
        # Guests may change the email they give, not so easily their address.
        same_guest = Q(guest_email__iexact=writer.guest_email)
        if writer.ip_address:
            same_guest |= Q(ip_address=writer.ip_address)
        same_writer = Q(author__isnull=True) & same_guest
    return same_writer & Q(body=body, created_at__gte=timezone.now() - timedelta(minutes=minutes))


def lock_post_and_writer(
    post: Post, writer: Writer, screening: Screening | None, same_text: Q | None
) -> Post:
    """The post's row, locked until commit, read with the writer's ban and guest trust; while
    duplicates are checked, the writer's identities are locked in the same statement."""
    return (
        Post.objects.select_for_update()
        .only("last_comment_number", "allow_comments", "published_at")
        .annotate(**_facts_about_the_writer(writer, screening))
        .annotate(**_writer_locks(writer, same_text))
        .get(pk=post.pk)
    )


def _writer_locks(writer: Writer, same_text: Q | None) -> dict:
    """Transaction locks on the writer's identities, taken with the post's lock.

    The post's lock already queues up one writer's sends to one post; these queue
    up their sends to different posts, so the duplicate check sees them all.
    """
    if same_text is None:
        return {}
    if writer.author is not None:
        identities = [f"account:{writer.author.pk}"]
    else:
        identities = [f"guest:{writer.guest_email.lower()}"]
        if writer.ip_address:
            identities.append(f"ip:{writer.ip_address}")
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


def _facts_about_the_writer(writer: Writer, screening: Screening | None) -> dict:
    """Subqueries read along with the post's lock: the ban in force, guest trust."""
    facts = {}
    if writer.author is not None:
        ban = Ban.objects.in_force().filter(user=writer.author)
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
    if writer.author is None:
        facts["guest_has_published"] = Exists(
            Comment.objects.alias(email_key=Lower("guest_email")).filter(
                author__isnull=True,
                email_key=writer.guest_email.lower(),
                status=Comment.Status.PUBLISHED,
            )
        )
    return facts


@dataclass(frozen=True)
class ThreadFacts:
    """What the thread already holds that the new comment depends on, read under the lock."""

    earlier_send: Comment | None  # what an earlier send of the same form stored on this post
    parent: Comment | None  # the comment replied to, with its thread slot (see _related_rows)
    numbers: set[int]  # numbers read on this post, so cited ones link only when they exist
    unquotable: set[int]  # those removed or deleted: quotes of them show a note, not the text
    is_duplicate: bool  # the same writer sent the same text lately (to any post)


def what_the_thread_holds(
    post: Post,
    parent_number: int | None,
    submission_token: uuid.UUID | None,
    cited: set[int],
    same_text: Q | None,
) -> ThreadFacts:
    """The parent, an earlier send, the cited numbers and a duplicate, from one query.

    Only once `lock_post_and_writer` holds the locks: a duplicate sent at the same
    moment is found only by a statement started after its transaction committed.
    """
    rows = _related_rows(post, parent_number, submission_token, cited, same_text)
    on_post = [row for row in rows if row.post_id == post.pk]
    earlier_send = None
    if submission_token is not None:
        earlier_send = next((r for r in on_post if r.submission_token == submission_token), None)
    return ThreadFacts(
        earlier_send=earlier_send,
        parent=next((row for row in on_post if row.number == parent_number), None),
        numbers={row.number for row in on_post},
        unquotable={row.number for row in on_post if row.is_unquotable},
        is_duplicate=any(getattr(row, "is_same_text", False) for row in rows),
    )


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
