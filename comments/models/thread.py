"""A post's comments: the thread itself, earlier versions of edited comments, read marks,
and readers' flags (here, beside the comments whose querysets count the open ones)."""

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import models
from django.db.models import Deferrable, Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from accounts import badges
from blog.models import SEARCH_CONFIG, Post

# The words of a rendered comment: tags and character references dropped (both immutable,
# so PostgreSQL can keep the search vector in a generated column).
_TAGS_AND_ENTITIES = r"<[^>]*>|&[#a-zA-Z0-9]+;"


def comment_words(field: str = "body_html") -> models.Func:
    """regexp_replace(body_html, tags and entities, ' '): the text a search matches."""
    return models.Func(
        models.F(field),
        models.Value(_TAGS_AND_ENTITIES),
        models.Value(" "),
        models.Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    )


def _to_char(field: str, zone: str, pattern: str) -> models.Func:
    """to_char(field AT TIME ZONE zone, pattern): a timestamp as text in a time zone."""
    return models.Func(
        models.Func(
            models.F(field),
            models.Value(zone),
            template="(%(expressions)s)",
            arg_joiner=" AT TIME ZONE ",
        ),
        models.Value(pattern),
        function="to_char",
        output_field=models.CharField(),
    )


class CommentQuerySet(models.QuerySet):
    def published(self):
        """Comments a reader may see: status published."""
        return self.filter(status=Comment.Status.PUBLISHED)

    def on_live_posts(self):
        """Comments whose post a reader may see (published, publish time reached)."""
        return self.filter(post__in=Post.objects.published())

    def in_thread_order(self):
        """A whole post in threaded order: each top-level thread, depth-first."""
        return self.order_by("root_number", "thread_position")

    def in_number_order(self):
        """A whole post in posting order: 1, 2, 3…"""
        return self.order_by("number")

    def with_authors(self):
        """Fetch each comment's registered author in the same query."""
        return self.select_related("author")

    def with_author_roles(self):
        """Annotate `author_groups`, which with `author__is_superuser` gives the author's
        role badges (accounts.badges.roles_from): no query of their own per page."""
        return self.annotate(author_groups=badges.staff_groups("author"))

    def with_display_times(self):
        """Annotate `created_iso`, `created_text` and `is_edited`, formatted by PostgreSQL.

        Formatting a thousand timestamps in SQL is several times faster than
        loading them as datetimes and formatting them in Python.
        """
        zone = settings.TIME_ZONE if settings.USE_TZ else "UTC"
        return self.annotate(
            created_iso=_to_char("created_at", "UTC", 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'),
            created_text=_to_char("created_at", zone, "FMDD Mon YYYY, HH24:MI"),
            is_edited=models.ExpressionWrapper(
                Q(edited_at__isnull=False), output_field=models.BooleanField()
            ),
        )

    def for_listing(self):
        """Author and post for lists across posts, without the posts' bodies."""
        return self.select_related("author", "post").defer(
            "post__body",
            "post__body_html",
            "post__body_text",
            "post__excerpt",
            "post__search_vector",
            "ip_address",
            "search_vector",
        )

    def for_links(self):
        """Only what a link to the comment needs (its number, its author's name, its
        post's title and address): for short lists such as the sidebar's."""
        return self.select_related("author", "post").only(
            "number",
            "post_id",
            "author_id",
            "guest_name",
            "author__username",
            "author__display_name",
            "post__title",
            "post__slug",
            "post__published_at",
        )

    def newest_first(self):
        """Most recently posted first, across posts."""
        return self.order_by("-created_at", "-id")

    def search(self, query: str):
        """Full-text match on the comment's text, best first, with `rank` annotated."""
        search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return (
            self.filter(search_vector=search_query)
            .annotate(rank=SearchRank(models.F("search_vector"), search_query))
            .order_by("-rank", "-created_at", "-id")
        )

    def held(self):
        """Comments waiting for a moderator: status pending."""
        return self.filter(status=Comment.Status.PENDING)

    def flagged(self):
        """Comments with at least one reader's flag no moderator has dealt with yet."""
        return self.filter(Exists(Flag.objects.open().filter(comment=OuterRef("pk"))))

    def taken_down(self):
        """Comments a moderator removed or marked as spam."""
        return self.filter(status__in=[Comment.Status.REMOVED, Comment.Status.SPAM])

    def unquotable(self):
        """Comments whose text quotes in other comments no longer show: removed, spam, or
        deleted by their author."""
        return self.filter(status__in=Comment.UNQUOTABLE_STATUSES)

    def with_open_flags(self):
        """Annotate `open_flag_count` and `open_flag_reasons` (comma-separated), by subquery."""
        open_flags = Flag.objects.open().filter(comment=OuterRef("pk")).order_by().values("comment")
        return self.annotate(
            open_flag_count=models.functions.Coalesce(
                models.Subquery(open_flags.annotate(n=models.Count("pk")).values("n")), 0
            ),
            open_flag_reasons=models.Subquery(
                open_flags.annotate(
                    reasons=StringAgg("reason", ", ", distinct=True, order_by="reason")
                ).values("reasons")
            ),
        )

    def for_moderation_queue(self):
        """Open flags and `queue_rank`: 0 held, 1 flagged, 2 the rest (order by it, then age)."""
        return (
            self.with_open_flags()
            .defer("search_vector")
            .annotate(
                queue_rank=models.Case(
                    models.When(status=Comment.Status.PENDING, then=models.Value(0)),
                    models.When(open_flag_count__gt=0, then=models.Value(1)),
                    default=models.Value(2),
                    output_field=models.IntegerField(),
                )
            )
        )


class Comment(models.Model):
    """One comment on a post.

    `number` is the per-post number readers cite (#16). Threads are stored as
    `parent` plus a thread key, (`root_number`, `thread_position`): the number of
    the top-level comment a comment descends from and its position inside that
    thread in depth-first order, so one ORDER BY returns a post in threaded order.
    """

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        PENDING = "pending", "Pending review"
        REMOVED = "removed", "Removed by a moderator"
        SPAM = "spam", "Spam"
        DELETED = "deleted", "Deleted by its author"
        SHADOWED = "shadowed", "Shadow-banned (only its author sees it)"

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="comments", help_text="The post discussed."
    )
    number = models.PositiveIntegerField(
        editable=False, help_text="Per-post number readers cite as #N; never reused."
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The comment this one answers (same post); empty for a top-level comment.",
    )
    parent_number = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Number of the parent comment."
    )
    depth = models.PositiveIntegerField(default=0, editable=False)
    root_number = models.PositiveIntegerField(
        editable=False, help_text="Number of the top-level comment of this thread."
    )
    thread_position = models.PositiveIntegerField(
        default=0, editable=False, help_text="Depth-first position inside the thread."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        help_text="Registered author; empty for guests.",
    )
    guest_name = models.CharField(
        max_length=60, blank=True, help_text="Name a guest commented under."
    )
    guest_email = models.EmailField(
        blank=True, help_text="A guest's email. Never shown to readers."
    )
    body = models.TextField(help_text="The comment in Markdown.")
    body_html = models.TextField(editable=False, default="")
    referenced_numbers = ArrayField(
        models.PositiveIntegerField(),
        default=list,
        blank=True,
        editable=False,
        help_text="Comments of the same post this one cites as @N or #N.",
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PUBLISHED,
        help_text="Only published comments are shown to readers.",
    )
    moderation_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why the comment is held or was taken down. A removal's reason is shown "
        "to readers in its place (“#N removed by a moderator: …”).",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(
        null=True, blank=True, help_text="Address the comment was sent from (moderators only)."
    )
    submission_token = models.UUIDField(
        null=True, blank=True, editable=False, help_text="Makes a double submit post once."
    )
    search_vector = models.GeneratedField(
        expression=SearchVector(comment_words(), config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    # A held comment was never shown, and a shadow-banned one must still look published to
    # its writer: only what readers saw and then lost is withheld from quotes.
    UNQUOTABLE_STATUSES = (Status.REMOVED, Status.SPAM, Status.DELETED)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ("post", "number")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "number"], name="comment_number_unique_per_post"
            ),
            # Deferred: inserting a reply shifts later positions of its thread by one.
            models.UniqueConstraint(
                fields=["post", "root_number", "thread_position"],
                name="comment_thread_position_unique",
                deferrable=Deferrable.DEFERRED,
            ),
            models.UniqueConstraint(
                fields=["post", "submission_token"], name="comment_submission_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="comment_number_positive"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=0, thread_position=0)
                | Q(parent__isnull=False, depth__gte=1, thread_position__gte=1),
                name="comment_depth_matches_parent",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["published", "pending", "removed", "spam", "deleted", "shadowed"]
                ),
                name="comment_status_valid",
            ),
        ]
        indexes = [
            # Recent comments page and feeds: ORDER BY created_at DESC.
            models.Index(fields=["-created_at"], name="comment_created_idx"),
            # A reader's own comments (profile, edit checks).
            models.Index(fields=["author", "-created_at"], name="comment_author_idx"),
            # The moderation queue and "my standing": WHERE status <> 'published'.
            models.Index(
                fields=["status", "-created_at"],
                condition=~Q(status="published"),
                name="comment_unpublished_idx",
            ),
            # Search page: WHERE search_vector @@ query.
            GinIndex(fields=["search_vector"], name="comment_search_vector_gin"),
            # Guest trust: WHERE lower(guest_email) = … AND status = 'published'.
            models.Index(
                Lower("guest_email"),
                condition=Q(author__isnull=True),
                name="comment_guest_email_idx",
            ),
        ]
        permissions = [
            ("skip_premoderation", "Comments skip pre-moderation (trusted commenter)"),
            ("close_thread", "Can close and reopen the comments of a post"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} on {self.post}"

    def get_absolute_url(self) -> str:
        """The permalink, /YYYY/MM/DD/slug/comments/N/, which redirects to the right page."""
        local = timezone.localtime(self.post.published_at)
        return reverse(
            "comments:permalink",
            kwargs={
                "year": local.year,
                "month": local.month,
                "day": local.day,
                "slug": self.post.slug,
                "number": self.number,
            },
        )

    @property
    def anchor(self) -> str:
        """The fragment identifier of this comment on its post page."""
        return f"c{self.number}"

    @property
    def is_visible(self) -> bool:
        """Comments a reader may see: status published."""
        return self.status == self.Status.PUBLISHED

    @property
    def display_name(self) -> str:
        """The registered author's public name, else the guest name."""
        if self.author_id is not None:
            return self.author.public_name
        return self.guest_name or "[deleted account]"

    @property
    def is_guest(self) -> bool:
        return self.author_id is None

    @property
    def is_taken_down(self) -> bool:
        """Comments a moderator removed or marked as spam."""
        return self.status in (self.Status.REMOVED, self.Status.SPAM)

    @property
    def is_unquotable(self) -> bool:
        """Comments whose text quotes in other comments no longer show: removed, spam, or
        deleted by their author."""
        return self.status in self.UNQUOTABLE_STATUSES

    @property
    def is_visible_to_author(self) -> bool:
        """What its author still sees as posted: published, or hidden by a shadow-ban."""
        return self.status in (self.Status.PUBLISHED, self.Status.SHADOWED)


def comment_count() -> models.Expression:
    """A post's published comments, by subquery: `Post.objects.annotate(comment_count=…)`.

    A subquery rather than a JOIN and GROUP BY, which would grow with the comments.
    """
    counted = (
        Comment.objects.filter(post=OuterRef("pk"), status=Comment.Status.PUBLISHED)
        .order_by()
        .values("post")
        .annotate(count=models.Count("pk"))
        .values("count")
    )
    return models.functions.Coalesce(models.Subquery(counted), 0)


class CommentRevision(models.Model):
    """An earlier version of an edited comment, kept so edits stay visible."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="revisions", help_text="Edited comment."
    )
    body = models.TextField(help_text="The Markdown as it was before the edit.")
    body_html = models.TextField()
    written_at = models.DateTimeField(help_text="When this version was written.")
    replaced_at = models.DateTimeField(default=timezone.now, help_text="When it was edited.")

    class Meta:
        ordering = ("comment", "written_at")

    def __str__(self) -> str:
        return f"Version of {self.comment} from {self.written_at:%Y-%m-%d %H:%M}"


class ThreadVisit(models.Model):
    """How far a signed-in reader has read a post's comments (for "new" marks)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_visits"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="thread_visits")
    last_seen_number = models.PositiveIntegerField(
        default=0, help_text="Highest comment number on the post when the reader last opened it."
    )
    visited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="thread_visit_unique")]

    def __str__(self) -> str:
        return f"{self.user} read {self.post} up to #{self.last_seen_number}"


