"""What a banned and a shadow-banned reader see, in a real browser (issue 11).

A banned reader is told until when and why, with a link to their standing, where the
comment form would be: under the post and on the reply page. A shadow-banned reader
writes through the real form and meets exactly what any reader meets after posting (no
"held for review"); nobody else sees the comment.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from blog.models import Post
from comments.models import Comment
from comments.moderation.actions import user_ban
from comments.posting import comment_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough test password"


def _person(username: str, **extra) -> User:
    user = User.objects.create_user(username=username, **extra)
    # Tests hash with MD5 (tests/conftest.py), which gunicorn's settings don't verify.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def people():
    moderator = _person("e2e-ban-mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    return {
        "moderator": moderator,
        "banned": _person("e2e-banned"),
        "shadowed": _person("e2e-shadowed"),
        "unbanned": _person("e2e-unbanned"),
        "onlooker": _person("e2e-onlooker"),
    }


def _post(slug: str, author) -> Post:
    """A published post whose comment #1 is the onlooker's."""
    post = Post(
        title=f"Parking levy ({slug})",
        slug=slug,
        author=author,
        body="The council wants a parking levy.",
        status=Post.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=2),
    )
    post.save()
    return post


@pytest.fixture
def posts(people):
    made = [_post(slug, people["moderator"]) for slug in ("levy-one", "levy-two")]
    for post in made:
        comment_create(post=post, author=people["onlooker"], body="The levy is overdue.")
    return made


def _tab(browser, base_url: str, user, *, next_url: str, javascript: bool = True):
    """A tab on `next_url`, signed in as `user` through the sign-in page."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/?next={next_url}")
    page.get_by_label("Email or username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base_url + next_url)
    return context, page


def _assert_ban_notice_instead_of_the_form(page, ends_at) -> None:
    notice = page.locator(".comments__ban")
    text = notice.inner_text()
    assert f"You are banned from commenting until {timezone.localtime(ends_at):%-d %B %Y}" in text
    assert "Reason: Name-calling" in text
    standing = notice.get_by_role("link", name="My standing")
    assert standing.get_attribute("href") == reverse("comments:standing")
    assert page.locator("form.comment-form").count() == 0


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_banned_reader_sees_the_ban_instead_of_the_form_under_the_post_and_on_replying(
    browser, gunicorn_server, people, posts, javascript
):
    ban = user_ban(
        user=people["banned"], moderator=people["moderator"], reason="Name-calling", days=7
    )
    path = posts[0].get_absolute_url()
    context, page = _tab(
        browser, gunicorn_server, people["banned"], next_url=path, javascript=javascript
    )
    _assert_ban_notice_instead_of_the_form(page, ban.ends_at)

    # Reply opens no form in place (there is none to copy): it leads to the reply page.
    page.locator("#c1 a.comment__reply").first.click()
    page.wait_for_url(re.compile(r"/1/reply/"))
    _assert_ban_notice_instead_of_the_form(page, ban.ends_at)

    page.locator(".comments__ban").get_by_role("link", name="My standing").click()
    page.wait_for_url(gunicorn_server + reverse("comments:standing"))
    assert "Name-calling" in page.locator("main").inner_text()
    context.close()


def _post_through_the_form(browser, base_url: str, user, post) -> dict:
    """Write a comment as `user` through the page's form; what the writer then sees."""
    context, page = _tab(browser, base_url, user, next_url=post.get_absolute_url())
    form = page.locator("form.comment-form").first
    form.locator("textarea[name=body]").fill("Charge by the hour, not by the day.")
    form.get_by_role("button", name="Post comment").click()
    page.wait_for_url(re.compile(r"#c2$"))
    page.wait_for_load_state("networkidle")
    seen = {
        "anchor": page.url.rsplit("#", 1)[1],
        "messages": page.locator(".messages").all_inner_texts(),
        "classes": page.locator("li#c2").get_attribute("class"),
        "text": page.locator("li#c2 .comment__body").first.inner_text(),
        "form": page.locator("form.comment-form").first.is_visible(),
    }
    context.close()
    return seen


def test_a_shadow_banned_reader_sees_their_comment_as_any_reader_would_and_nobody_else_does(
    browser, gunicorn_server, people, posts
):
    user_ban(
        user=people["shadowed"],
        moderator=people["moderator"],
        reason="Spam",
        days=30,
        is_shadow=True,
    )
    shadowed = _post_through_the_form(browser, gunicorn_server, people["shadowed"], posts[0])
    unbanned = _post_through_the_form(browser, gunicorn_server, people["unbanned"], posts[1])
    assert Comment.objects.get(post=posts[0], number=2).status == Comment.Status.SHADOWED
    assert Comment.objects.get(post=posts[1], number=2).status == Comment.Status.PUBLISHED
    assert shadowed == unbanned
    assert shadowed["text"] == "Charge by the hour, not by the day."
    assert not any("review" in message for message in shadowed["messages"])

    context, page = _tab(
        browser, gunicorn_server, people["onlooker"], next_url=posts[0].get_absolute_url()
    )
    assert page.locator("li#c1").count() == 1
    assert page.locator("li#c2").count() == 0
    assert "Charge by the hour" not in page.locator("#comments").inner_text()
    context.close()
