"""What static/js/comments.js adds to a post's comment section, in a real browser.

Inline reply, quoting, reference previews, relative times, new-since-last-visit
marks, j/k/n keys and collapse/expand all. The page works without the script
(see test_comments.py); these tests check the enhancements themselves.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from comments.posting import comment_create
from tests.e2e.conftest import sign_in
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRST_BODY = "The budget has a **hole** in it.\n\nNobody on the council counted it."
GUEST = {"guest_name": "Pat Guest", "guest_email": "pat@example.net"}


def _guest_comment(post, body, *, parent=None, hours_ago=None):
    created = timezone.now() - timedelta(hours=hours_ago) if hours_ago else None
    return comment_create(post=post, body=body, parent_number=parent, created_at=created, **GUEST)


@pytest.fixture
def lone_comment_post():
    """A post with one guest comment, #1."""
    post = PostFactory()
    _guest_comment(post, FIRST_BODY, hours_ago=3)
    return post


@pytest.fixture
def thread_post():
    """#1 (three hours old), #2 replying to #1 and citing @1, #3 at the top level."""
    post = PostFactory()
    _guest_comment(post, FIRST_BODY, hours_ago=3)
    _guest_comment(post, "Agreed with @1, and the hole is larger than that.", parent=1)
    _guest_comment(post, "A separate point about turnout.")
    post.refresh_from_db()
    return post


