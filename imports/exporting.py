"""The whole blog written back out: a Movable Type export of ours, or one JSON document.

Both are written post by post and comment by comment, so memory holds one post's
row and a chunk of its comments, whatever the blog's size.

**Movable Type.** One entry per post, newest first; its comments oldest first (by
number). Bodies are the stored HTML (`CONVERT BREAKS: 0`). Dates are
`MM/DD/YYYY hh:mm:ss AM|PM` in the zone given (the blog's `TIME_ZONE` by default,
the same default `import_blog --timezone` uses); MT dates carry no zone, so import
with the zone the export was written in (`--timezone UTC` for both is the choice
that no daylight-saving change can blur). Every comment is exported whatever its
status, with three extra keys that other MT importers ignore and ours reads:

- `X-RIPOSTE-NUMBER: 16`: the comment's number on its post;
- `X-RIPOSTE-PARENT: 9`: the number of the comment it replies to (absent for top level);
- `X-RIPOSTE-STATUS: published|pending|removed|spam|deleted|shadowed`.

The format has no escaping, so two kinds of body line are written with their first
character as an HTML character reference, which displays the same: a line of five
or more dashes alone (`&#45;----`, else it would end the section or the entry), and
a comment body whose first line reads like a key (`&#85;RL: …`, else it would be
taken for the comment's URL).

**JSON.** `{"format": "riposte-export", "version": 1, "posts": [...]}`: each post
with its Markdown and HTML, category, tags and comments (numbers, parents, statuses,
authors or guest names, times in ISO 8601 UTC).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from typing import TextIO

from django.utils import timezone

from blog.models import Post
from comments.models import Comment

MT_DATE_FORMAT = "%m/%d/%Y %I:%M:%S %p"
SECTION_END = "-----"
ENTRY_END = "--------"
JSON_FORMAT_NAME = "riposte-export"
JSON_VERSION = 1

POSTS_PER_QUERY = 100
COMMENTS_PER_QUERY = 1000

# A line an MT reader would take for a separator, or (first line of a comment) a key.
SEPARATOR_LIKE = re.compile(r"^\s*-{5,}\s*$")
KEY_LIKE = re.compile(r"^\s*[A-Za-z][A-Za-z0-9 _-]*:")
NEEDS_QUOTES = re.compile(r"[\s,\"]")


def export_mt(*, out: TextIO, tz: tzinfo) -> int:
    """Write every post and comment as a Movable Type export in zone `tz`; the post count."""
    count = 0
    for post in _posts():
        count += 1
        out.write(_mt_header(post, tz))
        out.write(f"{SECTION_END}\nBODY:\n{_mt_body(post.body_html)}{SECTION_END}\n")
        if post.excerpt:
            out.write(f"EXCERPT:\n{_mt_body(post.excerpt)}{SECTION_END}\n")
        for comment in _comments(post):
            out.write(_mt_comment(comment, tz))
        out.write(f"{ENTRY_END}\n")
    return count


def export_json(*, out: TextIO) -> int:
    """Write every post and comment as one JSON document; the post count."""
    count = 0
    out.write(
        "{"
        f'"format": {json.dumps(JSON_FORMAT_NAME)}, "version": {JSON_VERSION}, '
        f'"exported_at": {json.dumps(_iso(timezone.now()))}, "posts": [\n'
    )
    for post in _posts():
        if count:
            out.write(",\n")
        count += 1
        # The post's own fields, then its comments written one at a time.
        opening = json.dumps(_post_fields(post), ensure_ascii=False)
        out.write(opening[:-1] + ', "comments": [')
        for index, comment in enumerate(_comments(post)):
            out.write(("," if index else "") + "\n  ")
            out.write(json.dumps(_comment_fields(comment), ensure_ascii=False))
        out.write("]}")
    out.write("\n]}\n")
    return count


# ─── Reading the blog ────────────────────────────────────────────────────────


def _posts() -> Iterator[Post]:
    """Every post, newest first, with author, category and tags, read in chunks."""
    return (
        Post.objects.newest_first()
        .select_related("author", "category")
        .prefetch_related("tags")
        .defer("search_vector", "body_text")
        .iterator(chunk_size=POSTS_PER_QUERY)
    )


def _comments(post: Post) -> Iterator[Comment]:
    """Every comment of `post` whatever its status, by number, with its author."""
    return (
        Comment.objects.filter(post=post)
        .in_number_order()
        .with_authors()
        .iterator(chunk_size=COMMENTS_PER_QUERY)
    )


def _comment_author(comment: Comment) -> tuple[str, str]:
    """The name and email a comment was posted under (registered or guest)."""
    if comment.author is not None:
        return comment.author.public_name, comment.author.email
    return comment.guest_name, comment.guest_email


# ─── Movable Type ────────────────────────────────────────────────────────────


def _mt_header(post: Post, tz: tzinfo) -> str:
    """The entry's `KEY: value` header lines."""
    if post.status == Post.Status.DRAFT:
        status = "Draft"
    else:
        status = "Future" if post.is_scheduled else "Publish"
    lines = [
        ("AUTHOR", post.author.public_name),
        ("AUTHOR EMAIL", post.author.email),
        ("TITLE", post.title),
        ("BASENAME", post.slug),
        ("STATUS", status),
        ("ALLOW COMMENTS", "1" if post.allow_comments else "2"),
        ("ALLOW PINGS", "0"),
        ("CONVERT BREAKS", "0"),
    ]
    if post.category is not None:
        lines += [("PRIMARY CATEGORY", post.category.name), ("CATEGORY", post.category.name)]
    tags = [tag.name for tag in post.tags.all()]
    if tags:
        lines.append(("TAGS", ",".join(_quoted_tag(name) for name in tags)))
    lines += [
        ("UNIQUE URL", post.get_absolute_url()),
        ("DATE", _mt_date(post.published_at, tz)),
    ]
    return "".join(f"{key}: {_one_line(value)}".rstrip() + "\n" for key, value in lines)


