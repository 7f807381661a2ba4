"""Creating accounts and proving email addresses: sign-up, confirmation, email change.

A confirmation link carries a signed token naming the account, the address to
confirm and the address the account had when the link was sent; a link stops
working once the account's address changed since, or after
`ACCOUNTS_EMAIL_LINK_DAYS`. Every email is written at once and queued as a job in the
caller's transaction (`account_email_enqueue`): it goes out if and only if the change
that caused it commits, and the queue retries it while the mail server refuses.
"""

import uuid

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.names import clean_display_name, refuse_site_label
from accounts.taken_names import name_is_reserved, username_for
from jobs.outbox import enqueue
from jobs.tasks import email_send

CONFIRM_SALT = "accounts.email-confirm"
TAKEN_NAME = (
    "“{name}” is already used by another reader, or looks too much like a name that is "
    "(case, spacing, punctuation and look-alike letters don't count as differences). "
    "Choose another name."
)


def link_days() -> int:
    return settings.ACCOUNTS_EMAIL_LINK_DAYS


def account_register(*, email: str, display_name: str, password: str, base_url: str) -> User:
    """Create an account that may comment once its email link is followed; returns it.

    An address that already has an account gets a note saying so instead, and the
    caller shows the same "check your inbox" page: sign-up never tells a stranger
    which addresses are registered. The returned user is then unsaved.
    """
    email = User.objects.normalize_email((email or "").strip())
    display_name = clean_display_name(display_name)
    candidate = User(email=email, display_name=display_name)
    validate_password(password, user=candidate)
    refuse_site_label(display_name, field="display_name")
    if name_is_reserved(display_name):
        raise ValidationError({"display_name": TAKEN_NAME.format(name=display_name)})
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        _mail_later(existing, "already_registered", email, base_url=base_url)
        return candidate
    user = User(
        username=username_for(display_name),
        email=email,
        display_name=display_name,
        email_verified_at=None,
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save(force_insert=True)
    except IntegrityError as error:
        # Someone took the name or address between the checks and the insert.
        raise ValidationError(
            {"display_name": TAKEN_NAME.format(name=display_name)}
            if "name_key" in str(error)
            else "This account could not be created; try again."
        ) from error
    email_confirmation_send(user=user, email=email, base_url=base_url)
    return user


def confirmation_token(user: User, email: str) -> str:
    """A signed token confirming `email` for `user` while their address is still the current one."""
    return signing.dumps({"u": user.pk, "e": email, "from": user.email.lower()}, salt=CONFIRM_SALT)


def email_confirmation_send(*, user: User, email: str, base_url: str) -> None:
    """Mail a confirmation link to `email` (the account's own, or the one it wants to move to)."""
    purpose = "confirm_signup" if email.lower() == user.email.lower() else "confirm_change"
    link = base_url + reverse(
        "accounts:email-confirm", kwargs={"token": confirmation_token(user, email)}
    )
    _mail_later(user, purpose, email, base_url=base_url, link=link)


def email_confirm(*, token: str) -> User:
    """Follow a confirmation link: the address becomes confirmed (and current); returns the user."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=link_days() * 24 * 3600)
    except signing.SignatureExpired as error:
        raise ValidationError(
            "This link has expired. Sign in and ask for a new one.", code="expired"
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(
            "This link is not valid; copy the whole address from the email.", code="bad_link"
        ) from error
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data.get("u"), is_active=True).first()
        if user is None or user.email.lower() != data.get("from"):
            raise ValidationError(
                "This link is no longer valid: the account's address changed since it was sent.",
                code="stale",
            )
        new_email = data["e"]
        if new_email.lower() == user.email.lower():
            if user.email_verified_at is None:
                user.email_verified_at = timezone.now()
                user.save(update_fields=["email_verified_at"])
            return user
        if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
            raise ValidationError(
                "Another account uses this address now; it can't be moved to yours.", code="taken"
            )
        old_email = user.email
        user.email = new_email
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email", "email_verified_at"])
        if old_email:
            # Queued with the change: the old address hears of it exactly when it happened.
            _mail_later(user, "email_changed", old_email, base_url="", new_email=new_email)
    return user


def email_change_request(*, user: User, email: str, base_url: str) -> str:
    """Send a confirmation link to a new address; the account keeps its address until then."""
    email = User.objects.normalize_email((email or "").strip())
    if email.lower() == user.email.lower():
        raise ValidationError({"email": "This is already your address."})
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        # Said plainly: the person proved who they are with their password.
        raise ValidationError({"email": "Another account uses this address."})
    email_confirmation_send(user=user, email=email, base_url=base_url)
    return email


def _mail_later(user: User, template: str, to: str, *, base_url: str, **context) -> None:
    """Write one of the account emails and queue it in the current transaction."""
    context = {
        "user": user,
        "site_name": settings.SITE_NAME,
        "base_url": base_url,
        "link_days": link_days(),
        **context,
    }
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/email/{template}.txt", context)
    account_email_enqueue(to=to, subject=subject, body=body)


def account_email_enqueue(*, to: str, subject: str, body: str) -> int:
    """Queue one written email in the current transaction; the job sends it once."""
    key = f"account:{uuid.uuid4()}"
    return enqueue(email_send, key=key, to=[to], subject=" ".join(subject.split()), body=body)
