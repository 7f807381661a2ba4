"""The line at the head of a post's comments: "312 comments from 87 people · latest
5 Oct 2017, 16:05 (#312)", out of what every reader may see, the same for all of them.

People are counted by account; guests, who have none, by name (case ignored: two
guests who chose one name count once, one guest under two names twice); comments
of deleted accounts count no one. Held, shadowed, removed or withdrawn comments
count nothing.

A page that shows every comment of its post already holds the rows the line is
made of, so the thread counts it as it renders (`summary_of_rows`, cached with the
thread); a post of several pages asks PostgreSQL (`summary_of_post`, one query, cached
under the same versions of the post row as its thread).
"""

from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, IntegerField, Q, Subquery
from django.db.models.functions import Lower

from blog import cache_keys
from comments.models import Comment


class Summary(NamedTuple):
    comments: int  # published comments: the count the post's byline and heading show
    people: int
    latest_number: int | None  # the newest published comment; None when there is none
    latest_iso: str  # its time for <time datetime>, in UTC as the cards print it
    latest_text: str  # its time as the cards print it, in the site's time zone


NONE = Summary(0, 0, None, "", "")


def summary_of_rows(rows) -> Summary:
    """The summary of a post from the thread rows of all its comments, in any order
    (comments.rendering.ROW_FIELDS)."""
    published = Comment.Status.PUBLISHED
    accounts, guests, latest, count = set(), set(), None, 0
    for row in rows:
        if row.status != published:
            continue
        count += 1
        if row.author_id is not None:
            accounts.add(row.author_id)
        elif row.guest_name:
            guests.add(row.guest_name.lower())
        if latest is None or row.number > latest.number:
            latest = row
    if latest is None:
        return NONE
    return Summary(
        count, len(accounts) + len(guests), latest.number, latest.created_iso, latest.created_text
    )


def summary_of_post(post, *, cache_seconds: int) -> Summary:
    """The summary of a post in one query, cached for `cache_seconds` (0: not cached)."""
    if not post.last_comment_number:
        return NONE  # no comment yet: nothing to ask
    key = cache_keys.comment_summary(post)
    found = cache.get(key) if cache_seconds > 0 else None
    if found is None:
        published = Comment.objects.published().filter(post=post).order_by()
        guests = Q(author__isnull=True) & ~Q(guest_name="")
        counts = published.values("post").annotate(
            comments=Count("pk"),
            people=Count("author", distinct=True)
            + Count(Lower("guest_name"), distinct=True, filter=guests),
        )
        newest = (
            published.with_display_times()
            .order_by("-number")
            .annotate(
                comments=Subquery(counts.values("comments"), output_field=IntegerField()),
                people=Subquery(counts.values("people"), output_field=IntegerField()),
            )
            .values_list("comments", "people", "number", "created_iso", "created_text")
            .first()
        )
        found = tuple(newest) if newest else tuple(NONE)
        if cache_seconds > 0:
            cache.set(key, found, cache_seconds)
    return Summary(*found)
