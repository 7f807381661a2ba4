"""Fixtures for the comment tests: an empty cache per test, a live post, people."""

import pytest
from django.core.cache import cache

from tests.factories import PostFactory, UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rendered threads are cached by post version; each test starts cold."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def post(db):
    """A live post that takes comments."""
    return PostFactory(title="The budget vote, again", slug="budget-vote")


@pytest.fixture
def other_post(db):
    return PostFactory(title="Zoning, again", slug="zoning")


@pytest.fixture
def other_reader(db):
    """A second registered reader, to check that readers only touch their own comments."""
    return UserFactory(username="otto", display_name="Otto Other")


@pytest.fixture
def guest_fields():
    return {"guest_name": "Sam Visitor", "guest_email": "sam@example.net"}
