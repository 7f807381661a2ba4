"""Public pages answer 200 with the expected posts; bad addresses answer 404."""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.views import sidebar_context
from tests.factories import CategoryFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def _at(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=datetime.UTC)


def _detail_url(post, *, year, month, day):
    return reverse(
        "blog:post-detail", kwargs={"year": year, "month": month, "day": day, "slug": post.slug}
    )


# ─── Home ────────────────────────────────────────────────────────────────────


@pytest.fixture
def three_posts(settings):
    """Oldest to newest; two per page."""
    settings.POSTS_PER_PAGE = 2
    now = timezone.now()
    return [PostFactory(published_at=now - timedelta(days=days)) for days in (3, 2, 1)]


def test_home_page_lists_live_posts_newest_first(client, three_posts):
    oldest, middle, newest = three_posts
    response = client.get(reverse("blog:post-list"))
    assert response.status_code == 200
    assert list(response.context["posts"]) == [newest, middle]


def test_home_page_shows_post_titles_and_summaries(client, three_posts):
    newest = three_posts[-1]
    content = client.get(reverse("blog:post-list")).content.decode()
    assert newest.title in content
    assert newest.get_absolute_url() in content


def test_home_page_two_holds_the_older_posts(client, three_posts):
    oldest = three_posts[0]
    response = client.get(reverse("blog:post-list"), {"page": 2})
    assert response.status_code == 200
    assert list(response.context["posts"]) == [oldest]


def test_home_page_beyond_the_last_page_is_not_found(client, three_posts):
    response = client.get(reverse("blog:post-list"), {"page": 999})
    assert response.status_code == 404


def test_home_page_renders_with_no_posts_at_all(client):
    response = client.get(reverse("blog:post-list"))
    assert response.status_code == 200
    assert list(response.context["posts"]) == []


# ─── Post detail ─────────────────────────────────────────────────────────────


@pytest.fixture
def leap_day_post():
    return PostFactory(
        title="Counting ballots on a leap day",
        body="The count ran *late*; see [the returns](https://example.org/returns).",
        published_at=_at(2024, 2, 29),
    )


def test_post_detail_lives_at_its_dated_address(leap_day_post):
    expected = "/2024/02/29/counting-ballots-on-a-leap-day/"
    assert leap_day_post.get_absolute_url() == expected


def test_post_detail_shows_title_and_rendered_body(client, leap_day_post):
    response = client.get(leap_day_post.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert leap_day_post.title in content
    assert "<em>late</em>" in content


def test_post_detail_at_wrong_date_redirects_permanently_to_canonical_address(
    client, leap_day_post
):
    response = client.get(_detail_url(leap_day_post, year=2023, month=7, day=4))
    assert response.status_code == 301
    assert response["Location"] == leap_day_post.get_absolute_url()


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [(2024, 2, 30), (2024, 13, 1), (2023, 2, 29), (2024, 0, 10), (2024, 4, 31)],
    ids=["feb-30", "month-13", "feb-29-non-leap", "month-0", "apr-31"],
)
def test_post_detail_at_impossible_date_is_not_found(client, leap_day_post, year, month, day):
    response = client.get(_detail_url(leap_day_post, year=year, month=month, day=day))
    assert response.status_code == 404


def test_post_detail_with_unknown_slug_is_not_found(client, leap_day_post):
    url = reverse(
        "blog:post-detail", kwargs={"year": 2024, "month": 2, "day": 29, "slug": "no-such-post"}
    )
    assert client.get(url).status_code == 404


# ─── Archives ────────────────────────────────────────────────────────────────


@pytest.fixture
def archive_posts():
    """Two posts in March 2024, one in May 2024, one in 2023."""
    return {
        "march_a": PostFactory(published_at=_at(2024, 3, 5)),
        "march_b": PostFactory(published_at=_at(2024, 3, 20)),
        "may": PostFactory(published_at=_at(2024, 5, 1)),
        "old": PostFactory(published_at=_at(2023, 11, 11)),
    }


def test_year_archive_lists_that_years_posts_newest_first(client, archive_posts):
    response = client.get(reverse("blog:archive-year", kwargs={"year": 2024}))
    assert response.status_code == 200
    assert list(response.context["posts"]) == [
        archive_posts["may"],
        archive_posts["march_b"],
        archive_posts["march_a"],
    ]


