"""A guest comments and replies in a real browser, with whatever JavaScript the page has."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from blog.models import Post
from comments.models import Comment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_post():
    author = User.objects.create_user(username="e2e-writer", password="x" * 20)
    post = Post(
        title="Budget night, live",
        slug="budget-night",
        author=author,
        body="The council votes on the budget tonight.",
        status=Post.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=2),
    )
    post.save()
    return post


@pytest.fixture(params=[True, False], ids=["with-js", "without-js"])
def reader_page(request, browser):
    """A browser tab with JavaScript on (inline reply) or off (the reply page)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=request.param
    )
    yield context.new_page()
    context.close()


def _reply_form(page, number: int):
    """Click Reply under #number; the inline form (with JS) or the reply page (without)."""
    page.locator(f"#c{number} a.comment__reply").first.click()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if "/reply/" in page.url and page.locator("form.comment-form textarea").count():
            return page.locator("form.comment-form").first
        inline = page.locator(f"#c{number} form.comment-form")
        if inline.count() and inline.first.locator("textarea").is_visible():
            return inline.first
        page.wait_for_timeout(100)
    raise AssertionError(f"no reply form appeared for #{number} (at {page.url})")


def _comment_form(page):
    """The form under the post. The page anonymous readers share carries no form tokens:
    with JavaScript its form fetches them; without, "Write a comment" opens the form page."""
    write = page.locator(".comments__write a")
    if write.is_visible():
        write.click()
        page.wait_for_url(re.compile(r"/write/$"))
    return page.locator("form.comment-form").first


def _fill_guest(form, name: str, email: str) -> None:
    for field, value in (("guest_name", name), ("guest_email", email)):
        box = form.locator(f"input[name={field}]")
        if box.count() and box.is_visible():
            box.fill(value)


def test_guest_comments_then_replies_and_lands_on_each(reader_page, gunicorn_server, open_post):
    page = reader_page
    page.goto(gunicorn_server + open_post.get_absolute_url())
    form = _comment_form(page)
    _fill_guest(form, "Pat Guest", "pat@example.net")
    form.locator("textarea[name=body]").fill("The budget has a **hole** in it.")
    form.get_by_role("button", name="Post comment").click()
    page.wait_for_url(re.compile(r"#c1$"))
    first = page.locator("li#c1")
    assert first.is_visible()
    assert first.locator(".comment__body strong").inner_text() == "hole"

    reply = _reply_form(page, 1)
    _fill_guest(reply, "Pat Guest", "pat@example.net")
    reply.locator("textarea[name=body]").fill("Replying to myself: @1 undercounted it.")
    reply.locator("button[type=submit]:not([name])").click()
    page.wait_for_url(re.compile(r"#c2$"))
    nested = page.locator("li#c1 li#c2")
    assert nested.count() == 1
    assert "undercounted it" in nested.locator(".comment__body").inner_text()
    assert nested.locator(".comment__body a.comment-ref").inner_text() == "@1"

    stored = Comment.objects.filter(post=open_post).order_by("number")
    assert [(c.number, c.parent_number, c.guest_name) for c in stored] == [
        (1, None, "Pat Guest"),
        (2, 1, "Pat Guest"),
    ]
