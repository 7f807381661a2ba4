"""Profile pages, editing one's own profile, name history and mass assignment (issue 4)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import FormerName, User
from accounts.taken_names import name_is_reserved
from comments.models import Comment
from tests.factories import CommentFactory, PostFactory, UserFactory, create_comment_tree

pytestmark = pytest.mark.django_db


def _profile(user) -> str:
    return reverse("accounts:profile", kwargs={"username": user.username})


def _edit(client, **data):
    form = {"display_name": "Rita Reader", "bio": "", **data}
    return client.post(reverse("accounts:profile-edit"), form)


# ─── The public profile ──────────────────────────────────────────────────────


def test_profile_shows_name_bio_join_date_and_comment_count(client):
    person = UserFactory(username="jen", display_name="Jen Smith", bio="I *like* budgets.")
    CommentFactory.create_batch(2, author=person)
    page = client.get(_profile(person)).content.decode()
    assert "Jen Smith" in page
    assert "I <em>like</em> budgets." in page
    joined = timezone.localtime(person.date_joined).strftime("%Y-%m-%dT%H:%M:%S%z")
    assert f'Joined <time datetime="{joined}">' in page
    assert "2 comments" in page


def test_profile_lists_comments_newest_first_with_links(client):
    person = UserFactory()
    older = CommentFactory(author=person, created_at=timezone.now() - timedelta(days=2))
    newer = CommentFactory(author=person)
    page = client.get(_profile(person)).content.decode()
    assert page.index(newer.get_absolute_url()) < page.index(older.get_absolute_url())


def test_bio_markdown_is_sanitised(client):
    person = UserFactory(
        bio="<script>alert(1)</script> [x](javascript:alert(1)) ![i](http://x/i.png)"
    )
    page = client.get(_profile(person)).content.decode()
    assert "<script>alert(1)" not in page
    assert 'href="javascript' not in page
    assert '<img src="http://x/i.png' not in page


@pytest.mark.parametrize("state", ["pending", "removed", "spam", "deleted"])
def test_profile_hides_comments_readers_may_not_see(client, state):
    person = UserFactory()
    hidden = CommentFactory(author=person, **{state: True})
    response = client.get(_profile(person))
    assert hidden.get_absolute_url() not in response.content.decode()
    assert response.context["comment_count"] == 0


@pytest.mark.parametrize("post_state", ["draft", "scheduled"])
def test_profile_hides_comments_on_posts_readers_may_not_see(client, post_state):
    person = UserFactory()
    post = PostFactory()
    comment = CommentFactory(author=person, post=post)
    PostFactory._meta.model.objects.filter(pk=post.pk).update(
        **(
            {"status": "draft"}
            if post_state == "draft"
            else {"published_at": timezone.now() + timedelta(days=1)}
        )
    )
    response = client.get(_profile(person))
    assert post.title not in response.content.decode()
    assert comment.get_absolute_url() not in response.content.decode()


def test_profile_is_paginated(client):
    person = UserFactory()
    create_comment_tree(post=PostFactory(), count=25, authors=[person])
    first = client.get(_profile(person))
    second = client.get(_profile(person), {"page": 2})
    assert len(first.context["comments"]) == 20
    assert len(second.context["comments"]) == 5
    assert client.get(_profile(person), {"page": 9}).status_code == 404


def test_profiles_of_inactive_or_unknown_accounts_are_not_found(client):
    assert client.get(_profile(UserFactory(is_active=False))).status_code == 404
    url = reverse("accounts:profile", kwargs={"username": "nobody"})
    assert client.get(url).status_code == 404


def test_profile_never_shows_the_email_address(client):
    person = UserFactory(email="private@example.org")
    assert "private@example.org" not in client.get(_profile(person)).content.decode()


def test_staff_profiles_show_their_role(client, moderator, author):
    assert "moderator" in client.get(_profile(moderator)).content.decode()
    assert "comment__badge--author" in client.get(_profile(author)).content.decode()


@pytest.mark.parametrize("count", [10, 500])
def test_profile_page_has_a_fixed_query_count(client, count, django_assert_max_num_queries):
    person = UserFactory()
    create_comment_tree(post=PostFactory(), count=count, authors=[person])
    # Person, count, comments with posts, session-less; two savepoints.
    with django_assert_max_num_queries(6):
        assert client.get(_profile(person)).status_code == 200


# ─── Editing one's own profile ───────────────────────────────────────────────


def test_profile_edit_saves_name_and_bio(client, reader):
    client.force_login(reader)
    response = _edit(client, display_name="Rita R.", bio="Hello **there**")
    assert response.status_code == 302
    assert response["Location"] == reader.profile_url
    reader.refresh_from_db()
    assert reader.display_name == "Rita R."
    assert reader.bio_html == "<p>Hello <strong>there</strong></p>\n"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Otto Other", "already used by another reader"),
        ("otto.other", "already used by another reader"),
        ("Оtto Other", "already used by another reader"),  # Cyrillic О
        ("---", "at least one letter or digit"),
        ("Rita\u202e", "override"),
        ("x" * 41, "at most 40 characters"),
    ],
)
def test_profile_edit_refuses_taken_or_bad_names(client, reader, other_reader, name, message):
    client.force_login(reader)
    response = _edit(client, display_name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    reader.refresh_from_db()
    assert reader.display_name == ""


def test_a_changed_name_stays_reserved_to_its_former_owner(client, reader):
    reader.display_name = "Rita Reader"
    reader.save()
    client.force_login(reader)
    _edit(client, display_name="Rita Writer")
    history = FormerName.objects.get(user=reader)
    assert history.name == "Rita Reader"
    assert history.held_until > timezone.now() + timedelta(days=100)
    assert name_is_reserved("rita reader")
    assert not name_is_reserved("rita reader", for_user=reader)


def test_a_reader_may_take_back_their_own_former_name(client, reader):
    reader.display_name = "Rita Reader"
    reader.save()
    client.force_login(reader)
    _edit(client, display_name="Rita Writer")
    assert _edit(client, display_name="Rita Reader").status_code == 302
    reader.refresh_from_db()
    assert reader.display_name == "Rita Reader"


def test_nobody_else_may_take_a_held_former_name(client, reader, other_reader):
    reader.display_name = "Rita Reader"
    reader.save()
    client.force_login(reader)
    _edit(client, display_name="Rita Writer")
    client.force_login(other_reader)
    response = _edit(client, display_name="RITA READER")
    assert response.status_code == 400


def test_respelling_ones_own_name_keeps_no_history(client, reader):
    reader.display_name = "rita reader"
    reader.save()
    client.force_login(reader)
    assert _edit(client, display_name="Rita Reader").status_code == 302
    assert not FormerName.objects.exists()


def test_name_changes_are_limited(client, reader):
    client.force_login(reader)
    for name in ("Name One", "Name Two", "Name Three"):
        assert _edit(client, display_name=name).status_code == 302
    response = _edit(client, display_name="Name Four")
    assert response.status_code == 400
    assert "try again later" in response.content.decode()


def test_a_new_name_shows_on_the_threads_the_reader_commented_in(client, reader):
    comment = CommentFactory(author=reader)
    post = comment.post
    client.get(post.get_absolute_url())  # cache the thread
    client.force_login(reader)
    _edit(client, display_name="Brand New Name")
    client.logout()
    assert "Brand New Name" in client.get(post.get_absolute_url()).content.decode()


# ─── Permission checklist ────────────────────────────────────────────────────

OWN_ACCOUNT_PAGES = [
    "accounts:profile-edit",
    "accounts:email-change",
    "accounts:password-change",
    "accounts:account-delete",
]


@pytest.mark.parametrize("name", OWN_ACCOUNT_PAGES)
def test_anonymous_readers_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize("name", OWN_ACCOUNT_PAGES)
@pytest.mark.parametrize("who", ["reader", "other_reader", "moderator"])
def test_signed_in_people_see_only_their_own_account_pages(client, name, who, request):
    person = request.getfixturevalue(who)
    client.force_login(person)
    response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "reader", "other_reader", "moderator"])
def test_everyone_sees_public_profiles(client, who, reader, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(_profile(reader))
    assert response.status_code == 200
    assert ("Edit your profile" in response.content.decode()) == (who == "reader")


@pytest.mark.parametrize("who", ["other_reader", "moderator"])
def test_editing_changes_only_the_signed_in_account(client, reader, who, request):
    person = request.getfixturevalue(who)
    client.force_login(person)
    _edit(client, display_name="Changed Name", username=reader.username, pk=reader.pk)
    reader.refresh_from_db()
    assert reader.display_name != "Changed Name"
    assert User.objects.get(pk=person.pk).display_name == "Changed Name"


def test_saving_the_same_profile_twice_changes_nothing_more(client, reader):
    client.force_login(reader)
    _edit(client, display_name="Rita Writer", bio="Hi")
    _edit(client, display_name="Rita Writer", bio="Hi")
    assert FormerName.objects.filter(user=reader).count() == 1


# ─── Mass assignment ─────────────────────────────────────────────────────────

FORBIDDEN_FIELDS = {
    "is_staff": "on",
    "is_superuser": "on",
    "is_active": "",
    "email": "attacker@example.org",
    "email_verified_at": "2020-01-01 00:00",
    "username": "newhandle",
    "name_key": "x",
    "groups": "1",
    "user_permissions": "1",
    "password": "plain",
    "date_joined": "2000-01-01",
    "id": "999",
    "pk": "999",
    "user": "999",
}


@pytest.mark.parametrize(
    "url_name",
    ["accounts:profile-edit", "accounts:email-change", "accounts:password-change"],
)
def test_no_form_changes_fields_it_does_not_offer(client, reader, other_reader, url_name):
    reader.email_verified_at = None
    reader.save()
    client.force_login(reader)
    before = User.objects.filter(pk=reader.pk).values().get()
    other_before = User.objects.filter(pk=other_reader.pk).values().get()
    client.post(reverse(url_name), {"display_name": "Rita Reader", **FORBIDDEN_FIELDS})
    after = User.objects.filter(pk=reader.pk).values().get()
    for field in ("is_staff", "is_superuser", "is_active", "email", "email_verified_at",
                  "username", "password", "date_joined"):  # fmt: skip
        assert after[field] == before[field], field
    assert not reader.groups.exists()
    assert User.objects.filter(pk=other_reader.pk).values().get() == other_before


def test_signup_cannot_create_staff(client):
    client.post(
        reverse("accounts:signup"),
        {
            "display_name": "Sneaky",
            "email": "sneaky@example.org",
            "password1": "violet tram harbour 1987",
            "password2": "violet tram harbour 1987",
            **{k: v for k, v in FORBIDDEN_FIELDS.items() if k != "email"},
        },
    )
    user = User.objects.get(email="sneaky@example.org")
    assert not user.is_staff
    assert not user.is_superuser
    assert user.email_verified_at is None
    assert user.username == "sneaky"


def test_profile_edit_has_no_field_naming_an_account(client, reader):
    client.force_login(reader)
    page = client.get(reverse("accounts:profile-edit")).content.decode()
    for field in ("username", "email", "is_staff", "pk", "id", "user"):
        assert f'name="{field}"' not in page


def test_comment_stays_linked_after_a_name_change(reader):
    comment = CommentFactory(author=reader)
    reader.display_name = "Someone Else"
    reader.save()
    assert Comment.objects.get(pk=comment.pk).display_name == "Someone Else"
