"""Production fixtures: a real gunicorn (2 sync workers, DEBUG off) with Debian's nginx in front."""

import shutil

import pytest

from tests.production import servers, stack

# The browser-free posting tests send forms at once and from one address; issue 5's flood
# rules (tests/comments/test_moderation_screening.py) would hold or refuse them.
POSTING_RULES_OFF = {
    "COMMENTS_HOLD_FIRST_GUEST_COMMENT": "false",
    "COMMENTS_MIN_FORM_SECONDS": "0",
    "COMMENTS_RATE_IP_PER_MINUTE": "0",
    "COMMENTS_RATE_IP_PER_HOUR": "0",
    "COMMENTS_RATE_ACCOUNT_PER_MINUTE": "0",
    "COMMENTS_RATE_ACCOUNT_PER_HOUR": "0",
}


@pytest.fixture(scope="session")
def nginx_binary() -> str:
    path = servers.install_nginx()
    if not path:
        pytest.skip(
            "nginx is not installed and could not be installed "
            "(needs root and Debian's apt: `apt-get install nginx`)."
        )
    return path


@pytest.fixture(scope="session")
def app_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """gunicorn serving the test database with production settings, as it runs behind nginx."""
    from django.db import connection

    with django_db_blocker.unblock():
        db_url = servers.database_url(connection.settings_dict)
    app = servers.gunicorn_start(
        db_url=db_url, workdir=tmp_path_factory.mktemp("app"), extra_env=POSTING_RULES_OFF
    )
    yield app
    servers.stop(app.process)


@pytest.fixture(scope="session")
def proxy(nginx_binary, app_server, tmp_path_factory):
    """nginx with the repository's config in front of `app_server`."""
    nginx = servers.nginx_start(
        nginx=nginx_binary, app=app_server, prefix=tmp_path_factory.mktemp("nginx")
    )
    yield nginx
    servers.stop(nginx.process)


# Seconds the proxy keeps a shared page in the caching stack: short, so tests can wait it out.
PROXY_CACHE_SECONDS = 2


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory):
    """A redis-server of its own: the cache every app process shares, as in production."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (`apt-get install redis-server`).")
    redis = stack.PrivateRedis(tmp_path_factory.mktemp("redis"))
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture(scope="session")
def caching_app_server(django_db_setup, django_db_blocker, shared_cache, tmp_path_factory):
    """gunicorn as `app_server`, with the page cache on over a shared Redis (production's
    setup: every worker sees the same version counters) and a short proxy lifetime."""
    from django.db import connection

    with django_db_blocker.unblock():
        db_url = servers.database_url(connection.settings_dict)
    app = servers.gunicorn_start(
        db_url=db_url,
        workdir=tmp_path_factory.mktemp("caching-app"),
        extra_env={
            **POSTING_RULES_OFF,
            "REDIS_URL": shared_cache.url,
            "RIPOSTE_PAGE_CACHE_SECONDS": "60",
            "RIPOSTE_PROXY_CACHE_SECONDS": str(PROXY_CACHE_SECONDS),
        },
    )
    yield app
    servers.stop(app.process)


@pytest.fixture(scope="session")
def caching_proxy(nginx_binary, caching_app_server, tmp_path_factory):
    """nginx with the repository's config, its page micro-cache in front of `caching_app_server`."""
    nginx = servers.nginx_start(
        nginx=nginx_binary, app=caching_app_server, prefix=tmp_path_factory.mktemp("caching-nginx")
    )
    yield nginx
    servers.stop(nginx.process)
