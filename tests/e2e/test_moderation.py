"""A reader flags a comment and a moderator removes it from the post page, in a real browser
(issue 5), with JavaScript on and off: the flag page and the quick buttons are plain forms."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from blog.models import Post
from comments.models import Comment, Flag, ModerationAction
from comments.posting import comment_create
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    from django.contrib.auth.models import Group, Permission

    writer = User.objects.create_user(username="e2e-troll", password="x" * 20)
    flagger = User.objects.create_user(username="e2e-flagger", password="x" * 20)
    replier = User.objects.create_user(username="e2e-replier", password="x" * 20)
    moderator = User.objects.create_user(username="e2e-mod", password="x" * 20, is_staff=True)
    # Transactional tests empty the database between tests, data-migration groups included.
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments",
            codename__in=["view_comment", "change_comment", "add_ban", "close_thread"],
        )
    )
    moderator.groups.add(group)
    return {"writer": writer, "flagger": flagger, "replier": replier, "moderator": moderator}


@pytest.fixture
def heated_post(people):
    post = Post(
        title="Zoning fight",
        slug="zoning-fight",
        author=people["moderator"],
        body="The zoning board meets tonight.",
        status=Post.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=3),
    )
    post.save()
    comment_create(post=post, author=people["writer"], body="Everyone on the board is a crook.")
    comment_create(
        post=post, author=people["replier"], body="That is not fair to them.", parent_number=1
    )
    return post


def _tab(browser, gunicorn_server, user, *, javascript: bool, next_url: str):
    """A browser tab on `next_url`, signed in as `user` through the sign-in page (or anonymous)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    page = context.new_page()
    if user is None:
        page.goto(gunicorn_server + next_url)
        return context, page
    sign_in(page, gunicorn_server, user, next_url)
    return context, page


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_reader_flags_and_a_moderator_removes_from_the_post_page(
    browser, gunicorn_server, heated_post, people, javascript
):
    path = heated_post.get_absolute_url()

    # The reader flags #1 through the flag page.
    context, page = _tab(
        browser, gunicorn_server, people["flagger"], javascript=javascript, next_url=path
    )
    page.locator("#c1 a.comment__flag").first.click()
    page.wait_for_url(re.compile(r"/1/flag/$"))
    page.get_by_label("Abuse or harassment").check()
    page.get_by_role("button", name="Send the flag").click()
    page.wait_for_url(re.compile(r"#c1$"))
    assert "Moderators will look at comment #1" in page.locator(".messages").inner_text()
    assert Flag.objects.get().reason == Flag.Reason.ABUSE

    # The moderator sees the flag on the post page and removes the comment with a reason.
    mod_context, mod_page = _tab(
        browser, gunicorn_server, people["moderator"], javascript=javascript, next_url=path
    )
    card = mod_page.locator("li#c1 > article")
    flags = card.locator(".comment__status--flags").text_content()
    assert flags == "Flagged by 1 reader: Abuse or harassment"
    # The tools wait behind the comment's "Moderate" menu, a <details> (issue 11).
    assert card.get_by_label("Reason for #1").is_hidden()
    card.locator("details.comment__mod > summary").click()
    card.get_by_label("Reason for #1").fill("Calls people crooks without evidence")
    card.get_by_role("button", name="Remove", exact=True).click()
    mod_page.wait_for_url(re.compile(r"#c1$"))
    assert "Comment #1 is removed" in mod_page.locator(".messages").inner_text()
    assert mod_page.locator("li#c1.comment--removed").count() == 1

    # Everyone else sees the numbered placeholder with the reason, and the reply stays.
    anon_context, anon_page = _tab(
        browser, gunicorn_server, None, javascript=javascript, next_url=path
    )
    placeholder = anon_page.locator("li#c1 .comment__placeholder").inner_text()
    assert placeholder == "#1 [removed by a moderator: Calls people crooks without evidence]"
    assert "crook" not in anon_page.locator("#comments").inner_text().replace(placeholder, "")
    assert anon_page.locator("li#c1 li#c2").count() == 1

    # The reader learns what became of the flag; the log has the removal.
    page.goto(gunicorn_server + "/comments/standing/")
    assert "A moderator took the comment down" in page.locator("main").inner_text()
    logged = ModerationAction.objects.get()
    assert (logged.action, logged.moderator, logged.comment_number) == (
        "remove",
        people["moderator"],
        1,
    )
    assert Comment.objects.get(post=heated_post, number=1).status == Comment.Status.REMOVED
    for open_context in (context, mod_context, anon_context):
        open_context.close()
