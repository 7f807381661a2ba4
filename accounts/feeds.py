"""The private Atom feed of replies to one reader's comments; its address carries a secret."""

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from accounts.models import User
from accounts.notifications import replies_to
from blog.feeds import ConditionalFeed, XmlSafeAtomFeed

FEED_LENGTH = 50


class RepliesFeed(ConditionalFeed):
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
