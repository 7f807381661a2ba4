from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from accounts.names import canonical_name
from blog.characters import refuse_xml_forbidden_in
from blog.markup import render_markdown

BIO_MAX_LENGTH = 1000


class UserQuerySet(models.QuerySet):
    def confirmed(self):
        """Accounts whose email address was confirmed (or that staff created)."""
        return self.filter(email_verified_at__isnull=False)


class AccountManager(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager (create_user…) plus the account querysets."""


class User(AbstractUser):
    """A registered person: reader, author or moderator (roles are groups)."""

    class EmailFrequency(models.TextChoices):
        EACH = "each", "One email per reply"
        DAILY = "daily", "One daily digest"

    display_name = models.CharField(
        max_length=60,
        blank=True,
        help_text="Name shown on posts and comments. Falls back to the username when blank. "
        "Unique: no two accounts may have names readers could confuse.",
    )
    name_key = models.TextField(
        editable=False,
        default="",
        help_text="Canonical form of the public name (see accounts/names.py); unique.",
    )
    username_key = models.TextField(
        editable=False, default="", help_text="Canonical form of the username."
    )
    email_verified_at = models.DateTimeField(
        null=True,
        blank=True,
        default=timezone.now,
        help_text="When the email address was confirmed. Empty until a self-registered "
        "reader follows the link in the sign-up email; accounts created by staff count as "
        "confirmed. Only confirmed accounts may comment.",
    )

    bio = models.TextField(
        blank=True,
        max_length=BIO_MAX_LENGTH,
        help_text="A few sentences about the reader, in Markdown, shown on the profile.",
    )
    bio_html = models.TextField(editable=False, default="")
    avatar = models.ImageField(
        upload_to="avatars/%Y/%m/",
        blank=True,
        help_text="Square picture (JPEG, PNG, WebP or GIF); location and camera data removed.",
    )
    avatar_renditions = models.JSONField(
        default=dict, blank=True, editable=False, help_text="{size in px: stored file name}"
    )

    is_notified_of_replies = models.BooleanField(
        default=False,
        help_text="Email this reader when someone replies to their comment (opt-in).",
    )
    email_frequency = models.CharField(
        max_length=5,
        choices=EmailFrequency.choices,
        default=EmailFrequency.EACH,
        help_text="Reply and subscription emails one by one, or gathered in a daily digest.",
    )
    feed_token = models.CharField(
        max_length=43,
        blank=True,
        editable=False,
        help_text="Secret in the address of the reader's private replies feed; renewing it "
        "revokes the old address.",
    )

    objects = AccountManager()

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        constraints = [
            models.UniqueConstraint(
                fields=["name_key"], condition=~Q(name_key=""), name="user_name_key_unique"
            ),
            models.UniqueConstraint(
                fields=["feed_token"], condition=~Q(feed_token=""), name="user_feed_token_unique"
            ),
            models.CheckConstraint(
                condition=Q(email_frequency__in=["each", "daily"]),
                name="user_email_frequency_valid",
            ),
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="user_email_unique_ci"
            ),
        ]
        indexes = [
            # name_is_reserved: WHERE username_key = %s.
            models.Index(fields=["username_key"], name="user_username_key_idx"),
        ]

    def __str__(self) -> str:
        return self.public_name

    def get_absolute_url(self) -> str:
        return reverse("blog:author-detail", kwargs={"username": self.username})

    @property
    def profile_url(self) -> str:
        """The reader's public profile page."""
        return reverse("accounts:profile", kwargs={"username": self.username})

    @property
    def public_name(self) -> str:
        """The name readers see: the display name, else the username."""
        return self.display_name or self.username

    @property
    def avatar_urls(self) -> dict[int, str]:
        """{size in px: URL} of the uploaded avatar's square renditions (empty without one)."""
        from django.core.files.storage import default_storage

        return {
            int(size): default_storage.url(name) for size, name in self.avatar_renditions.items()
        }

    @property
    def has_confirmed_email(self) -> bool:
        """Accounts whose email address was confirmed (or that staff created)."""
        return self.email_verified_at is not None

    @property
    def can_comment(self) -> bool:
        """Active accounts with a confirmed email address may comment."""
        return self.is_active and self.has_confirmed_email

    def clean(self):
        super().clean()
        refuse_xml_forbidden_in(self, ("display_name", "bio", "first_name", "last_name"))

    def save(self, *args, **kwargs):
        # Derived once here, like rendered Markdown: the keys name_is_reserved
        # and the unique constraint compare.
        self.name_key = canonical_name(self.public_name)
        self.username_key = canonical_name(self.username)
        self.bio_html = render_markdown(self.bio, profile="comment")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = {"display_name": {"name_key"}, "username": {"username_key", "name_key"}}
            derived["bio"] = {"bio_html"}
            extra = set().union(*(derived.get(field, set()) for field in update_fields))
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)


