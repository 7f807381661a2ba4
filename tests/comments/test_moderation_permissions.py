"""Who may moderate (issue 5): the whole matrix of roles × moderator endpoints.

Anonymous visitors, readers and authors get 403 from every moderator endpoint;
moderators and superusers may do everything; with COMMENTS_AUTHORS_MODERATE an
author moderates (but never bans) on their own posts only. Hard delete, in
admin, is for superusers only.
"""

import pytest
from django.test import Client
from django.urls import reverse

from blog.models import Post
from comments.models import Ban, Comment, Flag, ModerationAction
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Comment.Status
ACTIONS = ("publish", "remove", "spam", "restore", "dismiss", "ban", "close", "reopen")
START = {
    "publish": Status.PENDING,
    "remove": Status.PUBLISHED,
    "spam": Status.PUBLISHED,
    "restore": Status.REMOVED,
    "dismiss": Status.PUBLISHED,
    "ban": Status.PUBLISHED,
}
AFTER = {
    "publish": Status.PUBLISHED,
    "remove": Status.REMOVED,
    "spam": Status.SPAM,
    "restore": Status.PUBLISHED,
    "dismiss": Status.PUBLISHED,
}


@pytest.fixture
def people(db, author, moderator, superuser, reader):
    return {
        "anonymous": None,
        "reader": reader,
        "author": author,
        "moderator": moderator,
        "superuser": superuser,
    }


@pytest.fixture
def authors_post(author):
    return PostFactory(author=author, title="Ada's post", slug="adas-post")


def _scene(post, action):
    """The comment (and flag, ban target or closed thread) an action needs."""
    writer = UserFactory(username=f"writer-{action}")
    comment = CommentFactory(post=post, author=writer, status=START.get(action, Status.PUBLISHED))
    if action == "dismiss":
        Flag.objects.create(
            comment=comment, reader=UserFactory(username="flagger"), reason=Flag.Reason.SPAM
        )
    if action == "reopen":
        Post.objects.filter(pk=post.pk).update(allow_comments=False)
    return comment


def _request(user, post, comment, action):
    client = Client()
    if user is not None:
        client.force_login(user)
    if action in ("close", "reopen"):
        url = reverse(f"comments:{action}", kwargs={"post_id": post.pk})
        return client.post(url, {"reason": "Matrix test"})
    url = reverse("comments:moderate", kwargs={"post_id": post.pk, "number": comment.number})
    # A ban takes effect once confirmed (issue 11): the matrix sends the confirmed step.
    data = {"action": action, "reason": "Matrix test", "ban_days": "7", "confirm": "1"}
    return client.post(url, data)


def _took_effect(post, comment, action) -> bool:
    post.refresh_from_db()
    comment.refresh_from_db()
    if action == "close":
        return not post.allow_comments
    if action == "reopen":
        return post.allow_comments
    if action == "ban":
        return Ban.objects.in_force().filter(user=comment.author).exists()
    if action == "dismiss":
        return not Flag.objects.open().exists()
    return comment.status == AFTER[action]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["anonymous", "reader", "author"])
def test_everyone_but_moderators_gets_403(people, authors_post, role, action):
    comment = _scene(authors_post, action)
    response = _request(people[role], authors_post, comment, action)
    assert response.status_code == 403
    assert not _took_effect(authors_post, comment, action)
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["moderator", "superuser"])
def test_moderators_and_superusers_may_do_everything(people, post, role, action):
    comment = _scene(post, action)
    response = _request(people[role], post, comment, action)
    assert response.status_code == 302
    assert _took_effect(post, comment, action)
    assert ModerationAction.objects.filter(moderator=people[role]).count() == 1


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["moderator", "superuser"])
def test_repeating_an_action_changes_nothing_more(people, post, role, action):
    comment = _scene(post, action)
    _request(people[role], post, comment, action)
    again = _request(people[role], post, comment, action)
    assert again.status_code == 302
    assert _took_effect(post, comment, action)
    assert ModerationAction.objects.count() == 1


AUTHOR_MAY = {"publish", "remove", "spam", "restore", "dismiss", "close", "reopen"}


