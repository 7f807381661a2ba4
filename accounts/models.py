from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse


class User(AbstractUser):
    """A registered person: reader, author or moderator (roles are groups)."""

    display_name = models.CharField(
        max_length=60,
        blank=True,
        help_text="Name shown on posts and comments. Falls back to the username when blank.",
    )

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"

    def __str__(self) -> str:
        return self.public_name

    def get_absolute_url(self) -> str:
        return reverse("blog:author-detail", kwargs={"username": self.username})

    @property
    def public_name(self) -> str:
        """The name readers see: the display name, else the username."""
        return self.display_name or self.username
