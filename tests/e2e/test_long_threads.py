"""Long threads on a phone (issue 11): a pager that fits the screen, per-comment folds
that last while reading, and deep links that land at once."""

import pytest
from playwright.sync_api import expect

from comments.posting import comment_create
from tests.factories import PostFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
GUEST = {"guest_name": "Pat Guest", "guest_email": "pat@example.net"}
LONG_BODY = "A long point about the budget, made at length. " * 12


def _comment(post, body="A point.", *, parent=None):
    return comment_create(post=post, body=body, parent_number=parent, **GUEST)


@pytest.fixture
def phone(browser):
    """A phone-sized tab with motion left at the default, where smooth scrolling would show."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(5_000)
    yield page
    context.close()


@pytest.fixture
def nested_post():
    """#1 with the reply #2, which has the reply #3; #4 at the top level."""
    post = PostFactory()
    _comment(post)
    _comment(post, parent=1)
    _comment(post, parent=2)
    _comment(post)
    return post


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_comment_pager_of_a_long_post_fits_a_phone(phone, paged_gunicorn_server):
    post = PostFactory()
    for _ in range(40):
        _comment(post)
    phone.goto(f"{paged_gunicorn_server}{post.get_absolute_url()}?cpage=10")
    pager = phone.locator("nav.comment-pages").first
    assert pager.get_by_role("link", name="Comments page 10").get_attribute("aria-current") == (
        "page"
    )
    assert pager.get_by_role("link", name="Comments page 20").is_visible()
    assert pager.get_by_role("link", name="Next comments page").is_visible()
    assert _fits_the_screen(phone)


def test_folding_a_comment_hides_its_replies_and_shows_how_many(
    phone, gunicorn_server, nested_post
):
    phone.goto(gunicorn_server + nested_post.get_absolute_url())
    phone.get_by_role("button", name="Fold the replies to #1").click()
    # The label follows the <details> element's toggle event, which fires after the click.
    expect(phone.locator("li#c1 > .comment__card .comment__fold")).to_have_text("[+2]")
    assert phone.locator("li#c2").is_hidden()
    assert phone.locator("li#c4").is_visible()
    assert _fits_the_screen(phone)


def test_a_fold_survives_a_reload_and_unfolding_is_remembered_too(
    phone, gunicorn_server, nested_post
):
    phone.goto(gunicorn_server + nested_post.get_absolute_url())
    phone.get_by_role("button", name="Fold the replies to #2").click()
    expect(phone.get_by_role("button", name="Unfold 1 reply to #2")).to_be_visible()
    phone.reload()
    assert phone.locator("li#c3").is_hidden()
    assert phone.locator("li#c2").is_visible()
    phone.get_by_role("button", name="Unfold 1 reply to #2").click()
    expect(phone.get_by_role("button", name="Fold the replies to #2")).to_be_visible()
    phone.reload()
    assert phone.locator("li#c3").is_visible()
    assert phone.locator("li#c2 > .comment__card .comment__fold").inner_text() == "[–]"


def test_a_permalink_lands_on_the_comment_at_once(phone, gunicorn_server):
    post = PostFactory()
    for _ in range(30):
        _comment(post, LONG_BODY)
    phone.goto(gunicorn_server + post.get_absolute_url() + "#c25")
    phone.wait_for_load_state("load")
    assert phone.evaluate("getComputedStyle(document.documentElement).scrollBehavior") != "smooth"
    top = phone.evaluate(
        "[window.scrollY, document.getElementById('c25').getBoundingClientRect().top]"
    )
    assert top[0] > 0
    assert -2 <= top[1] <= 50


# ─── "N more replies in this thread" ─────────────────────────────────────────


@pytest.fixture
def long_subthread_post():
    """#1 with six replies (#2–#7); #7 has the replies #8 and #9; #10 at the top level.

    With three replies shown, #5, #6, #7, #8 and #9 are folded: five comments.
    """
    post = PostFactory()
    _comment(post, LONG_BODY)
    for _ in range(6):
        _comment(post, LONG_BODY, parent=1)
    _comment(post, LONG_BODY, parent=7)
    _comment(post, LONG_BODY, parent=7)
    _comment(post, LONG_BODY)
    return post


def _tab(browser, *, javascript: bool, viewport=PHONE):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(5_000)
    return context, page


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_long_subthread_folds_after_three_replies_and_unfolds_in_place(
    browser, gunicorn_server, long_subthread_post, javascript
):
    context, page = _tab(browser, javascript=javascript)
    page.goto(gunicorn_server + long_subthread_post.get_absolute_url())
    more = page.locator("li#c1 details.comment__more > summary")
    expect(more).to_have_text("5 more replies in this thread")
    assert page.locator("li#c4").is_visible()
    assert [page.locator(f"li#c{n}").is_hidden() for n in (5, 6, 7, 8, 9)] == [True] * 5
    assert page.locator("li#c10").is_visible()
    more.click()
    expect(page.locator("li#c9")).to_be_visible()
    assert page.locator("li#c5").is_visible()
    assert _fits_the_screen(page)
    more.click()
    expect(page.locator("li#c5")).to_be_hidden()
    context.close()


def test_the_fold_on_a_comment_counts_the_replies_in_its_long_subthread_fold(
    phone, gunicorn_server, long_subthread_post
):
    phone.goto(gunicorn_server + long_subthread_post.get_absolute_url())
    phone.get_by_role("button", name="Fold the replies to #1").click()
    expect(phone.get_by_role("button", name="Unfold 8 replies to #1")).to_have_text("[+8]")


def test_an_unfolded_long_subthread_stays_unfolded_after_a_reload(
    phone, gunicorn_server, long_subthread_post
):
    phone.goto(gunicorn_server + long_subthread_post.get_absolute_url())
    phone.locator("li#c1 details.comment__more > summary").click()
    expect(phone.locator("li#c5")).to_be_visible()
    phone.reload()
    assert phone.locator("li#c5").is_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_deep_link_into_a_folded_subthread_lands_on_the_comment_at_once(
    browser, gunicorn_server, long_subthread_post, javascript
):
    context, page = _tab(browser, javascript=javascript)
    page.goto(gunicorn_server + long_subthread_post.get_absolute_url() + "#c8")
    page.wait_for_load_state("load")
    assert page.locator("li#c8").is_visible()
    top = page.evaluate("document.getElementById('c8').getBoundingClientRect().top")
    assert -2 <= top <= 50
    context.close()


def test_a_permalink_to_a_folded_comment_lands_on_it(phone, gunicorn_server, long_subthread_post):
    phone.goto(gunicorn_server + long_subthread_post.comments.get(number=9).get_absolute_url())
    phone.wait_for_load_state("load")
    assert phone.url.endswith("#c9")
    top = phone.evaluate("document.getElementById('c9').getBoundingClientRect().top")
    assert -2 <= top <= 50


@pytest.mark.parametrize("width", [390, 1280])
def test_a_long_post_with_pages_and_folds_never_scrolls_sideways(
    browser, paged_gunicorn_server, long_subthread_post, width
):
    context, page = _tab(browser, javascript=True, viewport={"width": width, "height": 900})
    for _ in range(12):
        _comment(long_subthread_post, LONG_BODY)
    page.goto(paged_gunicorn_server + long_subthread_post.get_absolute_url())
    assert page.locator("nav.comment-pages").first.is_visible()
    assert _fits_the_screen(page)
    page.locator("li#c1 details.comment__more > summary").click()
    expect(page.locator("li#c9")).to_be_visible()
    assert _fits_the_screen(page)
    context.close()
