"""Turning a raw MT entry into a `SourcePost` with its comments and pings, or problems."""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterator
from datetime import datetime, tzinfo
from urllib.parse import unquote

from imports.encoding import repair_post
from imports.formats.movabletype.splitting import SECTIONS, RawEntry, Section, split_key
from imports.records import (
    CommentKind,
    CommentsMode,
    CommentStatus,
    PostStatus,
    SourceComment,
    SourcePost,
    SourceProblem,
)

# Written by our own export on comments and pings: exact numbers, parents and statuses.
RIPOSTE_KEYS = frozenset({"X-RIPOSTE-NUMBER", "X-RIPOSTE-PARENT", "X-RIPOSTE-STATUS"})
COMMENT_KEYS = frozenset({"AUTHOR", "EMAIL", "URL", "IP", "DATE"}) | RIPOSTE_KEYS
PING_KEYS = frozenset({"TITLE", "URL", "IP", "BLOG NAME", "DATE"}) | RIPOSTE_KEYS

STATUSES = {
    "publish": PostStatus.PUBLISHED,
    "draft": PostStatus.DRAFT,
    "future": PostStatus.SCHEDULED,
    "review": PostStatus.DRAFT,
}
COMMENT_STATUSES = {status.value: status for status in CommentStatus}
# ALLOW COMMENTS has meant two things. Movable Type before 3.2 had three states: 0 none
# (no comment section), 1 open, 2 closed (comments shown, no new ones). MT 3.2 turned every
# 2 into 0 and the field into a yes/no, so in later exports (Typepad's) 0 is closed, with
# the comments still shown. A file that writes a 2 uses the old scheme.
BOOLEAN_COMMENTS_MODES = {"0": CommentsMode.CLOSED, "1": CommentsMode.OPEN}
THREE_STATE_COMMENTS_MODES = {
    "0": CommentsMode.OFF,
    "1": CommentsMode.OPEN,
    "2": CommentsMode.CLOSED,
}
# MT applies the blog's default text filter when an entry names none.
DEFAULT_CONVERT_BREAKS = "__default__"
DATE_FORMAT_HINT = "MM/DD/YYYY hh:mm:ss AM"

_MT_DATE = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\s*([AaPp])\.?[Mm]\.?)?"
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?")


def build_post(
    raw: RawEntry, tz: tzinfo, comments_modes: dict[str, CommentsMode] = BOOLEAN_COMMENTS_MODES
) -> Iterator[SourcePost | SourceProblem]:
    """The entry as a SourcePost, or a problem saying why it was skipped. `comments_modes`
    reads ALLOW COMMENTS (the file's scheme: see THREE_STATE_COMMENTS_MODES)."""
    header: dict[str, tuple[str, int]] = {}
    sections: dict[str, str] = {}
    categories: list[str] = []
    tags: list[str] = []
    for key, value, number in raw.header:
        if key == "CATEGORY":
            categories.append(value)
        elif key in ("TAGS", "KEYWORDS"):
            tags.extend(_split_tags(value))
        elif key in SECTIONS:
            sections[key] = value  # a one-line section written inside the header
        else:
            header[key] = (value, number)
    title = header.get("TITLE", ("", 0))[0]
    named = f"entry “{title}”" if title else "untitled entry"
    comments: list[SourceComment] = []
    problems: list[SourceProblem] = []
    for section in raw.sections:
        if section.name == "COMMENT":
            _collect(_build_comment(section, tz, named), comments, problems)
        elif section.name == "PING":
            _collect(_build_ping(section, tz, named), comments, problems)
        elif section.name == "KEYWORDS":
            for line in section.lines:
                tags.extend(_split_tags(line))
        else:
            sections[section.name] = "\n".join(section.lines)

    is_comments_only = header.get("NO ENTRY", ("0", 0))[0] not in ("", "0")
    skipped = f"; it was skipped with its {len(comments)} comments" if comments else "; skipped"
    date_value, date_line = header.get("DATE", ("", raw.line))
    if not date_value:
        yield SourceProblem(
            raw.line, f"The {named} has no DATE line (expected DATE: {DATE_FORMAT_HINT}){skipped}."
        )
        return
    try:
        local = parse_date(date_value)
    except ValueError as error:
        yield SourceProblem(date_line, f"The {named} has {error}{skipped}.")
        return
    if not is_comments_only and not title and "BODY" not in sections:
        yield SourceProblem(raw.line, f"This entry has neither TITLE nor BODY{skipped}.")
        return

    status_value, status_line = header.get("STATUS", ("Publish", 0))
    status = STATUSES.get(status_value.lower())
    if status is None:
        status = PostStatus.DRAFT
        problems.append(
            SourceProblem(
                status_line,
                f"The {named} has STATUS “{status_value}” (expected Publish, Draft or Future); "
                "it was imported as a draft.",
                what="field",
            )
        )
    body = sections.get("BODY", "")
    if sections.get("EXTENDED BODY", "").strip():
        body = f"{body}\n\n{sections['EXTENDED BODY']}" if body else sections["EXTENDED BODY"]
    basename = header.get("BASENAME", ("", 0))[0]
    old_url = header.get("UNIQUE URL", ("", 0))[0]
    primary = header.get("PRIMARY CATEGORY", ("", 0))[0]
    if primary:
        categories.insert(0, primary)
    comments.sort(key=lambda comment: comment.created_at)
    post = SourcePost(
        title=title,
        published_at=make_aware(local, tz),
        body_html=body,
        excerpt=sections.get("EXCERPT", ""),
        author_name=header.get("AUTHOR", ("", 0))[0],
        author_email=header.get("AUTHOR EMAIL", ("", 0))[0],
        basename=basename,
        status=status,
        comments_mode=comments_modes.get(
            header.get("ALLOW COMMENTS", ("1", 0))[0].strip(), CommentsMode.OPEN
        ),
        convert_breaks=header.get("CONVERT BREAKS", (DEFAULT_CONVERT_BREAKS, 0))[0],
        primary_category=primary,
        categories=_unique(categories),
        tags=_unique(tags),
        old_url=old_url,
        source_id=unquote(old_url) if old_url else f"mt:{local.isoformat()}:{basename}",
        is_comments_only=is_comments_only,
        comments=comments,
        line=raw.line,
        repairs=raw.repairs,
    )
    repair_post(post)
    yield from problems
    yield post


