"""Reader for the Movable Type import format, which is what Typepad exports.

An entry is a header of `KEY: value` lines, then sections (`BODY:`, `EXTENDED BODY:`,
`EXCERPT:`, `KEYWORDS:`, `COMMENT:`, `PING:`) each closed by a `-----` line; the entry
is closed by `--------`. The file is read line by line and one entry is held at a time.
A record that cannot be used becomes a `SourceProblem` with its line and the reader
goes on; it never gives up on the rest of the file.

Our own export adds `X-RIPOSTE-NUMBER`, `X-RIPOSTE-PARENT` and `X-RIPOSTE-STATUS`
comment keys, so that a blog exported by Riposte comes back with its threads.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from urllib.parse import unquote

from imports.encoding import TextLines, open_lines, repair_text
from imports.records import (
    CommentKind,
    CommentsMode,
    CommentStatus,
    PostStatus,
    SourceComment,
    SourcePost,
    SourceProblem,
)

ENTRY_END = "--------"
SECTION_END = "-----"
SECTIONS = frozenset({"BODY", "EXTENDED BODY", "EXCERPT", "KEYWORDS", "COMMENT", "PING"})
HEADER_KEYS = frozenset(
    {
        "AUTHOR",
        "AUTHOR EMAIL",
        "TITLE",
        "BASENAME",
        "STATUS",
        "ALLOW COMMENTS",
        "ALLOW PINGS",
        "CONVERT BREAKS",
        "PRIMARY CATEGORY",
        "CATEGORY",
        "TAGS",
        "DATE",
        "UNIQUE URL",
        "NO ENTRY",
    }
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
COMMENTS_MODES = {"0": CommentsMode.OFF, "1": CommentsMode.OPEN, "2": CommentsMode.CLOSED}
# MT applies the blog's default text filter when an entry names none.
DEFAULT_CONVERT_BREAKS = "__default__"
DATE_FORMAT_HINT = "MM/DD/YYYY hh:mm:ss AM"

_KEY_LINE = re.compile(r"([A-Z][A-Z0-9 _-]*?):(.*)")
_MT_DATE = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\s*([AaPp])\.?[Mm]\.?)?"
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?")
_SNIFF_KEY = re.compile(rb"^(AUTHOR|TITLE|DATE|BASENAME|STATUS|BODY):", re.MULTILINE)
_SNIFF_SEPARATOR = re.compile(rb"^-{5}(?:-{3})?[ \t]*\r?$", re.MULTILINE)


def sniff(head: bytes) -> bool:
    """An MT export: `AUTHOR:`/`TITLE:`/`DATE:`-style lines and a `-----` separator."""
    keys = {match.group(1) for match in _SNIFF_KEY.finditer(head)}
    return len(keys) >= 2 and _SNIFF_SEPARATOR.search(head) is not None


def read(path: Path, *, encoding: str = "auto", tz: tzinfo) -> Iterator[SourcePost | SourceProblem]:
    """The export's entries in file order, each with its comments and pings oldest first."""
    with open_lines(path, encoding) as lines:
        for item in _raw_entries(lines):
            if isinstance(item, SourceProblem):
                yield item
            else:
                yield from _build_post(item, tz)


# ---------------------------------------------------------------- splitting into entries


@dataclass(slots=True)
class _Section:
    name: str
    line: int
    lines: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _RawEntry:
    line: int
    header: list[tuple[str, str, int]] = field(default_factory=list)
    sections: list[_Section] = field(default_factory=list)
    repairs: dict[str, int] = field(default_factory=dict)


