"""A long argument that reads well on a phone (issue 11, "Density and typography").

On the demo's long post, scrolled to the start of its comment list, the first screen
holds at least 10 comment cards at 1280×900 and 6 at 390×844 (the phone with a touch
screen, so its larger tap targets count), for a reader and for a moderator. On the
phone the site header keeps to a quarter of the screen, no comment's head line wraps
to a third line, and keyboard hints wait until a key is pressed.
"""

import pytest
from playwright.sync_api import expect

from comments.posting import comment_create
from tests.e2e import test_csp
from tests.factories import PostFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
}
AT_LEAST = {"desktop": 10, "phone": 6}
# The demo content (tests/e2e/test_csp.py): its long post, a reader and a moderator.
demo = test_csp.demo
PASSWORD = test_csp.PASSWORD
# Cards whose top edge lies on the screen: each shows at least its head line.
CARDS_ON_SCREEN = """() => [...document.querySelectorAll("li.comment > .comment__card")]
  .filter(card => { const top = card.getBoundingClientRect().top;
                    return top >= 0 && top < window.innerHeight; })"""


@pytest.fixture
def open_tab(browser):
    contexts = []

    def open_tab(base_url: str, path: str, *, screen: str, user=None):
        context = browser.new_context(**SCREENS[screen])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if user is not None:
            page.goto(f"{base_url}/accounts/login/")
            page.get_by_label("Email or username").fill(user.username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            assert "/accounts/login/" not in page.url
        page.goto(base_url + path)
        return page

    yield open_tab
    for context in contexts:
        context.close()


def _at_the_comments(page):
    page.locator(".comment-list--root").evaluate("list => list.scrollIntoView()")
    return page


@pytest.mark.parametrize("who", ["reader", "moderator"])
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_first_screen_of_the_long_thread_holds_enough_comments(
    open_tab, gunicorn_server, demo, screen, who
):
    page = open_tab(gunicorn_server, demo["post"].get_absolute_url(), screen=screen, user=demo[who])
    if who == "moderator":
        assert page.locator("details.comment__mod").count() > 0
    shown = _at_the_comments(page).evaluate(f"({CARDS_ON_SCREEN})().length")
    assert shown >= AT_LEAST[screen], f"{shown} comments on the first {screen} screen"


def test_on_a_phone_the_header_takes_at_most_a_quarter_of_the_screen(
    open_tab, gunicorn_server, demo
):
    # A signed-in reader's header is the fullest: their name and four more links.
    page = open_tab(
        gunicorn_server, demo["post"].get_absolute_url(), screen="phone", user=demo["reader"]
    )
    header = page.locator("header.site-header").bounding_box()["height"]
    assert header <= 844 / 4
    # Not wider than the phone (a mobile browser would widen its layout viewport to fit).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_on_a_phone_no_comment_head_line_wraps_to_three_lines(open_tab, gunicorn_server, demo):
    page = _at_the_comments(
        open_tab(
            gunicorn_server, demo["post"].get_absolute_url(), screen="phone", user=demo["moderator"]
        )
    )
    lines = page.evaluate(
        f"""() => ({CARDS_ON_SCREEN})().map(card => {{
          const head = card.querySelector(".comment__head");
          const name = card.querySelector(".comment__name");
          const line = parseFloat(getComputedStyle(name).lineHeight);
          return Math.round(head.getBoundingClientRect().height / line * 10) / 10;
        }})"""
    )
    assert lines and max(lines) < 2.5, lines


def test_keyboard_hints_wait_on_a_touch_phone_until_a_key_is_pressed(open_tab, gunicorn_server):
    post = PostFactory()
    comment_create(post=post, body="A point.", guest_name="Pat", guest_email="pat@example.net")
    page = open_tab(gunicorn_server, post.get_absolute_url(), screen="phone")
    page.wait_for_load_state("networkidle")
    hints = page.locator(".comments__keys")
    assert hints.get_attribute("hidden") is None  # comments.js ran and offers the keys
    assert hints.is_hidden()
    page.keyboard.press("j")
    expect(hints).to_be_visible()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_summary_line_opens_the_comments_in_one_or_two_lines(
    open_tab, gunicorn_server, demo, screen
):
    """Issue 11: "312 comments from 87 people · latest 2 hours ago (#312) · 4 pages", then
    the first threads, on the screen a reader who jumps to the comments sees."""
    page = open_tab(gunicorn_server, demo["post"].get_absolute_url() + "#comments", screen=screen)
    page.wait_for_load_state("networkidle")
    summary = page.locator(".comments__summary")
    expect(summary).to_contain_text("from ")
    expect(summary.locator("time")).to_contain_text(" ago")  # comments.js made it relative
    box = summary.bounding_box()
    line = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.comments__summary')).lineHeight)"
    )
    assert box["height"] < 2.5 * line, f"{box['height'] / line:.1f} lines"
    assert box["x"] >= 0 and box["x"] + box["width"] <= SCREENS[screen]["viewport"]["width"]
    shown = page.evaluate(f"({CARDS_ON_SCREEN})().length")
    assert box["y"] >= 0 and shown >= 2, f"{shown} comments under the summary"