@pytest.fixture
def reader(browser):
    """A tab that also records console errors and uncaught exceptions."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(5_000)  # a missing enhancement fails fast
    page.errors = []
    page.on(
        "console",
        lambda message: (
            page.errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: page.errors.append(f"pageerror: {error}"))
    yield page
    context.close()


def _open(page, server, post):
    page.goto(server + post.get_absolute_url())
    page.wait_for_load_state("load")


def _focused_comment(page) -> str | None:
    """The id of the li.comment holding the focused element, if any."""
    return page.evaluate("document.activeElement.closest('li.comment')?.id ?? null")


def _focused_card_of(page) -> str | None:
    """The id of the comment whose card itself is focused (what j/k/n focus)."""
    return page.evaluate(
        "document.activeElement.matches('li.comment > article.comment__card')"
        " ? document.activeElement.parentElement.id : null"
    )


# ─── Inline reply ────────────────────────────────────────────────────────────


def test_reply_opens_an_inline_form_under_the_comment_and_posts_a_nested_reply(
    reader, gunicorn_server, lone_comment_post
):
    # Signed in: a guest's first comment (or a form sent back within seconds) may be
    # held for review, which is not what this test is about.
    page = reader
    robin = UserFactory(username="robin", display_name="Robin Reader")
    sign_in(page, gunicorn_server, robin, lone_comment_post.get_absolute_url())
    url_before = page.url
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    main_token = page.locator("form.comment-form input[name=submission_token]").first.input_value()

    page.locator("#c1 a.comment__reply").click()

    form = page.locator("li#c1 > form.comment-form--inline")
    form.wait_for(state="visible")
    assert page.url == url_before
    assert navigations == []
    assert page.locator("form.comment-form--inline").count() == 1
    assert form.locator("input[name=parent]").input_value() == "1"
    token = form.locator("input[name=submission_token]").input_value()
    assert token
    assert token != main_token
    assert page.evaluate("document.activeElement.matches('form.comment-form--inline textarea')")

    form.locator("textarea[name=body]").fill("An inline reply to the first comment.")
    form.locator("button[type=submit]:not([name])").click()

    page.wait_for_url(re.compile(r"#c2$"))
    nested = page.locator("li#c1 li#c2")
    assert nested.count() == 1
    assert "An inline reply" in nested.locator(".comment__body").inner_text()
    stored = Comment.objects.get(post=lone_comment_post, number=2)
    assert (stored.parent_number, stored.author_id) == (1, robin.pk)
    assert str(stored.submission_token) == token


# ─── Quote ───────────────────────────────────────────────────────────────────


def test_quote_without_selection_quotes_the_whole_comment(
    reader, gunicorn_server, lone_comment_post
):
    page = reader
    _open(page, gunicorn_server, lone_comment_post)

    page.locator("#c1 a.comment__quote").click()

    form = page.locator("li#c1 > form.comment-form--inline")
    form.wait_for(state="visible")
    assert "/reply/" not in page.url
    assert form.locator("input[name=parent]").input_value() == "1"
    text = form.locator("textarea[name=body]").input_value()
    assert text == (
        "> The budget has a hole in it.\n"
        ">\n"
        "> Nobody on the council counted it.\n"
        ">\n"
        "> — #1, Pat Guest\n\n"
    )
    assert text.rstrip().splitlines()[-1].startswith("> — #1")


def test_quote_with_a_selection_quotes_only_the_selection(
    reader, gunicorn_server, lone_comment_post
):
    page = reader
    _open(page, gunicorn_server, lone_comment_post)
    selected = page.evaluate(
        """() => {
            const body = document.querySelector('#c1 > .comment__card > .comment__body');
            const text = body.querySelectorAll('p')[1].firstChild;
            const start = text.textContent.indexOf('on the council');
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, start + 'on the council'.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            return getSelection().toString();
        }"""
    )
    assert selected == "on the council"

    page.locator("#c1 a.comment__quote").click()

    form = page.locator("li#c1 > form.comment-form--inline")
    form.wait_for(state="visible")
    assert form.locator("textarea[name=body]").input_value() == (
        "> on the council\n>\n> — #1, Pat Guest\n\n"
    )


# ─── Reference previews ──────────────────────────────────────────────────────


def test_hovering_a_reference_previews_the_comment_without_a_request(
    reader, gunicorn_server, thread_post
):
    page = reader
    _open(page, gunicorn_server, thread_post)
    page.wait_for_load_state("networkidle")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    link = page.locator("#c2 > .comment__card > .comment__body a.comment-ref[data-ref='1']")
    assert link.inner_text() == "@1"

    link.hover()

    tooltip = page.get_by_role("tooltip")
    tooltip.wait_for(state="visible")
    assert "Nobody on the council counted it." in tooltip.inner_text()
    assert "Pat Guest" in tooltip.inner_text()
    assert link.get_attribute("aria-describedby") == tooltip.get_attribute("id")
    page.wait_for_timeout(300)
    assert requests == []

    page.keyboard.press("Escape")
    tooltip.wait_for(state="detached")
    assert link.get_attribute("aria-describedby") is None


def test_focusing_a_reference_with_the_keyboard_previews_the_comment(
    reader, gunicorn_server, thread_post
):
    page = reader
    _open(page, gunicorn_server, thread_post)
    # The card's own number link comes right before "in reply to #1" in tab order.
    page.locator("#c2 > .comment__card a.comment__number").focus()
    assert page.get_by_role("tooltip").count() == 0

    page.keyboard.press("Tab")

    assert page.evaluate("document.activeElement.matches('#c2 .comment__in-reply a.comment-ref')")
    tooltip = page.get_by_role("tooltip")
    tooltip.wait_for(state="visible")
    assert "Nobody on the council counted it." in tooltip.inner_text()

    page.keyboard.press("Tab")  # on to the @1 in the body: still #1's preview
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # back onto #2's number link: no preview
    tooltip.wait_for(state="detached")


# ─── Keyboard ────────────────────────────────────────────────────────────────


def test_j_and_k_move_focus_between_comments(reader, gunicorn_server, thread_post):
    page = reader
    _open(page, gunicorn_server, thread_post)

    page.keyboard.press("j")
    assert _focused_card_of(page) == "c1"
    page.keyboard.press("j")
    assert _focused_card_of(page) == "c2"
    page.keyboard.press("k")
    assert _focused_card_of(page) == "c1"


def test_j_typed_in_the_comment_box_is_text_not_navigation(reader, gunicorn_server, thread_post):
    page = reader
    _open(page, gunicorn_server, thread_post)
    textarea = page.locator("form.comment-form textarea[name=body]").first
    textarea.click()

    page.keyboard.type("jjk")

    assert textarea.input_value() == "jjk"
    assert page.evaluate("document.activeElement.matches('textarea[name=body]')")
    assert _focused_comment(page) is None


# ─── New since the last visit (guests: localStorage) ─────────────────────────


def test_guest_sees_comments_posted_since_the_last_visit_marked_new(
    reader, gunicorn_server, thread_post
):
    page = reader
    _open(page, gunicorn_server, thread_post)
    assert page.locator("li.comment.is-new").count() == 0
    assert page.locator(".comments__new").count() == 0
    stored = page.evaluate(f"localStorage.getItem('riposte:lastSeen:{thread_post.pk}')")
    assert stored == "3"

    _guest_comment(thread_post, "Posted while you were away.")
    page.reload()
    page.wait_for_load_state("load")

    assert page.locator("li.comment.is-new").evaluate_all("items => items.map(i => i.id)") == ["c4"]
    assert page.locator("#c4 .comment__new").text_content() == "new"
    status = page.locator(".comments__new[role=status]")
    assert "1 new comment since your last visit" in status.inner_text()

    status.get_by_role("button", name="Jump to next new").click()
    assert _focused_card_of(page) == "c4"

    page.keyboard.press("k")
    assert _focused_card_of(page) == "c3"
    page.keyboard.press("n")
    assert _focused_card_of(page) == "c4"


def test_n_goes_to_the_new_comment(reader, gunicorn_server, thread_post):
    page = reader
    _open(page, gunicorn_server, thread_post)
    _guest_comment(thread_post, "Another new one.", parent=1)
    page.reload()
    page.wait_for_load_state("load")
    assert page.locator("li.comment.is-new").count() == 1

    page.keyboard.press("n")

    assert _focused_card_of(page) == "c4"
    assert page.locator("li#c1 li#c4.is-new").count() == 1


# ─── Relative times ──────────────────────────────────────────────────────────


def test_comment_time_gets_a_relative_hint(reader, gunicorn_server, thread_post):
    page = reader
    _open(page, gunicorn_server, thread_post)
    time = page.locator("#c1 > .comment__card .comment__meta time")
    hint = page.locator("#c1 > .comment__card .comment__meta time + .comment__ago")

    assert hint.inner_text().strip() == "(3 hours ago)"
    assert time.get_attribute("title")
    assert page.locator(".comment__meta .comment__ago").count() == 3


# ─── Collapse all / expand all ───────────────────────────────────────────────


def test_collapse_all_hides_replies_and_expand_all_shows_them(reader, gunicorn_server, thread_post):
    page = reader
    _open(page, gunicorn_server, thread_post)
    threads = page.locator("details.comment__replies")
    assert threads.count() == 1
    reply = page.locator("li#c2")
    assert reply.is_visible()

    page.get_by_role("button", name="Collapse all replies").click()

    assert threads.evaluate_all("all => all.every(d => !d.open)")
    assert reply.is_hidden()
    assert page.locator("li#c1 > .comment__card").is_visible()
    assert page.locator("li#c3").is_visible()

    page.get_by_role("button", name="Expand all").click()

    assert threads.evaluate_all("all => all.every(d => d.open)")
    assert reply.is_visible()


# ─── Console ─────────────────────────────────────────────────────────────────


def test_post_page_has_no_console_errors(reader, gunicorn_server, thread_post):
    page = reader
    _open(page, gunicorn_server, thread_post)
    page.wait_for_load_state("networkidle")
    assert page.locator(".comments__keys").is_visible()  # the script ran

    page.keyboard.press("j")
    page.locator("#c2 .comment__body a.comment-ref").hover()
    page.get_by_role("tooltip").wait_for(state="visible")
    page.locator("#c3 a.comment__reply").click()
    page.locator("form.comment-form--inline").wait_for(state="visible")

    assert page.errors == []
