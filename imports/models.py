"""What an import leaves behind: its runs, where each post and comment came from, old addresses.

Import metadata lives here, never on `Post` or `Comment`: a comment knows its
thread; this app knows which export line it came from, how its parent was
found and whether a moderator has reviewed that.
"""

from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from comments.models import Comment

# Characters left as they are when a path is put in its one stored form (RFC 3986 pchar + "/").
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def normalise_path(url: str) -> str:
    """The one stored form of an address's path: no host, query or fragment, percent-encoding
    made uniform (so `caf%C3%A9` and `café` match) and no trailing slash (except for "/")."""
    path = urlsplit((url or "").strip()).path or "/"
    path = quote(unquote(path), safe=_PATH_SAFE)
    if not path.startswith("/"):
        path = "/" + path
    return path.rstrip("/") or "/"


class ImportRun(models.Model):
    """One run of `manage.py import_blog`: what was read, with which options, and what it did."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running (or interrupted)"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Stopped by an error"

    file_name = models.CharField(max_length=500, help_text="The export file that was read.")
    format = models.CharField(max_length=20, help_text="Its format (mt, typepad-page, wxr…).")
    options = models.JSONField(
        default=dict, blank=True, help_text="The command's options for this run."
    )
    is_dry_run = models.BooleanField(
        default=False, help_text="A dry run shows what would happen and writes nothing."
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.RUNNING,
        help_text="A run still “running” long after it started was interrupted; run it again.",
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(
        default=dict, blank=True, help_text="Posts and comments created, unchanged, skipped…"
    )
    report = models.JSONField(
        default=dict, blank=True, help_text="The full report (also written as JSON and HTML)."
    )
    report_path = models.CharField(
        max_length=1000, blank=True, help_text="Where the HTML report was written."
    )

    class Meta:
        ordering = ("-started_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["running", "finished", "failed"]),
                name="import_run_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("admin:imports_importrun_report", args=[self.pk])


class ImportedPost(models.Model):
    """A post that came from an export, found again on a re-run by its source identity."""

    source_id = models.TextField(
        help_text="Identity in the export: its old address, else date + basename, else the "
        "format's own id."
    )
    post = models.ForeignKey(
        Post,
        on_delete=models.CASCADE,
        related_name="imported_from",
        help_text="The post it became (or, for comments-only records, the post they joined).",
    )
    old_url = models.TextField(blank=True, help_text="Its old address, as the export gave it.")
    source_hash = models.CharField(
        max_length=64, blank=True, help_text="Fingerprint of the post fields last imported."
    )
    is_comments_only = models.BooleanField(
        default=False, help_text="Only comments came from this record (Disqus, MT NO ENTRY)."
    )
    first_run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(
        default=timezone.now, help_text="When the import last wrote the post's fields."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source_id"], name="imported_post_source_unique"),
        ]

    def __str__(self) -> str:
        return self.old_url or self.source_id


class ImportedCommentQuerySet(models.QuerySet):
    def inferred(self):
        """Comments whose parent an import found by inference (the review list)."""
        return self.exclude(rule="")

    def unreviewed(self):
        """Inferred links no moderator has decided on yet."""
        return self.filter(review_state=ImportedComment.ReviewState.UNREVIEWED)

    def for_review(self):
        """The comment, its current parent and its post, in the same query."""
        return self.select_related("comment", "comment__parent", "post").defer(
            "post__body", "post__body_html", "post__body_text", "post__search_vector"
        )


class ImportedComment(models.Model):
    """Where an imported comment came from and how its parent was found.

    Identity is (post, author name, date, body hash): a re-run of the same export,
    or of a newer one, recognises the comment and leaves it alone.
    """

    class ReviewState(models.TextChoices):
        UNREVIEWED = "unreviewed", "Not reviewed"
        ACCEPTED = "accepted", "Accepted as inferred"
        CHANGED = "changed", "Parent changed by a moderator"
        TOP_LEVEL = "top_level", "Made top-level by a moderator"

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, related_name="imported", help_text="The comment."
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="imported_comments", help_text="Its post."
    )
    author_name = models.CharField(max_length=200, help_text="The name as the export gave it.")
    author_url = models.TextField(blank=True, help_text="The commenter's web address, if given.")
    created_at = models.DateTimeField(help_text="The comment's date in the export.")
    body_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the body as exported (identity, with name and date)."
    )
    source_id = models.CharField(
        max_length=200, blank=True, help_text="The comment's id in the export (WXR, Disqus)."
    )
    source_line = models.PositiveIntegerField(
        default=0, help_text="Line of the export where it started."
    )
    run = models.ForeignKey(
        ImportRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        help_text="The run that imported it.",
    )
    rule = models.CharField(
        max_length=20,
        blank=True,
        help_text="How its parent was found: number, footer, name_date, at_name, quote… "
        "(empty: the export said, or none was found).",
    )
    confidence = models.FloatField(
        null=True, blank=True, help_text="How sure inference was, from 0 to 1."
    )
    evidence = models.TextField(blank=True, help_text="The text that matched.")
    inferred_parent_number = models.PositiveIntegerField(
        null=True, blank=True, help_text="The parent inference chose (kept after a review)."
    )
    review_state = models.CharField(
        max_length=10,
        choices=ReviewState.choices,
        default=ReviewState.UNREVIEWED,
        help_text="A moderator's decision; re-imports never undo it.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who reviewed the link.",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = ImportedCommentQuerySet.as_manager()

    class Meta:
        ordering = ("post", "comment__number")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "author_name", "created_at", "body_hash"],
                name="imported_comment_identity_unique",
            ),
            models.CheckConstraint(
                condition=Q(review_state__in=["unreviewed", "accepted", "changed", "top_level"]),
                name="imported_comment_review_state_valid",
            ),
        ]
        indexes = [
            # Old comment links: WHERE post_id = … AND source_id = ….
            models.Index(
                fields=["post", "source_id"],
                condition=~Q(source_id=""),
                name="imported_comment_source_idx",
            ),
            # The review list: WHERE rule <> '' ORDER BY post, number.
            models.Index(fields=["rule", "review_state"], name="imported_comment_review_idx"),
        ]

    def __str__(self) -> str:
        return f"Imported comment by {self.author_name} ({self.created_at:%Y-%m-%d %H:%M})"


class ImpersonationSuspect(models.Model):
    """Two comments of a post that suggest someone wrote under another person's name."""

    class State(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        CONFIRMED = "confirmed", "Confirmed by a moderator"
        DISMISSED = "dismissed", "Dismissed by a moderator"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="impersonation_suspects")
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        related_name="impersonation_suspects",
        help_text="The comment under suspicion.",
    )
    other_comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The comment that makes it suspect (same name elsewhere, or a denial).",
    )
    why = models.CharField(max_length=500, help_text="What inference noticed.")
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.OPEN, help_text="Moderator's decision."
    )
    run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "other_comment"], name="impersonation_suspect_unique"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "confirmed", "dismissed"]),
                name="impersonation_suspect_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Suspect comment: {self.why}"


class OldUrl(models.Model):
    """An address of the old blog that now answers 301 with the post (or comment) it became."""

    path = models.TextField(
        help_text="The old path, percent-encoded in one form, without trailing slash."
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="old_urls")
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="old_urls",
        help_text="Set when the old address was a comment's own.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("path",)
        constraints = [models.UniqueConstraint(fields=["path"], name="old_url_path_unique")]

    def __str__(self) -> str:
        return f"{self.path} → {self.post}"

    def get_absolute_url(self) -> str:
        """Where the old address now leads."""
        if self.comment_id is not None:
            return self.comment.get_absolute_url()
        return self.post.get_absolute_url()
