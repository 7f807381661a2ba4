"""Conditional GET (issue 12): feeds, sitemap, robots.txt and identicons answer ETag and
Last-Modified, and 304 to a client, proxy or CDN that has the same bytes already."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blog import conditional
from blog.models import Post
from tests.factories import CommentFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    tag = TagFactory(name="Elections", slug="elections")
    post = PostFactory(
        title="The budget vote", published_at=timezone.now() - timedelta(hours=1), tags=[tag]
    )
    CommentFactory(post=post, body="A first reply.")
    return post


def _addresses(post) -> list[str]:
    return [
        reverse("blog:feed"),
        reverse("blog:feed-atom"),
        reverse("blog:tag-feed", kwargs={"slug": "elections"}),
        reverse("comments:feed"),
        reverse("comments:post-feed", kwargs={"post_id": post.pk}),
        reverse("sitemap"),
        reverse("robots-txt"),
    ]


def test_every_cheap_public_document_answers_an_etag_and_last_modified(client, post):
    for address in _addresses(post):
        response = client.get(address)
        assert response.status_code == 200, address
        assert response["ETag"].startswith('"'), address
        assert response["Last-Modified"].endswith(" GMT"), address


def test_a_matching_if_none_match_gets_304_without_a_body(client, post):
    for address in _addresses(post):
        etag = client.get(address)["ETag"]
        response = client.get(address, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304, address
        assert response.content == b""
        assert response["ETag"] == etag


def test_an_unchanged_feed_gets_304_for_its_own_last_modified(client, post):
    first = client.get(reverse("blog:feed"))
    again = client.get(reverse("blog:feed"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_a_new_comment_changes_the_comments_feed(client, post):
    first = client.get(reverse("comments:feed"))
    CommentFactory(post=post, body="A second reply.")
    response = client.get(reverse("comments:feed"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert "A second reply." in response.content.decode()


def test_a_post_taken_down_is_not_hidden_behind_if_modified_since(client, post):
    """Its removal leaves only older items: the newest item's date would say "not modified"."""
    older = PostFactory(title="An older post", published_at=timezone.now() - timedelta(days=3))
    first = client.get(reverse("blog:feed"))
    Post.objects.filter(pk=post.pk).update(status=Post.Status.DRAFT)
    response = client.get(reverse("blog:feed"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200
    assert "The budget vote" not in response.content.decode()
    assert older.title in response.content.decode()


def test_a_change_within_the_same_second_still_gets_a_later_date(client, post, monkeypatch):
    monkeypatch.setattr(conditional.time, "time", lambda: 1_800_000_000.5)
    first = client.get(reverse("comments:feed"))
    CommentFactory(post=post, body="Within the same second.")
    response = client.get(reverse("comments:feed"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200


def test_without_the_cache_a_feed_is_answered_in_full(client, post, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    first = client.get(reverse("blog:feed"))
    again = client.get(reverse("blog:feed"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304  # the ETag needs no cache
    assert first["Last-Modified"].endswith(" GMT")


def test_an_identicon_answers_304_and_keeps_its_cache_lifetime(client):
    UserFactory(username="rita")
    address = reverse("accounts:avatar-generated", kwargs={"username": "rita", "size": 96})
    first = client.get(address)
    again = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "max-age=86400" in again["Cache-Control"]


def test_a_public_document_may_be_kept_by_a_proxy_that_asks_again_each_time(client, post):
    for address in _addresses(post):
        assert client.get(address)["Cache-Control"] == "no-cache", address


def test_a_private_replies_feed_answers_304_and_is_kept_by_no_shared_cache(client):
    reader = UserFactory(username="rita", feed_token="a-long-secret-token")
    address = reverse("accounts:replies-feed", kwargs={"token": reader.feed_token})
    first = client.get(address)
    assert first.status_code == 200
    again = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "private" in again["Cache-Control"]


def test_an_empty_feed_tags_the_same_bytes_from_one_request_to_the_next(client):
    first = client.get(reverse("comments:feed"))
    assert client.get(reverse("comments:feed"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_draft_is_in_no_feed_and_changes_no_etag(client, post):
    first = client.get(reverse("blog:feed"))
    PostFactory(draft=True, title="Not yet")
    response = client.get(reverse("blog:feed"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304
