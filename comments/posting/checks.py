"""Checks every write to a thread shares: who may comment, on what, with what text.

Posting, editing and the post page's "comments are closed" line call the same
functions, so a refusal reads the same wherever it is met. Only the guest check
queries the database (is the name reserved?).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.guest_claims import reserved_name_refusal
from accounts.names import clean_display_name, refuse_site_label
from accounts.taken_names import name_is_reserved
from blog.characters import refuse_xml_forbidden
from blog.models import Post

if TYPE_CHECKING:
    from accounts.models import User

MAX_BODY_LENGTH = 10_000


class EmailNotConfirmed(PermissionDenied):
    """A registered reader who has not followed the sign-up email link yet."""


class CommentsClosed(PermissionDenied):
    """The post does not take comments (closed by hand or comments disallowed)."""


class CommenterBanned(PermissionDenied):
    """A moderator barred this reader from commenting; the message names until when."""


def comments_closed_by_age(post: Post) -> bool:
    """Posts older than COMMENTS_CLOSE_AFTER_DAYS (when set) take no more comments."""
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
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
    if not settings.COMMENTS_ALLOW_GUESTS:
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


@dataclass(frozen=True)
class Writer:
    """Who sends the comment, and from where: an account, or a guest's checked name and email."""

    author: User | None
    guest_name: str
    guest_email: str
    ip_address: str | None


def writer_allowed_to_comment(*, author, guest_name, guest_email, ip_address) -> Writer:
    """A confirmed account may comment; a guest only where guests may, under a free name."""
    if author is None:
        guest_name, guest_email = clean_guest_identity(name=guest_name, email=guest_email)
        return Writer(None, guest_name, guest_email, ip_address)
    if not author.can_comment:
        raise EmailNotConfirmed(
            "Confirm your email address first: follow the link we sent you "
            "(your account page can send it again)."
        )
    return Writer(author, "", "", ip_address)


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