class FormerNameQuerySet(models.QuerySet):
    def held(self):
        """Former names still reserved for the account that gave them up."""
        return self.filter(held_until__gt=timezone.now())


class FormerName(models.Model):
    """A display name an account used before; others can't take it until `held_until`."""

    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="former_names",
        help_text="The account that used this name; empty once that account was deleted.",
    )
    name = models.CharField(max_length=60, help_text="The name as it was shown.")
    name_key = models.TextField(help_text="Its canonical form (see accounts/names.py).")
    replaced_at = models.DateTimeField(
        default=timezone.now, help_text="When the account stopped using it."
    )
    held_until = models.DateTimeField(
        help_text="Until then nobody else may use this name (or a look-alike)."
    )

    objects = FormerNameQuerySet.as_manager()

    class Meta:
        ordering = ("-replaced_at",)
        indexes = [
            # name_is_reserved: WHERE name_key = %s AND held_until > now().
            models.Index(fields=["name_key", "held_until"], name="formername_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (until {self.held_until:%Y-%m-%d})"


class GuestNameQuerySet(models.QuerySet):
    def confirmed(self):
        """Guest names whose owner confirmed the email they comment with."""
        return self.filter(confirmed_at__isnull=False)


class GuestName(models.Model):
    """A guest's name claimed with a confirmed email: other guests can't use it."""

    name = models.CharField(max_length=60, help_text="The name as the guest wrote it.")
    name_key = models.TextField(help_text="Its canonical form (see accounts/names.py).")
    email = models.EmailField(help_text="The address that confirmed it. Never shown.")
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the guest followed the confirmation link."
    )
    created_at = models.DateTimeField(
        default=timezone.now, help_text="When an offer to keep this name was last tried."
    )
    offered_at = models.DateTimeField(
        null=True, blank=True, help_text="When the offer email went out (empty: not sent yet)."
    )

    objects = GuestNameQuerySet.as_manager()

    class Meta:
        ordering = ("name_key",)
        constraints = [
            models.UniqueConstraint(
                fields=["name_key"],
                condition=Q(confirmed_at__isnull=False),
                name="guestname_confirmed_unique",
            ),
            # One pending offer per (name, address): the offer email goes out once.
            models.UniqueConstraint(
                "name_key",
                Lower("email"),
                condition=Q(confirmed_at__isnull=True),
                name="guestname_offer_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (guest)"


class PostSubscription(models.Model):
    """A reader follows all new comments on one post, without having to comment."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="subscriptions", help_text="The reader."
    )
    post = models.ForeignKey(
        "blog.Post", on_delete=models.CASCADE, related_name="subscriptions", help_text="The post."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="subscription_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.post}"


class NotificationQuerySet(models.QuerySet):
    def unsent(self):
        """Notifications not yet emailed (waiting for a digest, or a retry)."""
        return self.filter(sent_at__isnull=True)


class Notification(models.Model):
    """One comment a reader should hear about; emailed at once or in the daily digest."""

    class Reason(models.TextChoices):
        REPLY = "reply", "Reply to your comment"
        SUBSCRIPTION = "subscription", "New comment on a post you follow"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", help_text="Who is told."
    )
    comment = models.ForeignKey(
        "comments.Comment",
        on_delete=models.CASCADE,
        related_name="notifications",
        help_text="The new comment.",
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was emailed; empty while waiting."
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ("created_at",)
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="notification_unique"),
            models.CheckConstraint(
                condition=Q(reason__in=["reply", "subscription"]), name="notification_reason_valid"
            ),
        ]
        indexes = [
            # send_notifications: WHERE sent_at IS NULL, per user.
            models.Index(
                fields=["user", "created_at"],
                condition=Q(sent_at__isnull=True),
                name="notification_unsent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} for {self.user}"