def _build_comment(section: Section, tz: tzinfo, entry: str) -> SourceComment | SourceProblem:
    keys, body = _leading_keys(section.lines, COMMENT_KEYS)
    author = keys.get("AUTHOR", "")
    who = f"The comment by “{author}”" if author else "The comment"
    try:
        created_at = make_aware(parse_date(keys.get("DATE", "")), tz)
    except ValueError as error:
        return SourceProblem(
            section.line, f"{who} on the {entry} has {error}; skipped.", what="comment"
        )
    comment = SourceComment(
        author_name=author,
        created_at=created_at,
        body_html=body,
        author_email=keys.get("EMAIL", ""),
        author_url=keys.get("URL", ""),
        ip_address=keys.get("IP", ""),
        line=section.line,
    )
    _apply_riposte_keys(comment, keys)
    return comment


def _build_ping(section: Section, tz: tzinfo, entry: str) -> SourceComment | SourceProblem:
    keys, excerpt = _leading_keys(section.lines, PING_KEYS)
    blog = keys.get("BLOG NAME", "")
    try:
        created_at = make_aware(parse_date(keys.get("DATE", "")), tz)
    except ValueError as error:
        return SourceProblem(
            section.line,
            f"The trackback from “{blog}” on the {entry} has {error}; skipped.",
            what="ping",
        )
    title = keys.get("TITLE", "")
    body = f"<p><strong>{html.escape(title)}</strong></p>\n{excerpt}" if title else excerpt
    ping = SourceComment(
        author_name=blog,
        created_at=created_at,
        body_html=body,
        author_url=keys.get("URL", ""),
        ip_address=keys.get("IP", ""),
        kind=CommentKind.TRACKBACK,
        line=section.line,
    )
    _apply_riposte_keys(ping, keys)
    return ping


def _apply_riposte_keys(comment: SourceComment, keys: dict[str, str]) -> None:
    """Number, parent and status from our export's X-RIPOSTE-* keys, when given."""
    comment.number = _positive_int(keys.get("X-RIPOSTE-NUMBER", ""))
    comment.parent_number = _positive_int(keys.get("X-RIPOSTE-PARENT", ""))
    status = keys.get("X-RIPOSTE-STATUS", "").lower()
    if status in COMMENT_STATUSES:
        comment.status = COMMENT_STATUSES[status]
    elif status:
        # Our export wrote something we do not know: hold it for review rather than show it.
        comment.status = CommentStatus.PENDING


def _leading_keys(lines: list[str], allowed: frozenset[str]) -> tuple[dict[str, str], str]:
    """The section's leading `KEY: value` lines and the text after them, kept verbatim.

    The text starts at the first line that is not an allowed key, or that repeats one
    already given, so a comment whose first line reads "URL: …" keeps it.
    """
    keys: dict[str, str] = {}
    for index, line in enumerate(lines):
        key, value = split_key(line.rstrip())
        if key not in allowed or key in keys:
            return keys, "\n".join(lines[index:])
        keys[key] = value.strip()
    return keys, ""


def parse_date(value: str) -> datetime:
    """The naive local time of an MT DATE (MM/DD/YYYY hh:mm[:ss] [AM|PM]; 2-digit years)."""
    value = value.strip()
    if not value:
        raise ValueError(f"no DATE (expected {DATE_FORMAT_HINT})")
    if match := _MT_DATE.fullmatch(value):
        month, day, year, hour, minute, second, half = match.groups()
        year = int(year) + (0 if len(year) == 4 else 1900 if int(year) >= 70 else 2000)
        hour = int(hour)
        if half:
            if hour > 12:
                raise ValueError(f"DATE “{value}”, whose hour does not fit {half.upper()}M")
            hour = hour % 12 + (12 if half in "Pp" else 0)
    elif match := _ISO_DATE.fullmatch(value):
        year, month, day, hour, minute, second = match.groups()
    else:
        raise ValueError(f"DATE “{value}”, which is not a date (expected {DATE_FORMAT_HINT})")
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError as error:
        raise ValueError(f"DATE “{value}”, which is not a real time ({error})") from None


def make_aware(local: datetime, tz: tzinfo) -> datetime:
    """`local` as a time in the blog's zone (the earlier one when a DST change repeats it)."""
    localize = getattr(tz, "localize", None)  # pytz zones need it; zoneinfo does not
    return localize(local) if localize else local.replace(tzinfo=tz)


def _split_tags(value: str) -> list[str]:
    """Tags from `a, "new york", b`: comma-separated, quoted when they hold spaces or commas."""
    if not value.strip():
        return []
    row = next(csv.reader([value], skipinitialspace=True))
    return [tag.strip() for tag in row if tag.strip()]


def _unique(names: list[str]) -> list[str]:
    """Names in first-seen order without repeats (case-insensitive) or blanks."""
    seen: set[str] = set()
    kept = []
    for name in names:
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return kept


def _positive_int(value: str) -> int | None:
    return int(value) if value.strip().isdigit() and int(value) > 0 else None


def _collect(item, comments: list[SourceComment], problems: list[SourceProblem]) -> None:
    (problems if isinstance(item, SourceProblem) else comments).append(item)
