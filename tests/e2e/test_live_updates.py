"""Live updates in the browser (issue 11): a comment posted by someone else while the
post is open is announced ("1 new comment — show") without a reload."""

import re

import pytest
from playwright.sync_api import expect

from comments.posting import comment_create
from tests.factories import PostFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GUEST = {"guest_name": "Pat Guest", "guest_email": "pat@example.net"}


def _with_fast_polls(page) -> None:
    """Serve post pages asking every half second instead of every 30 s."""

    def shorten(route):
        response = route.fetch()
        body = re.sub(r'data-poll-seconds="\d+"', 'data-poll-seconds="0.5"', response.text())
        route.fulfill(response=response, body=body)

    page.route(re.compile(r".*/\d{4}/\d{2}/\d{2}/[^/]+/$"), shorten)


@pytest.fixture
def post():
    post = PostFactory()
    comment_create(post=post, body="The first word on it.", **GUEST)
    post.refresh_from_db()
    return post


def test_a_comment_posted_elsewhere_is_announced_without_a_reload(page, gunicorn_server, post):
    _with_fast_polls(page)
    page.goto(gunicorn_server + post.get_absolute_url())
    region = page.locator("#comments .comments__live")
    assert region.get_attribute("role") == "status"
    page.wait_for_timeout(1_200)  # a few polls: nothing new yet
    assert region.inner_text() == ""

    comment_create(post=post, body="A reply from another reader.", **GUEST)

    expect(region).to_have_text("1 new comment — show", timeout=10_000)
    region.get_by_role("link", name="show").click()
    page.wait_for_url(re.compile(r"#c2$"))
    assert page.locator("#c2").is_visible()


def test_without_javascript_the_page_stays_as_loaded(browser, gunicorn_server, post):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(gunicorn_server + post.get_absolute_url())
    comment_create(post=post, body="A reply from another reader.", **GUEST)
    page.wait_for_timeout(1_000)

    assert page.locator("#comments .comments__live").inner_text() == ""
    assert page.locator("li.comment").count() == 1
    context.close()


def _set_visibility(page, state: str) -> None:
    page.evaluate(
        """state => {
            Object.defineProperty(document, "visibilityState", {value: state, configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }""",
        state,
    )


def test_polls_pause_while_the_tab_is_hidden_and_resume_on_return(page, gunicorn_server, post):
    # The page's own clock, run forward, keeps the real 30 s interval (and the browser's
    # HTTP cache, which request routing would switch off).
    page.clock.install()
    etags_sent = []
    page.on(
        "response",
        lambda response: (
            etags_sent.append(response.request.header_value("if-none-match"))
            if "/since/" in response.url
            else None
        ),
    )
    page.goto(gunicorn_server + post.get_absolute_url())
    for _ in range(2):
        with page.expect_response(lambda response: "/since/" in response.url):
            page.clock.run_for(30_500)
    assert etags_sent[0] is None
    assert etags_sent[1], "a repeated poll revalidates with the ETag (a 304: test_live.py)"

    _set_visibility(page, "hidden")
    page.clock.run_for(120_000)
    page.wait_for_timeout(500)
    assert len(etags_sent) == 2

    with page.expect_response(lambda response: "/since/" in response.url):
        _set_visibility(page, "visible")
    assert len(etags_sent) == 3
