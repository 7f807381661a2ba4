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

import re
from collections.abc import Iterator
from datetime import tzinfo
from pathlib import Path

from imports.encoding import open_lines
from imports.formats.movabletype.entries import build_post, make_aware, parse_date
from imports.formats.movabletype.splitting import Splitter
from imports.records import SourcePost, SourceProblem

__all__ = ["make_aware", "parse_date", "read", "sniff"]

_SNIFF_KEY = re.compile(rb"^(AUTHOR|TITLE|DATE|BASENAME|STATUS|BODY):", re.MULTILINE)
_SNIFF_SEPARATOR = re.compile(rb"^-{5}(?:-{3})?[ \t]*\r?$", re.MULTILINE)


def sniff(head: bytes) -> bool:
    """An MT export: `AUTHOR:`/`TITLE:`/`DATE:`-style lines and a `-----` separator."""
    keys = {match.group(1) for match in _SNIFF_KEY.finditer(head)}
    return len(keys) >= 2 and _SNIFF_SEPARATOR.search(head) is not None


def read(path: Path, *, encoding: str = "auto", tz: tzinfo) -> Iterator[SourcePost | SourceProblem]:
    """The export's entries in file order, each with its comments and pings oldest first."""
    with open_lines(path, encoding) as lines:
        for item in Splitter(lines):
            if isinstance(item, SourceProblem):
                yield item
            else:
                yield from build_post(item, tz)