def test_year_archive_counts_posts_per_month(client, archive_posts):
    response = client.get(reverse("blog:archive-year", kwargs={"year": 2024}))
    counts = [(m["month"].month, m["count"]) for m in response.context["archive_months"]]
    assert counts == [(5, 1), (3, 2)]


def test_year_archive_links_each_month(client, archive_posts):
    content = client.get(reverse("blog:archive-year", kwargs={"year": 2024})).content.decode()
    assert reverse("blog:archive-month", kwargs={"year": 2024, "month": 3}) in content
    assert reverse("blog:archive-month", kwargs={"year": 2024, "month": 5}) in content


def test_year_archive_without_posts_is_not_found(client, archive_posts):
    assert client.get(reverse("blog:archive-year", kwargs={"year": 2019})).status_code == 404


def test_year_zero_archive_is_not_found(client, archive_posts):
    assert client.get(reverse("blog:archive-year", kwargs={"year": 0})).status_code == 404


def test_month_archive_lists_only_that_months_posts(client, archive_posts):
    response = client.get(reverse("blog:archive-month", kwargs={"year": 2024, "month": 3}))
    assert response.status_code == 200
    assert list(response.context["posts"]) == [archive_posts["march_b"], archive_posts["march_a"]]


def test_month_archive_counts_its_posts(client, archive_posts):
    response = client.get(reverse("blog:archive-month", kwargs={"year": 2024, "month": 3}))
    assert response.context["paginator"].count == 2


def test_month_archive_without_posts_is_not_found(client, archive_posts):
    url = reverse("blog:archive-month", kwargs={"year": 2024, "month": 4})
    assert client.get(url).status_code == 404


def test_month_archive_for_month_13_is_not_found(client, archive_posts):
    url = reverse("blog:archive-month", kwargs={"year": 2024, "month": 13})
    assert client.get(url).status_code == 404


def test_sidebar_counts_live_posts_per_month(archive_posts):
    counts = {
        (m["month"].year, m["month"].month): m["count"] for m in sidebar_context()["sidebar_months"]
    }
    assert counts == {(2024, 5): 1, (2024, 3): 2, (2023, 11): 1}


def test_sidebar_links_are_the_addresses_reverse_gives(client, archive_posts):
    """The sidebar makes its links from one reversed prefix per kind (blog.url_prefix)."""
    category = CategoryFactory(name="Analysis", slug="analysis-2")
    tag = TagFactory(name="Budget", slug="budget_2024")
    post = PostFactory(published_at=_at(2023, 11, 20), category=category)
    post.tags.add(tag)
    page = client.get(reverse("blog:post-list")).content.decode()
    sidebar = page[page.index('<aside class="site-sidebar"') :]
    expected = [
        reverse("blog:archive-month", kwargs={"year": 2024, "month": 5}),
        reverse("blog:archive-month", kwargs={"year": 2024, "month": 3}),
        reverse("blog:archive-month", kwargs={"year": 2023, "month": 11}),
        reverse("blog:archive-year", kwargs={"year": 2023}),
        reverse("blog:category-detail", kwargs={"slug": "analysis-2"}),
        reverse("blog:tag-detail", kwargs={"slug": "budget_2024"}),
    ]
    for url in expected:
        assert f'href="{url}"' in sidebar, url
        assert client.get(url).status_code == 200, url


# ─── Tag, category, author ───────────────────────────────────────────────────


def test_tag_page_lists_posts_with_that_tag(client):
    tag = TagFactory(name="Transit", slug="transit", description="Buses, trains, bike lanes.")
    tagged = PostFactory(tags=[tag])
    PostFactory(tags=[TagFactory()])
    response = client.get(tag.get_absolute_url())
    assert response.status_code == 200
    assert list(response.context["posts"]) == [tagged]


def test_tag_page_shows_its_name_description_and_feed_link(client):
    tag = TagFactory(name="Transit", slug="transit", description="Buses, trains, bike lanes.")
    PostFactory(tags=[tag])
    content = client.get(tag.get_absolute_url()).content.decode()
    assert "Transit" in content
    assert "Buses, trains, bike lanes." in content
    assert reverse("blog:tag-feed", kwargs={"slug": "transit"}) in content


def test_unknown_tag_page_is_not_found(client):
    url = reverse("blog:tag-detail", kwargs={"slug": "no-such-tag"})
    assert client.get(url).status_code == 404


