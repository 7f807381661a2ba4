"""/favicon.ico answers on every site page and the admin names the icon too (issue 11)."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_favicon_ico_redirects_to_the_icon_file(client):
    """Browsers ask for /favicon.ico whatever the page; it used to answer 404 (issue 11)."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("favicon.ico")


def test_the_favicon_redirect_points_at_a_real_icon():
    found = finders.find("favicon.ico")
    with open(found, "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # the ICO file signature


def test_the_favicon_redirect_may_be_cached_for_a_day(client):
    assert "max-age=86400" in client.get("/favicon.ico")["Cache-Control"]


def test_public_pages_name_an_icon(client):
    assert 'rel="icon"' in client.get(reverse("blog:post-list")).content.decode()


@pytest.mark.parametrize("url_name", ["admin:index", "admin:comments_comment_changelist"])
def test_admin_pages_name_the_icon(moderator, url_name):
    client = Client()
    client.force_login(moderator)
    page = client.get(reverse(url_name)).content.decode()
    assert f'<link rel="icon" href="{reverse("favicon")}"' in page


def test_the_admin_sign_in_page_names_the_icon(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert f'href="{reverse("favicon")}"' in page
