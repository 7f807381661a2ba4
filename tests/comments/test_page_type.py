"""Issue 11: reply, edit and the other comment pages, account and error pages draw their
heading as the rest of the site does (site.css .page-title), not in a type of their own."""

import re

import pytest
from django.urls import reverse

from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

HEADING_RE = re.compile(r"<h1\b([^>]*)>")


def _headings(response) -> list[str]:
    return HEADING_RE.findall(response.content.decode())


@pytest.fixture
def own_comment(post, reader):
    return CommentFactory(post=post, author=reader)


def _urls(post, comment) -> dict[str, str]:
    kwargs = {"post_id": post.pk, "number": comment.number}
    return {
        "reply": reverse("comments:reply", kwargs=kwargs),
        "edit": reverse("comments:edit", kwargs=kwargs),
        "delete": reverse("comments:delete", kwargs=kwargs),
        "history": reverse("comments:history", kwargs=kwargs),
        "write": reverse("comments:write", kwargs={"post_id": post.pk}),
        "standing": reverse("comments:standing"),
        "recent": reverse("comments:recent"),
        "moderation log": reverse("comments:moderation-log"),
        "account": reverse("accounts:profile-edit"),
        "notifications": reverse("accounts:notifications"),
        "not found": "/no-such-page/",
    }


@pytest.mark.parametrize(
    "page",
    [
        "reply",
        "edit",
        "delete",
        "history",
        "write",
        "standing",
        "recent",
        "moderation log",
        "account",
        "notifications",
        "not found",
    ],
)
def test_the_page_heading_uses_the_sites_title_style(client, post, own_comment, reader, page):
    client.force_login(reader)
    response = client.get(_urls(post, own_comment)[page])
    headings = _headings(response)
    assert len(headings) == 1, headings
    assert 'class="page-title' in headings[0]


def test_sign_in_and_sign_up_headings_use_the_sites_title_style(client):
    for url in (reverse("accounts:login"), reverse("accounts:signup")):
        assert 'class="page-title' in _headings(client.get(url))[0]


def test_the_account_stylesheet_is_linked_once(client, reader):
    """base.html links it for every page; account pages linked it a second time."""
    assert client.get(reverse("accounts:signup")).content.decode().count("accounts.css") == 1
    client.force_login(reader)
    for url in (reverse("accounts:profile-edit"), reader.profile_url):
        assert client.get(url).content.decode().count("accounts.css") == 1, url
