"""The plain records a demo thread plan is made of, and the demo's commenters."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from blog.demo.comment_texts import people

IMPOSTOR_KEY = "impostor"


@dataclass(frozen=True)
class Person:
    """Someone who comments in the demo: a registered account or a guest."""

    key: str
    name: str
    email: str
    is_guest: bool
    weight: int
    style: str
    cites: str
    ip: str
    guest_email: str = ""  # for a reader who comments as a guest until registering


@dataclass(frozen=True)
class PlannedComment:
    """One comment to post: by `author` (a Person key), as a guest or as the account."""

    number: int
    author: str
    as_guest: bool
    name: str
    email: str
    parent: int | None
    depth: int
    body: str
    created_at: datetime
    ip: str
    kind: str


@dataclass(frozen=True)
class Recipe:
    """What a generated thread is made of and how long it runs."""

    total: int
    span: timedelta
    mix: dict
    openers: tuple
    replies: tuple
    rebuttals: tuple = ()
    comebacks: tuple = ()
    chains: tuple = ()
    set_pieces: tuple = ()
    # Claims for composed comments and links to append now and then.
    claims: tuple = ()
    links: tuple = ()


def demo_people(staff: dict[str, str]) -> dict[str, Person]:
    """Every demo commenter by key: readers by username, guests by name, staff by username."""
    found = {}
    for index, (username, name, weight, style, cites) in enumerate(people.READERS, start=1):
        found[username] = Person(
            key=username,
            name=name,
            email=f"{username}@example.org",
            is_guest=False,
            weight=weight,
            style=style,
            cites=cites,
            ip=f"198.51.100.{index}",
            guest_email=people.GUEST_UNTIL_REGISTERED.get(username, ""),
        )
    for index, (name, email, weight, style, cites) in enumerate(people.GUESTS, start=1):
        found[name] = Person(name, name, email, True, weight, style, cites, f"203.0.113.{index}")
    for index, (username, name) in enumerate(sorted(staff.items()), start=1):
        found[username] = Person(username, name, "", False, 0, "plain", "at", f"192.0.2.{index}")
    impostor_name, impostor_email = people.IMPOSTOR
    found[IMPOSTOR_KEY] = Person(
        IMPOSTOR_KEY, impostor_name, impostor_email, True, 0, "terse", "at", "203.0.113.250"
    )
    return found


def planned_comment(*, number, person, as_guest, parent, body, created_at, kind) -> PlannedComment:
    """A planned comment by `person`, under `parent` if any."""
    return PlannedComment(
        number=number,
        author=person.key,
        as_guest=as_guest,
        name=person.name,
        email=(person.guest_email or person.email) if as_guest else "",
        parent=parent.number if parent else None,
        depth=parent.depth + 1 if parent else 0,
        body=body,
        created_at=created_at,
        ip=person.ip,
        kind=kind,
    )


def fill_text(template: str, *, name: str, **values) -> str:
    """The text with its placeholders filled, without a doubled full stop after "Tomasz K."."""
    if name.endswith("."):
        template = template.replace("{name}.", "{name}")
    return template.format(name=name, **values)


def footer_time(moment: datetime) -> str:
    """A comment's time as the old platform's footers printed it: Oct 5, 2025 7:44:59 AM."""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    return f"{local:%b} {local.day}, {local.year} {hour}:{local:%M:%S %p}"
