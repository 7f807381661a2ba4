"""RSS and Atom feeds and sitemap.xml: right content types, live posts, absolute links."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CategoryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def tag():
    return TagFactory(name="Elections", slug="elections")


@pytest.fixture
def category():
    return CategoryFactory(name="Analysis", slug="analysis")


@pytest.fixture
def posts(tag, category):
    """Newest first: one tagged and categorised, one with neither."""
    now = timezone.now()
    return [
        PostFactory(published_at=now - timedelta(hours=1), tags=[tag], category=category),
        PostFactory(published_at=now - timedelta(hours=2), category=None),
    ]


def _xml(response) -> ET.Element:
    # Our own server's output, not untrusted input: the stdlib parser is fine here.
    return ET.fromstring(response.content)  # noqa: S314


def _rss_links(response):
    return [item.findtext("link") for item in _xml(response).iter("item")]


def _atom_links(response):
    root = _xml(response)
    return [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]


def _absolute(post):
    return f"http://testserver{post.get_absolute_url()}"


def test_rss_feed_has_rss_content_type(client, posts):
    response = client.get(reverse("blog:feed"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"


def test_rss_feed_items_link_to_posts_newest_first(client, posts):
    assert _rss_links(client.get(reverse("blog:feed"))) == [_absolute(p) for p in posts]


def test_rss_feed_item_carries_rendered_body(client):
    PostFactory(body="Turnout rose to **62 percent**.")
    content = client.get(reverse("blog:feed")).content.decode()
    assert "&lt;strong&gt;62 percent&lt;/strong&gt;" in content


def test_atom_feed_has_atom_content_type(client, posts):
    response = client.get(reverse("blog:feed-atom"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"


def test_atom_feed_entries_link_to_posts_newest_first(client, posts):
    assert _atom_links(client.get(reverse("blog:feed-atom"))) == [_absolute(p) for p in posts]


def test_atom_feed_names_post_author(client, posts):
    root = _xml(client.get(reverse("blog:feed-atom")))
    names = [name.text for name in root.iter(f"{ATOM}name")]
    assert posts[0].author.public_name in names


def test_tag_feed_lists_only_posts_with_that_tag(client, tag, posts):
    response = client.get(reverse("blog:tag-feed", kwargs={"slug": tag.slug}))
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert _rss_links(response) == [_absolute(posts[0])]


def test_tag_atom_feed_lists_only_posts_with_that_tag(client, tag, posts):
    response = client.get(reverse("blog:tag-feed-atom", kwargs={"slug": tag.slug}))
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert _atom_links(response) == [_absolute(posts[0])]


def test_category_feed_lists_only_posts_in_that_category(client, category, posts):
    response = client.get(reverse("blog:category-feed", kwargs={"slug": category.slug}))
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert _rss_links(response) == [_absolute(posts[0])]


def test_category_atom_feed_lists_only_posts_in_that_category(client, category, posts):
    response = client.get(reverse("blog:category-feed-atom", kwargs={"slug": category.slug}))
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert _atom_links(response) == [_absolute(posts[0])]


def test_feed_for_unknown_tag_is_not_found(client):
    response = client.get(reverse("blog:tag-feed", kwargs={"slug": "no-such-tag"}))
    assert response.status_code == 404


def test_feed_for_unknown_category_is_not_found(client):
    response = client.get(reverse("blog:category-feed", kwargs={"slug": "no-such-category"}))
    assert response.status_code == 404


def test_feed_holds_at_most_twenty_posts(client):
    PostFactory.create_batch(22)
    assert len(_rss_links(client.get(reverse("blog:feed")))) == 20


def _sitemap_locations(client):
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    return [loc.text for loc in _xml(response).iter(f"{SITEMAP}loc")]


def test_sitemap_lists_live_posts(client, posts):
    locations = _sitemap_locations(client)
    assert all(_absolute(post) in locations for post in posts)


def test_sitemap_lists_home_page(client, posts):
    assert f"http://testserver{reverse('blog:post-list')}" in _sitemap_locations(client)


def test_sitemap_lists_tags_and_categories_with_live_posts(client, tag, category, posts):
    locations = _sitemap_locations(client)
    assert f"http://testserver{tag.get_absolute_url()}" in locations
    assert f"http://testserver{category.get_absolute_url()}" in locations


def test_sitemap_leaves_out_tags_without_posts(client, posts):
    empty = TagFactory(name="Unused", slug="unused")
    assert f"http://testserver{empty.get_absolute_url()}" not in _sitemap_locations(client)
