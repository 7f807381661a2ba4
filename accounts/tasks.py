"""Account jobs: telling readers about comments, digests, guest name offers (jobs/outbox.py).

Each job is a thin wrapper: the rule lives in the topic module it calls. A job that
raises (the mail server refused…) is retried with backoff; one that finds its work
already done (a retry after a crash) changes and sends nothing.
"""

from django.conf import settings
from procrastinate.contrib.django import app

from accounts import guest_claims, notifications
from comments.models import Comment
from jobs.outbox import job


@job(name="accounts.comment_notify")
def comment_notify(*, comment_id: int) -> int:
    """Record who hears about a new comment and queue their emails; how many are waiting."""
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        return 0  # Deleted since; nobody is told about it.
    return len(notifications.notify_reply(comment))


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
    return notifications.pending_emails_enqueue(digest=True)


@job(name="accounts.guest_claim_offer")
def guest_claim_offer(*, comment_id: int) -> bool:
    """Offer a guest to keep the name they commented under (once per name and address)."""
    comment = Comment.objects.filter(pk=comment_id).first()
    return comment is not None and guest_claims.guest_claim_offer(comment)
