"""Names that pose as the site or its staff, and the one name-length rule (issue 8)."""

import html
import uuid

import pytest
from django.urls import reverse

from accounts.names import MAX_NAME_LENGTH, reserved_label
from accounts.taken_names import name_is_reserved
from comments.models import Comment
from tests.factories import PostFactory, UserFactory

# ─── Role words and site labels: pure, no database ───────────────────────────

POSING = {
    "[deleted account]": "deleted account",
    "Deleted Account": "deleted account",
    "Moderator team": "moderator",
    "Site Admin (staff)": "admin",
    "The Moderators": "moderators",
    "Jen, administrator": "administrator",
    "staff": "staff",
    "Mod erator": "moderator",  # spaced out
    "SiteAdmin": "admin",  # written together
    "\u0410dmin Jen": "admin",  # Cyrillic А
    "Adrnin": "admin",  # rn looks like m
    "Riposte": "Riposte",  # the site's name (RIPOSTE_SITE_NAME)
    "The Riposte Team": "Riposte",
    "Author": "author",
    "The Editor": "the editor",
}

ORDINARY = [
    "Stafford Smith",
    "Admiral Jones",
    "Modesty Blaise",
    "Kate Author",  # "author" is a label only as the whole name
    "Ed Staffer",
    "Adminah Okafor",
    "Deleted Scenes Fan",
    "Jen Smith",
    "Sam Keller (guest)",
]


@pytest.mark.parametrize("name", POSING)
def test_names_using_a_role_word_or_site_label_are_found(name, settings):
    """Issue 8: "[deleted account]", "Moderator team", "Site Admin (staff)" were accepted."""
    settings.SITE_NAME = "Riposte"
    assert reserved_label(name) == POSING[name]


@pytest.mark.parametrize("name", ORDINARY)
def test_ordinary_names_containing_role_letters_are_free(name, settings):
    settings.SITE_NAME = "Riposte"
    assert reserved_label(name) is None


# ─── Through the site ────────────────────────────────────────────────────────


def _comment(client, post, **fields):
    data = {"body": "A fair point.", "submission_token": str(uuid.uuid4()), **fields}
    return client.post(reverse("comments:post", kwargs={"post_id": post.pk}), data)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["[deleted account]", "Moderator team", "Site Admin (staff)"])
def test_guests_may_not_comment_under_a_site_label(client, name):
    """Issue 8: these three guest names were accepted."""
    response = _comment(client, PostFactory(), guest_name=name, guest_email="g@example.net")
    assert response.status_code == 400
    assert "the site writes it next to names itself" in html.unescape(response.content.decode())
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_guest_with_an_ordinary_name_comments(client):
    response = _comment(client, PostFactory(), guest_name="Stafford Smith", guest_email="s@e.net")
    assert response.status_code == 302
    assert Comment.objects.get().guest_name == "Stafford Smith"


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Sam Kelleŕ", "Såm Keller", "Sam Kélléŕ", "Sam Ke\u0301ller"])
def test_a_staff_name_with_accents_added_is_reserved(typed):
    """Issue 8: "Sam Kelleŕ" (a moderator's name plus one accent) was accepted."""
    UserFactory(username="moderator", display_name="Sam Keller", is_staff=True)
    assert name_is_reserved(typed)


@pytest.mark.django_db
def test_a_staff_name_without_its_accents_is_reserved():
    UserFactory(username="jose", display_name="José Núñez", is_staff=True)
    assert name_is_reserved("Jose Nunez")


@pytest.mark.django_db
def test_accents_still_tell_readers_names_apart():
    UserFactory(username="jose", display_name="José Núñez")
    assert not name_is_reserved("Jose Nunez")


@pytest.mark.django_db
def test_a_guest_may_not_comment_under_a_staff_name_plus_an_accent(client):
    UserFactory(username="moderator", display_name="Sam Keller", is_staff=True)
    response = _comment(client, PostFactory(), guest_name="Sam Kelleŕ", guest_email="x@e.net")
    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_sign_up_refuses_a_site_label(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "display_name": "Moderator team",
            "email": "new@example.org",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )
    assert response.status_code == 400
    assert "the site writes it next to names itself" in html.unescape(response.content.decode())


@pytest.mark.django_db
def test_a_reader_may_not_rename_themselves_with_a_site_label(client, reader):
    client.force_login(reader)
    response = client.post(reverse("accounts:profile-edit"), {"display_name": "Staff", "bio": ""})
    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.display_name != "Staff"


@pytest.mark.django_db
def test_staff_keep_a_name_that_says_their_role(client, moderator):
    moderator.display_name = "Mo (moderator)"
    moderator.save()
    client.force_login(moderator)
    response = client.post(
        reverse("accounts:profile-edit"), {"display_name": "Mo (moderator)", "bio": "Hi."}
    )
    assert response.status_code == 302


# ─── One length limit, one message ───────────────────────────────────────────

TOO_LONG = f"A name can have at most {MAX_NAME_LENGTH} characters; this one has"


@pytest.mark.django_db
@pytest.mark.parametrize("length", [MAX_NAME_LENGTH + 1, 60, 61, 200])
def test_every_too_long_name_gets_the_same_message(client, reader, length):
    """Issue 8: 41–60 characters said "at most 40", over 60 Django's "at most 60"."""
    name = "x" * length
    guest = _comment(client, PostFactory(), guest_name=name, guest_email="g@example.net")
    signup = client.post(
        reverse("accounts:signup"),
        {
            "display_name": name,
            "email": "new@example.org",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )
    client.force_login(reader)
    profile = client.post(reverse("accounts:profile-edit"), {"display_name": name, "bio": ""})
    for response in (guest, signup, profile):
        text = html.unescape(response.content.decode())
        assert response.status_code == 400
        assert f"{TOO_LONG} {length}." in text
        assert "at most 60" not in text


@pytest.mark.django_db
def test_a_name_of_exactly_the_limit_is_accepted(client):
    name = "x" * MAX_NAME_LENGTH
    response = _comment(client, PostFactory(), guest_name=name, guest_email="g@example.net")
    assert response.status_code == 302
    assert Comment.objects.get().guest_name == name
