"""Health probes (issue 12): /healthz and /readyz answer JSON, 200 or 503, for any Host,
never cached, without cookies; the cache is reported but never fatal."""

import uuid

import pytest
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from blog import health
from tests.production.servers import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _migrations_read_afresh(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)


def test_healthz_is_200_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refused)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "database": "unreachable",
        "cache": "local (LocMemCache)",
    }


def test_healthz_reads_the_job_queue_table_when_one_is_installed(client, monkeypatch):
    table = f"test_jobs_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {table} (id integer)")
    monkeypatch.setattr(health, "JOB_TABLES", (table,))
    assert client.get(reverse("healthz")).json()["jobs"] == "ok"


def test_healthz_says_when_no_job_queue_is_installed(client, monkeypatch):
    monkeypatch.setattr(health, "JOB_TABLES", ("no_such_jobs_table",))
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["jobs"] == "not installed"


def test_healthz_is_503_when_the_job_queue_table_cannot_be_read(client, monkeypatch):
    table = f"test_jobs_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        # Every read of this "table" fails (division by zero), as a broken one would.
        failing = "SELECT n FROM generate_series(1, 1) n WHERE 1 / (n - 1) = 0"
        cursor.execute(f"CREATE VIEW {table} AS {failing}")
    monkeypatch.setattr(health, "JOB_TABLES", (table,))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["jobs"] == "unreachable"


def test_an_unreachable_redis_is_reported_but_not_fatal(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "blog.cache_backend.RedisWithFallbackCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["cache"] == "unreachable (serving without it)"


def test_readyz_is_200_when_every_migration_is_applied(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "migrations": "applied"}


def test_readyz_is_503_while_migrations_are_missing(client, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [object()])
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 unapplied"


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_a_probe_answers_a_host_that_allowed_hosts_refuses(client, settings, name):
    """The loopback probe's Host may be anything; ALLOWED_HOSTS stays strict for pages."""
    settings.ALLOWED_HOSTS = ["blog.example.org"]
    assert client.get(reverse(name), HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get(reverse("blog:post-list"), HTTP_HOST="10.0.0.7:8000").status_code == 400


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_a_probe_over_plain_http_is_not_redirected(client, settings, name):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_a_probe_is_never_cached_and_sets_no_cookie(client, name):
    response = client.get(reverse(name))
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert response["Content-Type"] == "application/json"


def test_a_probe_takes_only_get_and_head(client):
    assert client.post(reverse("healthz")).status_code == 405
    assert client.head(reverse("healthz")).status_code == 200
