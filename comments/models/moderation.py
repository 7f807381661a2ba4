"""Moderation records: the moderation log, bans and the block list (readers' flags are
in comments.models.thread, beside the comments they flag)."""

import ipaddress
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from blog.models import Post
from comments.models.thread import Comment


class ModerationActionQuerySet(models.QuerySet):
    def public(self):
        """Log rows anyone may read: public ones about live posts, or about no post (bans)."""
        return self.filter(is_public=True).filter(
            Q(post__isnull=True) | Q(post__in=Post.objects.published())
        )

    def for_log(self):
        """The moderator, post and user of each row in the same query, without post bodies."""
        return self.select_related("moderator", "post", "user").defer(
            "post__body",
            "post__body_html",
            "post__body_text",
            "post__excerpt",
            "post__search_vector",
        )

    def newest_first(self):
        """Most recent action first."""
        return self.order_by("-created_at", "-id")


class ModerationAction(models.Model):
    """One line of the moderation log: who did what to which comment, user or post, and why."""

    class Action(models.TextChoices):
        PUBLISH = "publish", "Approved"
        REMOVE = "remove", "Removed"
        SPAM = "spam", "Marked as spam"
        RESTORE = "restore", "Restored"
        HOLD = "hold", "Held for review"
        DISMISS_FLAGS = "dismiss_flags", "Dismissed the flags on"
        DELETE = "delete", "Deleted for good"
        BAN = "ban", "Banned"
        UNBAN = "unban", "Lifted the ban on"
        CLOSE = "close", "Closed the comments on"
        REOPEN = "reopen", "Reopened the comments on"
        # Reviewing the threads an import inferred (imports app).
        ACCEPT_LINK = "accept_link", "Confirmed the inferred reply link of"
        REPARENT = "reparent", "Moved in its thread"

    action = models.CharField(max_length=16, choices=Action.choices, help_text="What was done.")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_actions",
        help_text="Who did it; empty for automatic actions (readers' flags reaching the limit).",
    )
    is_automatic = models.BooleanField(
        default=False, help_text="Done by the site itself, not by a person."
    )
    post = models.ForeignKey(
        Post,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_actions",
        help_text="The post concerned (the comment's post, or the post closed).",
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_actions",
        help_text="The comment concerned; empty after it was deleted for good.",
    )
    comment_number = models.PositiveIntegerField(
        null=True, blank=True, help_text="The comment's number, kept after a deletion."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_actions_received",
        help_text="The person concerned: the banned user, or the comment's registered author.",
    )
    reason = models.CharField(
        max_length=300, blank=True, help_text="Why, in the moderator's words."
    )
    is_public = models.BooleanField(
        default=True,
        help_text="Listed on the public moderation log (shadow-bans are not: their point is "
        "that the banned reader does not know).",
    )
    status_before = models.CharField(max_length=10, blank=True, help_text="Comment status before.")
    status_after = models.CharField(max_length=10, blank=True, help_text="Comment status after.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            # Public moderation log: ORDER BY created_at DESC.
            models.Index(fields=["-created_at"], name="moderation_action_created_idx"),
        ]

    def __str__(self) -> str:
        target = f"#{self.comment_number}" if self.comment_number else (self.user or self.post)
        return f"{self.get_action_display()} {target} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def comment_url(self) -> str:
        """The permalink of the comment acted on ("" when the action was not about one)."""
        if self.post is None or self.comment_number is None:
            return ""
        return Comment(post=self.post, number=self.comment_number).get_absolute_url()

    @property
    def public_actor(self) -> str:
        """Who did it, as the public log shows it (names only if COMMENTS_LOG_SHOWS_MODERATORS)."""
        if self.is_automatic:
            return "Readers’ flags"
        if settings.COMMENTS_LOG_SHOWS_MODERATORS and self.moderator:
            return self.moderator.public_name
        return "A moderator"


class BanQuerySet(models.QuerySet):
    def in_force(self):
        """Bans that stop someone commenting now: not lifted, and not yet ended."""
        return self.filter(lifted_at__isnull=True).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=timezone.now())
        )

    def told(self):
        """Bans in force the banned reader is told of: every one but a shadow-ban."""
        return self.in_force().filter(is_shadow=False)


class Ban(models.Model):
    """A registered reader barred from commenting, for a time or for good.

    A shadow-ban does not refuse: the banned reader keeps seeing what they post,
    nobody else does. At most one ban per user is open (not lifted); a new ban
    replaces it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comment_bans",
        help_text="Who may not comment.",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who banned them.",
    )
    reason = models.CharField(max_length=300, help_text="Why; shown to the banned reader.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text="When the ban ends by itself; empty for good."
    )
    is_shadow = models.BooleanField(
        default=False,
        help_text="Shadow-ban: their new comments are shown to them only, and they are not told.",
    )
    lifted_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When a moderator lifted or replaced it."
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            # Also serves the ban check when posting: WHERE user_id = … AND lifted_at IS NULL.
            models.UniqueConstraint(
                fields=["user"], condition=Q(lifted_at__isnull=True), name="ban_one_open_per_user"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("created_at")),
                name="ban_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        until = f"until {self.ends_at:%Y-%m-%d %H:%M}" if self.ends_at else "for good"
        return f"{self.user} banned {until}"

    @property
    def is_in_force(self) -> bool:
        """Bans that stop someone commenting now: not lifted, and not yet ended."""
        return self.lifted_at is None and (self.ends_at is None or self.ends_at > timezone.now())


class BlockedTerm(models.Model):
    """An entry of the moderators' block list: matching comments are held for review."""

    class Kind(models.TextChoices):
        WORD = "word", "Word or phrase in the text"
        EMAIL = "email", "Email address"
        DOMAIN = "domain", "Domain (of a link or an email address)"
        IP = "ip", "IP address or network (e.g. 203.0.113.0/24)"

    kind = models.CharField(max_length=8, choices=Kind.choices, help_text="What to match.")
    value = models.CharField(
        max_length=200,
        help_text="Words match whole words, any case; a domain also matches its subdomains.",
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why it is on the list.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("kind", "value")
        constraints = [
            models.UniqueConstraint("kind", Lower("value"), name="blocked_term_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["word", "email", "domain", "ip"]), name="blocked_term_kind"
            ),
            models.CheckConstraint(condition=~Q(value=""), name="blocked_term_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self) -> None:
        self.value = clean_blocked_value(self.kind, self.value)


_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


def clean_blocked_value(kind: str, value: str) -> str:
    """A block-list value in the form matching compares: lower case, checked for its kind."""
    value = " ".join((value or "").split()).lower()
    if not value:
        raise ValidationError({"value": "Enter what to block."})
    if kind == BlockedTerm.Kind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError({"value": "Enter a whole email address."}) from None
    elif kind == BlockedTerm.Kind.DOMAIN:
        value = re.sub(r"^(?:[a-z]+://)?(?:\*\.|@)?", "", value).split("/")[0].rstrip(".")
        try:
            value = value.encode("idna").decode("ascii")
        except UnicodeError:
            value = ""
        if not _DOMAIN_RE.match(value):
            raise ValidationError({"value": "Enter a domain such as example.com."})
    elif kind == BlockedTerm.Kind.IP:
        try:
            value = str(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ValidationError(
                {"value": "Enter an IP address (203.0.113.7) or a network (203.0.113.0/24)."}
            ) from None
    elif kind == BlockedTerm.Kind.WORD and len(value) < 2:
        raise ValidationError({"value": "Block words of two letters or more."})
    return value
