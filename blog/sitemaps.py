"""sitemap.xml sections: home, published posts, tags and categories that have them."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from blog.models import Category, Post, Tag


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["blog:post-list"]

    def location(self, item):
        return reverse(item)


class PostSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Post.objects.published().newest_first()

    def lastmod(self, item: Post):
        return item.updated_at


class _TaxonomySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4
    model = None

    def items(self):
        live = Q(posts__status=Post.Status.PUBLISHED, posts__published_at__lte=timezone.now())
        return (
            self.model.objects.annotate(last_post_at=Max("posts__published_at", filter=live))
            .filter(last_post_at__isnull=False)
            .order_by("slug")
        )

    def lastmod(self, item):
        return item.last_post_at


class TagSitemap(_TaxonomySitemap):
    model = Tag


class CategorySitemap(_TaxonomySitemap):
    model = Category


SITEMAPS = {
    "home": HomeSitemap,
    "posts": PostSitemap,
    "tags": TagSitemap,
    "categories": CategorySitemap,
}
