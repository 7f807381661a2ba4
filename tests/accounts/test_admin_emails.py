"""Readers' email addresses in the admin: superusers only; moderators see them masked (issue 8)."""

import pytest
from django.urls import reverse

from accounts.admin import masked_email
from accounts.models import GuestName
from accounts.names import canonical_name
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "priya.sharma@example.org"


@pytest.fixture
def priya():
    return UserFactory(username="priya", display_name="Priya Sharma", email=ADDRESS)


def _pages(priya):
    return {
        "list": reverse("admin:accounts_user_changelist"),
        "detail": reverse("admin:accounts_user_change", args=[priya.pk]),
    }


def test_masking_keeps_a_first_letter_and_the_top_level_domain():
    assert masked_email(ADDRESS) == "p…@e….org"
    assert masked_email("") == ""


@pytest.mark.parametrize("page", ["list", "detail"])
def test_moderators_see_readers_emails_masked(client, moderator, priya, page):
    """Issue 8: moderators could read every reader's email in the user list."""
    client.force_login(moderator)
    response = client.get(_pages(priya)[page])
    assert response.status_code == 200
    content = response.content.decode()
    assert ADDRESS not in content
    assert "p…@e….org" in content


def test_moderators_cannot_find_readers_by_email(client, moderator, priya):
    client.force_login(moderator)
    url = reverse("admin:accounts_user_changelist")
    assert "Priya Sharma" not in client.get(url, {"q": "sharma@example"}).content.decode()
    assert "Priya Sharma" in client.get(url, {"q": "priya"}).content.decode()


@pytest.mark.parametrize("page", ["list", "detail"])
def test_superusers_see_readers_emails(client, superuser, priya, page):
    client.force_login(superuser)
    assert ADDRESS in client.get(_pages(priya)[page]).content.decode()


def test_superusers_find_readers_by_email(client, superuser, priya):
    client.force_login(superuser)
    url = reverse("admin:accounts_user_changelist")
    assert "Priya Sharma" in client.get(url, {"q": "sharma@example"}).content.decode()


@pytest.fixture
def kept_name():
    return GuestName.objects.create(
        name="Sam Visitor", name_key=canonical_name("Sam Visitor"), email=ADDRESS
    )


@pytest.mark.parametrize("page", ["list", "detail"])
def test_moderators_see_guests_emails_masked(client, moderator, kept_name, page):
    client.force_login(moderator)
    url = {
        "list": reverse("admin:accounts_guestname_changelist"),
        "detail": reverse("admin:accounts_guestname_change", args=[kept_name.pk]),
    }[page]
    content = client.get(url).content.decode()
    assert ADDRESS not in content
    assert content.count("p…@e….org") == 1
