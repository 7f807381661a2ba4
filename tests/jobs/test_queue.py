"""The job queue: transactional enqueue, idempotent email, retries, failures in admin (issue 12)."""

import smtplib
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail import EmailMessage
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app

from jobs.models import EmailDelivery, JobFailure
from jobs.outbox import email_deliver, enqueue, queue_state, record_failure
from jobs.tasks import email_send, jobs_cleanup, recover_stalled_jobs
from tests.jobs.mail_backends import RefusingBackend
from tests.queue import make_due, queued, run_jobs

pytestmark = pytest.mark.django_db
REFUSING = "tests.jobs.mail_backends.RefusingBackend"


def _send(key="test:1"):
    return enqueue(email_send, key=key, to=["ann@example.org"], subject="Hello", body="Hi Ann.")


def _job(job_id: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, attempts, scheduled_at FROM procrastinate_jobs WHERE id = %s", [job_id]
        )
        status, attempts, scheduled_at = cursor.fetchone()
    return {"status": status, "attempts": attempts, "scheduled_at": scheduled_at}


@pytest.fixture
def refusing_mail_server(settings):
    """The mail server refuses the next sends (set `RefusingBackend.refusals`)."""
    settings.EMAIL_BACKEND = REFUSING
    yield RefusingBackend
    RefusingBackend.refusals = 0


# ─── Enqueueing is part of the caller's transaction ──────────────────────────


def test_a_queued_email_goes_out_when_the_worker_runs():
    _send()
    assert not mail.outbox
    assert run_jobs() == 1
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    assert EmailDelivery.objects.get().key == "test:1"


def test_a_job_rolled_back_with_its_transaction_never_runs():
    with pytest.raises(RuntimeError), transaction.atomic():
        _send()
        assert queued("jobs.email_send")
        raise RuntimeError("the change that caused the email failed")
    assert not queued()
    assert run_jobs() == 0
    assert not mail.outbox


def test_enqueueing_a_job_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        _send()


# ─── Each email once ─────────────────────────────────────────────────────────


def test_two_jobs_for_the_same_email_send_it_once():
    """A retry after a crash (or a twin job) finds the delivery record and sends nothing."""
    _send(key="same")
    _send(key="same")
    assert run_jobs() == 2
    assert len(mail.outbox) == 1
    assert EmailDelivery.objects.count() == 1


def test_a_job_left_running_by_a_dead_worker_runs_again_and_sends_once():
    """Issue 12: `kill -9` of the worker mid-job; another worker's sweep puts the job back."""
    job_id = _send()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - interval '1 hour') "
            "RETURNING id"
        )
        (dead_worker,) = cursor.fetchone()
        cursor.execute(
            "UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s WHERE id = %s",
            [dead_worker, job_id],
        )
    assert run_jobs() == 0, "a running job is nobody else's"
    assert recover_stalled_jobs() == 1
    assert run_jobs() == 1
    assert len(mail.outbox) == 1


def test_a_job_of_a_live_worker_is_left_alone():
    job_id = _send()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now()) RETURNING id"
        )
        (live_worker,) = cursor.fetchone()
        cursor.execute(
            "UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s WHERE id = %s",
            [live_worker, job_id],
        )
    assert recover_stalled_jobs() == 0


# ─── Retries with backoff; failed jobs in admin ──────────────────────────────


def test_a_refused_email_is_retried_with_growing_waits(refusing_mail_server):
    refusing_mail_server.refusals = 2
    job_id = _send()
    waits = []
    for _ in range(2):
        before = timezone.now()
        run_jobs()
        job = _job(job_id)
        assert job["status"] == "todo"
        waits.append((job["scheduled_at"] - before).total_seconds())
        make_due()
    # JOBS_RETRY_BACKOFF = 3: waits of 3 s, then 9 s.
    assert 2 < waits[0] < 5
    assert 8 < waits[1] < 11
    run_jobs()
    assert _job(job_id)["status"] == "succeeded"
    assert len(mail.outbox) == 1
    assert [f.attempt for f in JobFailure.objects.order_by("attempt")] == [1, 2]
    assert "SMTPServerDisconnected" in JobFailure.objects.first().error


def test_a_job_that_keeps_failing_is_marked_failed_with_its_error(refusing_mail_server):
    refusing_mail_server.refusals = 100
    job_id = _send()
    for _ in range(django_settings.JOBS_MAX_ATTEMPTS):
        run_jobs()
        make_due()
    assert _job(job_id)["status"] == "failed"
    assert JobFailure.objects.filter(job_id=job_id).count() == django_settings.JOBS_MAX_ATTEMPTS
    assert not mail.outbox


