"""Issue 11, rough edges a reader meets after posting, in a real browser: a held reply's
"Awaiting review" copy in its place in the thread, and a "new since your last visit" banner
that leaves out the reader's own comment."""

import re

import pytest

from comments.models import Comment
from comments.posting import comment_create
from tests.e2e.conftest import sign_in
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GUEST = {"guest_name": "Pat Guest", "guest_email": "pat@example.net"}
# More links than COMMENTS_MAX_LINKS (2): held for review, whoever writes it.
HELD_BODY = "Sources: https://a.example https://b.example https://c.example"


@pytest.fixture
def thread_post():
    """#1 with a reply #2, then #3 at the top level (all by a guest)."""
    post = PostFactory()
    comment_create(post=post, body="The budget has a hole in it.", **GUEST)
    comment_create(post=post, body="Agreed, a big one.", parent_number=1, **GUEST)
    comment_create(post=post, body="A separate point about turnout.", **GUEST)
    return post


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(5_000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def _reply_inline(page, number: int, body: str, **guest) -> None:
    page.locator(f"#c{number} a.comment__reply[data-reply='{number}']").click()
    form = page.locator(f"li#c{number} > form.comment-form--inline")
    form.wait_for(state="visible")
    for name, value in guest.items():
        form.locator(f"input[name={name}]").fill(value)
    form.locator("textarea[name=body]").fill(body)
    form.locator("button[type=submit]:not([name])").click()


def test_a_held_reply_stands_under_its_parent_marked_awaiting_review_for_its_writer_only(
    tab, browser, gunicorn_server, thread_post
):
    page = tab
    page.goto(gunicorn_server + thread_post.get_absolute_url())
    _reply_inline(page, 1, HELD_BODY, **GUEST)
    page.wait_for_url(re.compile(r"#c4$"))
    assert Comment.objects.get(post=thread_post, number=4).status == Comment.Status.PENDING

    held = page.locator("li#c1 li#c4.comment--held")
    assert held.count() == 1  # moved under #1, after its reply #2
    assert page.locator("li#c1 li.comment").evaluate_all("items => items.map(i => i.id)") == [
        "c2",
        "c4",
    ]
    assert "Awaiting review" in held.inner_text()
    assert "a.example" in held.locator(".comment__body").inner_text()
    assert page.locator("ol.comments__held").count() == 0  # the holder is gone once moved
    top = held.evaluate("item => item.getBoundingClientRect().top")
    assert 0 <= top < 844  # landed on it
    assert page.locator("li#c4.is-new").count() == 0  # never "new" to its writer
    assert page.errors == []

    # Reloaded, it stays for its writer; another reader never sees it.
    page.reload()
    assert page.locator("li#c1 li#c4.comment--held").count() == 1
    other = browser.new_context().new_page()
    other.goto(gunicorn_server + thread_post.get_absolute_url())
    assert other.locator("#c4").count() == 0
    assert "a.example" not in other.content()
    other.context.close()


def test_without_javascript_the_held_copy_stands_above_the_thread(
    browser, gunicorn_server, thread_post
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{gunicorn_server}/comments/{thread_post.pk}/1/reply/")
    for name, value in GUEST.items():
        page.locator(f"input[name={name}]").fill(value)
    page.locator("textarea[name=body]").fill(HELD_BODY)
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url(re.compile(r"#c4$"))
    held = page.locator("ol.comments__held[data-parent='1'] > li#c4.comment--held")
    assert held.count() == 1
    assert "Awaiting review" in held.inner_text()
    assert "in reply to #1" in held.inner_text()
    context.close()


def test_after_posting_the_banner_counts_only_others_new_comments(
    tab, gunicorn_server, thread_post
):
    page = tab
    robin = UserFactory(username="robin", display_name="Robin Reader")
    url = thread_post.get_absolute_url()
    sign_in(page, gunicorn_server, robin, url)  # the visit mark: up to #3
    comment_create(post=thread_post, body="Posted while Robin was away.", **GUEST)  # #4

    page.locator("form.comment-form textarea[name=body]").first.fill("My own view, #5.")
    page.locator("form.comment-form button[type=submit]:not([name])").first.click()
    page.wait_for_url(re.compile(r"#c5$"))

    status = page.locator(".comments__new[role=status]")
    assert "1 new comment since your last visit" in status.inner_text()
    assert page.locator("li.comment.is-new").evaluate_all("items => items.map(i => i.id)") == ["c4"]
    assert page.locator("#c5 .comment__new").count() == 0
    assert page.errors == []
