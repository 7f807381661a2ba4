"""Accessibility in a real browser (issue 11): axe-core finds no serious or critical
violation on the pages guests, readers and moderators use most, at a phone's and a
desktop's width, and the demo's long post reflows to both widths with comment paging on
(WCAG 1.4.10): nothing makes the reader scroll sideways.

axe-core is vendored in tests/e2e/vendor/axe-core/ and never served. Playwright's
`add_script_tag` would insert it as an inline <script>, which the site's policy
(`script-src 'self'`) blocks, as it should; `page.evaluate` runs it through the DevTools
protocol instead, which the policy does not govern, so the pages are checked exactly
as readers get them, policy included.
"""

from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from accounts.models import User
from blog.demo import content
from blog.demo.loading import demo_load
from blog.models import Post
from comments.models import Comment, Flag
from comments.moderation.actions import comment_hold
from comments.moderation.flags import flag_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
PASSWORD = "a long enough test password"
WIDTHS = (390, 1280)
QUEUE = "/admin/comments/comment/"
RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((violation) => ["serious", "critical"].includes(violation.impact))
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(" ")),
    }));
}"""
# The first few Moderate menus opened, so their forms are checked too (one per card, all
# alike: held, flagged and published ones come first on the demo's long post).
OPEN_MODERATE_MENUS = """() => {
  const menus = [...document.querySelectorAll("details.comment__mod")].slice(0, 8);
  menus.forEach((menu) => { menu.open = true; });
  return menus.length;
}"""


@pytest.fixture
def demo(tmp_path, settings):
    """The demo content, with a held and a flagged comment on the long post so the
    moderator's views and the queue have work in them."""
    settings.MEDIA_ROOT = tmp_path
    assert demo_load(password=PASSWORD) is not None, "the test database already had posts"
    # Tests hash with MD5 (tests/conftest.py), which gunicorn's settings don't verify.
    hasher = PBKDF2PasswordHasher()
    User.objects.update(password=hasher.encode(PASSWORD, hasher.salt()))
    post = Post.objects.get(slug=content.LONG_POST_SLUG)
    moderator = User.objects.filter(groups__name="Moderators", is_superuser=False).first()
    reader = User.objects.filter(is_staff=False, comments__post=post).order_by("pk").first()
    others = Comment.objects.filter(post=post, status=Comment.Status.PUBLISHED).exclude(
        author=reader
    )
    comment_hold(comment=others.order_by("number")[3], moderator=moderator, reason="Check")
    flag_create(comment=others.order_by("number")[5], reader=reader, reason=Flag.Reason.ABUSE)
    return {"post_path": post.get_absolute_url(), "moderator": moderator, "reader": reader}


def _tab(browser, base_url: str, user=None, *, width: int = 1280, scheme: str = "light"):
    """A browser context at `width` in the `scheme` the system asks for, signed in as
    `user` through the sign-in page."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    if user is not None:
        page.goto(f"{base_url}/accounts/login/")
        page.get_by_label("Email or username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url
    return context, page


def _serious_violations(page, where: str) -> list[str]:
    """axe's serious and critical violations on the open page, one line each."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    return [
        f"{where}: {found['impact']} {found['id']} ({found['help']}) at "
        + "; ".join(found["targets"][:10])
        for found in page.evaluate(RUN_AXE)
    ]


def _check(browser, base_url: str, user, paths, *, scheme: str = "light") -> list[str]:
    """Every path at both widths, in one signed-in tab per width."""
    problems = []
    for width in WIDTHS:
        context, page = _tab(browser, base_url, user, width=width, scheme=scheme)
        for path in paths:
            response = page.goto(base_url + path)
            assert response.status == 200, path
            page.wait_for_load_state("networkidle")
            problems += _serious_violations(page, f"{path} at {width} px, {scheme}")
        context.close()
    return problems


def test_axe_finds_nothing_serious_on_public_pages_for_a_guest(
    browser, fifty_per_page_gunicorn_server, demo
):
    paths = ("/", demo["post_path"], demo["reader"].profile_url, "/accounts/signup/")
    problems = _check(browser, fifty_per_page_gunicorn_server, None, paths)
    assert problems == [], "\n".join(problems)