def test_category_page_lists_posts_in_that_category(client):
    category = CategoryFactory(name="Schools", slug="schools")
    inside = PostFactory(category=category)
    PostFactory()
    response = client.get(category.get_absolute_url())
    assert response.status_code == 200
    assert list(response.context["posts"]) == [inside]


def test_category_page_shows_its_name_and_feed_link(client):
    category = CategoryFactory(name="Schools", slug="schools")
    PostFactory(category=category)
    content = client.get(category.get_absolute_url()).content.decode()
    assert "Schools" in content
    assert reverse("blog:category-feed", kwargs={"slug": "schools"}) in content


def test_unknown_category_page_is_not_found(client):
    url = reverse("blog:category-detail", kwargs={"slug": "no-such-category"})
    assert client.get(url).status_code == 404


def test_author_page_lists_that_authors_posts(client):
    writer = UserFactory(username="columnist", display_name="Pat Columnist")
    own = PostFactory(author=writer)
    PostFactory()
    response = client.get(writer.get_absolute_url())
    assert response.status_code == 200
    assert list(response.context["posts"]) == [own]


def test_author_page_heading_uses_public_name(client):
    writer = UserFactory(username="columnist", display_name="Pat Columnist")
    PostFactory(author=writer)
    assert "Posts by Pat Columnist" in client.get(writer.get_absolute_url()).content.decode()


def test_inactive_author_page_is_not_found(client):
    writer = UserFactory(username="gone", is_active=False)
    PostFactory(author=writer)
    assert client.get(writer.get_absolute_url()).status_code == 404


def test_author_without_live_posts_has_no_page(client):
    writer = UserFactory(username="drafter")
    PostFactory(draft=True, author=writer)
    PostFactory(scheduled=True, author=writer)
    assert client.get(writer.get_absolute_url()).status_code == 404


def test_reader_has_no_author_page(client, reader):
    assert client.get(reader.get_absolute_url()).status_code == 404


def test_unknown_author_page_is_not_found(client):
    url = reverse("blog:author-detail", kwargs={"username": "nobody-here"})
    assert client.get(url).status_code == 404


# ─── robots.txt and the 404 page ─────────────────────────────────────────────


def test_robots_txt_points_crawlers_at_the_sitemap(client):
    response = client.get(reverse("robots-txt"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    sitemap = f"Sitemap: http://testserver{reverse('sitemap')}"
    assert sitemap in response.content.decode().splitlines()


def test_robots_txt_keeps_crawlers_out_of_admin(client):
    lines = client.get(reverse("robots-txt")).content.decode().splitlines()
    assert f"Disallow: {reverse('admin:index')}" in lines


def test_not_found_page_uses_the_friendly_site_template(client):
    response = client.get(reverse("blog:tag-detail", kwargs={"slug": "no-such-tag"}))
    used = [template.name for template in response.templates]
    assert response.status_code == 404
    assert "404.html" in used
    assert "base.html" in used


def test_not_found_page_links_back_to_the_latest_posts(client):
    response = client.get(reverse("blog:tag-detail", kwargs={"slug": "no-such-tag"}))
    assert f'href="{reverse("blog:post-list")}"' in response.content.decode()


# ─── Staff preview ───────────────────────────────────────────────────────────


@pytest.fixture
def draft_by_author(author):
    return PostFactory(draft=True, author=author, title="Half-finished thoughts on the levy")


def _preview_url(post):
    return reverse("blog:post-preview", kwargs={"pk": post.pk})


def test_author_can_preview_own_draft(client, author, draft_by_author):
    client.force_login(author)
    response = client.get(_preview_url(draft_by_author))
    assert response.status_code == 200
    assert draft_by_author.title in response.content.decode()


def test_author_can_preview_own_scheduled_post(client, author):
    scheduled = PostFactory(scheduled=True, author=author)
    client.force_login(author)
    assert client.get(_preview_url(scheduled)).status_code == 200


def test_other_author_cannot_preview_someone_elses_draft(client, other_author, draft_by_author):
    client.force_login(other_author)
    assert client.get(_preview_url(draft_by_author)).status_code == 404


def test_anonymous_preview_redirects_to_admin_login(client, draft_by_author):
    response = client.get(_preview_url(draft_by_author))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_reader_preview_redirects_to_admin_login(client, reader, draft_by_author):
    client.force_login(reader)
    response = client.get(_preview_url(draft_by_author))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_superuser_can_preview_any_draft(client, superuser, draft_by_author):
    client.force_login(superuser)
    assert client.get(_preview_url(draft_by_author)).status_code == 200