def test_admin_shows_a_failed_job_with_its_error_and_retries_it(
    client, superuser, refusing_mail_server
):
    refusing_mail_server.refusals = 100
    job_id = _send()
    for _ in range(django_settings.JOBS_MAX_ATTEMPTS):
        run_jobs()
        make_due()
    client.force_login(superuser)
    changelist = reverse("admin:procrastinate_procrastinatejob_changelist")
    page = client.get(changelist, {"status": "failed"}).content.decode()
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in page
    detail = client.get(reverse("admin:procrastinate_procrastinatejob_change", args=[job_id]))
    assert "Traceback" in detail.content.decode()
    response = client.post(changelist, {"action": "retry", "_selected_action": [job_id]})
    assert response.status_code == 302
    assert _job(job_id)["status"] == "todo"
    refusing_mail_server.refusals = 0
    # Retried "now" by this process's clock, which runs ahead of the test transaction's.
    make_due()
    run_jobs()
    assert _job(job_id)["status"] == "succeeded"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("jobs", [3, 30])
def test_the_admin_job_list_has_a_fixed_number_of_queries(
    client, superuser, jobs, django_assert_max_num_queries
):
    for number in range(jobs):
        _send(key=f"test:{number}")
    client.force_login(superuser)
    # Procrastinate's list filters (status, queue, task, lock…) cost one query each.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("admin:procrastinate_procrastinatejob_changelist"))
    assert response.status_code == 200


def test_readers_and_moderators_cannot_see_the_queue(client, reader, moderator):
    changelist = reverse("admin:procrastinate_procrastinatejob_changelist")
    client.force_login(reader)
    # Not staff: the admin asks for a staff sign-in.
    response = client.get(changelist)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(moderator)
    # Staff without the permission: refused.
    assert client.get(changelist).status_code == 403


# ─── The schedule, run by the worker ─────────────────────────────────────────


def test_the_worker_runs_the_digests_cleanup_and_stalled_job_sweep_on_a_schedule():
    scheduled = {task.periodic_id for task in app.periodic_registry.periodic_tasks.values()}
    assert scheduled == {"accounts-digests", "jobs-cleanup", "jobs-recover-stalled"}


def test_cleanup_deletes_old_finished_jobs_and_their_records():
    old, recent = _send(key="old"), _send(key="recent")
    run_jobs()
    long_ago = timezone.now() - timedelta(days=django_settings.JOBS_KEEP_FINISHED_DAYS + 1)
    EmailDelivery.objects.filter(key="old").update(sent_at=long_ago)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_events SET at = %s WHERE job_id = %s", [long_ago, old])
    jobs_cleanup(timestamp=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM procrastinate_jobs ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == [recent]
    assert list(EmailDelivery.objects.values_list("key", flat=True)) == ["recent"]


def test_queue_state_tells_waiting_failed_and_live_workers(django_assert_num_queries):
    _send()
    with django_assert_num_queries(1):
        state = queue_state()
    assert state["waiting"] == 1
    assert state["failed"] == 0
    assert state["workers"] == 0
    assert state["oldest_wait_seconds"] >= 0


# ─── The database lost between the mail server's "OK" and the commit ─────────


class _Job:
    id = 4242
    task_name = "jobs.email_send"
    attempts = 0


class _Context:
    job = _Job()


def test_an_email_sent_before_the_database_went_away_is_not_sent_again():
    """Issue 12: PostgreSQL stopped after the mail server took the email and before the
    job's transaction committed; the worker records the delivery itself, so the retry
    sends nothing."""
    message = EmailMessage(subject="Hello", body="Hi Ann.", to=["ann@example.org"])

    def try_that_loses_its_commit():
        with transaction.atomic():
            email_deliver(key="lost-commit", message=message)
            raise OperationalError("terminating connection due to administrator command")

    with pytest.raises(OperationalError):
        record_failure(try_that_loses_its_commit, _Context(), None)
    assert len(mail.outbox) == 1
    assert EmailDelivery.objects.filter(key="lost-commit", job_id=4242).exists()

    with transaction.atomic():
        assert email_deliver(key="lost-commit", message=message) is False
    assert len(mail.outbox) == 1


def test_a_refused_email_is_not_recorded_as_sent(refusing_mail_server):
    """The remembering is for emails the mail server took, never for refused ones."""
    refusing_mail_server.refusals = 1
    message = EmailMessage(subject="Hello", body="Hi Ann.", to=["ann@example.org"])

    def refused_try():
        with transaction.atomic():
            email_deliver(key="refused-once", message=message)

    with pytest.raises(smtplib.SMTPServerDisconnected):
        record_failure(refused_try, _Context(), None)
    assert not EmailDelivery.objects.filter(key="refused-once").exists()