def test_axe_finds_nothing_serious_on_the_long_post_for_a_signed_in_reader(
    browser, fifty_per_page_gunicorn_server, demo
):
    reader = demo["reader"]
    paths = (demo["post_path"], reader.profile_url)  # their own profile, with its Edit button
    problems = _check(browser, fifty_per_page_gunicorn_server, reader, paths)
    assert problems == [], "\n".join(problems)


def test_axe_finds_nothing_serious_for_a_moderator_on_the_long_post_and_the_queue(
    browser, fifty_per_page_gunicorn_server, demo
):
    paths = (demo["post_path"], QUEUE, f"{QUEUE}?queue=all")
    problems = _check(browser, fifty_per_page_gunicorn_server, demo["moderator"], paths)
    assert problems == [], "\n".join(problems)


def test_axe_finds_nothing_serious_in_dark_mode_for_a_guest(
    browser, fifty_per_page_gunicorn_server, demo
):
    """Issue 11: the dark scheme (the system's choice, no JavaScript) passes too."""
    paths = (demo["post_path"], demo["reader"].profile_url, "/accounts/signup/")
    problems = _check(browser, fifty_per_page_gunicorn_server, None, paths, scheme="dark")
    assert problems == [], "\n".join(problems)


def test_axe_finds_nothing_serious_in_dark_mode_for_a_moderator_on_the_long_post(
    browser, fifty_per_page_gunicorn_server, demo
):
    """Issue 11: held and flagged comments and the Moderate menus, open, in the dark scheme."""
    base_url, problems = fifty_per_page_gunicorn_server, []
    for width in WIDTHS:
        context, page = _tab(browser, base_url, demo["moderator"], width=width, scheme="dark")
        page.goto(base_url + demo["post_path"])
        page.wait_for_load_state("networkidle")
        problems += _serious_violations(page, f"long post at {width} px, dark")
        opened = page.evaluate(OPEN_MODERATE_MENUS)
        assert opened > 0
        problems += _serious_violations(page, f"long post, Moderate menus open, {width} px, dark")
        context.close()
    assert problems == [], "\n".join(problems)


def test_the_page_follows_the_dark_scheme_the_system_asks_for(
    browser, fifty_per_page_gunicorn_server
):
    """The dark runs above check the dark palette, not the light one under another name."""
    context, page = _tab(browser, fifty_per_page_gunicorn_server, scheme="dark")
    page.goto(fifty_per_page_gunicorn_server + "/accounts/signup/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    context.close()
    assert background == "rgb(21, 23, 26)"  # --rp-bg of the dark palette


def test_the_check_reports_a_serious_violation(browser, fifty_per_page_gunicorn_server):
    """The check itself can fail: an image without a text alternative is a critical one."""
    context, page = _tab(browser, fifty_per_page_gunicorn_server)
    page.goto(fifty_per_page_gunicorn_server + "/")
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    problems = _serious_violations(page, "home")
    context.close()
    assert len(problems) == 1
    assert problems[0].startswith("home: critical image-alt (Images must have alternative text)")
    assert problems[0].endswith("img")


def _sideways_overflow(page) -> dict | None:
    """The page's scroll width when it is wider than the window, else None."""
    widths = page.evaluate(
        "({scroll: document.scrollingElement.scrollWidth, window: window.innerWidth})"
    )
    return widths if widths["scroll"] > widths["window"] else None


def _last_comment_page(page) -> int:
    return page.evaluate(
        """Math.max(1, ...Array.from(
            document.querySelectorAll("nav.comment-pages a.page-link"),
            (link) => parseInt(link.textContent, 10) || 1))"""
    )


def test_no_page_of_the_long_post_scrolls_sideways_for_a_reader_or_a_moderator(
    browser, fifty_per_page_gunicorn_server, demo
):
    base_url = fifty_per_page_gunicorn_server
    overflowing = {}
    for role in ("reader", "moderator"):
        for width in WIDTHS:
            context, page = _tab(browser, base_url, demo[role], width=width)
            page.goto(base_url + demo["post_path"])
            last = _last_comment_page(page)
            assert last > 1, "comment paging is off"
            for number in range(1, last + 1):
                page.goto(f"{base_url}{demo['post_path']}?cpage={number}")
                page.wait_for_load_state("networkidle")
                if found := _sideways_overflow(page):
                    overflowing[f"{role}, page {number} at {width} px"] = found
            context.close()
    assert overflowing == {}
