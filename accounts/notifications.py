"""A reader's email choices about comments: reply emails, followed posts, unsubscribing.

The emails themselves (who hears about a comment, the per-comment email and the daily
digest) are sent by comments/notifications.py from the `Notification` rows of
accounts/models.py: comments builds on accounts, never the reverse. Every email carries
a signed unsubscribe link made here that works without signing in, and the
List-Unsubscribe headers of RFC 8058: the mail client's one-click POST unsubscribes at
once; opening the link (a GET, which link-scanning mail gateways also do) only shows
the choice.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, PostSubscription, User

UNSUBSCRIBE_SALT = "accounts.unsubscribe"
# An unsubscribe link works this long after its email was sent (seconds); older
# emails send the reader to their settings page instead.
UNSUBSCRIBE_LINK_AGE = 365 * 24 * 3600


def site_url() -> str:
    """The site's public address for links in emails sent outside a request."""
    return settings.SITE_URL.rstrip("/")


# ─── Unsubscribing and subscribing ───────────────────────────────────────────


def unsubscribe_token(user: User, kind: str) -> str:
    """Signed, so it works without signing in; `kind` is "replies", "all" or "post:<id>"."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user: User, kind: str) -> str:
    return reverse("accounts:unsubscribe", kwargs={"token": unsubscribe_token(user, kind)})


def unsubscribe_link_read(*, token: str) -> tuple[User, str]:
    """The (user, kind) a valid, unexpired unsubscribe token names; changes nothing."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_LINK_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(
            "This unsubscribe link has expired. Sign in and change your email settings instead.",
            code="expired",
        ) from error
    except signing.BadSignature as error:
        raise ValidationError("This unsubscribe link is not valid.", code="bad_link") from error
    kind = str(data.get("k", ""))
    if kind not in ("replies", "all") and not (kind.startswith("post:") and kind[5:].isdecimal()):
        raise ValidationError("This unsubscribe link is not valid.", code="bad_link")
    user = User.objects.filter(pk=data.get("u")).first()
    if user is None:
        raise ValidationError("This account no longer exists.", code="gone")
    return user, kind


def unsubscribe(*, token: str) -> tuple[User, str]:
    """Stop the emails a token names; returns (user, kind). Repeating it changes nothing."""
    user, kind = unsubscribe_link_read(token=token)
    if kind in ("replies", "all"):
        User.objects.filter(pk=user.pk).update(is_notified_of_replies=False)
        user.is_notified_of_replies = False
    if kind == "all":
        user.subscriptions.all().delete()
    elif kind.startswith("post:"):
        user.subscriptions.filter(post_id=int(kind[5:])).delete()
    user.notifications.unsent().filter(_kind_filter(kind)).update(sent_at=timezone.now())
    return user, kind


def _kind_filter(kind: str) -> Q:
    if kind == "all":
        return Q()
    if kind == "replies":
        return Q(reason=Notification.Reason.REPLY)
    return Q(reason=Notification.Reason.SUBSCRIPTION, comment__post_id=int(kind[5:]))


def subscription_toggle(*, user: User, post) -> bool:
    """Follow a live post's comments, or stop following it; returns whether the user follows it."""
    deleted, _ = PostSubscription.objects.filter(user=user, post=post).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            PostSubscription.objects.create(user=user, post=post)
    except IntegrityError:
        pass  # a double click: already following
    return True


def feed_token_renew(*, user: User) -> str:
    """A new secret for the private replies feed; the old feed address stops working."""
    user.feed_token = secrets.token_urlsafe(32)
    user.save(update_fields=["feed_token"])
    return user.feed_token


def notification_settings_update(
    *, user: User, is_notified_of_replies: bool, email_frequency: str
) -> User:
    """Save the reader's own email choices."""
    user.is_notified_of_replies = is_notified_of_replies
    user.email_frequency = User.EmailFrequency(email_frequency)
    user.save(update_fields=["is_notified_of_replies", "email_frequency"])
    return user
