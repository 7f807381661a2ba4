"""Post, Tag and Category: read rules, derived fields and database constraints."""

import datetime
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from blog.models import EXCERPT_LENGTH, Post
from tests.factories import CategoryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_published_queryset_holds_only_live_posts():
    live = PostFactory()
    PostFactory(draft=True)
    PostFactory(scheduled=True)
    assert list(Post.objects.published()) == [live]


def test_drafts_queryset_holds_only_drafts():
    draft = PostFactory(draft=True)
    PostFactory()
    assert list(Post.objects.drafts()) == [draft]


def test_scheduled_queryset_holds_only_future_published_posts():
    scheduled = PostFactory(scheduled=True)
    PostFactory()
    PostFactory(draft=True, published_at=timezone.now() + timedelta(days=1))
    assert list(Post.objects.scheduled()) == [scheduled]


@pytest.mark.parametrize(
    ("traits", "is_live"), [({}, True), ({"draft": True}, False), ({"scheduled": True}, False)]
)
def test_is_live_agrees_with_published_queryset(traits, is_live):
    post = PostFactory(**traits)
    assert post.is_live is is_live
    assert Post.objects.published().filter(pk=post.pk).exists() is is_live


def test_is_scheduled_is_true_only_for_future_published_posts():
    assert PostFactory(scheduled=True).is_scheduled
    assert not PostFactory().is_scheduled


def test_body_is_rendered_to_html_on_save():
    post = PostFactory(body="A **bold** claim.")
    assert post.body_html == "<p>A <strong>bold</strong> claim.</p>\n"


def test_body_text_is_plain_text_of_the_body():
    post = PostFactory(body="A **bold** claim with [a link](https://example.org) inside.")
    assert post.body_text == "A bold claim with a link inside."


def test_body_html_follows_edits():
    post = PostFactory(body="First draft.")
    post.body = "Second *draft*."
    post.save()
    post.refresh_from_db()
    assert post.body_html == "<p>Second <em>draft</em>.</p>\n"


def test_summary_is_generated_from_body_when_excerpt_is_blank():
    post = PostFactory(body="The **committee** met on Tuesday.", excerpt="")
    assert post.summary == "The committee met on Tuesday."


def test_generated_summary_is_cut_to_excerpt_length():
    post = PostFactory(body=" ".join(["Filibuster"] * 200), excerpt="")
    assert post.summary.endswith("…")
    assert len(post.summary) <= EXCERPT_LENGTH + 1


def test_summary_keeps_a_written_excerpt():
    post = PostFactory(body="A long body about the levy.", excerpt="The levy, in short.")
    assert post.summary == "The levy, in short."


def test_get_absolute_url_uses_local_publish_date_and_slug(settings):
    settings.TIME_ZONE = "America/New_York"
    post = PostFactory(
        slug="late-night-count",
        published_at=datetime.datetime(2024, 11, 6, 3, 30, tzinfo=datetime.UTC),
    )
    assert post.get_absolute_url() == "/2024/11/05/late-night-count/"


def test_database_refuses_an_empty_slug():
    with pytest.raises(IntegrityError):
        PostFactory(slug="")


def test_database_refuses_an_unknown_status():
    with pytest.raises(IntegrityError):
        PostFactory(status="archived")


def test_str_of_post_tag_and_category_is_their_name():
    post = PostFactory(title="Levy passes")
    assert [str(post), str(TagFactory(name="levy")), str(CategoryFactory(name="Money"))] == [
        "Levy passes",
        "levy",
        "Money",
    ]
