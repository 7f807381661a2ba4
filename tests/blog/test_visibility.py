"""Drafts and scheduled posts appear on no public surface until their time comes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from tests.factories import CategoryFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

SEARCH_WORD = "zeppelin"


@pytest.fixture
def tag():
    return TagFactory(name="airships", slug="airships")


@pytest.fixture
def category():
    return CategoryFactory(name="Transport", slug="transport")


@pytest.fixture
def writer():
    return UserFactory(username="hindenburg")


@pytest.fixture
def live_post(tag, category, writer):
    """A live post sharing everything with the hidden one, so each page has content."""
    return PostFactory(
        title="The live airship story",
        body=f"A {SEARCH_WORD} crossed the bay at dawn.",
        author=writer,
        category=category,
        tags=[tag],
        published_at=timezone.now() - timedelta(minutes=1),
    )


@pytest.fixture(params=["draft", "scheduled"])
def hidden_post(request, tag, category, writer, live_post):
    """A post readers must not see: a draft, or published with a future publish time."""
    published_at = {
        "draft": timezone.now() - timedelta(minutes=2),
        "scheduled": timezone.now() + timedelta(minutes=5),
    }[request.param]
    return PostFactory(
        title="The secret airship story",
        body=f"A second {SEARCH_WORD} is being built in secret.",
        author=writer,
        category=category,
        tags=[tag],
        published_at=published_at,
        status=Post.Status.DRAFT if request.param == "draft" else Post.Status.PUBLISHED,
    )


def _assert_lists_only_the_live_post(response, live_post, hidden_post):
    content = response.content.decode()
    assert response.status_code == 200
    assert live_post.title in content
    assert hidden_post.title not in content
    assert hidden_post.get_absolute_url() not in content


def _archive_kwargs(post, *, with_month):
    local = timezone.localtime(post.published_at)
    return {"year": local.year, "month": local.month} if with_month else {"year": local.year}


def test_unpublished_post_is_absent_from_home_page(client, live_post, hidden_post):
    response = client.get(reverse("blog:post-list"))
    _assert_lists_only_the_live_post(response, live_post, hidden_post)


def test_unpublished_post_detail_page_is_not_found(client, hidden_post):
    response = client.get(hidden_post.get_absolute_url())
    assert response.status_code == 404


def test_unpublished_post_is_absent_from_year_archive(client, live_post, hidden_post):
    url = reverse("blog:archive-year", kwargs=_archive_kwargs(hidden_post, with_month=False))
    _assert_lists_only_the_live_post(client.get(url), live_post, hidden_post)


def test_unpublished_post_is_absent_from_month_archive(client, live_post, hidden_post):
    url = reverse("blog:archive-month", kwargs=_archive_kwargs(hidden_post, with_month=True))
    _assert_lists_only_the_live_post(client.get(url), live_post, hidden_post)


def test_unpublished_post_is_absent_from_tag_page(client, tag, live_post, hidden_post):
    response = client.get(tag.get_absolute_url())
    _assert_lists_only_the_live_post(response, live_post, hidden_post)


def test_unpublished_post_is_absent_from_category_page(client, category, live_post, hidden_post):
    response = client.get(category.get_absolute_url())
    _assert_lists_only_the_live_post(response, live_post, hidden_post)


def test_unpublished_post_is_absent_from_author_page(client, writer, live_post, hidden_post):
    response = client.get(writer.get_absolute_url())
    _assert_lists_only_the_live_post(response, live_post, hidden_post)


def test_unpublished_post_is_absent_from_search_results(client, live_post, hidden_post):
    response = client.get(reverse("blog:search"), {"q": SEARCH_WORD})
    _assert_lists_only_the_live_post(response, live_post, hidden_post)
    assert list(response.context["posts"]) == [live_post]


def test_unpublished_post_is_absent_from_rss_feed(client, live_post, hidden_post):
    response = client.get(reverse("blog:feed"))
    _assert_lists_only_the_live_post(response, live_post, hidden_post)


def test_unpublished_post_is_absent_from_atom_feed(client, live_post, hidden_post):
    response = client.get(reverse("blog:feed-atom"))
    _assert_lists_only_the_live_post(response, live_post, hidden_post)


def test_unpublished_post_is_absent_from_tag_feed(client, tag, live_post, hidden_post):
    response = client.get(reverse("blog:tag-feed", kwargs={"slug": tag.slug}))
    _assert_lists_only_the_live_post(response, live_post, hidden_post)


def test_unpublished_post_is_absent_from_category_feed(client, category, live_post, hidden_post):
    response = client.get(reverse("blog:category-feed", kwargs={"slug": category.slug}))
    _assert_lists_only_the_live_post(response, live_post, hidden_post)


def test_unpublished_post_is_absent_from_sitemap(client, live_post, hidden_post):
    content = client.get(reverse("sitemap")).content.decode()
    assert live_post.get_absolute_url() in content
    assert hidden_post.get_absolute_url() not in content


def test_tag_with_only_unpublished_posts_is_absent_from_sitemap(client):
    lonely_tag = TagFactory(name="secret-project", slug="secret-project")
    PostFactory(draft=True, tags=[lonely_tag])
    PostFactory(scheduled=True, tags=[lonely_tag])
    content = client.get(reverse("sitemap")).content.decode()
    assert lonely_tag.get_absolute_url() not in content


def test_scheduled_post_appears_by_itself_once_its_time_passes(client):
    post = PostFactory(scheduled=True, title="Results are in at midnight")
    assert post.title not in client.get(reverse("blog:post-list")).content.decode()

    # Time passing is the publish time moving behind "now"; no cron job runs.
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    post.refresh_from_db()

    assert post.title in client.get(reverse("blog:post-list")).content.decode()
    assert client.get(post.get_absolute_url()).status_code == 200
