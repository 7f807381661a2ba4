"""Guests keeping their name: "Keep the name X for this email address" (issue 4).

When a guest's comment is posted, its transaction queues the `accounts.guest_claim_offer`
job (`comments.tasks.guest_claim_offer_enqueue`); the job (`guest_claim_offer(comment)`) emails the
guest a signed link, once per (canonical name, address): the offer row and the delivery
record commit with the send, and a mail failure is retried by the queue. No account is
needed: following the link (`guest_claim_confirm`) records a confirmed `GuestName`,
after which `name_is_reserved(name, for_email=other)` refuses the name (and its
look-alikes) to other guests and to new sign-ups, while the same address keeps
using it. Nothing here can block or fail the comment.
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import GuestName
from accounts.names import canonical_name
from accounts.notifications import site_url
from accounts.taken_names import name_is_reserved
from jobs.outbox import email_deliver

GUEST_CLAIM_SALT = "accounts.guest-name-claim"
# Comments in these states are not the guest's to build a reputation on.
_NO_OFFER_STATUSES = {"spam", "shadowed", "removed", "deleted"}


def claim_link_days() -> int:
    return settings.ACCOUNTS_GUEST_CLAIM_LINK_DAYS


def claim_token(name: str, email: str) -> str:
    """A signed token naming the name as written and the address that may keep it."""
    return signing.dumps({"n": name, "e": email.strip()}, salt=GUEST_CLAIM_SALT)


def claim_url(name: str, email: str) -> str:
    return site_url() + reverse(
        "accounts:guest-name-keep", kwargs={"token": claim_token(name, email)}
    )


def guest_claim_offer(comment) -> bool:
    """Email a guest the link to keep their name; True when an email went out.

    Runs in the `accounts.guest_claim_offer` job. Skipped for registered readers'
    comments, for comments taken down, for names already reserved (for anyone, this
    address included), and when the offer for this name and address already went out.
    A mail failure raises: the queue tries again later.
    """
    if comment.author_id is not None or comment.status in _NO_OFFER_STATUSES:
        return False
    name, email = (comment.guest_name or "").strip(), (comment.guest_email or "").strip()
    key = canonical_name(name)
    if not (key and email):
        return False
    if GuestName.objects.confirmed().filter(name_key=key).exists() or name_is_reserved(
        name, for_email=email
    ):
        return False  # Already kept (by this address or another), or an account's name.
    pending = GuestName.objects.filter(name_key=key, email__iexact=email, confirmed_at__isnull=True)
    with transaction.atomic():
        # A simultaneous comment's job waits here until this one committed or failed.
        offer, _ = pending.select_for_update().get_or_create(
            defaults={"name": name, "name_key": key, "email": email, "created_at": timezone.now()}
        )
        if offer.offered_at is not None:
            return False  # Once per name and address.
        context = {
            "name": name,
            "site_name": settings.SITE_NAME,
            "link": claim_url(name, email),
            "link_days": claim_link_days(),
            "comment_url": site_url() + comment.get_absolute_url(),
        }
        message = EmailMessage(
            subject=render_to_string("accounts/email/guest_claim_subject.txt", context).strip(),
            body=render_to_string("accounts/email/guest_claim.txt", context),
            to=[email],
        )
        sent = email_deliver(key=f"guest-claim:{offer.pk}", message=message)
        GuestName.objects.filter(pk=offer.pk).update(offered_at=timezone.now(), name=name)
    return sent


def guest_claim_confirm(*, token: str) -> GuestName:
    """Follow the emailed link: the name is kept for the address; returns the claim.

    Following it again returns the same claim. Refused (ValidationError) when the
    link is forged or expired, or the name went to someone else in the meantime.
    """
    try:
        data = signing.loads(token, salt=GUEST_CLAIM_SALT, max_age=claim_link_days() * 24 * 3600)
    except signing.SignatureExpired as error:
        raise ValidationError(
            "This link has expired. Comment again under the name to get a new one.",
            code="expired",
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(
            "This link is not valid; copy the whole address from the email.", code="bad_link"
        ) from error
    name, email = str(data.get("n") or ""), str(data.get("e") or "").strip()
    key = canonical_name(name)
    if not (key and email):
        raise ValidationError("This link is not valid.", code="bad_link")
    try:
        with transaction.atomic():
            return _confirm(name, key, email)
    except IntegrityError:
        # Two clicks at once: the other one recorded it (or another address won).
        with transaction.atomic():
            return _confirm(name, key, email)


def _confirm(name: str, key: str, email: str) -> GuestName:
    kept = GuestName.objects.confirmed().select_for_update().filter(name_key=key).first()
    if kept is not None:
        if kept.email.lower() == email.lower():
            return kept
        raise ValidationError(
            f"“{name}” is already kept by another guest, who confirmed a different email address.",
            code="taken",
        )
    if name_is_reserved(name, for_email=email):
        raise ValidationError(
            f"“{name}” now belongs to a registered reader, so it can't be kept for a guest. "
            "Choose another name, or sign in if the account is yours.",
            code="taken",
        )
    now = timezone.now()
    updated = GuestName.objects.filter(
        name_key=key, email__iexact=email, confirmed_at__isnull=True
    ).update(confirmed_at=now, name=name)
    claim = GuestName.objects.confirmed().filter(name_key=key).first() if updated else None
    if claim is None:
        claim = GuestName.objects.create(
            name=name, name_key=key, email=email, confirmed_at=now, offered_at=now
        )
    return claim


def reserved_name_refusal(name: str, *, for_email: str | None = None) -> str:
    """Why a guest may not comment under `name`, and what to do instead."""
    key = canonical_name(name)
    kept = GuestName.objects.confirmed().filter(name_key=key)
    if for_email:
        kept = kept.exclude(email__iexact=for_email.strip())
    if kept.exists():
        return (
            f"“{name}” (or a name that looks the same) is kept by a guest who confirmed "
            "their email address. If it is yours, comment with that address, or sign in; "
            "otherwise choose another name."
        )
    return (
        f"“{name}” is the name of a registered reader. If it is yours, sign in to comment "
        "under it; otherwise choose another name."
    )
