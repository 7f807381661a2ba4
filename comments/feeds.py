"""Atom and RSS feeds of comments: one post's, and the whole site's newest."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse

from blog.feeds import ConditionalFeed, XmlSafeAtomFeed, XmlSafeRssFeed
from blog.models import Post
from comments.models import Comment

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
