"""Only published comments on live posts appear on public surfaces, for anonymous and readers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from comments.models import Comment
from tests.comments.pages import text
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

HIDDEN_WORDS = {
    "pending": "Held-for-review words",
    "removed": "Removed-by-moderator words",
    "spam": "Spammy-pill words",
    "deleted": "Withdrawn-by-author words",
}


@pytest.fixture
def comments_in_every_state(post):
    CommentFactory(post=post, body="Plainly visible words")
    for status, words in HIDDEN_WORDS.items():
        CommentFactory(post=post, body=words, **{status: True})
    return post


@pytest.fixture
def comments_on_unpublished_posts():
    drafted = PostFactory(title="Later drafted", slug="later-drafted")
    CommentFactory(post=drafted, body="Words under a drafted post")
    Post.objects.filter(pk=drafted.pk).update(status=Post.Status.DRAFT)
    rescheduled = PostFactory(title="Rescheduled", slug="rescheduled")
    CommentFactory(post=rescheduled, body="Words under a rescheduled post")
    Post.objects.filter(pk=rescheduled.pk).update(published_at=timezone.now() + timedelta(days=3))
    return drafted, rescheduled


SURFACES = {
    "post page": lambda post: post.get_absolute_url(),
    "post page, chronological": lambda post: post.get_absolute_url() + "?view=chronological",
    "home page": lambda post: reverse("blog:post-list"),
    "recent comments": lambda post: reverse("comments:recent"),
    "site comments RSS": lambda post: reverse("comments:feed"),
    "site comments Atom": lambda post: reverse("comments:feed-atom"),
    "post comments RSS": lambda post: reverse("comments:post-feed", kwargs={"post_id": post.pk}),
    "post comments Atom": lambda post: reverse(
        "comments:post-feed-atom", kwargs={"post_id": post.pk}
    ),
}


@pytest.fixture(params=["anonymous", "reader"])
def viewer(request, client, reader):
    if request.param == "reader":
        client.force_login(reader)
    return client


@pytest.mark.parametrize("surface", SURFACES)
def test_unpublished_comments_appear_on_no_public_surface(viewer, comments_in_every_state, surface):
    content = text(viewer.get(SURFACES[surface](comments_in_every_state)))
    assert [words for words in HIDDEN_WORDS.values() if words in content] == []


@pytest.mark.parametrize(
    "surface", [s for s in SURFACES if s not in ("home page", "post page, chronological")]
)
def test_published_comments_appear_on_every_public_surface(
    viewer, comments_in_every_state, surface
):
    content = text(viewer.get(SURFACES[surface](comments_in_every_state)))
    assert "Plainly visible words" in content


@pytest.mark.parametrize(
    "surface", ["home page", "recent comments", "site comments RSS", "site comments Atom"]
)
def test_comments_on_unpublished_posts_appear_on_no_site_wide_surface(
    viewer, post, comments_on_unpublished_posts, surface
):
    content = text(viewer.get(SURFACES[surface](post)))
    assert "Words under a drafted post" not in content
    assert "Words under a rescheduled post" not in content


@pytest.mark.parametrize("feed", ["comments:post-feed", "comments:post-feed-atom"])
def test_comment_feeds_of_unpublished_posts_answer_404(client, comments_on_unpublished_posts, feed):
    for hidden in comments_on_unpublished_posts:
        assert client.get(reverse(feed, kwargs={"post_id": hidden.pk})).status_code == 404


def test_home_page_counts_only_published_comments(client, comments_in_every_state):
    content = text(client.get(reverse("blog:post-list")))
    assert '>1 comment<span class="visually-hidden"> on “The budget vote, again”' in content


def test_sidebar_lists_only_published_comments(client, comments_in_every_state):
    content = client.get(reverse("blog:post-list")).content.decode()
    shown = [c for c in Comment.objects.all() if f'href="{c.get_absolute_url()}"' in content]
    assert [c.body for c in shown] == ["Plainly visible words"]


def test_post_page_counts_only_published_comments(client, comments_in_every_state):
    assert "1 comment</h2>" in text(client.get(comments_in_every_state.get_absolute_url()))


def test_permalink_of_a_comment_on_a_draft_answers_404(client, comments_on_unpublished_posts):
    drafted, _ = comments_on_unpublished_posts
    comment = Comment.objects.get(post=drafted)
    local = timezone.localtime(drafted.published_at)
    url = reverse(
        "comments:permalink",
        kwargs={
            "year": local.year,
            "month": local.month,
            "day": local.day,
            "slug": drafted.slug,
            "number": comment.number,
        },
    )
    assert client.get(url).status_code == 404


def test_guest_emails_appear_on_no_public_surface(client, post):
    CommentFactory(post=post, guest=True, guest_email="private-address@example.net")
    for surface in SURFACES.values():
        assert "private-address@example.net" not in text(client.get(surface(post)))
