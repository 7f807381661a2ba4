"""`docker compose up` as docker-compose.yml describes it, without containers (issue 12).

No Docker engine runs on the machines the tests run on (only the client), so
tests/production/compose.py starts each service's own command with the environment
compose gives it: the one-shot migrate service, gunicorn from the Dockerfile's CMD,
the job worker, nginx from the mounted template with the proxy's values, PostgreSQL
and Redis as private servers, service names mapped to loopback ports. Then a reader
uses the site through the proxy, the only published port: pages and static files,
the health probe, a comment posted through the real form, and its notification
mailed by the worker (EMAIL_HOST passed through compose to an SMTP sink).
"""

import json
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.jobs.smtp import SmtpSink
from tests.production import compose, servers, stack
from tests.production.traffic import ACKNOWLEDGED_AT, Browser, wait_until

# COMMENTS_MIN_FORM_SECONDS keeps its default under compose: a form sent sooner is held.
FORM_SECONDS = 3.2


@pytest.fixture(scope="module")
def site():
    missing = stack.available()
    if missing:
        pytest.skip(f"Starting the compose services needs initdb and redis-server: {missing}")
    nginx = servers.install_nginx()
    if not nginx:
        pytest.skip("nginx is not installed and could not be (root and apt-get needed).")
    # Not pytest's tmp_path: initdb runs as postgres and must reach the folder.
    root = Path(tempfile.mkdtemp(prefix="riposte-compose-"))
    with SmtpSink() as sink:
        shell = {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "EMAIL_USE_TLS": "false",
        }
        up = compose.ComposeUp(root=root, shell=shell, nginx=nginx)
        try:
            up.up()
            # Accounts and a post, as an editor would make them in the admin.
            data = stack.seed(up.environment_of("worker"), writers=1)
            yield SimpleNamespace(up=up, sink=sink, data=data, browser=Browser(up.url))
        finally:
            up.down()
    shutil.rmtree(root, ignore_errors=True)


def test_migrate_ran_once_and_every_long_running_service_is_healthy(site):
    """As `docker compose up --wait` leaves it: the one-shot exited 0, the rest pass
    their own health checks (the Dockerfile's for web, the queue's for the worker)."""
    services = site.up.services
    assert site.up.running["migrate"].exit_code == 0
    for name, service in services.items():
        if service.get("restart") != "no":
            assert site.up.running[name].healthy, name


def test_a_post_page_is_served_through_the_proxy(site):
    status, headers, page = site.browser.request("GET", site.data["pages"]["soak"])
    assert status == 200
    assert "X-Cache-Status" in headers, "answered through nginx"
    assert b"Where the comments go under load" in page


def test_static_files_copied_by_migrate_are_served_by_the_proxy(site):
    """The image's collected files reach the volume nginx serves, hashed names and all."""
    _, _, page = site.browser.request("GET", "/")
    stylesheet = re.search(rb'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page).group(1)
    status, headers, _ = site.browser.request("GET", stylesheet.decode())
    assert status == 200
    assert "immutable" in headers["Cache-Control"]


def test_the_health_probe_finds_the_database_the_queue_and_redis(site):
    status, _, body = site.browser.request("GET", "/healthz")
    assert status == 200
    answer = json.loads(body)
    assert (answer["database"], answer["jobs"], answer["cache"]) == ("ok", "ok", "ok"), answer


def test_a_comment_posted_through_the_proxy_is_mailed_to_the_replied_by_the_worker(site):
    browser = Browser(site.up.url)
    assert browser.sign_in(site.data["writers"][0])
    path = f"/comments/{site.data['post_id']}/{site.data['targets'][0]}/reply/"
    status, _, page = browser.request("GET", path)
    assert status == 200
    token = f"soak-{secrets.token_hex(8)}"
    form = {**browser.hidden_fields(page), "body": f"Compose check {token}.", "website": ""}
    time.sleep(FORM_SECONDS)
    status, headers, _ = browser.request("POST", path, form)
    assert status == 302
    number = ACKNOWLEDGED_AT.search(headers["Location"]).group(1)

    _, _, page = browser.request("GET", site.data["pages"]["soak"])
    assert f'id="c{number}"'.encode() in page

    def mailed() -> list[tuple]:
        return [key for key in stack.delivered(list(site.sink.messages)) if key[0] == token]

    assert wait_until(lambda: mailed(), 60), site.up.running["worker"].log()[-3000:]
    assert mailed() == [(token, "target@example.org")]
