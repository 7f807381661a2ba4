"""Imported drafts and hidden comments appear on no public surface (issue 9)."""

import pytest
from django.urls import reverse

from blog.models import Post
from imports.records import CommentsMode, CommentStatus, PostStatus

from .conftest import comment, source_post

pytestmark = pytest.mark.django_db

SECRET = "zebracrossing"
HIDDEN = (
    f"Draft about {SECRET}",
    f"buy {SECRET}",
    f"held {SECRET}",
    f"trashed {SECRET}",
    f"turned off {SECRET}",
)


def shows_nothing_hidden(html: str) -> bool:
    return not any(text in html for text in HIDDEN)


@pytest.fixture
def imported(write):
    draft = write(
        source_post(
            f"Draft about {SECRET}",
            basename="draft",
            old_url="http://old.example.com/draft.html",
            status=PostStatus.DRAFT,
            tags=["hidden-tag"],
        )
    )
    live = write(
        source_post(
            "A live post",
            comments=[
                comment("Spammer", 1, f"buy {SECRET} now", status=CommentStatus.SPAM),
                comment("Held", 2, f"held {SECRET}", status=CommentStatus.PENDING),
                comment("Gone", 3, f"trashed {SECRET}", status=CommentStatus.REMOVED),
                comment("Fine", 4, "A visible comment"),
            ],
        )
    )
    # Comments turned off on the old blog (MT's old "none") are kept, hidden.
    write(
        source_post(
            "Comments were off",
            basename="off",
            old_url="http://old.example.com/off.html",
            comments_mode=CommentsMode.OFF,
            comments=[comment("Off", 5, f"turned off {SECRET}")],
        )
    )
    return Post.objects.get(pk=draft.post_id), Post.objects.get(pk=live.post_id)


@pytest.mark.parametrize(
    "url",
    [
        reverse("blog:post-list"),
        reverse("blog:feed"),
        reverse("sitemap"),
        reverse("blog:search") + f"?q={SECRET}",
        reverse("comments:recent"),
        reverse("comments:feed"),
    ],
)
def test_imported_drafts_and_hidden_comments_are_on_no_public_list(client, imported, url):
    response = client.get(url)
    assert response.status_code == 200
    assert shows_nothing_hidden(response.content.decode())


def test_hidden_imported_comments_are_not_on_the_post_page(client, imported):
    _, live = imported
    html = client.get(live.get_absolute_url()).content.decode()
    assert "A visible comment" in html and shows_nothing_hidden(html)


def test_comments_turned_off_are_not_on_their_post_page(client, imported):
    html = client.get(Post.objects.get(title="Comments were off").get_absolute_url())
    assert shows_nothing_hidden(html.content.decode())


def test_an_imported_draft_has_no_public_page(client, imported):
    draft, _ = imported
    assert client.get(draft.get_absolute_url()).status_code == 404
    tag_page = client.get(reverse("blog:tag-detail", args=["hidden-tag"]))
    assert shows_nothing_hidden(tag_page.content.decode())
