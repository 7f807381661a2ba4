"""Atom and RSS feeds of comments: one post's, the whole site's newest, and a reader's replies."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.models import User
from blog.feeds import ConditionalFeed, XmlSafeAtomFeed, XmlSafeRssFeed
from blog.models import Post
from comments.models import Comment
from comments.notifications import replies_to

FEED_LENGTH = 50


class RecentCommentsFeed(ConditionalFeed):
    feed_type = XmlSafeRssFeed

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: recent comments"

    def link(self, obj=None):
        return reverse("comments:recent")

    def description(self, obj=None):
        return f"The newest comments on {settings.SITE_NAME}."

    def items(self, obj=None):
        comments = Comment.objects.published().on_live_posts()
        if obj is not None:
            comments = comments.filter(post=obj)
        return comments.for_listing().newest_first()[:FEED_LENGTH]

    def item_title(self, item: Comment) -> str:
        return f"#{item.number} by {item.display_name} on “{item.post.title}”"

    def item_description(self, item: Comment) -> str:
        return item.body_html

    def item_link(self, item: Comment) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Comment) -> str:
        return f"comment-{item.post_id}-{item.number}"

    item_guid_is_permalink = False

    def item_author_name(self, item: Comment) -> str:
        return item.display_name

    def item_pubdate(self, item: Comment):
        return item.created_at

    def item_updateddate(self, item: Comment):
        return item.edited_at or item.created_at


class RecentCommentsAtomFeed(RecentCommentsFeed):
    feed_type = XmlSafeAtomFeed
    subtitle = RecentCommentsFeed.description


class PostCommentsFeed(RecentCommentsFeed):
    def get_object(self, request, post_id):
        return get_object_or_404(Post.objects.published(), pk=post_id)

    def title(self, obj=None):
        return f"Comments on “{obj.title}”"

    def link(self, obj=None):
        return f"{obj.get_absolute_url()}#comments"

    def description(self, obj=None):
        return f"Comments on “{obj.title}”, newest first."


class PostCommentsAtomFeed(PostCommentsFeed):
    feed_type = XmlSafeAtomFeed
    subtitle = PostCommentsFeed.description


class RepliesFeed(ConditionalFeed):
    """The private Atom feed of replies to one reader's comments; its address carries a secret."""

    feed_type = XmlSafeAtomFeed
    is_private = True

    def get_object(self, request, token: str):
        # An empty token never matches: readers without a feed have no address.
        user = User.objects.filter(feed_token=token, is_active=True).exclude(feed_token="").first()
        if user is None:
            raise Http404("No such feed; it may have been replaced by a new address.")
        return user

    def title(self, obj: User) -> str:
        return f"{settings.SITE_NAME}: replies to {obj.public_name}"

    def link(self, obj: User) -> str:
        return reverse("accounts:replies")

    def subtitle(self, obj: User) -> str:
        return f"New replies to {obj.public_name}'s comments."

    def items(self, obj: User):
        return replies_to(obj)[:FEED_LENGTH]

    def item_title(self, item) -> str:
        return f"{item.display_name} replied to #{item.parent_number} on “{item.post.title}”"

    def item_description(self, item) -> str:
        return item.body_html

    def item_link(self, item) -> str:
        return item.get_absolute_url()

    def item_guid(self, item) -> str:
        return f"comment-{item.post_id}-{item.number}"

    item_guid_is_permalink = False

    def item_author_name(self, item) -> str:
        return item.display_name

    def item_pubdate(self, item):
        return item.created_at

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response
