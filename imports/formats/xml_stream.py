"""Streaming XML for the WXR and Disqus readers: safe parsing, bounded memory, dates.

Both formats are one huge document whose records are children of one container
(`<channel>`, `<disqus>`). `records()` yields each such child once it is complete and
frees it afterwards, so memory holds one record at a time whatever the file's size.
A file that declares a DTD is refused before any entity is looked at: neither
WordPress nor Disqus writes one, and a DTD is how entity-expansion bombs and
external-entity reads get in.

WordPress copies whatever bytes commenters pasted into its export, including
control characters XML forbids (form feeds, backspaces, vertical tabs…), and one
of them would stop a parser for the rest of the file. They are dropped on the way
in and counted, so the reader can say how many.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from django.utils import timezone
from lxml import etree

from imports.records import SourceProblem

# C0 control bytes other than tab, newline and carriage return: never allowed in XML 1.0.
FORBIDDEN_BYTES = bytes(set(range(0x20)) - {0x09, 0x0A, 0x0D})
WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")
CONTROL_CHARACTERS = "control_characters"


class XMLStopped(Exception):
    """The file cannot be read past this point; `problem` says where and why."""

    def __init__(self, problem: SourceProblem):
        super().__init__(problem.message)
        self.problem = problem


def records(
    path: Path, *, parent_tag: str, encoding: str = "auto", repairs: Counter | None = None
) -> Iterator[etree._Element]:
    """Each complete child of the `parent_tag` element, in file order, freed after use.

    Raises `XMLStopped` at the first malformed byte (XML cannot resync after one) or
    when the file declares a DTD; records yielded before that stay yielded. Control
    characters dropped on the way are counted in `repairs["control_characters"]`.
    """
    options = {
        "events": ("start", "end"),
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "huge_tree": True,
        "remove_comments": True,
        "remove_pis": True,
    }
    if encoding != "auto":
        options["encoding"] = encoding
    last_line = 0
    checked_dtd = False
    with open(path, "rb") as raw:
        handle = raw if _is_wide(raw, encoding) else _WithoutControlBytes(raw, repairs)
        context = etree.iterparse(handle, **options)
        try:
            for event, element in context:
                if not checked_dtd:
                    checked_dtd = True
                    if element.getroottree().docinfo.internalDTD is not None:
                        raise XMLStopped(
                            SourceProblem(
                                line=element.sourceline or 1,
                                message="The file declares a DTD (<!DOCTYPE … [ … ]>); exports "
                                "never do, and entity declarations can expand without bound. "
                                "Refused before reading any record.",
                                what="file",
                            )
                        )
                if event != "end":
                    continue
                parent = element.getparent()
                if parent is None or parent.tag != parent_tag:
                    continue
                last_line = element.sourceline or last_line
                yield element
                # Free the record and everything before it; the container stays small.
                element.clear(keep_tail=False)
                while element.getprevious() is not None:
                    del parent[0]
        except etree.XMLSyntaxError as error:
            line, why = error.lineno, error.msg
            last = context.error_log.last_error
            if not line and last is not None:
                # Some errors (an undefined entity) surface later as "no element found".
                line, why = last.line, last.message
            where = line or last_line
            why = " ".join(why.split())[:200]  # libxml2 may quote the broken text, newlines too
            at = f"line {where}" if line else f"somewhere after line {last_line}"
            raise XMLStopped(
                SourceProblem(
                    line=where,
                    message=f"The XML is malformed at {at} ({why}); XML cannot be read "
                    "past that point, so the rest of the file was not imported. "
                    "Everything before it was.",
                    what="file",
                )
            ) from error


class _WithoutControlBytes:
    """A binary file whose reads leave out the control bytes XML forbids, counting them."""

    def __init__(self, raw, repairs: Counter | None):
        self.raw = raw
        self.repairs = repairs if repairs is not None else Counter()

    def read(self, size: int = -1) -> bytes:
        while True:
            data = self.raw.read(size)
            kept = data.translate(None, FORBIDDEN_BYTES)
            if len(kept) != len(data):
                self.repairs[CONTROL_CHARACTERS] += len(data) - len(kept)
            # An empty read means the end of the file to the parser: never return one early.
            if kept or not data:
                return kept


def _is_wide(raw, encoding: str) -> bool:
    """UTF-16/32 files, where bytes below 0x20 are parts of characters, are read as they are."""
    head = raw.read(4)
    raw.seek(0)
    return head.startswith(WIDE_BOMS) or any(width in encoding for width in ("16", "32"))


def control_characters_notice(repairs: Counter) -> SourceProblem | None:
    """The report line saying how many forbidden control characters were dropped, if any."""
    count = repairs.get(CONTROL_CHARACTERS, 0)
    if not count:
        return None
    return SourceProblem(
        line=0,
        message=f"Left out {count} control character{'s' if count != 1 else ''} that XML "
        "forbids (pasted into posts or comments at some point); the text around them was kept.",
        what="note",
    )


def local_name(tag) -> str:
    """The tag without its namespace: `{http://wordpress.org/export/1.2/}status` → `status`."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(tag) -> str:
    """The namespace URI of a tag, "" when it has none."""
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1:].partition("}")[0]


def text_of(element) -> str:
    """The element's text content (CDATA included), "" when absent."""
    if element is None:
        return ""
    return "".join(element.itertext())


def parse_aware(value: str, *, formats: tuple[str, ...], tz: tzinfo) -> datetime | None:
    """`value` read with the first matching format (in `tz` unless it names a zone), in UTC."""
    value = value.strip()
    for pattern in formats:
        try:
            parsed = datetime.strptime(value, pattern)  # noqa: DTZ007 (zone added below)
        except ValueError:
            continue
        if parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
        return timezone.make_aware(parsed, tz).astimezone(UTC)
    return None
