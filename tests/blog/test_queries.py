"""Query-count ceilings: each page costs the same for a few posts as for many.

The ceilings were measured once (the small and the large set gave the same count) and
are asserted for both sizes, so a page that starts querying per post fails at the
large size. Anonymous reader, so no session or user queries are involved.
"""

import datetime

import pytest
from django.urls import reverse

from tests.factories import CategoryFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

SEARCH_WORD = "referendum"
MARCH_2024 = datetime.datetime(2024, 3, 1, 8, tzinfo=datetime.UTC)


def _make_posts(count, *, author):
    """Posts in March 2024 by `author`, in one category, each with the same two tags."""
    category = CategoryFactory(name="Ballots", slug="ballots")
    tags = [TagFactory(name="turnout", slug="turnout"), TagFactory(name="polls", slug="polls")]
    # Hours counted within this batch: factory sequences run on across the session and
    # would push later posts out of March.
    return [
        PostFactory(
            author=author,
            category=category,
            tags=tags,
            body=f"The **{SEARCH_WORD}** question, seen from the [count](https://example.org).",
            published_at=MARCH_2024 + datetime.timedelta(hours=index),
        )
        for index in range(count)
    ]


@pytest.fixture(params=[3, 40], ids=lambda n: f"{n}-posts")
def many_posts(request):
    writer = UserFactory(username="prolific", display_name="Prolific Writer")
    return _make_posts(request.param, author=writer)


# Measured: the same number for 3 and for 40 posts (savepoints of ATOMIC_REQUESTS included;
# the sidebar's recent-comments block is one of them).
def test_home_page_query_count_is_constant(client, many_posts, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        assert client.get(reverse("blog:post-list")).status_code == 200


def test_post_detail_query_count_is_constant(client, many_posts, django_assert_max_num_queries):
    # The post with its tags, the sidebar's four lists, its (empty) comment thread.
    with django_assert_max_num_queries(6):
        assert client.get(many_posts[0].get_absolute_url()).status_code == 200


def test_tag_page_query_count_is_constant(client, many_posts, django_assert_max_num_queries):
    url = reverse("blog:tag-detail", kwargs={"slug": "turnout"})
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_category_page_query_count_is_constant(client, many_posts, django_assert_max_num_queries):
    url = reverse("blog:category-detail", kwargs={"slug": "ballots"})
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_year_archive_query_count_is_constant(client, many_posts, django_assert_max_num_queries):
    url = reverse("blog:archive-year", kwargs={"year": 2024})
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200


def test_month_archive_query_count_is_constant(client, many_posts, django_assert_max_num_queries):
    url = reverse("blog:archive-month", kwargs={"year": 2024, "month": 3})
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_author_page_query_count_is_constant(client, many_posts, django_assert_max_num_queries):
    url = reverse("blog:author-detail", kwargs={"username": "prolific"})
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_search_page_query_count_is_constant(client, many_posts, django_assert_max_num_queries):
    # One more than the other lists: the comments' matches are counted for their tab.
    with django_assert_max_num_queries(10):
        assert client.get(reverse("blog:search"), {"q": SEARCH_WORD}).status_code == 200


def test_rss_feed_query_count_is_constant(client, many_posts, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get(reverse("blog:feed")).status_code == 200


def test_atom_feed_query_count_is_constant(client, many_posts, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get(reverse("blog:feed-atom")).status_code == 200


def test_sitemap_query_count_is_constant(client, many_posts, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(reverse("sitemap")).status_code == 200


# Session, user, two permission lookups, list filters, counts, rows, date hierarchy.
@pytest.mark.parametrize("count", [5, 30])
def test_admin_post_changelist_query_count_is_constant(
    client, author, count, django_assert_max_num_queries
):
    _make_posts(count, author=author)
    client.force_login(author)
    with django_assert_max_num_queries(13):
        assert client.get(reverse("admin:blog_post_changelist")).status_code == 200
