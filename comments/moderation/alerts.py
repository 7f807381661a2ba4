"""The moderators' alert when readers' flags hold a comment (the `comments.moderators_alert`
job runs it; comments.moderation.flags queues it with the hold)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from comments.models import Comment
from jobs.outbox import email_deliver


def moderator_emails() -> list[str]:
    """Addresses of active superusers and of everyone allowed to moderate comments."""
    may_moderate = Q(codename="change_comment", content_type__app_label="comments")
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    permission = Permission.objects.filter(may_moderate)
    users = users.filter(
        Q(is_superuser=True)
        | Q(user_permissions__in=permission)
        | Q(groups__permissions__in=permission)
    )
    return sorted(set(users.values_list("email", flat=True)))


def notify_moderators_of_hold(*, comment_id: int, action_id: int) -> bool:
    """Email the moderators that readers' flags held a comment; True when sent (once per hold).

    Runs in the `comments.moderators_alert` job; a mail failure raises and is retried.
    """
    comment = Comment.objects.select_related("post").filter(pk=comment_id).first()
    recipients = moderator_emails()
    if comment is None or not recipients:
        return False
    site = settings.SITE_URL.rstrip("/")
    admin_url = site + reverse("admin:comments_comment_change", args=[comment.pk])
    message = EmailMessage(
        subject=f"[{settings.SITE_NAME}] Comment #{comment.number} held after flags",
        body=(
            f"Readers flagged comment #{comment.number} on “{comment.post.title}” often "
            f"enough that it is now hidden until a moderator decides.\n\n"
            f"In context: {site}{comment.get_absolute_url()}\nIn admin: {admin_url}\n"
        ),
        to=recipients,
    )
    with transaction.atomic():
        return email_deliver(key=f"flag-hold:{action_id}", message=message)
