"""Who wrote a comment, at a glance: the marks shown next to an author's name.

Marks flag the exceptions, not the rule (issue 11): a registered reader's name
simply links to their profile; only guests and staff are marked.

- A guest's name carries "guest" and a small coloured glyph derived from a keyed
  hash of the guest's email, so two guests who both type "Steve" look different
  (the email itself never reaches the page and can't be recovered from the mark).
- Staff in the Authors or Moderators group get a role badge.

The markup is in templates/comments/_comment_author.jinja, beside the card that
shows it; the functions here decide which mark an author gets, escape the values
and return the macros' HTML (the card calls them once per author and render).
"""

from collections.abc import Iterable
from html import escape

from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Case, OuterRef, Q, When
from django.template import engines
from django.urls import reverse
from django.utils.crypto import salted_hmac

from accounts.models import User

ROLE_GROUPS = {"Moderators": "moderator", "Authors": "author"}
ROLE_ORDER = ("moderator", "author", "staff")
# Twelve colours (static/accounts/accounts.css) × eight glyphs: 96 looks.
GUEST_COLOURS = 12
GUEST_GLYPHS = ("●", "▲", "■", "◆", "★", "✚", "⬟", "⬢")


def author_roles(user_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """{user id: role names} for the staff among `user_ids`, in one query."""
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return {}
    rows = (
        User.objects.filter(pk__in=ids, is_staff=True, is_active=True)
        .annotate(staff_groups=staff_groups())
        .values_list("pk", "is_superuser", "staff_groups")
    )
    found = {pk: roles_from(is_superuser, groups) for pk, is_superuser, groups in rows}
    return {pk: roles for pk, roles in found.items() if roles}


def staff_groups(user: str = "") -> Case:
    """The names of the groups of the user at relation `user` ("" for a User queryset
    itself) when they are active staff, else NULL: with `is_superuser`, all `roles_from`
    needs. Querysets that fetch users with other rows (a thread's authors) annotate it,
    so their authors' roles cost no query of their own."""
    prefix = f"{user}__" if user else ""
    active_staff = Q(**{f"{prefix}is_staff": True, f"{prefix}is_active": True})
    names = Group.objects.filter(user=OuterRef(user or "pk")).order_by().values("name")
    return Case(When(active_staff, then=ArraySubquery(names)), default=None)


def roles_from(is_superuser: bool, groups: list[str] | None) -> tuple[str, ...]:
    """Role names of active staff from their groups (None: not active staff). A superuser
    outside the role groups is "staff"."""
    if groups is None:
        return ()
    roles = set()
    for group in groups or (None,):
        if group in ROLE_GROUPS:
            roles.add(ROLE_GROUPS[group])
        elif is_superuser:
            roles.add("staff")
    return tuple(role for role in ROLE_ORDER if role in roles)


def roles_of(user) -> tuple[str, ...]:
    """Role names of one account (for its profile page)."""
    if not (user.is_staff and user.is_active):
        return ()
    return author_roles([user.pk]).get(user.pk, ())


def profile_url_prefix() -> str:
    """The profile address up to the username, reversed once per page render."""
    url = reverse("accounts:profile", kwargs={"username": "0"})
    return url[: url.rindex("0/")]


def author_markup():
    """The macros of templates/comments/_comment_author.jinja (compiled once by Jinja).

    A page of many authors fetches them once and passes them as `markup=` below.
    """
    return engines["cards"].get_template("comments/_comment_author.jinja").template.module


def role_badges_html(roles: Iterable[str], *, markup=None) -> str:
    """One badge per staff role ("moderator", "author", "staff")."""
    return (markup or author_markup()).role_badges([escape(role) for role in roles])


def registered_author_html(
    *,
    username: str,
    display_name: str,
    roles: Iterable[str] = (),
    prefix: str | None = None,
    markup=None,
) -> str:
    """A registered author's name linking to the profile, then any role badges."""
    prefix = profile_url_prefix() if prefix is None else prefix
    return (markup or author_markup()).registered(
        escape(f"{prefix}{username}/"),
        escape(display_name or username),
        [escape(role) for role in roles],
    )


def guest_mark(email: str) -> tuple[int, str]:
    """(colour number 0–11, glyph) derived from a keyed hash of the guest's email."""
    digest = salted_hmac("accounts.guest-mark", (email or "").strip().lower()).digest()
    return digest[0] % GUEST_COLOURS, GUEST_GLYPHS[digest[1] % len(GUEST_GLYPHS)]


def guest_author_html(*, name: str, email: str, markup=None) -> str:
    """A guest's name, the "guest" mark and the glyph that tells same-named guests apart."""
    markup = markup or author_markup()
    if not name:
        return markup.deleted()
    colour, glyph = guest_mark(email)
    return markup.guest(escape(name), colour, glyph)


def comment_author_html(
    *,
    author_id: int | None,
    username: str = "",
    display_name: str = "",
    guest_name: str = "",
    guest_email: str = "",
    roles: Iterable[str] = (),
    prefix: str | None = None,
    markup=None,
) -> str:
    """The whole name part of a comment's heading, for any kind of author."""
    if author_id is not None:
        return registered_author_html(
            username=username,
            display_name=display_name,
            roles=roles,
            prefix=prefix,
            markup=markup,
        )
    return guest_author_html(name=guest_name, email=guest_email, markup=markup)
