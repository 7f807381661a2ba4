"""Account tests: a test client whose requests commit and whose queued emails are sent."""

from unittest import mock

import pytest
from django.test import Client, TestCase

from jobs import outbox
from tests.queue import run_jobs


class CommittingClient(Client):
    """Runs each request's on-commit callbacks and, when it queued jobs (emails), the jobs,
    as the commit and the job worker would (tests/queue.py). A request that queued
    nothing runs no query more, so query ceilings still hold."""

    def request(self, **request):
        with (
            mock.patch.object(
                outbox._in_transaction, "defer_job", wraps=outbox._in_transaction.defer_job
            ) as enqueued,
            TestCase.captureOnCommitCallbacks(execute=True),
        ):
            response = super().request(**request)
        if enqueued.called:
            run_jobs()
        return response


@pytest.fixture
def client():
    return CommittingClient()


@pytest.fixture
def other_reader(db):
    """A second registered reader, to check that readers only touch their own account."""
    from tests.factories import UserFactory

    return UserFactory(username="otto", display_name="Otto Other")
