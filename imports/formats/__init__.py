"""Readers for each export format, and the sniffing that picks one.

Every reader module exposes:

- `sniff(head: bytes) -> bool`: whether the first 64 KiB of a file look like its format;
- `read(path: Path, *, encoding: str = "auto", tz: tzinfo) -> Iterator[SourcePost | SourceProblem]`:
  the file's posts one at a time (bounded memory), with a `SourceProblem` for each
  record it had to skip. `tz` is the blog's zone for dates the file gives without one.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import tzinfo
from pathlib import Path

from imports.records import SourcePost, SourceProblem

# --format name -> module under imports.formats; sniffed in this order.
FORMATS = {
    "wxr": "wxr",
    "disqus": "disqus",
    "mt": "movabletype",
    "typepad-page": "typepad_page",
}

SNIFF_BYTES = 64 * 1024


class UnknownFormat(ValueError):
    """The file matches no format we read; the message says what was tried."""


def reader_module(format_name: str):
    return importlib.import_module(f"imports.formats.{FORMATS[format_name]}")


def sniff_format(path: Path) -> str:
    """The --format name of the file at `path`, judged from its first bytes."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    for name in FORMATS:
        if reader_module(name).sniff(head):
            return name
    raise UnknownFormat(
        f"{path.name} is not a format Riposte imports (tried: {', '.join(FORMATS)}); "
        "name one with --format."
    )


def read_source(
    path: Path, *, format_name: str = "auto", encoding: str = "auto", tz: tzinfo
) -> Iterator[SourcePost | SourceProblem]:
    """The posts of an export file, one at a time, in the file's order."""
    if format_name == "auto":
        format_name = sniff_format(path)
    return reader_module(format_name).read(path, encoding=encoding, tz=tz)
