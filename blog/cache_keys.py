"""Every cache key of the site's rendered output, named by what it depends on.

A key either carries the versions it depends on (the thread: the post's row) or
is checked against a version counter kept in the cache (the anonymous post page,
served without touching the database). The counters are bumped by the write
functions that change what a page shows: `comments_changed` for a post's
comments, `post_changed` for the post itself, `site_comments_changed` for the
sidebar's recent comments.
"""

import hashlib
import time

from django.core.cache import cache
from django.db import transaction

SITE_COMMENTS = "site:comments-version"


# ─── Version counters ────────────────────────────────────────────────────────


def post_version_key(post_id: int) -> str:
    return f"post:{post_id}:version"


def post_version(post_id: int) -> int | None:
    return cache.get(post_version_key(post_id))


def post_version_started(post_id: int) -> int | None:
    """The post's version counter, started from the clock when the cache holds none yet."""
    key = post_version_key(post_id)
    cache.add(key, time.time_ns(), None)
    return cache.get(key)


def site_comments_version() -> int:
    return cache.get(SITE_COMMENTS, 0)


def _bump(key: str) -> None:
    """Move a counter on; a counter the cache lost restarts from the clock, never from 1,
    so it never meets a value an older entry was stored under."""
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, time.time_ns(), None)


def post_changed(post_id: int) -> None:
    """The post or its comments changed: its cached pages are stale.

    Bumped now and again after the commit, so a page rendered in between from the
    old rows is not kept under the new version.
    """
    _bump(post_version_key(post_id))
    transaction.on_commit(lambda: _bump(post_version_key(post_id)))


def site_comments_changed() -> None:
    """Some comment changed somewhere: the sidebar's recent comments may be stale."""
    _bump(SITE_COMMENTS)


def comments_changed(post_id: int) -> None:
    """A comment of the post was written, edited, withdrawn or moderated."""
    post_changed(post_id)
    site_comments_changed()


# ─── Keys ────────────────────────────────────────────────────────────────────


def thread(post, *, view: str, page: int, shadow_author: int | None) -> str:
    """One page of a post's rendered comments: the post row's versions are in the key
    (its own edits count too: permalinks carry its date and slug). "thread-utf8": the
    entries hold UTF-8 bytes, so entries of the str era are never read."""
    audience = f"shadow{shadow_author}" if shadow_author else "pub"
    return (
        f"thread-utf8:{post.pk}:{post.comments_version}:{post.last_comment_number}:"
        f"{post.updated_at.timestamp():.0f}:{view}:{page}:{audience}"
    )


def comment_summary(post) -> str:
    """The line at the head of a post's comments (comments.section.comment_summary): it
    follows the same versions of the post row as the thread. ("summary2": the entry
    gained the comment count, and an entry of the old shape must never be read.)"""
    return f"summary2:{post.pk}:{post.comments_version}:{post.last_comment_number}"


def anonymous_page(*, host: str, full_path: str, variant: str) -> str:
    """A whole page as every anonymous reader gets it, by address and chosen variant."""
    digest = hashlib.blake2b(f"{host}\n{full_path}\n{variant}".encode(), digest_size=16)
    return f"page:{digest.hexdigest()}"


def sidebar() -> str:
    """The sidebar's HTML: recent comments in the key, archive counts by lifetime."""
    return f"sidebar:{site_comments_version()}"


def content_digest(content: bytes) -> str:
    """A short fingerprint of a response body, for its ETag."""
    return hashlib.blake2b(content, digest_size=12).hexdigest()
