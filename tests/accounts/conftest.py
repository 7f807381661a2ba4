"""Account tests: a test client whose requests commit, so after-commit emails are sent."""

import pytest
from django.test import Client, TestCase


class CommittingClient(Client):
    """Runs each request's on-commit callbacks (emails) as a committed request would."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client():
    return CommittingClient()


@pytest.fixture
def other_reader(db):
    """A second registered reader, to check that readers only touch their own account."""
    from tests.factories import UserFactory

    return UserFactory(username="otto", display_name="Otto Other")
