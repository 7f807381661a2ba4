"""WordPress export (WXR 1.0–1.2) reader: posts with their threaded comments, streamed.

Channel-level `<wp:author>` entries (they come before the items) map each login to
a display name and email. Each `<item>` whose `wp:post_type` is `post` becomes a
`SourcePost`; pages are skipped with one `SourceProblem` each (they have titles a
blog owner may want to recreate), other item types (attachments, menu items,
revisions, custom types) with one summary `SourceProblem` per type at the end.
Posts in the WordPress trash and auto-drafts are skipped and reported too.

WordPress stores post and comment text with bare newlines and adds paragraphs
when it displays them (`wpautop`); `autop()` does the same simply, once, here.
A malformed byte stops the reader with a `SourceProblem` naming the line (XML
cannot resync); posts yielded before it stay yielded.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, tzinfo
from pathlib import Path

from imports.encoding import repair_post
from imports.formats.xml_stream import (
    XMLStopped,
    control_characters_notice,
    local_name,
    namespace,
    parse_aware,
    records,
    text_of,
)
from imports.records import (
    CommentKind,
    CommentsMode,
    CommentStatus,
    PostStatus,
    SourceComment,
    SourcePost,
    SourceProblem,
)

WP_NAMESPACE_PREFIX = "http://wordpress.org/export/"
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"

WP_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
NO_DATE = "0000-00-00"

POST_STATUSES = {
    "publish": PostStatus.PUBLISHED,
    "future": PostStatus.SCHEDULED,
    "draft": PostStatus.DRAFT,
    "pending": PostStatus.DRAFT,
    "private": PostStatus.DRAFT,
}
SKIPPED_POST_STATUSES = {"trash", "auto-draft", "inherit"}

COMMENT_STATUSES = {
    "1": CommentStatus.PUBLISHED,
    "approve": CommentStatus.PUBLISHED,
    "0": CommentStatus.PENDING,
    "hold": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.REMOVED,
    "post-trashed": CommentStatus.REMOVED,
}
COMMENT_KINDS = {"pingback": CommentKind.PINGBACK, "trackback": CommentKind.TRACKBACK}

# Chunks that already are blocks get no <p> around them (as wpautop decides).
BLOCK_START = re.compile(
    r"^\s*(<!--|</?(p|div|blockquote|ul|ol|li|pre|table|thead|tbody|tr|td|th|h[1-6]|hr|"
    r"figure|figcaption|dl|dt|dd|section|article|aside|header|footer|form|address|iframe|"
    r"embed|object|video|audio)[\s>/])",
    re.IGNORECASE,
)
PRE_BLOCK = re.compile(r"(<pre[\s>].*?</pre>)", re.IGNORECASE | re.DOTALL)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def sniff(head: bytes) -> bool:
    """A WXR file is RSS carrying the WordPress export namespace."""
    return b"<rss" in head and b"wordpress.org/export/" in head


def read(path: Path, *, encoding: str = "auto", tz: tzinfo) -> Iterator[SourcePost | SourceProblem]:
    """The file's posts in file order, each with its comments oldest first."""
    authors: dict[str, tuple[str, str]] = {}
    skipped: Counter[str] = Counter()
    repairs: Counter[str] = Counter()
    try:
        for element in records(
            Path(path), parent_tag="channel", encoding=encoding, repairs=repairs
        ):
            name, ns = local_name(element.tag), namespace(element.tag)
            if ns.startswith(WP_NAMESPACE_PREFIX) and name == "author":
                login, display = _author(element)
                if login:
                    authors[login] = display
            elif name == "item" and not ns:
                yield from _item(element, authors=authors, skipped=skipped, tz=tz)
    except XMLStopped as stopped:
        yield stopped.problem
    notice = control_characters_notice(repairs)
    if notice is not None:
        yield notice
    for post_type, count in sorted(skipped.items()):
        yield SourceProblem(
            line=0,
            message=f"Skipped {count} WordPress item{'s' if count != 1 else ''} of type "
            f"“{post_type}”: Riposte imports posts and their comments only.",
            what=post_type,
        )


