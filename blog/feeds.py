"""RSS and Atom feeds: the whole site, one tag, one category. Published posts only."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from blog.characters import xml_safe
from blog.conditional import with_validators
from blog.models import Category, Post, Tag

FEED_LENGTH = 20
# The date of a feed without items: fixed, where Django's "now" would change its bytes (and
# ETag) on every request.
EMPTY_FEED_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _xml_safe_values(values: dict) -> dict:
    """Feed or item fields without characters XML 1.0 forbids (strings and lists of them)."""

    def clean(value):
        if isinstance(value, str):
            return xml_safe(value)
        if isinstance(value, (list, tuple)):
            return type(value)(clean(part) for part in value)
        return value

    return {key: clean(value) for key, value in values.items()}


class StableWhenEmpty:
    """Feed generator mixin: an empty feed is dated EMPTY_FEED_DATE, so it tags the same."""

    def latest_post_date(self):
        if not any(item.get("pubdate") or item.get("updateddate") for item in self.items):
            return EMPTY_FEED_DATE
        return super().latest_post_date()


class XmlSafeRssFeed(StableWhenEmpty, Rss201rev2Feed):
    """RSS that stays well-formed XML whatever an older row holds (forms refuse such text)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **_xml_safe_values(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **_xml_safe_values(kwargs))


class XmlSafeAtomFeed(StableWhenEmpty, Atom1Feed):
    """Atom that stays well-formed XML whatever an older row holds (forms refuse such text)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **_xml_safe_values(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **_xml_safe_values(kwargs))


class ConditionalFeed(Feed):
    """A feed answering ETag and Last-Modified, and 304 to a reader that has it already."""

    is_private = False  # one reader's feed: never kept by a shared cache

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        return with_validators(request, response, is_private=self.is_private)


class LatestPostsFeed(ConditionalFeed):
    feed_type = XmlSafeRssFeed
    description_template = None

    def title(self, obj=None):
        return settings.SITE_NAME

    def link(self, obj=None):
        return reverse("blog:post-list")

    def description(self, obj=None):
        return settings.SITE_TAGLINE

    def items(self, obj=None):
        return (
            self.filter_posts(Post.objects.published(), obj)
            .for_listing()
            .newest_first()[:FEED_LENGTH]
        )

    def filter_posts(self, posts, obj):
        return posts

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        return item.body_html

    def item_link(self, item: Post) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Post) -> str:
        return item.author.public_name

    def item_pubdate(self, item: Post):
        return item.published_at

    def item_updateddate(self, item: Post):
        return item.updated_at

    def item_categories(self, item: Post):
        return [tag.name for tag in item.tags.all()]


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = XmlSafeAtomFeed
    subtitle = LatestPostsFeed.description


class TagFeed(LatestPostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return obj.description or f"Posts tagged {obj.name}"

    def filter_posts(self, posts, obj):
        return posts.filter(tags=obj)


class TagAtomFeed(TagFeed):
    feed_type = XmlSafeAtomFeed
    subtitle = TagFeed.description


class CategoryFeed(LatestPostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return obj.description or f"Posts in {obj.name}"

    def filter_posts(self, posts, obj):
        return posts.filter(category=obj)


class CategoryAtomFeed(CategoryFeed):
    feed_type = XmlSafeAtomFeed
    subtitle = CategoryFeed.description
