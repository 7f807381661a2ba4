"""The job queue: transactional enqueue, idempotent email, retries, failures in admin (issue 12)."""

import pytest
from django.core import mail

from jobs.models import EmailDelivery
from jobs.outbox import enqueue
from jobs.tasks import email_send
from tests.queue import run_jobs

pytestmark = pytest.mark.django_db


def _send(key="test:1"):
    return enqueue(email_send, key=key, to=["ann@example.org"], subject="Hello", body="Hi Ann.")


def test_a_queued_email_goes_out_when_the_worker_runs():
    _send()
    assert not mail.outbox
    assert run_jobs() == 1
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    assert EmailDelivery.objects.get().key == "test:1"