class _Splitter:
    """Cuts the line stream into raw entries; lines that fit nowhere become problems."""

    def __init__(self, lines: TextLines):
        self.lines = lines
        self.entry: _RawEntry | None = None
        self.section: _Section | None = None
        self.in_header = True
        self.garbage: tuple[int, int] | None = None
        self.counts = (0, 0)

    def __iter__(self) -> Iterator[_RawEntry | SourceProblem]:
        for number, line in enumerate(self.lines, start=1):
            yield from self._feed(number, line)
        if self.section is not None:
            self._close_section()
        yield from self._flush_garbage()
        yield from self._finish_entry()

    def _feed(self, number: int, line: str) -> Iterator[_RawEntry | SourceProblem]:
        bare = line.rstrip()
        if self.section is not None:
            if bare in (SECTION_END, ENTRY_END):
                self._close_section()
                if bare == ENTRY_END:
                    yield from self._finish_entry()
            else:
                self.section.lines.append(line)
            return
        if bare == ENTRY_END:
            yield from self._flush_garbage()
            yield from self._finish_entry()
            return
        if bare == SECTION_END and self.entry is not None:
            yield from self._flush_garbage()
            self.in_header = False
            return
        if not bare.strip():
            return
        key, value = _split_key(bare)
        if key in SECTIONS and self.entry is not None and (not value or not self.in_header):
            # A section key right after the header means a missing "-----"; accept it.
            yield from self._flush_garbage()
            self.section = _Section(key, number, [value] if value else [])
            self.in_header = False
        elif key and self.in_header:
            yield from self._flush_garbage()
            self._entry(number).header.append((key, value.strip(), number))
        elif key in HEADER_KEYS:
            # A header after the sections: the previous entry lost its "--------".
            yield from self._flush_garbage()
            yield from self._finish_entry()
            self._entry(number).header.append((key, value.strip(), number))
        else:
            first = self.garbage[0] if self.garbage else number
            self.garbage = (first, number)

    def _entry(self, number: int) -> _RawEntry:
        if self.entry is None:
            self.entry = _RawEntry(number)
            self.counts = (self.lines.recoded_lines, self.lines.replaced_lines)
        return self.entry

    def _close_section(self) -> None:
        self.entry.sections.append(self.section)
        self.section = None

    def _finish_entry(self) -> Iterator[_RawEntry]:
        entry, self.entry, self.in_header = self.entry, None, True
        if entry is None:
            return
        recoded = self.lines.recoded_lines - self.counts[0]
        replaced = self.lines.replaced_lines - self.counts[1]
        if recoded:
            entry.repairs["recoded_lines"] = recoded
        if replaced:
            entry.repairs["undecodable_lines"] = replaced
        yield entry

    def _flush_garbage(self) -> Iterator[SourceProblem]:
        if self.garbage is None:
            return
        first, last = self.garbage
        self.garbage = None
        where = f"Line {first} is" if first == last else f"Lines {first}–{last} are"
        yield SourceProblem(
            line=first,
            message=f"{where} outside any entry or section (expected `KEY: value`, a section "
            "name such as BODY:, or a ----- / -------- separator); skipped.",
            what="text",
        )


def _raw_entries(lines: TextLines) -> Iterator[_RawEntry | SourceProblem]:
    return iter(_Splitter(lines))


def _split_key(line: str) -> tuple[str, str]:
    """("KEY", "value") for a `KEY: value` line, ("", "") for any other line."""
    match = _KEY_LINE.fullmatch(line)
    if match is None:
        return "", ""
    return match.group(1), match.group(2).removeprefix(" ")


# ---------------------------------------------------------------- building records


def _build_post(raw: _RawEntry, tz: tzinfo) -> Iterator[SourcePost | SourceProblem]:
    """The entry as a SourcePost, or a problem saying why it was skipped."""
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
        comments_mode=COMMENTS_MODES.get(
            header.get("ALLOW COMMENTS", ("1", 0))[0], CommentsMode.OPEN
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
    _repair(post)
    yield from problems
    yield post


def _build_comment(section: _Section, tz: tzinfo, entry: str) -> SourceComment | SourceProblem:
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


def _build_ping(section: _Section, tz: tzinfo, entry: str) -> SourceComment | SourceProblem:
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
        key, value = _split_key(line.rstrip())
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


def _repair(post: SourcePost) -> None:
    """Undo mojibake in every text of the post, counting the texts changed."""
    changed = 0

    def fixed(text: str) -> str:
        nonlocal changed
        result = repair_text(text)
        changed += result != text
        return result

    post.title = fixed(post.title)
    post.body_html = fixed(post.body_html)
    post.excerpt = fixed(post.excerpt)
    post.author_name = fixed(post.author_name)
    post.categories = [fixed(name) for name in post.categories]
    if post.primary_category:
        post.primary_category = post.categories[0]  # the reader put it first
    post.tags = [fixed(name) for name in post.tags]
    for comment in post.comments:
        comment.author_name = fixed(comment.author_name)
        comment.body_html = fixed(comment.body_html)
    if changed:
        post.repairs["mojibake"] = changed
