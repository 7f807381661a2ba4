"""Cutting an MT export's lines into raw entries: header lines and named sections.

A line that belongs to no entry or section becomes a `SourceProblem`; a missing
`-----` before a section or a missing `--------` before the next header is tolerated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from imports.encoding import TextLines
from imports.records import SourceProblem

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
_KEY_LINE = re.compile(r"([A-Z][A-Z0-9 _-]*?):(.*)")


@dataclass(slots=True)
class Section:
    """A named section's lines as written, from the line after its `NAME:` key."""

    name: str
    line: int
    lines: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RawEntry:
    """One entry's header lines (key, value, line) and sections, not yet interpreted."""

    line: int
    header: list[tuple[str, str, int]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    repairs: dict[str, int] = field(default_factory=dict)


class Splitter:
    """Cuts the line stream into raw entries; lines that fit nowhere become problems."""

    def __init__(self, lines: TextLines):
        self.lines = lines
        self.entry: RawEntry | None = None
        self.section: Section | None = None
        self.in_header = True
        self.garbage: tuple[int, int] | None = None
        self.counts = (0, 0)

    def __iter__(self) -> Iterator[RawEntry | SourceProblem]:
        for number, line in enumerate(self.lines, start=1):
            yield from self._feed(number, line)
        if self.section is not None:
            self._close_section()
        yield from self._flush_garbage()
        yield from self._finish_entry()

    def _feed(self, number: int, line: str) -> Iterator[RawEntry | SourceProblem]:
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
        key, value = split_key(bare)
        if key in SECTIONS and self.entry is not None and (not value or not self.in_header):
            # A section key right after the header means a missing "-----"; accept it.
            yield from self._flush_garbage()
            self.section = Section(key, number, [value] if value else [])
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

    def _entry(self, number: int) -> RawEntry:
        if self.entry is None:
            self.entry = RawEntry(number)
            self.counts = (self.lines.recoded_lines, self.lines.replaced_lines)
        return self.entry

    def _close_section(self) -> None:
        self.entry.sections.append(self.section)
        self.section = None

    def _finish_entry(self) -> Iterator[RawEntry]:
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


def split_key(line: str) -> tuple[str, str]:
    """("KEY", "value") for a `KEY: value` line, ("", "") for any other line."""
    match = _KEY_LINE.fullmatch(line)
    if match is None:
        return "", ""
    return match.group(1), match.group(2).removeprefix(" ")