def autop(text: str) -> str:
    """Blank-line-separated chunks become paragraphs and single newlines `<br>`, like wpautop.

    Chunks that already start with a block element stay as they are, and `<pre>`
    blocks are left untouched.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return ""
    pieces = []
    for part in PRE_BLOCK.split(text):
        if PRE_BLOCK.fullmatch(part):
            pieces.append(part)
            continue
        for chunk in PARAGRAPH_BREAK.split(part):
            chunk = chunk.strip("\n")
            if not chunk.strip():
                continue
            if BLOCK_START.match(chunk):
                pieces.append(chunk)
            else:
                pieces.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(pieces)


# ─── Pieces of the file ──────────────────────────────────────────────────────


def _fields(element) -> dict[str, str]:
    """Child texts keyed `wp:name`, `content:name`, `excerpt:name`, `dc:name` or `name`."""
    fields: dict[str, str] = {}
    for child in element:
        key = _key(child.tag)
        if key and key not in fields:
            fields[key] = text_of(child)
    return fields


def _key(tag) -> str:
    """A tag as `prefix:name` whatever prefix the file chose for the namespace."""
    name, ns = local_name(tag), namespace(tag)
    if not name:
        return ""
    if not ns:
        return name
    if ns.startswith(WP_NAMESPACE_PREFIX):
        return f"excerpt:{name}" if ns.rstrip("/").endswith("excerpt") else f"wp:{name}"
    if ns == CONTENT_NAMESPACE:
        return f"content:{name}"
    if ns == DC_NAMESPACE:
        return f"dc:{name}"
    return f"{{{ns}}}{name}"


def _author(element) -> tuple[str, tuple[str, str]]:
    """A `<wp:author>` as (login, (display name, email))."""
    fields = _fields(element)
    login = fields.get("wp:author_login", "").strip()
    full_name = " ".join(
        part
        for part in (fields.get("wp:author_first_name", ""), fields.get("wp:author_last_name", ""))
        if part.strip()
    ).strip()
    display = fields.get("wp:author_display_name", "").strip() or full_name or login
    return login, (display, fields.get("wp:author_email", "").strip())


def _item(element, *, authors, skipped: Counter, tz) -> Iterator[SourcePost | SourceProblem]:
    """One `<item>`: a post with its comments, or the problem that skipped it."""
    fields = _fields(element)
    line = element.sourceline or 0
    post_type = fields.get("wp:post_type", "post").strip() or "post"
    title = fields.get("title", "").strip()
    post_id = fields.get("wp:post_id", "").strip()
    described = f"“{title or '(untitled)'}” (post_id {post_id or '?'})"
    if post_type == "page":
        yield SourceProblem(
            line=line,
            message=f"WordPress page {described} skipped: Riposte imports posts only; "
            "recreate it by hand if you need it.",
            what="page",
        )
        return
    if post_type != "post":
        skipped[post_type] += 1
        return
    wp_status = fields.get("wp:status", "publish").strip()
    if wp_status in SKIPPED_POST_STATUSES or wp_status not in POST_STATUSES:
        yield SourceProblem(
            line=line,
            message=f"Post {described} skipped: its WordPress status is “{wp_status}” "
            "(only publish, future, draft, pending and private are imported).",
        )
        return
    published_at = _date(fields, "wp:post_date", tz)
    if published_at is None:
        yield SourceProblem(
            line=line,
            message=f"Post {described} skipped: neither wp:post_date_gmt nor wp:post_date "
            f"is a date (“{fields.get('wp:post_date', '')}”).",
        )
        return
    categories, tags = _terms(element)
    login = fields.get("dc:creator", "").strip()
    author_name, author_email = authors.get(login, (login, ""))
    post = SourcePost(
        title=html.unescape(title),
        published_at=published_at,
        body_html=autop(fields.get("content:encoded", "")),
        excerpt=fields.get("excerpt:encoded", "").strip(),
        author_name=author_name,
        author_email=author_email,
        basename=fields.get("wp:post_name", "").strip(),
        status=POST_STATUSES[wp_status],
        comments_mode=(
            CommentsMode.CLOSED
            if fields.get("wp:comment_status", "open").strip() == "closed"
            else CommentsMode.OPEN
        ),
        primary_category=categories[0] if categories else "",
        categories=categories,
        tags=tags,
        old_url=fields.get("link", "").strip(),
        source_id=f"wxr:{post_id}" if post_id else "",
        line=line,
    )
    problems: list[SourceProblem] = []
    for child in element:
        if _key(child.tag) == "wp:comment":
            comment = _comment(child, tz=tz, post=described, problems=problems)
            if comment is not None:
                post.comments.append(comment)
    post.comments.sort(key=lambda comment: (comment.created_at, _as_number(comment.source_id)))
    _drop_missing_parents(post, problems)
    yield from problems
    repair_post(post)
    yield post


def _terms(element) -> tuple[list[str], list[str]]:
    """The item's category names and tag names, in file order, without repeats."""
    categories: list[str] = []
    tags: list[str] = []
    for child in element:
        if _key(child.tag) != "category":
            continue
        name = html.unescape(text_of(child)).strip()
        domain = child.get("domain", "category")
        bucket = tags if domain == "post_tag" else categories if domain == "category" else None
        if bucket is not None and name and name not in bucket:
            bucket.append(name)
    return categories, tags


