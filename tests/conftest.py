"""Shared fixtures: test-friendly storage settings, the roles, and the people who use the site."""

import pytest

from tests.factories import UserFactory
from tests.queue import empty_queue
from tests.roles import ensure_roles

_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences"}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused database may come from a run whose last test flushed the roles away."""
    with django_db_blocker.unblock():
        ensure_roles()


def _uses_database(request) -> bool:
    return bool(
        request.node.get_closest_marker("django_db")
        or (_DATABASE_FIXTURES & set(request.fixturenames))
    )


@pytest.fixture(autouse=True)
def _roles_from_data_migrations(request):
    """Every test that uses the database finds the Authors and Moderators groups."""
    if _uses_database(request):
        request.getfixturevalue("db")  # transactional_db still wins when the test asks for it
        ensure_roles()


@pytest.fixture(autouse=True)
def _empty_job_queue(request, _roles_from_data_migrations):
    """Every test that uses the database starts with an empty job queue (tests/queue.py).

    Procrastinate's tables are not Django models, so the flush after a transactional
    test (e2e, the worker process tests) leaves their jobs behind.
    """
    if _uses_database(request):
        empty_queue()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rendered threads and anonymous pages are cached; each test starts cold."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _test_friendly_settings(settings, tmp_path):
    # Production uses whitenoise's manifest storage, which needs collectstatic;
    # uploads go to a per-test folder so the real media dir is never touched.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    # WhiteNoise warns at start-up when STATIC_ROOT does not exist yet.
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    # Every factory user gets a password; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def author(db):
    """A staff member in the Authors group: writes and publishes own posts."""
    return UserFactory(username="ada", display_name="Ada Byline", is_staff=True, groups=["Authors"])


@pytest.fixture
def other_author(db):
    """A second author, to check that authors only touch their own posts."""
    return UserFactory(username="grace", is_staff=True, groups=["Authors"])


@pytest.fixture
def moderator(db):
    """A staff member in the Moderators group."""
    return UserFactory(username="mo", is_staff=True, groups=["Moderators"])


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def reader(db):
    """A registered reader without any staff rights."""
    return UserFactory(username="rita")
