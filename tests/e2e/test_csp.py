"""The Content-Security-Policy enforced in a real browser blocks nothing we serve (issue 8).

Each page is opened with a listener for `securitypolicyviolation` events installed before
any of its scripts run; the test fails on any violation and on any console error. The
demo content gives the long post with its long thread, as readers and moderators see it.
"""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from accounts.models import User
from blog.demo import content
from blog.demo.loading import demo_load
from blog.models import Post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough test password"
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber} ${event.sample}`
  );
});
"""
# Not policy problems: demo covers are stored where the test process keeps media, not
# where gunicorn serves it; the admin's pages link no icon, so browsers ask for one.
NOT_OUR_CONCERN = re.compile(r"/media/|/favicon\.ico$")


def _ensure_groups() -> None:
    """Transactional tests empty the tables the data migrations filled: fill them again."""
    for module, function in (
        ("blog.migrations.0002_author_and_moderator_groups", "create_groups"),
        ("comments.migrations.0002_moderator_comment_permissions", "grant"),
        ("comments.migrations.0004_moderator_moderation_permissions", "grant"),
        ("accounts.migrations.0006_moderators_see_accounts", "grant"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def demo():
    _ensure_groups()
    demo_load(password=PASSWORD)
    # Tests hash with MD5 (tests/conftest.py), which gunicorn's settings don't verify.
    hasher = PBKDF2PasswordHasher()
    User.objects.update(password=hasher.encode(PASSWORD, hasher.salt()))
    moderator = User.objects.filter(groups__name="Moderators", is_superuser=False).first()
    commenters = User.objects.filter(is_staff=False, comments__isnull=False)
    return {
        "post": Post.objects.get(slug=content.LONG_POST_SLUG),
        "moderator": moderator,
        "reader": commenters.distinct().order_by("pk").first(),
    }


class Watched:
    """A browser tab that records policy violations and console errors."""

    def __init__(self, browser, base_url: str):
        self.base_url = base_url
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.add_init_script(COLLECT_VIOLATIONS)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.expected_error_url = ""
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if NOT_OUR_CONCERN.search(url) or (url == self.expected_error_url):
            return
        self.problems.append(f"console: {message.text} ({message.location.get('url')})")

    def sign_in(self, user) -> None:
        self.page.goto(f"{self.base_url}/accounts/login/")
        self.page.get_by_label("Email or username").fill(user.username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        assert "/accounts/login/" not in self.page.url

    def visit(self, path: str, *, status: int = 200) -> None:
        """Open `path`; the browser logs an error page's own status, which is expected."""
        self.expected_error_url = self.base_url + path if status >= 400 else ""
        response = self.page.goto(self.base_url + path)
        assert response.status == status, path
        self.page.wait_for_load_state("networkidle")
        self.collect(path)

    def collect(self, where: str) -> None:
        for violation in self.page.evaluate("window.__cspViolations"):
            self.problems.append(f"{where}: {violation}")

    def close(self) -> list[str]:
        self.context.close()
        return self.problems


def _use_the_thread(tab: Watched, path: str) -> None:
    """What scripts do on a post page: an inline reply form, a reference preview."""
    tab.visit(path)
    page = tab.page
    page.locator("a.comment__reply").first.click()
    page.locator("a.comment-ref").first.hover()
    page.wait_for_timeout(300)
    tab.collect(f"{path} (replying, previewing a reference)")


def test_public_pages_break_no_policy_for_an_anonymous_reader(browser, gunicorn_server, demo):
    tab = Watched(browser, gunicorn_server)
    post_path = demo["post"].get_absolute_url()
    for path in (
        "/",
        post_path,
        post_path,  # the second answer comes from the anonymous page cache
        demo["reader"].profile_url,
        "/accounts/signup/",
        "/accounts/login/",
    ):
        tab.visit(path)
    tab.visit("/no/such/page/", status=404)
    _use_the_thread(tab, post_path)
    assert tab.close() == []


def test_the_long_post_breaks_no_policy_for_a_signed_in_reader(browser, gunicorn_server, demo):
    tab = Watched(browser, gunicorn_server)
    tab.sign_in(demo["reader"])
    post_path = demo["post"].get_absolute_url()
    for path in (post_path, demo["reader"].profile_url, "/accounts/profile/"):
        tab.visit(path)
    _use_the_thread(tab, post_path)
    assert tab.close() == []


def test_the_long_post_and_the_admin_queue_break_no_policy_for_a_moderator(
    browser, gunicorn_server, demo
):
    tab = Watched(browser, gunicorn_server)
    tab.sign_in(demo["moderator"])
    post_path = demo["post"].get_absolute_url()
    for path in (
        post_path,
        "/admin/",
        "/admin/comments/comment/?status__exact=pending",
        "/admin/comments/comment/",
        # The queue opens on what needs review (issue 11); the demo's comments are all fine.
        "/admin/comments/comment/?queue=all",
    ):
        tab.visit(path)
    # A comment's page in the admin, with its widgets and scripts.
    tab.page.locator("#result_list tbody a").first.click()
    tab.page.wait_for_load_state("networkidle")
    tab.collect("admin comment page")
    assert tab.close() == []
