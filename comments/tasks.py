"""Comment jobs (jobs/outbox.py): readers' notifications, guest name offers, moderator alerts.

Each job is a thin wrapper: the rule lives in the topic module it calls. A job that
raises (the mail server refused…) is retried with backoff; one that finds its work
already done (a retry after a crash) changes and sends nothing. The functions that
queue them (`*_enqueue`) are here too, so the topic modules never import this one.

The reader notification jobs keep the `accounts.` names they had before they moved
here: a job's name is what the queue's rows (and the schedule's id) carry, so jobs
queued by an older release still run.

Comments close by age without a sweep: `comments_closed_by_age` decides on each read
and write, so no scheduled job is needed for it.
"""

from django.conf import settings
from django.db import transaction
from procrastinate.contrib.django import app

from accounts import guest_claims
from accounts.models import Notification, User
from comments import notifications
from comments.models import Comment
from comments.moderation.alerts import notify_moderators_of_hold
from jobs.outbox import enqueue, job


@job(name="accounts.comment_notify")
def comment_notify(*, comment_id: int) -> int:
    """Record who hears about a new comment and queue their emails; how many are waiting."""
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        return 0  # Deleted since; nobody is told about it.
    with transaction.atomic():
        waiting = notifications.notify_reply(comment)
        for notification in waiting:
            enqueue(notification_email, notification_id=notification.pk)
    return len(waiting)


@job(name="accounts.notification_email")
def notification_email(*, notification_id: int) -> bool:
    """Email one notification (once, whatever the retries)."""
    return notifications.notification_send(notification_id=notification_id)


@job(name="accounts.digest_email")
def digest_email(*, user_id: int) -> bool:
    """Email one reader's daily digest (once, whatever the retries)."""
    return notifications.digest_send(user_id=user_id)


@app.periodic(cron=f"0 {settings.JOBS_DIGEST_HOUR} * * *", periodic_id="accounts-digests")
@job(name="accounts.digests_send")
def digests_send(timestamp: int) -> int:
    """Daily: queue every digest, and any one-per-comment email still waiting; how many."""
    return pending_emails_enqueue(digest=True)


@job(name="accounts.guest_claim_offer")
def guest_claim_offer(*, comment_id: int) -> bool:
    """Offer a guest to keep the name they commented under (once per name and address)."""
    comment = Comment.objects.filter(pk=comment_id).first()
    return comment is not None and guest_claims.guest_claim_offer(comment)


@job(name="comments.moderators_alert")
def moderators_alert(*, comment_id: int, action_id: int) -> bool:
    """Email the moderators about one hold by flags (once, whatever the retries)."""
    return notify_moderators_of_hold(comment_id=comment_id, action_id=action_id)


# ─── Queueing, in the caller's transaction ───────────────────────────────────


def notifications_enqueue(*, comment: Comment) -> int:
    """Queue the job that tells readers about `comment`, in the caller's transaction; its id.

    One INSERT: the job commits with the comment, or neither does.
    """
    return enqueue(comment_notify, comment_id=comment.pk)


def guest_claim_offer_enqueue(*, comment: Comment) -> int:
    """Queue the name offer for a guest's comment, in the posting transaction; the job id."""
    return enqueue(guest_claim_offer, comment_id=comment.pk)


def pending_emails_enqueue(*, digest: bool) -> int:
    """Queue an email job for every waiting notification (with `digest`, the digests too).

    The daily schedule calls it with `digest=True`; `manage.py send_notifications`
    is the same by hand. Returns the number of jobs queued.
    """
    queued = 0
    with transaction.atomic():
        each = Notification.objects.unsent().filter(
            user__email_frequency=User.EmailFrequency.EACH,
            user__is_active=True,
            comment__status=Comment.Status.PUBLISHED,
        )
        for notification_id in each.values_list("pk", flat=True).order_by("pk"):
            enqueue(notification_email, notification_id=notification_id)
            queued += 1
        if digest:
            daily = Notification.objects.unsent().filter(
                user__email_frequency=User.EmailFrequency.DAILY, user__is_active=True
            )
            for user_id in daily.values_list("user_id", flat=True).distinct().order_by("user_id"):
                enqueue(digest_email, user_id=user_id)
                queued += 1
    return queued
