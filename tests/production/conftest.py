"""Production fixtures: a real gunicorn (2 sync workers, DEBUG off) with Debian's nginx in front."""

import pytest

from tests.production import servers

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
