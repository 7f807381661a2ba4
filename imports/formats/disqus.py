"""Disqus XML export reader: each thread's comments, to attach to posts we already have.

A Disqus export lists every `<thread>` first and then every `<post>` (comment), in
no particular order and not grouped by thread; a comment may even come before its
thread. The file is read twice, streaming both times:

1. the threads: their metadata only (id, link, title, closed, deleted), small;
2. the comments: each is parsed, written to an anonymous temporary file as one
   JSON line, and its offset filed under its thread.

Then each thread's comments are read back from the temporary file, so memory
holds the offsets of all comments but the text of one thread at a time.

Each thread becomes a `SourcePost` with `is_comments_only=True`: Disqus holds no
post bodies, so the writer attaches the comments to the post whose address
matches the thread's `link` (or the one `--map` names). Threads without comments
are left out; deleted threads are skipped with a `SourceProblem`, their comments
with them. Deleted comments are kept as removed (a reply keeps its place under
a placeholder); spam is kept as spam and never shown.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from imports.encoding import repair_post
from imports.formats.xml_stream import (
    XMLStopped,
    control_characters_notice,
    local_name,
    parse_aware,
    records,
    text_of,
)
from imports.records import (
    CommentsMode,
    CommentStatus,
    SourceComment,
    SourcePost,
    SourceProblem,
)

DISQUS_NAMESPACE = "http://disqus.com"
INTERNALS_NAMESPACE = "http://disqus.com/disqus-internals"
ROOT_TAG = f"{{{DISQUS_NAMESPACE}}}disqus"
ID_ATTRIBUTE = f"{{{INTERNALS_NAMESPACE}}}id"
DISQUS_DATE_FORMATS = ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%S%z")


@dataclass(slots=True)
class _Thread:
    dsq_id: str
    link: str
    title: str
    is_closed: bool
    is_deleted: bool
    line: int
    offsets: list[int] = field(default_factory=list)


def sniff(head: bytes) -> bool:
    """A Disqus export has a `<disqus>` root in the disqus.com namespace."""
    return b"<disqus" in head and b"disqus.com" in head


def read(path: Path, *, encoding: str = "auto", tz: tzinfo) -> Iterator[SourcePost | SourceProblem]:
    """One comments-only post per Disqus thread that has comments, in the file's thread order.

    Disqus gives every time in UTC, so `tz` is not needed.
    """
    path = Path(path)
    threads: dict[str, _Thread] = {}
    stopped_at = None
    try:
        for element in records(path, parent_tag=ROOT_TAG, encoding=encoding):
            if local_name(element.tag) == "thread":
                thread = _thread(element)
                threads.setdefault(thread.dsq_id, thread)
    except XMLStopped as stopped:
        stopped_at = stopped.problem
    repairs: Counter[str] = Counter()
    with tempfile.TemporaryFile() as spool:
        try:
            for element in records(path, parent_tag=ROOT_TAG, encoding=encoding, repairs=repairs):
                if local_name(element.tag) == "post":
                    yield from _spool_comment(element, threads=threads, spool=spool)
        except XMLStopped as stopped:
            # Malformed XML stops both passes at the same byte: what came before is kept.
            stopped_at = stopped_at or stopped.problem
        for thread in threads.values():
            yield from _thread_post(thread, spool)
    notice = control_characters_notice(repairs)
    if notice is not None:
        yield notice
    if stopped_at is not None:
        yield stopped_at


# ─── Pieces of the file ──────────────────────────────────────────────────────


def _children(element) -> dict:
    """The element's children by local name (the first of each name)."""
    children: dict = {}
    for child in element:
        children.setdefault(local_name(child.tag), child)
    return children


def _text(children: dict, name: str) -> str:
    """The stripped text of the named child, "" when absent."""
    return text_of(children.get(name)).strip()


def _flag(children: dict, name: str) -> bool:
    """Whether the named child says `true` (Disqus booleans)."""
    return _text(children, name).lower() == "true"


def _ref(children: dict, name: str) -> str:
    """The dsq:id of a reference child such as `<thread dsq:id="…"/>`, "" if absent."""
    child = children.get(name)
    return "" if child is None else (child.get(ID_ATTRIBUTE) or "").strip()


