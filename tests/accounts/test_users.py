"""accounts.User: the custom user model and the name readers see."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from accounts.models import User
from tests.factories import UserFactory


def test_accounts_user_is_the_auth_user_model():
    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert get_user_model() is User


def test_public_name_falls_back_to_username():
    assert User(username="quietreader", display_name="").public_name == "quietreader"


def test_public_name_prefers_display_name():
    assert User(username="quietreader", display_name="Quiet Reader").public_name == "Quiet Reader"


def test_str_is_the_public_name():
    assert str(User(username="quietreader", display_name="Quiet Reader")) == "Quiet Reader"


def test_user_address_is_their_author_page():
    assert User(username="quietreader").get_absolute_url() == "/authors/quietreader/"


@pytest.mark.django_db
def test_display_name_is_stored():
    UserFactory(username="columnist", display_name="Pat Columnist")
    assert User.objects.get(username="columnist").public_name == "Pat Columnist"
