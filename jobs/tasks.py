"""Jobs every app uses (one email, already written) and the queue's own housekeeping.

The worker runs the schedule itself (procrastinate's periodic tasks), no cron: each
periodic job is deferred once per tick however many workers run.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from procrastinate import sql
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.exceptions import ConnectorException
from procrastinate.manager import JobManager

from jobs.models import EmailDelivery, JobFailure
from jobs.outbox import email_deliver, job

logger = logging.getLogger(__name__)
# A job whose worker sent no heartbeat for this long was lost with it (kill -9, crash).
STALLED_AFTER_SECONDS = 60


@job(name="jobs.email_send")
def email_send(*, key: str, to: list[str], subject: str, body: str, headers=None) -> bool:
    """Send one email written when it was enqueued; once per `key`, retried until it goes."""
    with transaction.atomic():
        message = EmailMessage(subject=subject, body=body, to=to, headers=headers or {})
        return email_deliver(key=key, message=message)


@app.periodic(cron="17 3 * * *", periodic_id="jobs-cleanup")
@job(name="jobs.cleanup")
def jobs_cleanup(timestamp: int) -> None:
    """Delete jobs finished more than JOBS_KEEP_FINISHED_DAYS ago, with their records."""
    days = settings.JOBS_KEEP_FINISHED_DAYS
    statuses = ["succeeded", "cancelled", "aborted"]
    DjangoConnector().execute_query(
        query=sql.queries["delete_old_jobs"], nb_hours=days * 24, queue=None, statuses=statuses
    )
    JobFailure.objects.exclude(job_id__in=app_jobs()).delete()
    EmailDelivery.objects.filter(sent_at__lt=timezone.now() - timedelta(days=days)).delete()


def app_jobs():
    """The ids of the jobs procrastinate still keeps."""
    from procrastinate.contrib.django.models import ProcrastinateJob

    return ProcrastinateJob.objects.values("id")


@app.periodic(cron="*/2 * * * *", periodic_id="jobs-recover-stalled")
@job(name="jobs.recover_stalled")
def jobs_recover_stalled(timestamp: int) -> int:
    """Put back in the queue the jobs a dead worker was running; how many."""
    return recover_stalled_jobs()


def recover_stalled_jobs(seconds_since_heartbeat: float = STALLED_AFTER_SECONDS) -> int:
    """Queue again every job left running by a worker without a recent heartbeat; how many."""
    connector = DjangoConnector()
    stalled = connector.execute_query_all(
        query=sql.queries["select_stalled_jobs_by_heartbeat"],
        queue=None,
        task_name=None,
        seconds_since_heartbeat=seconds_since_heartbeat,
    )
    manager = JobManager(connector)
    recovered = 0
    for row in stalled:
        try:
            with transaction.atomic():
                # No time given: due at once (the database's clock, not this process's).
                manager.retry_job_by_id(row["id"], None, row["priority"], row["queue_name"])
        except ConnectorException:
            logger.info("Stalled job %s finished meanwhile; left as it is", row["id"])
            continue
        recovered += 1
    return recovered
