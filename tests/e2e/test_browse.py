"""A reader browses the site in a real browser: home, a post, search."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from blog.models import Category, Post, Tag

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published_posts():
    author = User.objects.create_user(username="b", display_name="b", password="x" * 20)
    category = Category.objects.create(name="Analysis", slug="analysis")
    tag = Tag.objects.create(name="Energy", slug="energy")
    now = timezone.now()
    posts = []
    for index, (title, body) in enumerate(
        [
            (
                "The pipeline nobody wanted to talk about",
                "The **pipeline** deal was signed at night.\n\n> Officials declined to comment.",
            ),
            ("A quiet week in the ministries", "Nothing moved, and that is the story."),
        ]
    ):
        post = Post(
            title=title,
            slug=f"post-{index}",
            author=author,
            body=body,
            category=category,
            status=Post.Status.PUBLISHED,
            published_at=now - timedelta(days=index + 1),
        )
        post.save()
        post.tags.add(tag)
        posts.append(post)
    Post(
        title="Unfinished draft about pipelines",
        slug="draft",
        author=author,
        body="pipeline draft",
        status=Post.Status.DRAFT,
    ).save()
    return posts


def test_reader_opens_home_follows_a_post_and_searches(page, gunicorn_server, published_posts):
    page.goto(gunicorn_server + "/")
    assert page.locator("h1").first.is_visible()
    first = page.get_by_role("link", name="The pipeline nobody wanted to talk about").first
    first.click()
    page.wait_for_url("**/post-0/")
    assert page.locator("article h1").inner_text() == "The pipeline nobody wanted to talk about"
    assert (
        page.locator("article blockquote").inner_text().strip() == "Officials declined to comment."
    )

    search = page.locator("input[name=q]").first
    search.fill("pipeline")
    search.press("Enter")
    page.wait_for_url("**/search/?q=pipeline*")
    results = page.locator("main mark")
    assert results.count() >= 1
    assert "Unfinished draft" not in page.content()
    assert page.get_by_role("link", name="The pipeline nobody wanted to talk about").count() == 1


def test_stylesheets_are_served_by_whitenoise_with_hashed_names(page, gunicorn_server):
    page.goto(gunicorn_server + "/")
    hrefs = page.eval_on_selector_all("link[rel=stylesheet]", "els => els.map(e => e.href)")
    assert any("bootstrap" in href for href in hrefs)
    for href in hrefs:
        assert href.startswith(gunicorn_server + "/static/")
        response = page.request.get(href)
        assert response.status == 200
        assert response.headers["cache-control"].startswith("max-age=")