def _comment(element, *, tz, post: str, problems: list) -> SourceComment | None:
    """One `<wp:comment>`, or None with a problem added when its date is unusable."""
    fields = _fields(element)
    line = element.sourceline or 0
    comment_id = fields.get("wp:comment_id", "").strip()
    created_at = _date(fields, "wp:comment_date", tz)
    if created_at is None:
        problems.append(
            SourceProblem(
                line=line,
                message=f"Comment {comment_id or '?'} on post {post} skipped: its date "
                f"“{fields.get('wp:comment_date', '')}” is not a date.",
                what="comment",
            )
        )
        return None
    approved = fields.get("wp:comment_approved", "1").strip()
    status = COMMENT_STATUSES.get(approved)
    if status is None:
        problems.append(
            SourceProblem(
                line=line,
                message=f"Comment {comment_id} on post {post}: unknown comment_approved "
                f"“{approved}”; imported as pending so a moderator decides.",
                what="note",
            )
        )
        status = CommentStatus.PENDING
    parent = fields.get("wp:comment_parent", "0").strip()
    return SourceComment(
        author_name=html.unescape(fields.get("wp:comment_author", "")).strip() or "Anonymous",
        created_at=created_at,
        body_html=autop(fields.get("wp:comment_content", "")),
        author_email=fields.get("wp:comment_author_email", "").strip(),
        author_url=fields.get("wp:comment_author_url", "").strip(),
        ip_address=fields.get("wp:comment_author_IP", "").strip(),
        status=status,
        kind=COMMENT_KINDS.get(fields.get("wp:comment_type", "").strip(), CommentKind.COMMENT),
        source_id=comment_id,
        parent_source_id="" if parent in ("", "0") else parent,
        line=line,
    )


def _drop_missing_parents(post: SourcePost, problems: list) -> None:
    """A reply whose parent is not in the export (or comes later) becomes top-level, reported."""
    seen: set[str] = set()
    for comment in post.comments:
        if comment.parent_source_id and comment.parent_source_id not in seen:
            problems.append(
                SourceProblem(
                    line=comment.line,
                    message=f"Comment {comment.source_id}: its parent {comment.parent_source_id}"
                    " is not an earlier comment of the same post in the export; "
                    "kept as a top-level comment.",
                    what="note",
                )
            )
            comment.parent_source_id = ""
        seen.add(comment.source_id)


def _date(fields: dict[str, str], key: str, tz):
    """The `<key>_gmt` time in UTC, else `<key>` in the blog's zone; None if neither is a date."""
    gmt = fields.get(f"{key}_gmt", "").strip()
    if gmt and not gmt.startswith(NO_DATE):
        parsed = parse_aware(gmt, formats=WP_DATE_FORMATS, tz=UTC)
        if parsed is not None:
            return parsed
    local = fields.get(key, "").strip()
    if local and not local.startswith(NO_DATE):
        return parse_aware(local, formats=WP_DATE_FORMATS, tz=tz)
    return None


def _as_number(value: str) -> int:
    """A numeric id as a number for ordering; 0 when it is not one."""
    return int(value) if value.isdigit() else 0
