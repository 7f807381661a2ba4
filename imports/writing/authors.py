"""Who wrote the posts (staff users, found, mapped or created) and which commenters have
accounts."""

from __future__ import annotations

import csv
from pathlib import Path

from django.contrib.auth.models import Group
from django.db.models import Q
from django.db.models.functions import Lower

from accounts.models import User
from accounts.names import canonical_name
from blog.models import Category, Tag
from imports.convert import slug_base, without_nul

AUTHORS_GROUP = "Authors"
UNKNOWN_AUTHOR = "Unknown author"


class AuthorMapError(ValueError):
    """The --authors CSV can't be used; the message says why."""


class AuthorMap:
    """Who wrote the posts (staff users, created or mapped) and which commenters have accounts.

    `mapping` (from --authors map.csv) sends a source author, by email or by name
    (any case), to an existing username. Authors it does not name are found by
    email, then by display name, then by username, and otherwise created as staff
    in the Authors group (listed in `created`).
    """

    def __init__(self, mapping: dict[str, str] | None = None) -> None:
        self.mapping = {key.casefold(): username for key, username in (mapping or {}).items()}
        self.created: list[str] = []
        self._authors: dict[tuple[str, str], User] = {}
        self._commenters: dict[str, int | None] = {}
        # Categories and tags met earlier in the run, by slug (one lookup each per run).
        self.categories: dict[str, Category] = {}
        self.tags: dict[str, Tag] = {}

    @classmethod
    def from_csv(cls, path: Path) -> AuthorMap:
        """Read `name,email,username` columns (name or email may be empty)."""
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise AuthorMapError(f"Can't read the authors map {path}: {error}") from error
        if not rows or "username" not in rows[0] or not {"name", "email"} & set(rows[0]):
            raise AuthorMapError(
                f"The authors map {path} needs a header with `username` and `name` and/or "
                "`email` columns, and at least one row."
            )
        mapping = {}
        for line, row in enumerate(rows, start=2):
            username = (row.get("username") or "").strip()
            keys = [(row.get(column) or "").strip() for column in ("name", "email")]
            if not username or not any(keys):
                raise AuthorMapError(f"{path}, line {line}: give a username and a name or email.")
            for key in keys:
                if key:
                    mapping[key] = username
        known = set(
            User.objects.filter(username__in=set(mapping.values())).values_list(
                "username", flat=True
            )
        )
        unknown = sorted(set(mapping.values()) - known)
        if unknown:
            raise AuthorMapError(
                f"The authors map {path} names users that don't exist: {', '.join(unknown)}."
            )
        return cls(mapping)

    def forget(self) -> None:
        """Drop what was looked up: a rolled-back post may have created some of it."""
        self._authors.clear()
        self._commenters.clear()
        self.categories.clear()
        self.tags.clear()

    def author_for(self, name: str, email: str) -> User:
        """The staff user who wrote a post under `name` / `email` in the source."""
        name = " ".join(without_nul(name).split()) or UNKNOWN_AUTHOR
        email = without_nul(email).strip()
        key = (name.casefold(), email.casefold())
        if key not in self._authors:
            self._authors[key] = self._find_or_create(name, email)
        return self._authors[key]

    def _find_or_create(self, name: str, email: str) -> User:
        mapped = self.mapping.get(email.casefold()) or self.mapping.get(name.casefold())
        if mapped:
            return User.objects.get(username=mapped)
        base = slug_base(name, max_length=140)
        staff = User.objects.filter(is_staff=True)
        found = (
            (email and User.objects.filter(email__iexact=email).first())
            or staff.filter(name_key=canonical_name(name)).first()
            or staff.filter(username=base).first()
        )
        if found:
            return found
        # A reader may already use this name: the new author then shows its username.
        name_is_free = not User.objects.filter(name_key=canonical_name(name[:60])).exists()
        user = User(
            username=_free_username(base),
            display_name=name[:60] if name_is_free else "",
            email=email,
            is_staff=True,
        )
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=AUTHORS_GROUP))
        self.created.append(f"{name} <{email}>" if email else name)
        return user

    def commenters(self, emails: set[str]) -> dict[str, int | None]:
        """Registered, confirmed, active accounts by lower-cased email, for linking comments."""
        wanted = {email.lower() for email in emails if email} - set(self._commenters)
        if wanted:
            found = dict(
                User.objects.confirmed()
                .filter(is_active=True)
                .annotate(email_key=Lower("email"))
                .filter(email_key__in=wanted)
                .values_list("email_key", "pk")
            )
            self._commenters.update({email: found.get(email) for email in wanted})
        return self._commenters


def _free_username(base: str) -> str:
    """`base`, else base-2, base-3…: a username no account uses, as a name either."""
    suffix = 1
    candidate = base
    while User.objects.filter(
        Q(username__iexact=candidate) | Q(name_key=canonical_name(candidate))
    ).exists():
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate
