"""Builders for source records (what a reader yields) and a stand-in reader for the command.

The real readers live on other branches; these tests write `SourcePost`s
directly, so the writer and the command are tested on exactly the interface.
"""

from datetime import UTC, datetime, timedelta

import pytest

from imports import formats
from imports.models import ImportRun
from imports.records import SourceComment, SourcePost
from imports.writing import AuthorMap, import_post

BASE = datetime(2017, 10, 5, 7, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return BASE + timedelta(minutes=minutes)


def comment(name: str, minute: int, body: str, **fields) -> SourceComment:
    fields.setdefault("author_email", f"{name.lower().replace(' ', '.')}@example.net")
    return SourceComment(author_name=name, created_at=at(minute), body_html=body, **fields)


def source_post(title: str = "Budget vote delayed again", **fields) -> SourcePost:
    basename = fields.pop("basename", "budget_vote_delayed")
    fields.setdefault("published_at", BASE - timedelta(days=1))
    fields.setdefault("author_name", "Ada Byline")
    fields.setdefault("author_email", "ada@example.org")
    fields.setdefault("body_html", "The committee met.\n\nIt voted <b>7 to 2</b>.")
    fields.setdefault("convert_breaks", "1")
    fields.setdefault("old_url", f"http://old.example.com/blog/2017/10/{basename}.html ")
    return SourcePost(title=title, basename=basename, **fields)


def flat_thread() -> list[SourceComment]:
    return [
        comment("Steve", 1, "First! The vote is a distraction."),
        comment("Marta", 2, "@1 no it is not."),
        comment("Lee", 3, "Agree with Steve."),
        comment("Marta", 4, "Steve, read the minutes."),
    ]


@pytest.fixture
def run(db) -> ImportRun:
    return ImportRun.objects.create(file_name="export.txt", format="mt")


@pytest.fixture
def write(run):
    """import_post with the run and a fresh author map; returns the outcome."""

    def write(source, inference=None, *, authors=None, dry_run=False, post_map=None):
        return import_post(
            source=source,
            inference=inference,
            run=run,
            authors=authors or AuthorMap(),
            dry_run=dry_run,
            post_map=post_map,
        )

    return write


@pytest.fixture
def stand_in_reader(monkeypatch, tmp_path):
    """Register records for a file: `stand_in_reader(records) -> path` (format sniffed as mt)."""
    contents: dict[str, list] = {}

    def read_source(path, *, format_name="auto", encoding="auto", tz):
        yield from contents[str(path)]

    monkeypatch.setattr(formats, "read_source", read_source)
    monkeypatch.setattr(formats, "sniff_format", lambda path: "mt")

    def register(records, name="export.txt"):
        path = tmp_path / name
        path.write_text("stand-in export\n")
        contents[str(path)] = records
        return path

    return register
