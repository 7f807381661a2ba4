"""Telling readers about new comments: replies to their comments, posts they follow.

Everything goes through the job queue (jobs/outbox.py), so nothing is lost when the
database connection, the worker or the mail server blinks:

- `notifications_enqueue(comment=…)` (in accounts/tasks.py, with the other jobs and
  their queueing) runs inside the transaction that publishes a comment and adds one
  job (`accounts.comment_notify`): it commits with the comment.
- That job calls `notify_reply(comment)`, which records one `Notification` per reader
  to tell, and in the same transaction queues one `accounts.notification_email` job for
  each reader who wants one email per comment.
- `notification_email(notification_id=…)` sends that email once (a delivery record keyed
  by the notification, written in the job's transaction) and marks it sent; a mail
  failure raises, and the queue retries it with backoff.
- The worker's daily schedule (`accounts.digests_send`, at `JOBS_DIGEST_HOUR`) queues
  one `accounts.digest_email` job per reader who chose the daily digest.

Every email carries a signed unsubscribe link that works without signing in,
and the List-Unsubscribe headers of RFC 8058: the mail client's one-click POST
unsubscribes at once; opening the link (a GET, which link-scanning mail
gateways also do) only shows the choice.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, PostSubscription, User
from blog.markup import html_to_text, truncate_words
from comments.models import Comment
from jobs.outbox import email_deliver

UNSUBSCRIBE_SALT = "accounts.unsubscribe"
# An unsubscribe link works this long after its email was sent (seconds); older
# emails send the reader to their settings page instead.
UNSUBSCRIBE_LINK_AGE = 365 * 24 * 3600
EXCERPT_LENGTH = 400


def site_url() -> str:
    """The site's public address for links in emails sent outside a request."""
    return settings.SITE_URL.rstrip("/")


# ─── Who hears about a comment ───────────────────────────────────────────────