class FlagQuerySet(models.QuerySet):
    def open(self):
        """Flags no moderator has dealt with yet."""
        return self.filter(outcome=Flag.Outcome.OPEN)

    def newest_first(self):
        """Most recent flag first."""
        return self.order_by("-created_at", "-id")


class Flag(models.Model):
    """A registered reader's report that a comment breaks the rules; one per reader and comment."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abuse or harassment"
        OFF_TOPIC = "off_topic", "Off-topic"
        IMPERSONATION = "impersonation", "Impersonation"
        OTHER = "other", "Something else (say what)"

    class Outcome(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        UPHELD = "upheld", "A moderator took the comment down"
        DISMISSED = "dismissed", "A moderator kept the comment"

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="flags", help_text="The flagged comment."
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comment_flags",
        help_text="Who flagged it.",
    )
    reason = models.CharField(
        max_length=16, choices=Reason.choices, help_text="What the reader says is wrong."
    )
    note = models.TextField(
        blank=True, max_length=500, help_text="The reader's own words (required for “other”)."
    )
    outcome = models.CharField(
        max_length=10,
        choices=Outcome.choices,
        default=Outcome.OPEN,
        help_text="What moderators made of the comment; shown to the reader who flagged it.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reader"], name="flag_one_per_reader_per_comment"
            ),
            models.CheckConstraint(
                condition=~Q(reason="other", note=""), name="flag_other_reason_has_note"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=["spam", "abuse", "off_topic", "impersonation", "other"]),
                name="flag_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["open", "upheld", "dismissed"]),
                name="flag_outcome_valid",
            ),
        ]
        indexes = [
            # Flag threshold and the queue: WHERE comment_id = … AND outcome = 'open'.
            models.Index(fields=["comment"], condition=Q(outcome="open"), name="flag_open_idx"),
            # "My standing": WHERE reader_id = … ORDER BY created_at DESC.
            models.Index(fields=["reader", "-created_at"], name="flag_reader_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} flag on {self.comment}"