def _thread(element) -> _Thread:
    """A `<thread>`'s metadata; its comments are filed later."""
    children = _children(element)
    return _Thread(
        dsq_id=(element.get(ID_ATTRIBUTE) or "").strip(),
        link=_text(children, "link"),
        title=_text(children, "title"),
        is_closed=_flag(children, "isClosed"),
        is_deleted=_flag(children, "isDeleted"),
        line=element.sourceline or 0,
    )


def _spool_comment(element, *, threads, spool) -> Iterator[SourceProblem]:
    """File one `<post>` under its thread in the spool, or say why it cannot be."""
    line = element.sourceline or 0
    dsq_id = (element.get(ID_ATTRIBUTE) or "").strip()
    children = _children(element)
    thread = threads.get(_ref(children, "thread"))
    if thread is None:
        yield SourceProblem(
            line=line,
            message=f"Disqus comment {dsq_id or '?'} skipped: its thread "
            f"“{_ref(children, 'thread')}” is not in the export.",
            what="comment",
        )
        return
    created_at = parse_aware(_text(children, "createdAt"), formats=DISQUS_DATE_FORMATS, tz=UTC)
    if created_at is None:
        yield SourceProblem(
            line=line,
            message=f"Disqus comment {dsq_id or '?'} skipped: its createdAt "
            f"“{_text(children, 'createdAt')}” is not a date.",
            what="comment",
        )
        return
    author = children.get("author")
    author_fields = _children(author) if author is not None else {}
    status = (
        CommentStatus.SPAM
        if _flag(children, "isSpam")
        else CommentStatus.REMOVED
        if _flag(children, "isDeleted")
        else CommentStatus.PUBLISHED
    )
    fields = {
        "author_name": _text(author_fields, "name") or "Anonymous",
        "author_email": _text(author_fields, "email"),
        "created_at": created_at.isoformat(),
        "body_html": text_of(children.get("message")).strip(),
        "ip_address": _text(children, "ipAddress"),
        "status": status.value,
        "source_id": dsq_id,
        "parent_source_id": _ref(children, "parent"),
        "line": line,
    }
    spool.seek(0, 2)
    thread.offsets.append(spool.tell())
    spool.write(json.dumps(fields).encode() + b"\n")


def _thread_post(thread: _Thread, spool) -> Iterator[SourcePost | SourceProblem]:
    """The thread as a comments-only post with its spooled comments, oldest first."""
    if not thread.offsets:
        return
    label = f"Disqus thread {thread.dsq_id} “{thread.title or thread.link}”"
    if thread.is_deleted:
        yield SourceProblem(
            line=thread.line,
            message=f"{label} skipped: it is deleted in Disqus "
            f"({len(thread.offsets)} comment(s) not imported).",
        )
        return
    comments = []
    for offset in thread.offsets:
        spool.seek(offset)
        fields = json.loads(spool.readline())
        fields["created_at"] = datetime.fromisoformat(fields["created_at"])
        fields["status"] = CommentStatus(fields["status"])
        comments.append(SourceComment(**fields))
    # Disqus times have whole seconds; its ids grow with time and break the ties.
    comments.sort(key=lambda comment: (comment.created_at, _as_number(comment.source_id)))
    problems = _drop_missing_parents(comments, label)
    yield from problems
    post = SourcePost(
        title=thread.title,
        published_at=None,
        comments_mode=CommentsMode.CLOSED if thread.is_closed else CommentsMode.OPEN,
        old_url=thread.link,
        source_id=f"disqus:{thread.dsq_id}",
        is_comments_only=True,
        comments=comments,
        line=thread.line,
    )
    repair_post(post)
    yield post


def _drop_missing_parents(comments: list[SourceComment], label: str) -> list[SourceProblem]:
    """A reply whose parent is not an earlier comment of the thread becomes top-level, reported."""
    problems, seen = [], set()
    for comment in comments:
        if comment.parent_source_id and comment.parent_source_id not in seen:
            problems.append(
                SourceProblem(
                    line=comment.line,
                    message=f"Disqus comment {comment.source_id} in {label}: its parent "
                    f"{comment.parent_source_id} is not an earlier comment of the thread "
                    "in the export; kept as a top-level comment.",
                    what="note",
                )
            )
            comment.parent_source_id = ""
        seen.add(comment.source_id)
    return problems


def _as_number(value: str) -> int:
    """A numeric id as a number for ordering; 0 when it is not one."""
    return int(value) if value.isdigit() else 0
