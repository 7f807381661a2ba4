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

import mmap
import os
import re
from collections.abc import Iterator
from datetime import tzinfo
from pathlib import Path

from imports.encoding import open_lines
from imports.formats.movabletype.entries import (
    BOOLEAN_COMMENTS_MODES,
    THREE_STATE_COMMENTS_MODES,
    build_post,
    make_aware,
    parse_date,
)
from imports.formats.movabletype.splitting import Splitter
from imports.records import CommentsMode, SourcePost, SourceProblem

__all__ = ["comments_modes", "make_aware", "parse_date", "read", "sniff"]

_SNIFF_KEY = re.compile(rb"^(AUTHOR|TITLE|DATE|BASENAME|STATUS|BODY):", re.MULTILINE)
_SNIFF_SEPARATOR = re.compile(rb"^-{5}(?:-{3})?[ \t]*\r?$", re.MULTILINE)
# ALLOW COMMENTS lines with a 2 and with a 0 (see comments_modes).
_ALLOW_COMMENTS_2 = re.compile(rb"^ALLOW COMMENTS:[ \t]*2[ \t]*\r?$", re.MULTILINE)
_ALLOW_COMMENTS_0 = re.compile(rb"^ALLOW COMMENTS:[ \t]*0[ \t]*\r?$", re.MULTILINE)


def sniff(head: bytes) -> bool:
    """An MT export: `AUTHOR:`/`TITLE:`/`DATE:`-style lines and a `-----` separator."""
    keys = {match.group(1) for match in _SNIFF_KEY.finditer(head)}
    return len(keys) >= 2 and _SNIFF_SEPARATOR.search(head) is not None


def read(path: Path, *, encoding: str = "auto", tz: tzinfo) -> Iterator[SourcePost | SourceProblem]:
    """The export's entries in file order, each with its comments and pings oldest first."""
    modes, note = comments_modes(path)
    if note is not None:
        yield note
    with open_lines(path, encoding) as lines:
        for item in Splitter(lines):
            if isinstance(item, SourceProblem):
                yield item
            else:
                yield from build_post(item, tz, modes)


def comments_modes(path: Path) -> tuple[dict[str, CommentsMode], SourceProblem | None]:
    """How the file's ALLOW COMMENTS values read: three states when it writes a 2 (Movable
    Type before 3.2), else yes/no. With a note for the report when a 0 then hides comments."""
    with open(path, "rb") as handle:
        if not os.fstat(handle.fileno()).st_size:
            return BOOLEAN_COMMENTS_MODES, None
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            two = _ALLOW_COMMENTS_2.search(data)
            zero = _ALLOW_COMMENTS_0.search(data) if two else None
            lines = [data[: match.start()].count(b"\n") + 1 for match in (two, zero) if match]
    if two is None:
        return BOOLEAN_COMMENTS_MODES, None
    if zero is None:
        return THREE_STATE_COMMENTS_MODES, None
    return THREE_STATE_COMMENTS_MODES, SourceProblem(
        lines[0],
        "This export writes ALLOW COMMENTS: 2 for closed posts, as Movable Type did before "
        f"3.2; in it ALLOW COMMENTS: 0 (first at line {lines[1]}) means comments were turned "
        "off: those posts' comments are imported hidden (restore them in admin to show them).",
        what="note",
    )
