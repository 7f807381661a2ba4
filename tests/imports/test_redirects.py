"""Old addresses of an imported blog answer 301 with the new page (issue 9)."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from blog.models import Post
from comments.models import Comment
from imports.models import OldUrl, normalise_path
from imports.records import PostStatus
from tests.factories import PostFactory

from .conftest import comment, source_post

pytestmark = pytest.mark.django_db

OLD = "http://old.example.com/blog/2017/10/caf%C3%A9-talk.html "


@pytest.fixture
def imported(write) -> Post:
    source = source_post(
        old_url=OLD,
        comments=[
            comment("Steve", 1, "First", source_id="6a00d8341c"),
            comment("Marta", 2, "Second", source_id="45"),
        ],
    )
    return Post.objects.get(pk=write(source).post_id)


def test_normalise_path_gives_one_form_for_encoded_and_decoded_paths():
    assert normalise_path("http://x.example/a/caf%c3%a9.html?x=1#y") == "/a/caf%C3%A9.html"
    assert normalise_path("/a/café.html/") == "/a/caf%C3%A9.html"
    assert normalise_path("") == "/"


def test_the_old_address_is_stored_without_host_or_trailing_space(imported):
    assert OldUrl.objects.get().path == "/blog/2017/10/caf%C3%A9-talk.html"


@pytest.mark.parametrize(
    "old",
    [
        "/blog/2017/10/caf%C3%A9-talk.html",
        "/blog/2017/10/caf%c3%a9-talk.html",
        "/blog/2017/10/café-talk.html",
        "/blog/2017/10/caf%C3%A9-talk.html/",
    ],
)
def test_old_address_answers_301_with_the_post(client, imported, old):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == imported.get_absolute_url()


def test_old_comment_links_land_on_the_comment(client, imported):
    for query, number in (("?cid=6a00d8341c", 1), ("?replytocom=45", 2)):
        response = client.get(f"/blog/2017/10/caf%C3%A9-talk.html{query}")
        assert response.status_code == 301
        assert response["Location"] == Comment.objects.get(number=number).get_absolute_url()


def test_an_unknown_comment_id_lands_on_the_post(client, imported):
    response = client.get("/blog/2017/10/caf%C3%A9-talk.html?cid=unknown")
    assert response["Location"] == imported.get_absolute_url()


# ─── #comment-… fragments, through static/js/old-comment-links.js ────────────────


def comment_link(post: Post, source_id: str | None) -> str:
    url = reverse("imports:comment-link", kwargs={"post_id": post.pk})
    return url if source_id is None else f"{url}?{urlencode({'id': source_id})}"


def test_the_post_page_loads_the_script_that_follows_old_comment_fragments(client, imported):
    page = client.get(imported.get_absolute_url()).content.decode()
    assert f'data-href="{comment_link(imported, None)}"' in page
    assert "js/old-comment-links" in page


def test_an_old_comment_id_leads_to_the_comment(client, imported):
    """Issue 9: `#comment-45` from an old WordPress/Disqus link lands on comment 45's reply."""
    response = client.get(comment_link(imported, "45"))
    assert response.status_code == 302
    assert response["Location"] == Comment.objects.get(number=2).get_absolute_url()


def test_an_unknown_old_comment_id_leads_to_the_post(client, imported):
    response = client.get(comment_link(imported, "999"))
    assert (response.status_code, response["Location"]) == (302, imported.get_absolute_url())


@pytest.mark.parametrize("source_id", ["", " ", "x" * 201])
def test_a_missing_or_overlong_old_comment_id_is_refused_with_a_message(
    client, imported, source_id
):
    response = client.get(comment_link(imported, source_id))
    assert response.status_code == 400
    assert b"?id=" in response.content
    assert b"site-header" in response.content  # the 400 page in the layout, not bare text


def test_old_comment_ids_of_a_draft_lead_nowhere(client, write):
    draft = Post.objects.get(pk=write(source_post(status=PostStatus.DRAFT)).post_id)
    assert client.get(comment_link(draft, "45")).status_code == 404


def test_old_comment_links_take_get_only(client, imported):
    assert client.post(comment_link(imported, "45")).status_code == 405


def test_wordpress_comment_pages_land_on_the_post(client, write):
    post = Post.objects.get(
        pk=write(source_post(old_url="https://wp.example/2017/10/05/old-slug/")).post_id
    )
    response = client.get("/2017/10/05/old-slug/comment-page-2/")
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()


def test_without_unique_url_the_typepad_shape_is_the_old_address(client, write):
    post = Post.objects.get(pk=write(source_post(old_url="", basename="my_post")).post_id)
    response = client.get("/2017/10/my_post.html")
    assert (response.status_code, response["Location"]) == (301, post.get_absolute_url())


def test_a_draft_has_no_redirect(client, write):
    write(source_post(status=PostStatus.DRAFT))
    assert client.get("/blog/2017/10/budget_vote_delayed.html").status_code == 404


def test_unknown_addresses_stay_404(client, imported):
    assert client.get("/blog/2017/10/nothing-here.html").status_code == 404


def test_the_sites_own_pages_are_not_redirected(client, imported):
    assert client.get(imported.get_absolute_url()).status_code == 200


def test_comment_pages_of_a_post_that_kept_its_address_land_on_it(client):
    post = PostFactory()
    response = client.get(post.get_absolute_url() + "comment-page-3/")
    assert (response.status_code, response["Location"]) == (301, post.get_absolute_url())
