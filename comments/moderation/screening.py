"""Screening a new comment from the site's form: floods, duplicates and pre-moderation.

No captcha. Refusals raise (`RateLimited`, or a `ValidationError` for a
duplicate); holds are a reason the comment waits as pending for a moderator:

- a guest's first comment (no published comment under that email yet),
- a guest's form sent back faster than a person writes (signed form stamp),
- more than `COMMENTS_MAX_LINKS` links,
- a match on the moderators' block list (words, emails, domains, IP addresses).

Trusted commenters (see `permissions.is_trusted`) skip holds and rate limits;
trust is only looked up when a rule matched, so ordinary posting costs no query.
Counters live in Django's cache (Redis in production), so every app server
counts against the same limits. Nothing here writes to the database.
"""

import ipaddress
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError

from blog.counters import Limit, limits_take
from comments.models import BlockedTerm
from comments.moderation.permissions import is_trusted

BLOCK_LIST_KEY = "comments:block-list"
STAMP_SALT = "comments.form-stamp"
_LINK_RE = re.compile(r'<a href="(?:https?|ftp)://([^/"?#:]+)', re.IGNORECASE)


@dataclass(frozen=True)
class Screening:
    """What the site's comment form adds to a submission (imports and scripts have none)."""

    form_age: float | None = None  # seconds since the form was served; None: no valid stamp


class RateLimited(Exception):  # noqa: N818 - reads better at the raise and except sites
    """Too many comments from one account or address; `retry_after` is in seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


# ─── Rate limits ─────────────────────────────────────────────────────────────

_WINDOWS = (("minute", 60), ("hour", 3600))


def _limit(scope: str, window: str) -> int:
    return getattr(settings, f"COMMENTS_RATE_{scope.upper()}_PER_{window.upper()}")


def rate_limit_check(*, author, ip_address: str | None) -> None:
    """Count one comment against the per-account and per-IP limits; refuse past one of them.

    Each limit is a sliding window (see `blog.counters.limits_take`): at most N
    comments in any minute or hour, however the sends fall around a clock minute.
    A refused send is not counted.
    """
    who = [("account", author.pk)] if author is not None else []
    if ip_address:
        who.append(("ip", ip_address))
    limits = {
        Limit(f"comments:rate:{scope}:{ident}:{seconds}", limit, seconds): (scope, window)
        for scope, ident in who
        for window, seconds in _WINDOWS
        if (limit := _limit(scope, window))
    }
    reached = limits_take(list(limits))
    if reached is None or (author is not None and is_trusted(author)):
        return
    scope, window = limits[reached.limit]
    source = "from your account" if scope == "account" else "from your network address"
    raise RateLimited(
        f"This site takes at most {reached.limit.count} comments per {window} {source}, and "
        f"that limit is reached. Please wait {_duration(reached.retry_after)} and send your "
        "comment again.",
        retry_after=reached.retry_after,
    )


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minutes"


# ─── Duplicates ──────────────────────────────────────────────────────────────


def duplicate_minutes() -> int:
    return settings.COMMENTS_DUPLICATE_MINUTES


def duplicate_refusal() -> ValidationError:
    minutes = duplicate_minutes()
    return ValidationError(
        f"You posted this same comment less than {minutes} minutes ago; it was not posted twice.",
        code="duplicate",
    )


# ─── Form stamps ─────────────────────────────────────────────────────────────


def form_stamp() -> str:
    """A signed "form served now" value for the comment form's hidden `stamp` field."""
    return signing.Signer(salt=STAMP_SALT).sign(str(int(time.time() * 1000)))


def form_age(stamp: str | None) -> float | None:
    """Seconds since `stamp` was made by form_stamp(); None when missing or forged."""
    if not stamp:
        return None
    try:
        made = int(signing.Signer(salt=STAMP_SALT).unsign(stamp))
    except (signing.BadSignature, ValueError):
        return None
    return time.time() - made / 1000


def min_form_seconds() -> float:
    return settings.COMMENTS_MIN_FORM_SECONDS