@pytest.mark.parametrize("action", ACTIONS)
def test_with_the_setting_an_author_moderates_own_posts_but_never_bans(
    settings, people, authors_post, action
):
    settings.COMMENTS_AUTHORS_MODERATE = True
    comment = _scene(authors_post, action)
    response = _request(people["author"], authors_post, comment, action)
    allowed = action in AUTHOR_MAY
    assert response.status_code == (302 if allowed else 403)
    assert _took_effect(authors_post, comment, action) == allowed


@pytest.mark.parametrize("action", ACTIONS)
def test_with_the_setting_an_author_gets_403_on_other_posts(settings, people, post, action):
    settings.COMMENTS_AUTHORS_MODERATE = True
    comment = _scene(post, action)
    assert _request(people["author"], post, comment, action).status_code == 403
    assert not _took_effect(post, comment, action)


def test_a_get_of_the_moderation_page_is_403_for_a_reader(client, post, reader):
    comment = CommentFactory(post=post)
    client.force_login(reader)
    url = reverse("comments:moderate", kwargs={"post_id": post.pk, "number": comment.number})
    assert client.get(url).status_code == 403


def test_a_get_of_the_moderation_page_shows_the_form_to_a_moderator(client, post, moderator):
    comment = CommentFactory(post=post)
    client.force_login(moderator)
    url = reverse("comments:moderate", kwargs={"post_id": post.pk, "number": comment.number})
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="action" value="remove"' in response.content.decode()


def test_moderation_needs_a_csrf_token(post, moderator):
    comment = CommentFactory(post=post)
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    url = reverse("comments:moderate", kwargs={"post_id": post.pk, "number": comment.number})
    response = client.post(url, {"action": "remove", "reason": "No token"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED


def test_removal_without_a_reason_answers_400_with_a_message(client, post, moderator):
    comment = CommentFactory(post=post)
    client.force_login(moderator)
    url = reverse("comments:moderate", kwargs={"post_id": post.pk, "number": comment.number})
    response = client.post(url, {"action": "remove", "reason": ""})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()


def test_an_unknown_action_answers_400(client, post, moderator):
    comment = CommentFactory(post=post)
    client.force_login(moderator)
    url = reverse("comments:moderate", kwargs={"post_id": post.pk, "number": comment.number})
    assert client.post(url, {"action": "explode"}).status_code == 400


def test_banning_a_guest_answers_400_pointing_to_the_block_list(client, post, moderator):
    comment = CommentFactory(post=post, guest=True)
    client.force_login(moderator)
    url = reverse("comments:moderate", kwargs={"post_id": post.pk, "number": comment.number})
    response = client.post(url, {"action": "ban", "reason": "Spam", "ban_days": "7"})
    assert response.status_code == 400
    assert "block list" in response.content.decode()


# ─── Hard delete: admin, superusers only ─────────────────────────────────────


@pytest.mark.parametrize("role", ["anonymous", "reader", "author", "moderator"])
def test_only_superusers_delete_comments_for_good(people, post, role):
    comment = CommentFactory(post=post)
    client = Client()
    if people[role] is not None:
        client.force_login(people[role])
    url = reverse("admin:comments_comment_delete", args=[comment.pk])
    response = client.post(url, {"post": "yes"})
    # Admin sends visitors without staff rights to its sign-in page; staff get 403.
    assert response.status_code == (403 if role in ("author", "moderator") else 302)
    assert Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.parametrize("confirm", ["", "1"])
@pytest.mark.parametrize("role", ["anonymous", "reader", "author", "moderator"])
def test_only_superusers_delete_for_good_from_the_post_page(people, post, role, confirm):
    comment = CommentFactory(post=post)
    client = Client()
    if people[role] is not None:
        client.force_login(people[role])
    url = reverse("comments:moderate", kwargs={"post_id": post.pk, "number": comment.number})
    response = client.post(url, {"action": "delete", "confirm": confirm})
    assert response.status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_a_superuser_deletes_for_good_in_admin_and_it_is_logged(client, post, superuser):
    comment = CommentFactory(post=post)
    client.force_login(superuser)
    url = reverse("admin:comments_comment_delete", args=[comment.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert ModerationAction.objects.get().action == ModerationAction.Action.DELETE
