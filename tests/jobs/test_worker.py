"""The real worker process (`manage.py procrastinate worker`) on the test database (issue 12).

Each test commits its jobs (transactional tests), starts the worker as production
does, and watches what reaches a mail server: the console of the worker, or a local
SMTP server that refuses or stalls.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from jobs.models import EmailDelivery, JobFailure
from jobs.outbox import enqueue
from jobs.tasks import email_send, recover_stalled_jobs
from tests.jobs.smtp import SmtpSink
from tests.production.servers import database_url

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def _worker(stdout, command=("procrastinate", "worker"), **environment) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    env.pop("EMAIL_HOST", None)
    env.update(environment)
    return subprocess.Popen(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        stdout=stdout,
        stderr=subprocess.STDOUT,
    )


def _smtp_worker(sink: SmtpSink, log) -> subprocess.Popen:
    return _worker(
        log,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.port),
        EMAIL_USE_TLS="false",
        JOBS_RETRY_BACKOFF="1",  # retries after 1 s instead of 3, 9, 27…
    )


def _until(condition, seconds: float, worker: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert worker.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)


def _stop(worker: subprocess.Popen) -> int:
    worker.send_signal(signal.SIGTERM)
    try:
        return worker.wait(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def _send(key: str) -> int:
    return enqueue(email_send, key=key, to=["ann@example.org"], subject="Hello", body="Hi Ann.")


def test_the_worker_sends_a_committed_email_and_stops_on_sigterm(tmp_path):
    _send("console")
    output = tmp_path / "worker.txt"
    with output.open("w") as stdout:
        worker = _worker(stdout)  # console email backend: the email is on its stdout
        _until(lambda: "Hi Ann." in output.read_text(), 30, worker, output)
        assert _stop(worker) == 0, "SIGTERM stops the worker cleanly"
    sent = output.read_text()
    assert "To: ann@example.org" in sent
    assert sent.count("Hi Ann.") == 1
    assert EmailDelivery.objects.filter(key="console").exists()


def test_jobs_worker_sends_a_committed_email_and_stops_on_sigterm(tmp_path):
    """`manage.py jobs_worker`, the worker that outlives database outages (issue 12;
    tests/production/test_faults.py restarts PostgreSQL under it), runs jobs and stops
    cleanly like procrastinate's own."""
    _send("jobs-worker")
    output = tmp_path / "worker.txt"
    with output.open("w") as stdout:
        worker = _worker(stdout, command=("jobs_worker",))
        _until(lambda: "Hi Ann." in output.read_text(), 30, worker, output)
        assert _stop(worker) == 0, "SIGTERM stops the worker cleanly"
    assert output.read_text().count("Hi Ann.") == 1
    assert EmailDelivery.objects.filter(key="jobs-worker").exists()


def test_a_mail_server_refusing_for_a_while_delays_the_email_and_sends_it_once(tmp_path):
    """Issue 12: the SMTP server refuses (451); the worker retries until it takes the email."""
    _send("refused")
    log = tmp_path / "worker.txt"
    with SmtpSink() as sink, log.open("w") as stdout:
        sink.refusals = 3
        worker = _smtp_worker(sink, stdout)
        _until(lambda: sink.messages, 60, worker, log)
        time.sleep(1.5)  # a duplicate would arrive within a retry's wait
        assert _stop(worker) == 0
    assert len(sink.messages) == 1
    assert JobFailure.objects.filter(error__contains="Try again later").count() == 3


def test_a_worker_killed_mid_send_loses_nothing_and_the_email_goes_once(tmp_path):
    """Issue 12: `kill -9` of the worker while it talks to the mail server; the stalled
    job sweep puts the job back, and another worker sends it, once."""
    job_id = _send("killed")
    log = tmp_path / "worker.txt"
    with SmtpSink() as sink, log.open("w") as stdout:
        sink.stall_next = True
        first = _smtp_worker(sink, stdout)
        _until(sink.stalled.is_set, 30, first, log)
        first.kill()
        first.wait()
        sink.release()  # the server never took that message
        with connection.cursor() as cursor:
            cursor.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", [job_id])
            assert cursor.fetchone() == ("doing",), "left running by the dead worker"
        time.sleep(1.5)
        assert recover_stalled_jobs(seconds_since_heartbeat=1) == 1
        second = _smtp_worker(sink, stdout)
        _until(lambda: sink.messages, 30, second, log)
        time.sleep(1.5)
        assert _stop(second) == 0
    assert len(sink.messages) == 1
    assert EmailDelivery.objects.filter(key="killed").count() == 1


def _sweeps_run_since(timestamp: float) -> int:
    """Stalled-job sweeps deferred by the schedule for a tick at or after `timestamp`, and run."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_periodic_defers d"
            " JOIN procrastinate_jobs j ON j.id = d.job_id"
            " WHERE d.periodic_id = 'jobs-recover-stalled' AND d.defer_timestamp >= %s"
            " AND j.status = 'succeeded'",
            [int(timestamp)],
        )
        return cursor.fetchone()[0]


def test_the_worker_runs_its_schedule_itself_without_cron(tmp_path):
    """Issue 12: periodic jobs need no system cron. Started, the worker defers the latest
    tick of its two-minute stalled-job sweep (procrastinate catches up on ticks of the
    last ten minutes) and runs it."""
    latest_tick = time.time() - 120
    log = tmp_path / "worker.txt"
    with log.open("w") as stdout:
        worker = _worker(stdout, command=("jobs_worker",))
        try:
            _until(lambda: _sweeps_run_since(latest_tick) > 0, 30, worker, log)
        finally:
            assert _stop(worker) == 0
