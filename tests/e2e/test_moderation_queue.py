"""The admin moderation queue in a real browser at 1280 px (issue 11): every column fits
without scrolling sideways, and a moderator approves a comment from the keyboard alone."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts.models import User
from blog.models import Post
from comments.models import Comment, Flag
from comments.posting import comment_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough test password"
QUEUE = "/admin/comments/comment/"
LONG_WORD = "https://example.org/" + "a-very-long-unbroken-path-segment-" * 6


@pytest.fixture
def moderator():
    user = User.objects.create_user(username="e2e-queue-mod", is_staff=True)
    # Tests hash with MD5 (tests/conftest.py), which gunicorn's settings don't verify.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    # Transactional tests empty the database between tests, data-migration groups included.
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments",
            codename__in=["view_comment", "change_comment", "add_ban", "close_thread"],
        )
    )
    user.groups.add(group)
    return user


@pytest.fixture
def busy_queue(moderator):
    """Held and flagged comments with long names, titles and unbroken text."""
    post = Post(
        title="A very long headline about the regional transport budget and who pays for it",
        slug="transport-budget",
        author=moderator,
        body="The budget.",
        status=Post.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=1),
    )
    post.save()
    writer = User.objects.create_user(
        username="e2e-long-name", display_name="Maximilian Bartholomew Featherstonehaugh-Smythe"
    )
    flagger = User.objects.create_user(username="e2e-flagger")
    for n in range(8):
        comment = comment_create(
            post=post,
            author=writer if n % 2 else None,
            guest_name="" if n % 2 else f"Guest with a rather long name {n}",
            guest_email="" if n % 2 else f"guest{n}@example.net",
            body=f"Comment {n}: {LONG_WORD} and then a long sentence about fares " * 3,
        )
        if n % 3 == 0:
            Flag.objects.create(comment=comment, reader=flagger, reason=Flag.Reason.ABUSE)
        else:
            Comment.objects.filter(pk=comment.pk).update(
                status=Comment.Status.PENDING, moderation_reason="Links to " + LONG_WORD
            )
    return post


def _signed_in_queue(browser, gunicorn_server, user):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{gunicorn_server}/admin/login/?next={QUEUE}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(gunicorn_server + QUEUE)
    return context, page


def test_the_queue_fits_1280_px_without_scrolling_sideways(
    browser, gunicorn_server, moderator, busy_queue
):
    context, page = _signed_in_queue(browser, gunicorn_server, moderator)
    assert page.locator("#result_list tbody tr").count() == 8
    widths = page.evaluate(
        """() => ({
            document: document.documentElement.scrollWidth,
            window: window.innerWidth,
            resultsScroll: document.querySelector('#changelist-form .results').scrollWidth,
            resultsBox: document.querySelector('#changelist-form .results').clientWidth,
        })"""
    )
    assert widths["document"] <= widths["window"], widths
    assert widths["resultsScroll"] <= widths["resultsBox"], widths
    # What a moderator decides on is on screen: text, post, marks, flag reasons, status.
    table = page.locator("#result_list").inner_text()
    for shown in (
        "Comment 1:",
        "A very long headline about the regional",
        "guest",
        "abuse",
        "Pending review",
    ):
        assert shown in table
    context.close()


def test_a_moderator_approves_from_the_keyboard(browser, gunicorn_server, moderator, busy_queue):
    context, page = _signed_in_queue(browser, gunicorn_server, moderator)
    first_held = Comment.objects.filter(status=Comment.Status.PENDING).order_by("created_at")[0]
    target = f'button[name="queue_decide"][value="approve:{first_held.pk}"]'
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.matches('{target}')"):
            break
    else:
        pytest.fail("Tab never reached the row's Approve button")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.locator(".messagelist").wait_for()
    assert f"#{first_held.number} on" in page.locator(".messagelist").inner_text()
    first_held.refresh_from_db()
    assert first_held.status == Comment.Status.PUBLISHED
    context.close()
