"""Recent comments page and comment feeds: newest first, linking into threads."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def three_comments(post, other_post):
    now = timezone.now()
    return [
        CommentFactory(post=post, body="Oldest words", created_at=now - timedelta(hours=3)),
        CommentFactory(post=other_post, body="Middle words", created_at=now - timedelta(hours=2)),
        CommentFactory(post=post, body="Newest words", created_at=now - timedelta(hours=1)),
    ]


def _xml(response):
    # Our own server's output, not untrusted input: the stdlib parser is fine here.
    return ET.fromstring(response.content)  # noqa: S314


def _rss_links(response):
    return [item.findtext("link") for item in _xml(response).iter("item")]


def _atom_links(response):
    root = _xml(response)
    return [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]


def _absolute(comment):
    return f"http://testserver{comment.get_absolute_url()}"


def test_recent_comments_page_lists_newest_first(client, three_comments):
    content = client.get(reverse("comments:recent")).content.decode()
    positions = [content.index(words) for words in ("Newest words", "Middle words", "Oldest words")]
    assert positions == sorted(positions)


def test_recent_comments_link_to_each_comments_permalink(client, three_comments):
    content = client.get(reverse("comments:recent")).content.decode()
    assert all(f'href="{c.get_absolute_url()}"' in content for c in three_comments)


def test_site_comment_feed_lists_newest_first(client, three_comments):
    newest, middle, oldest = reversed(three_comments)
    links = _rss_links(client.get(reverse("comments:feed")))
    assert links == [_absolute(newest), _absolute(middle), _absolute(oldest)]


def test_site_comment_atom_feed_lists_newest_first(client, three_comments):
    newest, middle, oldest = reversed(three_comments)
    links = _atom_links(client.get(reverse("comments:feed-atom")))
    assert links == [_absolute(newest), _absolute(middle), _absolute(oldest)]


def test_post_comment_feed_lists_only_that_posts_comments_newest_first(
    client, post, three_comments
):
    oldest, _, newest = three_comments
    links = _rss_links(client.get(reverse("comments:post-feed", kwargs={"post_id": post.pk})))
    assert links == [_absolute(newest), _absolute(oldest)]


def test_post_comment_atom_feed_lists_only_that_posts_comments(client, post, three_comments):
    oldest, _, newest = three_comments
    links = _atom_links(client.get(reverse("comments:post-feed-atom", kwargs={"post_id": post.pk})))
    assert links == [_absolute(newest), _absolute(oldest)]


def test_feed_of_a_missing_post_answers_404(client):
    assert client.get(reverse("comments:post-feed", kwargs={"post_id": 424242})).status_code == 404


def test_feed_item_title_names_number_author_and_post(client, post, other_reader):
    CommentFactory(post=post, author=other_reader)
    titles = [
        item.findtext("title") for item in _xml(client.get(reverse("comments:feed"))).iter("item")
    ]
    assert titles == ["#1 by Otto Other on “The budget vote, again”"]


def test_comment_permalink_leads_to_its_anchor_on_the_post_page(client, post):
    CommentFactory(post=post)
    comment = CommentFactory(post=post)
    response = client.get(comment.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#c2"


def test_permalink_of_a_missing_number_answers_404(client, post):
    comment = CommentFactory(post=post)
    url = re.sub(r"/1/$", "/9/", comment.get_absolute_url())
    assert client.get(url).status_code == 404


def test_post_page_links_its_comment_feeds(client, post):
    content = client.get(post.get_absolute_url()).content.decode()
    assert reverse("comments:post-feed", kwargs={"post_id": post.pk}) in content
    assert reverse("comments:post-feed-atom", kwargs={"post_id": post.pk}) in content