def _mt_comment(comment: Comment, tz: tzinfo) -> str:
    """A COMMENT section: its keys, our three extra keys, then the body."""
    name, email = _comment_author(comment)
    lines = [
        ("AUTHOR", name),
        ("EMAIL", email),
        ("URL", ""),
        ("IP", comment.ip_address or ""),
        ("DATE", _mt_date(comment.created_at, tz)),
        ("X-RIPOSTE-NUMBER", str(comment.number)),
    ]
    if comment.parent_number is not None:
        lines.append(("X-RIPOSTE-PARENT", str(comment.parent_number)))
    lines.append(("X-RIPOSTE-STATUS", comment.status))
    keys = "".join(f"{key}: {_one_line(value)}".rstrip() + "\n" for key, value in lines)
    return f"COMMENT:\n{keys}{_mt_body(comment.body_html, is_after_keys=True)}{SECTION_END}\n"


def _mt_body(text: str, *, is_after_keys: bool = False) -> str:
    """`text` as MT body lines, each newline-terminated, that no reader can mistake.

    A separator-like line keeps its look but not its dashes; after a comment's keys,
    a first line that reads like a key gets its first letter as a character reference.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
    if lines == [""]:
        return ""
    escaped = []
    for index, line in enumerate(lines):
        if SEPARATOR_LIKE.match(line):
            line = line.replace("-", "&#45;", 1)
        elif index == 0 and is_after_keys and KEY_LIKE.match(line):
            start = len(line) - len(line.lstrip())
            line = f"{line[:start]}&#{ord(line[start])};{line[start + 1 :]}"
        escaped.append(line)
    return "\n".join(escaped) + "\n"


def _mt_date(moment: datetime, tz: tzinfo) -> str:
    """`MM/DD/YYYY hh:mm:ss AM|PM` in zone `tz` (MT dates name no zone)."""
    return moment.astimezone(tz).strftime(MT_DATE_FORMAT)


def _quoted_tag(name: str) -> str:
    """A tag as MT's TAGS list writes it: quoted (quotes doubled, as in CSV) when needed."""
    return '"' + name.replace('"', '""') + '"' if NEEDS_QUOTES.search(name) else name


def _one_line(value: str) -> str:
    """A header value on one line: runs of whitespace, newlines included, become one space."""
    return " ".join(str(value).split())


# ─── JSON ────────────────────────────────────────────────────────────────────


def _iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC, None for no time."""
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _post_fields(post: Post) -> dict:
    """The post's JSON fields, comments aside."""
    return {
        "title": post.title,
        "slug": post.slug,
        "url": post.get_absolute_url(),
        "author": {
            "username": post.author.username,
            "name": post.author.public_name,
            "email": post.author.email,
        },
        "status": post.status,
        "is_scheduled": post.is_scheduled,
        "published_at": _iso(post.published_at),
        "created_at": _iso(post.created_at),
        "updated_at": _iso(post.updated_at),
        "body": post.body,
        "body_html": post.body_html,
        "excerpt": post.excerpt,
        "category": (
            None
            if post.category is None
            else {"name": post.category.name, "slug": post.category.slug}
        ),
        "tags": [{"name": tag.name, "slug": tag.slug} for tag in post.tags.all()],
        "allow_comments": post.allow_comments,
    }


def _comment_fields(comment: Comment) -> dict:
    """The comment's JSON fields."""
    author = comment.author
    return {
        "number": comment.number,
        "parent_number": comment.parent_number,
        "depth": comment.depth,
        "author": (
            None
            if author is None
            else {"username": author.username, "name": author.public_name, "email": author.email}
        ),
        "guest_name": comment.guest_name,
        "guest_email": comment.guest_email,
        "body": comment.body,
        "body_html": comment.body_html,
        "status": comment.status,
        "moderation_reason": comment.moderation_reason,
        "created_at": _iso(comment.created_at),
        "edited_at": _iso(comment.edited_at),
        "ip_address": comment.ip_address,
    }
