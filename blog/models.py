from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone

from blog import cache_keys
from blog.characters import refuse_xml_forbidden_in
from blog.images import clean_upload, make_renditions, validate_image
from blog.markup import html_to_text, render_markdown, sanitize_html, truncate_words

EXCERPT_LENGTH = 300
SEARCH_CONFIG = "english"


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True, help_text="Shown in menus and on posts.")
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Used in the category's address; letters, digits, -."
    )
    description = models.TextField(
        blank=True, help_text="A sentence or two shown at the top of the category page."
    )

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:category-detail", kwargs={"slug": self.slug})

    def clean(self):
        refuse_xml_forbidden_in(self, ("name", "description"))


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True, help_text="Short topic label.")
    slug = models.SlugField(
        max_length=60, unique=True, help_text="Used in the tag's address; letters, digits, -."
    )
    description = models.TextField(blank=True, help_text="Shown at the top of the tag page.")

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:tag-detail", kwargs={"slug": self.slug})

    def clean(self):
        refuse_xml_forbidden_in(self, ("name", "description"))


class PostQuerySet(models.QuerySet):
    def published(self):
        """Posts a reader may see: published status and publish time reached."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())

    def drafts(self):
        """Posts not yet published (status draft)."""
        return self.filter(status=Post.Status.DRAFT)

    def scheduled(self):
        """Published posts whose publish time is still in the future."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__gt=timezone.now())

    def editable_by(self, user):
        """Posts a staff user may edit: all for superusers and editors, else their own."""
        if user.is_superuser or user.has_perm("blog.change_other_posts"):
            return self
        return self.filter(author=user)

    def for_listing(self):
        """What a post card shows of the post, fetched up front: author, category, tags.

        Its comment count comes from the comments app (comments.models.comment_count),
        added by the views that compose pages from both (blog.views, blog.search).
        """
        return self.select_related("author", "category").prefetch_related("tags")

    def for_page(self):
        """What the post's own page shows of it: author and category joined, and its tags as
        `tag_list` ({"name", "slug"} by name) in the same query. One query where
        for_listing's prefetch, made for lists of posts, takes two."""
        tags = (
            Tag.objects.filter(posts=models.OuterRef("pk"))
            .order_by("name")
            .values(json=JSONObject(name="name", slug="slug"))
        )
        return self.select_related("author", "category").annotate(tag_list=ArraySubquery(tags))

    def newest_first(self):
        """Newest publish time first; id breaks ties so pagination is stable."""
        return self.order_by("-published_at", "-id")

    def archive_months(self):
        """(month, post count) pairs, newest month first."""
        return (
            self.annotate(month=models.functions.TruncMonth("published_at"))
            .values("month")
            .annotate(count=Count("id"))
            .order_by("-month")
        )

    def search(self, query: str):
        """Full-text match on title and body, best first, with `rank` annotated."""
        from django.contrib.postgres.search import SearchQuery, SearchRank

        search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return (
            self.filter(search_vector=search_query)
            .annotate(rank=SearchRank(models.F("search_vector"), search_query))
            .order_by("-rank", "-published_at", "-id")
        )


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class BodyFormat(models.TextChoices):
        MARKDOWN = "markdown", "Markdown"
        HTML = "html", "HTML (imported posts; sanitised, never run)"

    title = models.CharField(max_length=200, help_text="The headline.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the post's address. Filled from the title; must be unique.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="posts",
        help_text="Who wrote the post.",
    )
    body = models.TextField(help_text="The post in Markdown (or HTML, see “body format”).")
    body_format = models.CharField(
        max_length=8,
        choices=BodyFormat.choices,
        default=BodyFormat.MARKDOWN,
        help_text="How the body is written. Imported posts keep their HTML: it is cleaned "
        "through the same sanitiser as everything else.",
    )
    body_html = models.TextField(editable=False, default="")
    body_text = models.TextField(editable=False, default="")
    excerpt = models.TextField(
        blank=True,
        max_length=600,
        help_text="Summary for lists and feeds. Leave blank to use the opening of the body.",
    )
    cover_image = models.ImageField(
        upload_to="posts/covers/%Y/%m/",
        blank=True,
        validators=[validate_image],
        help_text="Optional picture shown above the post (JPEG, PNG, WebP or GIF). "
        "Location and camera data are removed.",
    )
    cover_image_alt = models.CharField(
        max_length=200,
        blank=True,
        help_text="Describe the picture for readers who cannot see it.",
    )
    cover_renditions = models.JSONField(default=dict, blank=True, editable=False)
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Drafts are never public. Published posts appear at their publish time.",
    )
    published_at = models.DateTimeField(
        default=timezone.now,
        help_text="When the post goes public. A future time schedules it; it appears by itself.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        help_text="One section of the blog this post belongs to.",
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="posts", help_text="Topics; a post may have several."
    )
    allow_comments = models.BooleanField(
        default=True, help_text="Untick to close the comment section of this post."
    )
    last_comment_number = models.PositiveIntegerField(
        default=0, editable=False, help_text="Highest comment number given out on this post."
    )
    comments_version = models.PositiveIntegerField(
        default=0, editable=False, help_text="Bumped on every comment change; keys caches."
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("body_text", weight="B", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ("-published_at", "-id")
        permissions = [("change_other_posts", "Can edit posts written by others")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="post_status_valid"
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="post_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(body_format__in=["markdown", "html"]), name="post_body_format_valid"
            ),
        ]
        indexes = [
            # Public lists: WHERE status='published' AND published_at <= now ORDER BY published_at.
            models.Index(fields=["status", "-published_at"], name="post_status_published_idx"),
            # Search page: WHERE search_vector @@ query.
            GinIndex(fields=["search_vector"], name="post_search_vector_gin"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        local = timezone.localtime(self.published_at)
        return reverse(
            "blog:post-detail",
            kwargs={
                "year": local.year,
                "month": f"{local.month:02d}",
                "day": f"{local.day:02d}",
                "slug": self.slug,
            },
        )

    @property
    def is_live(self) -> bool:
        """Posts a reader may see: published status and publish time reached."""
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        """Published but with a publish time still in the future."""
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()

    @property
    def summary(self) -> str:
        """The excerpt, or the opening of the body when no excerpt was written."""
        return self.excerpt or truncate_words(self.body_text, EXCERPT_LENGTH)

    @property
    def cover_srcset(self) -> str:
        """`srcset` value listing the cover renditions, smallest first."""
        from django.core.files.storage import default_storage

        return ", ".join(
            f"{default_storage.url(name)} {width}w"
            for width, name in sorted(self.cover_renditions.items(), key=lambda i: int(i[0]))
        )

    @property
    def cover_url(self) -> str:
        """URL of the largest rendition (falls back to the cleaned original)."""
        from django.core.files.storage import default_storage

        if self.cover_renditions:
            largest = max(self.cover_renditions, key=int)
            return default_storage.url(self.cover_renditions[largest])
        return self.cover_image.url if self.cover_image else ""

    def clean(self):
        refuse_xml_forbidden_in(self, ("title", "body", "excerpt", "cover_image_alt"))

    def save(self, *args, **kwargs):
        # Render-on-save cache: HTML, plain text and image renditions are derived
        # once here so that reading a post never re-renders anything.
        self.body_html = (
            sanitize_html(self.body, profile="post")
            if self.body_format == self.BodyFormat.HTML
            else render_markdown(self.body)
        )
        self.body_text = html_to_text(self.body_html)
        if self.cover_image and not self.cover_image._committed:
            cleaned = clean_upload(self.cover_image.file)
            self.cover_image.save(cleaned.name, cleaned, save=False)
        cover_changed = self._cover_changed()
        super().save(*args, **kwargs)
        if cover_changed:
            self.cover_renditions = (
                make_renditions(self.cover_image.storage, self.cover_image.name)
                if self.cover_image
                else {}
            )
            super().save(update_fields=["cover_renditions"])
        cache_keys.post_changed(self.pk)

    def _cover_changed(self) -> bool:
        if not self.cover_image:
            return bool(self.cover_renditions)
        if not self.pk:
            return True
        previous = type(self).objects.filter(pk=self.pk).values_list("cover_image", flat=True)
        return previous.first() != self.cover_image.name or not self.cover_renditions
