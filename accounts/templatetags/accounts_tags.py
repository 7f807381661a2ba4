"""{% avatar user 96 %}, {% role_badges user %} and `|duration` for account pages."""

from datetime import timedelta

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from accounts import avatars, badges

register = template.Library()


def avatar_url(user, size: int) -> str:
    """The account's picture at `size` px, else its generated identicon."""
    urls = user.avatar_urls
    if urls:
        fitting = min((s for s in urls if s >= size), default=max(urls))
        return urls[fitting]
    size = min((s for s in avatars.SIZES if s >= size), default=max(avatars.SIZES))
    return reverse("accounts:avatar-generated", kwargs={"username": user.username, "size": size})


@register.simple_tag
def avatar(user, size: int = 96):
    return format_html(
        '<img class="avatar" src="{}" width="{}" height="{}" alt="" loading="lazy">',
        avatar_url(user, size),
        size,
        size,
    )


@register.simple_tag
def role_badges(user):
    # Built from escaped parts (accounts.badges).
    return mark_safe(badges.role_badges_html(badges.roles_of(user)))  # noqa: S308


_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


@register.filter
def duration(length: timedelta) -> str:
    """A length of time as people say it: "15 minutes", "1 hour and 30 minutes"."""
    seconds = int(length.total_seconds()) if length else 0
    parts = []
    for unit, size in _UNITS:
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count} {unit}{'' if count == 1 else 's'}")
    if not parts:
        return "a moment"
    return " and ".join(parts[:2])
