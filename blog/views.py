import datetime

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from accounts.models import User
from blog import cache_keys, page_cache
from blog.converters import TwoDigits
from blog.models import Category, Post, Tag
from blog.search import SearchForm, highlight, other_scope, search_in
from blog.url_prefix import url_prefix
from comments.models import Comment, comment_count
from comments.section import comment_section, remember_view, unread_counts

SIDEBAR_COMMENTS = 5


def with_comment_counts(posts):
    """Posts as their cards and pages show them: `comment_count` from the comments app."""
    return posts.annotate(comment_count=comment_count())


class SidebarMixin:
    """Adds the sidebar: archive, categories, tags and recent comments, cached on its own.

    Its key follows the site's comments (blog.cache_keys.sidebar), so a comment on one
    post leaves the other posts' cached pages alone; the archive and the counts are as
    fresh as the page cache's lifetime, and uncached when the page cache is off.
    """

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        seconds = page_cache.seconds()  # the same counters decide when it is stale
        key = cache_keys.sidebar()
        html = cache.get(key) if seconds > 0 else None
        if html is None:
            html = render_to_string("blog/_sidebar.html", sidebar_context())
            if seconds > 0:
                cache.set(key, html, seconds)
        context["sidebar_html"] = html
        return context


def sidebar_context() -> dict:
    """The sidebar's lists (four queries); months, categories and tags with their `url`.

    The sidebar links some fifty pages: their addresses come from one reversed
    prefix per kind (blog.url_prefix), not fifty reverse() calls.
    """
    live = Q(posts__status=Post.Status.PUBLISHED, posts__published_at__lte=timezone.now())
    months = list(Post.objects.published().archive_months()[:24])
    year_urls = {}
    for entry in months:
        year = entry["month"].year
        if year not in year_urls:
            year_urls[year] = url_prefix("blog:archive-month", last="month", sample="00", year=year)
        entry["url"] = f"{year_urls[year]}{TwoDigits().to_url(entry['month'].month)}/"
    categories = list(
        Category.objects.annotate(post_count=Count("posts", filter=live))
        .filter(post_count__gt=0)
        .only("name", "slug")
    )
    tags = list(
        Tag.objects.annotate(post_count=Count("posts", filter=live))
        .filter(post_count__gt=0)
        .only("name", "slug")
        .order_by("-post_count", "name")[:20]
    )
    for items, name in ((categories, "blog:category-detail"), (tags, "blog:tag-detail")):
        prefix = url_prefix(name, last="slug", sample="x")
        for item in items:
            item.url = f"{prefix}{item.slug}/"
    return {
        "sidebar_months": months,
        "sidebar_categories": categories,
        "sidebar_tags": tags,
        "sidebar_comments": list(
            Comment.objects.published()
            .on_live_posts()
            .for_links()
            .newest_first()[:SIDEBAR_COMMENTS]
        ),
    }


class PostListView(SidebarMixin, ListView):
    """Home page: published posts, newest first."""

    template_name = "blog/post_list.html"
    context_object_name = "posts"

    @property
    def paginate_by(self):
        return settings.POSTS_PER_PAGE

    def get_queryset(self):
        return with_comment_counts(Post.objects.published().for_listing().newest_first())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unread = unread_counts(self.request.user, context["posts"])
        for post in context["posts"]:
            post.unread_comments = unread.get(post.pk)
        return context


# No transaction around the request: a page served from the cache must not even open
# a database connection (the reader's visit mark is one autocommitted update).
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class PostDetailView(SidebarMixin, DetailView):
    """One published post at /YYYY/MM/DD/slug/."""

    template_name = "blog/post_detail.html"
    context_object_name = "post"

    def get_queryset(self):
        # Its comment count comes with the comment section's summary, below.
        return Post.objects.published().for_page()

    def get(self, request, *args, **kwargs):
        """The page is composed here: the post, its comment section, the sidebar.

        The comment thread, megabytes on a long post, is rendered and cached apart as
        UTF-8 (comments.rendering); the page is the post template in two parts around
        it (blog/post_detail.html says how), joined as bytes, so the thread is never
        copied through the template's levels nor encoded again.

        Anonymous readers share one cached copy, stored here and served by
        blog.page_cache.AnonymousPageMiddleware before any of this runs.
        """
        url_date = _date_or_404(kwargs["year"], kwargs["month"], kwargs["day"])
        self.object = post = self.get_object()
        if timezone.localtime(post.published_at).date() != url_date:
            return redirect(post, permanent=True)
        version = cache_keys.post_version(post.pk)
        context = self.get_context_data(object=post)
        context.update(comment_section(request, post))
        # Counted with the thread when its page holds every comment, else with the
        # summary line (comments.summary): not by a subquery over every comment here.
        post.comment_count = context["comment_summary"].comments
        head = render_to_string("blog/post_page_head.html", context, request)
        tail = render_to_string("blog/post_page_tail.html", context, request)
        response = HttpResponse(b"".join((head.encode(), context["comment_thread"], tail.encode())))
        remember_view(request, response)
        # A guest's own held comments make the page theirs alone (their session already
        # keeps it out of the shared cache).
        if not request.user.is_authenticated and not context["held_copies"]:
            page_cache.offer(response, post_id=post.pk, version=version)
        return response


