"""Live updates: how many comments a reader's open page has not shown yet.

The post page knows the highest comment number it was rendered with; comments.js's
poller asks `comments:since` for what was published after it. One small query
answers (the post must be live; published comments are counted on the unique
(post, number) index), and where the site's version counters are shared
(blog/page_cache.py is on) the answer is kept under the post's version, so a poll
between two changes costs no query at all.
"""

import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from blog import cache_keys, page_cache
from blog.models import Post
from comments.models import Comment

# PostgreSQL's integer: a larger "after" can name no comment, and must not reach the query.
MAX_NUMBER = 2**31 - 1
MAX_POST_ID = 2**63 - 1


@dataclass(frozen=True)
class NewComments:
    body: bytes  # the JSON the poller gets
    etag: str


def _published_after(after: int) -> models.QuerySet:
    """The post's published comments numbered above `after` (a range of the unique
    (post, number) index)."""
    return Comment.objects.published().filter(post=OuterRef("pk"), number__gt=after).order_by()


def _new_count(after: int) -> Subquery:
    counted = _published_after(after).values("post").annotate(count=Count("pk")).values("count")
    return Subquery(counted, output_field=IntegerField())


def _number(after: int, order: str) -> Subquery:
    """The lowest or highest published number above `after`: one step along the index."""
    return Subquery(_published_after(after).order_by(order).values("number")[:1])


def _count(post_id: int, after: int) -> dict | None:
    """Published comments after `after` on a live post, in one query; None: no such post."""
    row = (
        Post.objects.published()
        .filter(pk=post_id)
        .annotate(
            new=Coalesce(_new_count(after), 0),
            first=_number(after, "number"),
            last=_number(0, "-number"),
        )
        .values("slug", "published_at", "new", "first", "last")
        .first()
    )
    if row is None:
        return None
    first_url = None
    if row["first"] is not None:
        date = row["published_at"]
        first_url = reverse(
            "comments:permalink",
            kwargs={
                "year": date.year,
                "month": date.month,
                "day": date.day,
                "slug": row["slug"],
                "number": row["first"],
            },
        )
    return {
        "after": after,
        "new": row["new"],
        "first": row["first"],
        "first_url": first_url,
        "last": row["last"] or 0,
    }


def _key(post_id: int, version: int, after: int) -> str:
    return f"live:{post_id}:{version}:{after}"


def new_comments_since(*, post_id: int, after: int) -> NewComments | None:
    """Comments published on a live post after number `after`; None when no reader may see
    the post. Kept under the post's version counter only where every process shares it."""
    shared = page_cache.seconds() > 0
    version = cache_keys.post_version_started(post_id) if shared else None
    if version is not None:
        kept = cache.get(_key(post_id, version, after))
        if kept is not None:
            return kept
    data = _count(post_id, after)
    if data is None:
        return None
    body = json.dumps(data, separators=(",", ":")).encode()
    answer = NewComments(body=body, etag=f'"{cache_keys.content_digest(body)}"')
    if version is not None:
        # A post unpublished since bumps its version, so this entry is never found again.
        cache.set(_key(post_id, version, after), answer, page_cache.seconds())
    return answer
