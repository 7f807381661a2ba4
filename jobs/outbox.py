"""The job queue as a transactional outbox: jobs commit with the change that causes them.

Jobs are procrastinate tasks declared with `@job()`, enqueued with `enqueue(task, **kwargs)`
inside the caller's database transaction (Django's own connection, one INSERT): the job
exists if and only if the change that caused it committed. A separate worker process
(`manage.py procrastinate worker`) runs them; a job that raises is retried with
exponential backoff (`JOBS_MAX_ATTEMPTS`, `JOBS_RETRY_BACKOFF`), each failure is kept
with its error (`JobFailure`, shown in admin), and after the last try the job is marked
failed, to be retried from admin.

Emails go out through `email_deliver(key=…)` inside the job's transaction: the delivery
record (unique key) commits with the job's other writes, so a job retried after a crash
or a lost acknowledgement finds it and sends nothing twice.
"""

import contextvars
import logging
import traceback
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.manager import JobManager

from jobs.models import EmailDelivery, JobFailure

logger = logging.getLogger(__name__)
# Enqueues through Django's connection of the calling thread, so inside its transaction
# (the worker's own connector has connections of its own).
_in_transaction = JobManager(DjangoConnector())
_current_job_id: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "current_job_id", default=None
)


def retry_strategy() -> RetryStrategy | bool:
    """Exponential backoff: waits of B, B², B³… seconds, then failed after the last try."""
    tries = settings.JOBS_MAX_ATTEMPTS
    if tries <= 1:
        return False
    return RetryStrategy(
        # procrastinate counts the retries after the first try (and 0 as "for ever").
        max_attempts=tries - 1,
        exponential_wait=settings.JOBS_RETRY_BACKOFF,
    )


def job(**options) -> Callable:
    """Declare a function as a job: retried with backoff, every failure recorded for admin."""
    options.setdefault("retry", retry_strategy())
    return app.task(task_middleware=[record_failure], **options)


def enqueue(task, *, schedule_in: dict | None = None, **task_kwargs) -> int:
    """Add a job in the current transaction (it commits or rolls back with it); its id."""
    deferrer = task.configure(schedule_in=schedule_in) if schedule_in else task.configure()
    return _in_transaction.defer_job(deferrer.make_new_job(**task_kwargs)).id


def record_failure(call_next, context, worker):
    """Task middleware: keep the error of a failed try (JobFailure), then let it fail."""
    token = _current_job_id.set(context.job.id)
    try:
        return call_next()
    except Exception as error:
        _record(context.job, error)
        raise
    finally:
        _current_job_id.reset(token)


def _record(job_row, error: Exception) -> None:
    try:
        JobFailure.objects.create(
            job_id=job_row.id,
            task_name=job_row.task_name,
            attempt=job_row.attempts + 1,
            error=f"{type(error).__name__}: {error}"[:2000],
            traceback="".join(traceback.format_exception(error))[-10_000:],
        )
    except Exception:
        # The database may be what failed; the worker still retries the job.
        logger.exception("Could not record the failure of job %s", job_row.id)


def email_deliver(*, key: str, message: EmailMessage) -> bool:
    """Send `message` unless an email under `key` already went out; True when sent now.

    Call inside the job's transaction: the delivery record commits with it, and a
    failed send raises, rolling the record back so that the retry sends again.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("email_deliver() must run inside the job's transaction.")
    try:
        with transaction.atomic():
            EmailDelivery.objects.create(
                key=key,
                to=", ".join(message.to),
                subject=message.subject[:300],
                job_id=_current_job_id.get(),
            )
    except IntegrityError:
        # Sent by an earlier try (or a twin job, which committed first).
        return False
    message.send()
    return True


def queue_state() -> dict:
    """The queue at a glance, in one query (for /healthz and monitoring).

    `waiting`: jobs due now; `oldest_wait_seconds`: how long the oldest of them has
    been due (a growing number means no worker runs); `failed`: jobs that gave up;
    `workers`: workers with a heartbeat in the last minute.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT
              (SELECT count(*) FROM procrastinate_jobs
                WHERE status = 'todo' AND (scheduled_at IS NULL OR scheduled_at <= now())),
              (SELECT extract(epoch FROM now() - min(coalesce(j.scheduled_at, e.at)))
                 FROM procrastinate_jobs j
                 LEFT JOIN procrastinate_events e ON e.job_id = j.id AND e.type = 'deferred'
                WHERE j.status = 'todo' AND (j.scheduled_at IS NULL OR j.scheduled_at <= now())),
              (SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'),
              (SELECT count(*) FROM procrastinate_workers
                WHERE last_heartbeat > now() - interval '1 minute')
            """
        )
        waiting, oldest, failed, workers = cursor.fetchone()
    return {
        "waiting": waiting,
        "oldest_wait_seconds": round(float(oldest or 0), 1),
        "failed": failed,
        "workers": workers,
    }


def queued_jobs_discard(*, task_names: tuple[str, ...]) -> int:
    """Delete the waiting jobs of these tasks, in the current transaction; how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE status = 'todo' AND task_name = ANY(%s)",
            [list(task_names)],
        )
        return cursor.rowcount