def recipients(comment) -> dict[int, str]:
    """{user id: reason} for a published comment: its parent's author, the post's followers.

    Only active, confirmed accounts other than the comment's author; the parent's
    author only when they asked for reply emails.
    """
    if comment.status != type(comment).Status.PUBLISHED:
        return {}
    wanted: dict[int, str] = {}
    for user_id in PostSubscription.objects.filter(post_id=comment.post_id).values_list(
        "user_id", flat=True
    ):
        wanted[user_id] = Notification.Reason.SUBSCRIPTION
    parent_author = (
        type(comment)
        .objects.filter(pk=comment.parent_id)
        .values_list("author_id", flat=True)
        .first()
        if comment.parent_id
        else None
    )
    if parent_author is not None:
        wants_replies = User.objects.filter(pk=parent_author, is_notified_of_replies=True).exists()
        if wants_replies:
            wanted[parent_author] = Notification.Reason.REPLY
    wanted.pop(comment.author_id, None)
    allowed = set(
        User.objects.confirmed()
        .filter(pk__in=wanted, is_active=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    return {pk: reason for pk, reason in wanted.items() if pk in allowed}


def notify_reply(comment) -> list[Notification]:
    """Record who should hear about `comment`; the notifications to email one by one now.

    Runs in the `accounts.comment_notify` job, which queues those emails in the same
    transaction; running it again records nothing more and returns only what is unsent.
    """
    with transaction.atomic():
        Notification.objects.bulk_create(
            [
                Notification(user_id=pk, comment=comment, reason=reason)
                for pk, reason in recipients(comment).items()
            ],
            ignore_conflicts=True,
        )
        return list(
            Notification.objects.unsent()
            .filter(comment=comment, user__email_frequency=User.EmailFrequency.EACH)
            .order_by("pk")
        )


# ─── Sending (in jobs) ───────────────────────────────────────────────────────


def notification_send(*, notification_id: int) -> bool:
    """Email one notification to a reader who wants one email per comment; True when sent.

    Skipped when already sent, when the comment is no longer published or the account
    inactive, or when the reader switched to the digest (which then includes it).
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user", "comment", "comment__post", "comment__author")
            .filter(pk=notification_id, sent_at__isnull=True)
            .first()
        )
        if notification is None or not _still_wanted(notification):
            return False
        user = notification.user
        if user.email_frequency != User.EmailFrequency.EACH:
            return False
        sent = email_deliver(
            key=f"notification:{notification.pk}", message=_message(user, [notification])
        )
        Notification.objects.filter(pk=notification.pk).update(sent_at=timezone.now())
    return sent


def digest_send(*, user_id: int) -> bool:
    """Email one reader the digest of everything waiting for them; True when sent."""
    with transaction.atomic():
        waiting = [
            notification
            for notification in Notification.objects.unsent()
            .select_for_update(of=("self",))
            .select_related("user", "comment", "comment__post", "comment__author")
            .filter(user_id=user_id)
            .order_by("created_at", "pk")
            if _still_wanted(notification)
        ]
        if not waiting:
            return False
        user = waiting[0].user
        ids = [notification.pk for notification in waiting]
        # The same waiting notifications make the same key: a retry sends nothing twice.
        key = f"digest:{user.pk}:{ids[0]}-{ids[-1]}:{len(ids)}"
        sent = email_deliver(key=key, message=_message(user, waiting))
        Notification.objects.filter(pk__in=ids).update(sent_at=timezone.now())
    return sent


def _still_wanted(notification: Notification) -> bool:
    comment = notification.comment
    return comment.status == comment.Status.PUBLISHED and notification.user.is_active


def _message(user: User, batch: list[Notification]) -> EmailMessage:
    """The email about the comments in `batch`: one comment, or a digest of several."""
    base = site_url()
    items = [
        {
            "notification": n,
            "comment": n.comment,
            "url": base + n.comment.get_absolute_url(),
            "excerpt": truncate_words(html_to_text(n.comment.body_html), EXCERPT_LENGTH),
            "unsubscribe_url": base + unsubscribe_url(user, _kind(n)),
        }
        for n in batch
    ]
    everything = base + unsubscribe_url(user, "all")
    context = {
        "user": user,
        "items": items,
        "site_name": settings.SITE_NAME,
        "unsubscribe_all_url": everything,
        "settings_url": base + reverse("accounts:notifications"),
    }
    template = "digest" if len(batch) > 1 else "notification"
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
    return EmailMessage(
        subject=subject,
        body=render_to_string(f"accounts/email/{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{items[0]['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _kind(notification: Notification) -> str:
    if notification.reason == Notification.Reason.REPLY:
        return "replies"
    return f"post:{notification.comment.post_id}"


# ─── Unsubscribing and subscribing ───────────────────────────────────────────


def unsubscribe_token(user: User, kind: str) -> str:
    """Signed, so it works without signing in; `kind` is "replies", "all" or "post:<id>"."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user: User, kind: str) -> str:
    return reverse("accounts:unsubscribe", kwargs={"token": unsubscribe_token(user, kind)})


def unsubscribe_link_read(*, token: str) -> tuple[User, str]:
    """The (user, kind) a valid, unexpired unsubscribe token names; changes nothing."""
    from django.core.exceptions import ValidationError

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


def _kind_filter(kind: str):
    from django.db.models import Q

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


def replies_to(user: User):
    """Published replies to the user's comments, on live posts, newest first (others' only)."""
    return (
        Comment.objects.published()
        .on_live_posts()
        .filter(parent__author=user)
        .exclude(author=user)
        .select_related("author", "post", "parent__post")
        .newest_first()
    )


def notification_settings_update(
    *, user: User, is_notified_of_replies: bool, email_frequency: str
) -> User:
    """Save the reader's own email choices."""
    user.is_notified_of_replies = is_notified_of_replies
    user.email_frequency = User.EmailFrequency(email_frequency)
    user.save(update_fields=["is_notified_of_replies", "email_frequency"])
    return user