# ─── The block list ──────────────────────────────────────────────────────────


@dataclass(frozen=True)
class BlockList:
    """The moderators' block list, in the shapes matching needs."""

    words: tuple[str, ...] = ()
    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    networks: tuple[str, ...] = ()

    @classmethod
    def from_terms(cls, terms: Iterable[tuple[str, str]]) -> "BlockList":
        kinds: dict[str, list[str]] = {kind: [] for kind in BlockedTerm.Kind.values}
        for kind, value in terms:
            kinds.setdefault(kind, []).append(value.lower())
        return cls(
            words=tuple(sorted(kinds["word"])),
            emails=frozenset(kinds["email"]),
            domains=frozenset(kinds["domain"]),
            networks=tuple(kinds["ip"]),
        )

    def match(self, *, body: str, body_html: str, email: str, ip_address: str | None) -> str:
        """The first entry the comment matches, described for moderators; "" for none."""
        if self.words:
            found = _words_pattern(self.words).search(body)
            if found:
                return f"the word “{found.group(0)}”"
        email = (email or "").lower()
        if email and email in self.emails:
            return f"the email address {email}"
        if self.domains:
            hosts = {host.lower().rstrip(".") for host in _LINK_RE.findall(body_html)}
            if "@" in email:
                hosts.add(email.rpartition("@")[2])
            for host in sorted(hosts):
                if any(host == d or host.endswith("." + d) for d in self.domains):
                    return f"the domain {host}"
        if self.networks and ip_address:
            try:
                address = ipaddress.ip_address(ip_address)
            except ValueError:
                return ""
            for network in self.networks:
                if address in ipaddress.ip_network(network, strict=False):
                    return f"the address {ip_address}"
        return ""


@lru_cache(maxsize=8)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern:
    # Whole words in any case; a phrase matches whatever whitespace separates its words.
    alternatives = "|".join(r"\s+".join(map(re.escape, word.split())) for word in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def block_list() -> BlockList:
    """The current block list, from the cache (one query after each change)."""
    found = cache.get(BLOCK_LIST_KEY)
    if found is None:
        found = BlockList.from_terms(BlockedTerm.objects.values_list("kind", "value"))
        cache.set(BLOCK_LIST_KEY, found, 24 * 3600)
    return found


def block_list_changed() -> None:
    """Forget the cached block list after moderators edited it."""
    cache.delete(BLOCK_LIST_KEY)


# ─── Holding for review ──────────────────────────────────────────────────────


def max_links() -> int:
    return settings.COMMENTS_MAX_LINKS


def hold_reason(
    *,
    body: str,
    body_html: str,
    author,
    guest_email: str,
    ip_address: str | None,
    screening: Screening,
    guest_has_published: bool,
) -> str:
    """Why a new comment must wait for a moderator ("" when it may go up at once)."""
    reason = _first_hold_rule(
        body=body,
        body_html=body_html,
        author=author,
        guest_email=guest_email,
        ip_address=ip_address,
        screening=screening,
        guest_has_published=guest_has_published,
    )
    if reason and author is not None and is_trusted(author):
        return ""
    return reason


def _first_hold_rule(
    *, body, body_html, author, guest_email, ip_address, screening, guest_has_published
) -> str:
    if author is None:
        if settings.COMMENTS_HOLD_FIRST_GUEST_COMMENT and not guest_has_published:
            return "Held for review: the first comment from this guest."
        too_fast = screening.form_age is None or screening.form_age < min_form_seconds()
        if min_form_seconds() > 0 and too_fast:
            return "Held for review: the form was sent back faster than a person writes."
    links = len(_LINK_RE.findall(body_html))
    if links > max_links():
        return f"Held for review: {links} links (more than {max_links()})."
    email = guest_email if author is None else getattr(author, "email", "")
    matched = block_list().match(body=body, body_html=body_html, email=email, ip_address=ip_address)
    if matched:
        return f"Held for review: matches the block list ({matched})."
    return ""
