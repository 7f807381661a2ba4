"""Telling readers about new comments: replies to their comments, posts they follow.

Readers' choices (reply emails on or off, one by one or daily, followed posts,
unsubscribe links) and the `Notification` rows live in accounts (accounts/notifications.py,
accounts/models.py); deciding who hears about a comment and sending the emails is here,
next to the comments. Everything goes through the job queue (jobs/outbox.py), so
nothing is lost when the database connection, the worker or the mail server blinks:

- `notifications_enqueue(comment=…)` (in comments/tasks.py, with the other jobs and
  their queueing) runs inside the transaction that publishes a comment and adds one
  job (`accounts.comment_notify`): it commits with the comment.
- That job calls `notify_reply(comment)`, which records one `Notification` per reader
  to tell, and in the same transaction queues one `accounts.notification_email` job for
  each reader who wants one email per comment.
- `notification_send(notification_id=…)` sends that email once (a delivery record keyed
  by the notification, written in the job's transaction) and marks it sent; a mail
  failure raises, and the queue retries it with backoff.
- The worker's daily schedule (`accounts.digests_send`, at `JOBS_DIGEST_HOUR`) queues
  one `accounts.digest_email` job per reader who chose the daily digest.

Every email carries a signed unsubscribe link (accounts/notifications.py) that works
without signing in, and the List-Unsubscribe headers of RFC 8058.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, PostSubscription, User
from accounts.notifications import site_url, unsubscribe_url
from blog.markup import html_to_text, truncate_words
from comments.models import Comment
from jobs.outbox import email_deliver

EXCERPT_LENGTH = 400


# ─── Who hears about a comment ───────────────────────────────────────────────


def recipients(comment: Comment) -> dict[int, str]:
    """{user id: reason} for a published comment: its parent's author, the post's followers.

    Only active, confirmed accounts other than the comment's author; the parent's
    author only when they asked for reply emails.
    """
    if comment.status != Comment.Status.PUBLISHED:
        return {}
    wanted: dict[int, str] = {}
    for user_id in PostSubscription.objects.filter(post_id=comment.post_id).values_list(
        "user_id", flat=True
    ):
        wanted[user_id] = Notification.Reason.SUBSCRIPTION
    parent_author = (
        Comment.objects.filter(pk=comment.parent_id).values_list("author_id", flat=True).first()
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


def notify_reply(comment: Comment) -> list[Notification]:
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
    return comment.status == Comment.Status.PUBLISHED and notification.user.is_active


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


# ─── Replies to a reader (their page and private feed) ───────────────────────


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
