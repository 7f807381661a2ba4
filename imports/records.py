"""What every importer's reader produces and every later step consumes.

Readers (`imports/formats/<name>.py`) turn a file into a stream of `SourcePost`
and `SourceProblem` objects, one post at a time, so memory stays bounded
whatever the file's size. Thread inference (`imports/inference.py`) works on a
`SourcePost`'s comments alone, and the writer (`imports/writing.py`) stores a
`SourcePost` and its inferred links through the site's own write functions.
Nothing here touches the database.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class PostStatus(enum.StrEnum):
    PUBLISHED = "published"  # MT "Publish", WXR "publish"
    DRAFT = "draft"  # MT "Draft", WXR "draft"/"pending"/"private"
    SCHEDULED = "scheduled"  # MT "Future", WXR "future": published at its date


class CommentsMode(enum.StrEnum):
    OPEN = "open"  # MT ALLOW COMMENTS 1
    CLOSED = "closed"  # MT 2 (0 since MT 3.2 and in Typepad's exports): shown, no new comments
    OFF = "off"  # MT 0 before 3.2: no comment section (existing comments kept, hidden)


class CommentStatus(enum.StrEnum):
    PUBLISHED = "published"
    PENDING = "pending"  # WXR comment_approved 0
    REMOVED = "removed"  # WXR trash / post-trashed, Disqus isDeleted
    SPAM = "spam"  # WXR spam, Disqus isSpam
    DELETED = "deleted"  # our export: deleted by its author (a placeholder when replied to)
    SHADOWED = "shadowed"  # our export: a shadow-banned author's comment


class CommentKind(enum.StrEnum):
    COMMENT = "comment"
    PINGBACK = "pingback"
    TRACKBACK = "trackback"


@dataclass(slots=True)
class SourceComment:
    """One comment as the source gives it. Times are timezone-aware."""

    author_name: str
    created_at: datetime
    body_html: str  # HTML as in the source, unsanitised; the writer sanitises
    author_email: str = ""
    author_url: str = ""
    ip_address: str = ""
    status: CommentStatus = CommentStatus.PUBLISHED
    kind: CommentKind = CommentKind.COMMENT
    # Identity inside the source when it has one (WXR comment_id, Disqus post id).
    source_id: str = ""
    # The parent's source_id when the source records threads (WXR, Disqus).
    parent_source_id: str = ""
    # The number the source shows (a saved Typepad page's "| 16"); None when unknown.
    number: int | None = None
    # Parent number written by our own export (X-RIPOSTE-PARENT); exact, not inferred.
    parent_number: int | None = None
    # 1-based line in the file where the comment starts, for the report.
    line: int = 0


@dataclass(slots=True)
class SourcePost:
    """One post (MT entry, WXR item, Disqus thread) with its comments, oldest first."""

    title: str
    published_at: datetime | None  # aware; None only when the source has no date (Disqus)
    body_html: str = ""  # BODY, plus EXTENDED BODY joined by the reader
    excerpt: str = ""
    author_name: str = ""
    author_email: str = ""
    basename: str = ""  # MT BASENAME / WXR post_name: the preferred slug
    status: PostStatus = PostStatus.PUBLISHED
    comments_mode: CommentsMode = CommentsMode.OPEN
    # MT CONVERT BREAKS: "0" (HTML as is), "1"/"__default__" (blank lines are paragraphs),
    # "markdown", "richtext", "wysiwyg"… The writer applies it to body_html.
    convert_breaks: str = "0"
    primary_category: str = ""
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # The post's old address as the source gives it (MT UNIQUE URL, WXR link, Disqus link),
    # stripped; "" when absent (then the writer uses /YYYY/MM/basename.html).
    old_url: str = ""
    # Stable identity inside the source: old_url when present, else date + basename,
    # or the source's own id (WXR post_id, Disqus thread id) prefixed by the format.
    source_id: str = ""
    # MT NO ENTRY: these comments belong to an existing post with the same date.
    is_comments_only: bool = False
    comments: list[SourceComment] = field(default_factory=list)
    line: int = 0
    # Counts a reader repaired on the way (e.g. {"mojibake": 3}), for the report.
    repairs: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class SourceProblem:
    """A record the reader could not use: skipped, reported with its line, never fatal."""

    line: int
    message: str
    # What was skipped: "post", "comment", "ping", "file".
    what: str = "post"


@dataclass(slots=True)
class InferredLink:
    """A parent found for a flat comment by thread inference (indexes into post.comments)."""

    child: int
    # Index of the parent in post.comments; None when the parent is a comment already
    # stored before this import (one of infer_threads' `known`): parent_number names it.
    parent: int | None
    rule: str  # "number", "footer", "name_date", "at_name", "quote", "explicit"
    confidence: float  # 0..1
    evidence: str  # the text that matched, shown to moderators
    # The parent's number as readers saw it (the source's, else its position among the
    # comments shown): what `@16` resolved against. For stored parents, their own number.
    parent_number: int | None = None


@dataclass(slots=True)
class ThreadInference:
    """What inference made of one post: links, refusals and impersonation suspects."""

    links: list[InferredLink] = field(default_factory=list)
    # Ambiguous or conflicting references left unlinked: (comment index, why).
    unresolved: list[tuple[int, str]] = field(default_factory=list)
    # (comment index, other comment index, why): same name with different email/IP,
    # or a later comment saying an earlier one is not from its named author.
    suspects: list[tuple[int, int, str]] = field(default_factory=list)
