"""Sign-in and sign-out pages."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_renders_the_form(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_login_with_right_password_signs_in_and_goes_home(client, reader):
    response = client.post(
        reverse("accounts:login"), {"username": reader.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("blog:post-list")
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_login_with_wrong_password_shows_an_error(client, reader):
    response = client.post(
        reverse("accounts:login"), {"username": reader.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_login_page_sends_signed_in_users_home(client, reader):
    client.force_login(reader)
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("blog:post-list")


def test_logout_refuses_get(client, reader):
    client.force_login(reader)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_logout_by_post_signs_out_and_goes_home(client, reader):
    client.force_login(reader)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("blog:post-list")
    assert "_auth_user_id" not in client.session


def test_signed_in_pages_offer_a_sign_out_form(client, reader):
    client.force_login(reader)
    content = client.get(reverse("blog:post-list")).content.decode()
    assert f'method="post" action="{reverse("accounts:logout")}"' in content
