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
or a lost acknowledgement finds it and sends nothing twice. When the database goes
away after the mail server took an email and before the job's transaction committed,
the worker records the delivery on its own once the database answers again.
"""

import contextlib
import contextvars
import logging
import time
import traceback
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
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
# The emails a running try handed to the mail server: (key, to, subject).
_sent_this_try: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "sent_this_try", default=None
)
# How long a worker that sent an email keeps trying to record it when the database
# went away before the job's transaction committed (issue 12's double sends).
REMEMBER_SENT_SECONDS = 600


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
    """Task middleware: keep the error of a failed try (JobFailure), then let it fail.

    An email the try already handed to the mail server is recorded first, in a
    transaction of its own, so that the retry does not send it again.
    """
    token = _current_job_id.set(context.job.id)
    sent: list = []
    sent_token = _sent_this_try.set(sent)
    try:
        return call_next()
    except Exception as error:
        if sent:
            _remember_sent(sent, job_id=context.job.id)
        _record(context.job, error)
        raise
    finally:
        _sent_this_try.reset(sent_token)
        _current_job_id.reset(token)


def _remember_sent(sent: list, *, job_id: int) -> None:
    """Record emails that went out in a try whose transaction was then lost.

    The database usually went away between the mail server's "OK" and the commit
    (PostgreSQL restarted or stopped): the worker waits for it, for up to
    REMEMBER_SENT_SECONDS, rather than letting the retry send the email again.
    """
    deadline = time.monotonic() + REMEMBER_SENT_SECONDS
    pause = 0.5
    while True:
        try:
            with transaction.atomic():
                for key, to, subject in sent:
                    EmailDelivery.objects.get_or_create(
                        key=key, defaults={"to": to, "subject": subject, "job_id": job_id}
                    )
            return
        except (OperationalError, InterfaceError) as error:
            if time.monotonic() > deadline:
                logger.error(
                    "Could not record sent emails %s (%s): a retry may resend them.",
                    [key for key, _, _ in sent],
                    error,
                )
                return
            # A connection the server dropped is unusable; the next query opens another.
            connection.close_if_unusable_or_obsolete()
            with contextlib.suppress(Exception):
                connection.close()
            time.sleep(pause)
            pause = min(pause * 2, 10)


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
    sent = _sent_this_try.get()
    if sent is not None:
        sent.append((key, ", ".join(message.to), message.subject[:300]))
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
