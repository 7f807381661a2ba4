"""{% avatar user 96 %} and {% role_badges user %} for account pages."""

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