@method_decorator(staff_member_required, name="dispatch")
class PostPreviewView(DetailView):
    """Staff-only preview of any post the user may edit, drafts included."""

    template_name = "blog/post_detail.html"
    context_object_name = "post"

    def get_queryset(self):
        return with_comment_counts(Post.objects.editable_by(self.request.user).for_page())

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=True, **kwargs)


class FilteredPostListView(SidebarMixin, ListView):
    """Base for tag, category, author and archive pages: published posts, newest first."""

    template_name = "blog/post_archive.html"
    context_object_name = "posts"

    @property
    def paginate_by(self):
        return settings.POSTS_PER_PAGE

    def filter_posts(self, posts):
        raise NotImplementedError

    def get_queryset(self):
        posts = self.filter_posts(Post.objects.published()).for_listing().newest_first()
        return with_comment_counts(posts)


class TagDetailView(FilteredPostListView):
    def filter_posts(self, posts):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return posts.filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Tagged “{self.tag.name}”",
            description=self.tag.description,
            feed_rss=reverse("blog:tag-feed", kwargs={"slug": self.tag.slug}),
            feed_atom=reverse("blog:tag-feed-atom", kwargs={"slug": self.tag.slug}),
            **kwargs,
        )


class CategoryDetailView(FilteredPostListView):
    def filter_posts(self, posts):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return posts.filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.category.name,
            description=self.category.description,
            feed_rss=reverse("blog:category-feed", kwargs={"slug": self.category.slug}),
            feed_atom=reverse("blog:category-feed-atom", kwargs={"slug": self.category.slug}),
            **kwargs,
        )


class AuthorDetailView(FilteredPostListView):
    def filter_posts(self, posts):
        # Only people with a live post have an author page; readers stay unlisted.
        authors = User.objects.filter(is_active=True, posts__in=Post.objects.published())
        self.author = get_object_or_404(authors.distinct(), username=self.kwargs["username"])
        return posts.filter(author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=f"Posts by {self.author.public_name}", **kwargs)


class YearArchiveView(FilteredPostListView):
    allow_empty = False

    def filter_posts(self, posts):
        _date_or_404(self.kwargs["year"], 1, 1)
        return posts.filter(published_at__year=self.kwargs["year"])

    def get_context_data(self, **kwargs):
        year = self.kwargs["year"]
        months = Post.objects.published().filter(published_at__year=year).archive_months()
        return super().get_context_data(
            heading=f"Archive: {year}", archive_months=list(months), **kwargs
        )


class MonthArchiveView(FilteredPostListView):
    allow_empty = False

    def filter_posts(self, posts):
        self.month = _date_or_404(self.kwargs["year"], self.kwargs["month"], 1)
        return posts.filter(
            published_at__year=self.month.year, published_at__month=self.month.month
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Archive: {self.month:%B %Y}", year=self.month.year, **kwargs
        )


class SearchView(SidebarMixin, ListView):
    """Full-text search in posts or comments; bad queries answer 400 with the form's message."""

    template_name = "blog/search.html"

    @property
    def paginate_by(self):
        return settings.POSTS_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET or None)
        is_valid = self.form.is_bound and self.form.is_valid()
        self.is_bad_query = ("q" in request.GET or "scope" in request.GET) and not is_valid
        found = self.form.cleaned_data if is_valid else {}
        self.query, self.scope = found.get("q", ""), found.get("scope", "posts")
        response = super().get(request, *args, **kwargs)
        if self.is_bad_query:
            response.status_code = 400
        return response

    def get_queryset(self):
        return search_in(self.scope, self.query) if self.query else Post.objects.none()

    def get_context_object_name(self, object_list):
        return self.scope

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, **kwargs)
        for result in context["object_list"]:
            result.snippet = highlight(result.headline, from_html=self.scope == "comments")
        context.update(query=self.query, scope=self.scope, scope_counts={})
        if self.query:
            other = other_scope(self.scope)
            context["scope_counts"] = {
                self.scope: context["paginator"].count,
                other: search_in(other, self.query).order_by().count(),
            }
        return context


def robots_txt(request) -> HttpResponse:
    """robots.txt: keep crawlers out of admin and search, point them at the sitemap."""
    return render(
        request,
        "robots.txt",
        {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))},
        content_type="text/plain",
    )


def favicon(request) -> HttpResponseRedirect:
    """/favicon.ico, asked for by browsers and feed readers on every page: the icon's file.

    A temporary redirect, cached for a day: the file's address changes with its content.
    """
    response = HttpResponseRedirect(static("favicon.ico"))
    patch_cache_control(response, public=True, max_age=86400)
    return response


def _date_or_404(year, month, day) -> datetime.date:
    try:
        return datetime.date(int(year), int(month), int(day))
    except (TypeError, ValueError) as exc:
        raise Http404("No such date.") from exc
