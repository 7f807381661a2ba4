"""End-to-end fixtures: Debian's Chromium driven by Playwright against real gunicorn.

gunicorn runs with production settings (DEBUG off, whitenoise, collected static
files) against the test database; tests write their data with `transactional_db`
so the server process sees it.
"""

import fcntl
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.factories import PASSWORD
from tests.production.servers import database_url, free_port

BASE_DIR = Path(settings.BASE_DIR)
# Playwright's sync API keeps an event loop running in the test thread; the test
# data is written with Django's synchronous ORM from that same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _install_chromium() -> str | None:
    """Install Debian's chromium when missing (root only); one installer at a time."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    with open("/tmp/riposte-chromium-install.lock", "w") as lock:  # noqa: S108
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = shutil.which("chromium")
        if found:
            return found
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", "chromium"],
        ):
            result = subprocess.run(command, env=env, capture_output=True, timeout=900, check=False)
            if result.returncode != 0:
                sys.stderr.write(result.stderr.decode(errors="replace")[-2000:])
                return None
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = _install_chromium()
    if not path:
        pytest.skip(
            "Chromium is not installed and could not be installed "
            "(needs root and Debian's apt: `apt-get install chromium`)."
        )
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, django_db_blocker):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
    with django_db_blocker.unblock():
        _wait_until_app_servers_are_idle()


def _wait_until_app_servers_are_idle(seconds: float = 10) -> None:
    """Until no other session on the test database is busy: a request the closed tab left
    running in gunicorn would hold locks that the database flush after a transactional
    test waits for, while holding what that request waits for (a deadlock, seen in CI)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state <> 'idle'"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)


@pytest.fixture(scope="session")
def gunicorn_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real gunicorn serving the test database with production settings; yields its URL."""
    yield from _serve(django_db_blocker, tmp_path_factory)


@pytest.fixture(scope="session")
def paged_gunicorn_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """The same, with comment pages of two comments, so a short post has many pages."""
    yield from _serve(django_db_blocker, tmp_path_factory, COMMENTS_PER_PAGE="2")


@pytest.fixture(scope="session")
def fifty_per_page_gunicorn_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """The same, with comment pages of fifty: the demo's long post spans several pages."""
    yield from _serve(django_db_blocker, tmp_path_factory, COMMENTS_PER_PAGE="50")


def _serve(django_db_blocker, tmp_path_factory, **settings_env):
    from django.db import connection

    with django_db_blocker.unblock():
        db_url = database_url(connection.settings_dict)
    static_root = tmp_path_factory.mktemp("static")
    media_root = tmp_path_factory.mktemp("media")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "e2e-only-" + "x" * 50,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_MEDIA_ROOT": str(media_root),
        "DJANGO_SERVE_MEDIA": "true",
        "DJANGO_CONN_MAX_AGE": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        # Two workers with local-memory caches would not see each other's version
        # counters; the test process writes comments behind their backs too.
        "RIPOSTE_PAGE_CACHE_SECONDS": "0",
        # Issue 5's flood rules would hold a guest's first comment and a form a robot fills
        # in at once, and count every test's comments against one address; the browser
        # tests of posting switch them off (tests/comments/test_moderation_screening.py
        # covers them).
        "COMMENTS_HOLD_FIRST_GUEST_COMMENT": "false",
        "COMMENTS_MIN_FORM_SECONDS": "0",
        "COMMENTS_RATE_IP_PER_MINUTE": "0",
        "COMMENTS_RATE_IP_PER_HOUR": "0",
        "COMMENTS_RATE_ACCOUNT_PER_MINUTE": "0",
        "COMMENTS_RATE_ACCOUNT_PER_HOUR": "0",
        **settings_env,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = open(tmp_path_factory.mktemp("log") / "gunicorn.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [str(gunicorn), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/robots.txt", timeout=2)  # noqa: S310
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                process.kill()
                raise RuntimeError(f"gunicorn did not start:\n{log.read()[-3000:]}") from None
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


def sign_in(page, server: str, user, next_url: str) -> None:
    """Sign `user` in through the sign-in page and wait for `next_url`.

    Tests hash passwords with MD5 (tests/conftest.py), which gunicorn's settings don't
    verify: the user gets a PBKDF2 hash of the factories' PASSWORD first."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    page.goto(f"{server}/accounts/login/?next={next_url}")
    page.get_by_label("Email or username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server}{next_url}")
