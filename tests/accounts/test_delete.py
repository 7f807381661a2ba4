"""Deleting one's account: comments stay as "[deleted account]", replies keep their place."""

import pytest
from django.urls import reverse

from accounts.models import FormerName, User
from accounts.taken_names import name_is_reserved
from comments.models import Comment
from tests.factories import PASSWORD, CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def _delete(client, password=PASSWORD, confirm="on"):
    return client.post(
        reverse("accounts:account-delete"), {"password": password, "confirm": confirm}
    )


@pytest.fixture
def thread(reader, other_reader):
    """#1 by the reader, #2 a reply to it by someone else, #3 the reader's reply to #2."""
    first = CommentFactory(author=reader)
    second = CommentFactory(author=other_reader, parent=first)
    third = CommentFactory(author=reader, parent=second)
    return first.post, [first, second, third]


def test_deleting_removes_the_account_and_signs_out(client, reader):
    client.force_login(reader)
    response = _delete(client)
    assert response.status_code == 302
    assert not User.objects.filter(pk=reader.pk).exists()
    assert "_auth_user_id" not in client.session


def test_comments_stay_in_place_without_their_author(client, reader, thread):
    post, comments = thread
    client.force_login(reader)
    _delete(client)
    rows = list(Comment.objects.filter(post=post).in_thread_order())
    assert [c.number for c in rows] == [1, 2, 3]
    assert [c.parent_number for c in rows] == [None, 1, 2]
    assert rows[0].author_id is None and rows[0].guest_name == ""
    assert rows[0].display_name == "[deleted account]"
    assert all(c.status == Comment.Status.PUBLISHED for c in rows)


def test_the_post_page_shows_deleted_account_and_no_link_to_the_person(client, reader, thread):
    post, _ = thread
    reader.display_name = "Rita Reader"
    reader.save()
    client.get(post.get_absolute_url())  # a cached rendering must not survive the deletion
    client.force_login(reader)
    _delete(client)
    page = client.get(post.get_absolute_url()).content.decode()
    assert page.count("[deleted account]") >= 2  # the thread, and the sidebar's recent comments
    assert "Rita Reader" not in page
    assert reverse("accounts:profile", kwargs={"username": reader.username}) not in page


def test_the_deleted_name_stays_reserved_for_a_while(client, reader):
    reader.display_name = "Rita Reader"
    reader.save()
    client.force_login(reader)
    _delete(client)
    assert FormerName.objects.get(user=None).name == "Rita Reader"
    assert name_is_reserved("rita reader")


def test_deleting_needs_the_password(client, reader):
    client.force_login(reader)
    response = _delete(client, password="wrong")
    assert response.status_code == 400
    assert "not your password" in response.content.decode()
    assert User.objects.filter(pk=reader.pk).exists()


def test_deleting_needs_the_confirmation_box(client, reader):
    client.force_login(reader)
    assert _delete(client, confirm="").status_code == 400
    assert User.objects.filter(pk=reader.pk).exists()


def test_authors_with_posts_are_told_why_they_cannot_delete(client, author):
    PostFactory(author=author)
    client.force_login(author)
    response = _delete(client)
    assert response.status_code == 403
    assert "wrote posts" in response.content.decode()
    assert User.objects.filter(pk=author.pk).exists()


def test_deleting_only_ever_deletes_the_signed_in_account(client, reader, other_reader):
    client.force_login(reader)
    client.post(
        reverse("accounts:account-delete"),
        {
            "password": PASSWORD,
            "confirm": "on",
            "username": other_reader.username,
            "pk": other_reader.pk,
        },
    )
    assert User.objects.filter(pk=other_reader.pk).exists()
    assert not User.objects.filter(pk=reader.pk).exists()


def test_anonymous_readers_cannot_delete_anything(client, reader):
    response = _delete(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert User.objects.filter(pk=reader.pk).exists()


def test_a_second_delete_request_changes_nothing_more(client, reader):
    client.force_login(reader)
    _delete(client)
    count = User.objects.count()
    response = _delete(client)
    assert response.status_code == 302
    assert User.objects.count() == count


def test_a_superuser_cannot_delete_itself_here(client):
    root = UserFactory(username="root2", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert _delete(client).status_code == 403
    assert User.objects.filter(pk=root.pk).exists()
