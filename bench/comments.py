"""Comment benchmarks (issue 3): the post page against its floor, and posting a reply.

For posts with 100, 1,000 and 5,000 comments (seeded through `comment_create`, see
bench/seed.py) this prints one JSON object per line:

- `post_page` for the threaded and the chronological view, "cold" (Django's cache
  cleared before each timed request) and "warm": the median of full GET requests of
  the post page through Django's test client as an anonymous reader, the queries of
  one such request and the response size. `floor_ms` is the median of the fastest
  this could be in Python: one raw psycopg query for the same rows (the columns of
  `rendering.ROW_FIELDS`, author names joined, same ORDER BY), then the same HTML the
  app produces for them (checked byte for byte) built with plain string joins.
  `ratio` = median_ms / floor_ms. Floor, cold and warm requests are interleaved so
  that load from elsewhere on the machine hits all three alike. `floor_bytes` is the
  size of the floor's HTML; the warm row adds `gzip_bytes`, the page as sent to a
  browser that accepts gzip. A third row, `"reader": "signed_in"`, is a signed-in
  reader's page (their thread from the cache, the rest of the page theirs).
- `page_throughput` (1,000 comments): requests per second of the anonymous page
  under load, served through the production nginx config in front of the app
  (gunicorn, 2 workers), by gunicorn alone, and the same bytes served as a static
  file by nginx (bench/throughput.py).
- `live_poll`: the post page's poll for newly published comments (comments/live.py):
  the median of a repeated poll (a 304 from the cache) and its queries, and the same
  poll without shared version counters (`uncached_median_ms`, `uncached_queries`).
- `post_reply`: the median of a signed-in reader replying to random published
  comments through the real view (redirect not followed), and the most queries any
  of ten such requests needed (the count depends on the case).
"""

import gc
import os
import random
import re
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from html import escape

import psycopg
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from psycopg import sql

from accounts import badges
from accounts.models import User
from bench import throughput
from bench.seed import comment_body, seed_comment_post, seed_commenters
from blog.models import Post
from comments import rendering, tree
from comments.models import Comment
from comments.section import VIEW_COOKIE

SIZES = (100, 1000, 5000)
# The post whose anonymous page is put under load (bench/throughput.py).
THROUGHPUT_SIZE = 1000
# BENCH_THROUGHPUT=0 skips page_throughput (a minute of wrk and nginx).
RUN_THROUGHPUT = os.environ.get("BENCH_THROUGHPUT", "1") != "0"

_COLUMNS = (
    "c.number, c.parent_number, c.depth, c.root_number, c.status, c.body_html, "
    "c.referenced_numbers, "
    "to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"'), "
    "to_char(c.created_at AT TIME ZONE %(zone)s, 'FMDD Mon YYYY, HH24:MI'), "
    "c.edited_at IS NOT NULL, c.author_id, u.username, "
    "u.display_name, c.guest_name, c.guest_email"
)
_ORDER = {
    rendering.THREADED: "c.root_number, c.thread_position",
    rendering.CHRONOLOGICAL: "c.number",
}
_PAGE = {
    rendering.THREADED: "c.root_number BETWEEN %s AND %s",
    rendering.CHRONOLOGICAL: "c.number BETWEEN %s AND %s",
}


def clock(action: Callable[[], object]) -> float:
    """Milliseconds one call of `action` takes."""
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


# ─── The floor ───────────────────────────────────────────────────────────────


def raw_connection() -> psycopg.Connection:
    """A plain psycopg connection to Django's database, in the site's time zone.

    Times then arrive ready to print, as the app prints them after converting.
    """
    settings = connection.settings_dict
    params = {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "host": settings["HOST"],
        "port": settings["PORT"],
    }
    conn = psycopg.connect(
        autocommit=True, **{key: value for key, value in params.items() if value}
    )
    conn.execute(sql.SQL("SET TIME ZONE {}").format(sql.Literal(django_settings.TIME_ZONE)))
    return conn


class Floor:
    """The fastest the comment list of one page could be fetched and rendered in Python."""

    def __init__(self, conn: psycopg.Connection, post: Post, view: str) -> None:
        self.conn = conn
        self.post_id = post.pk
        self.threaded = view == rendering.THREADED
        per_page = rendering.per_page()
        # The page's bounds are fixed by the data; the app computes them per request
        # (one GROUP BY for posts past COMMENTS_PER_PAGE), the floor gets them for free.
        self.bounds = rendering.thread_pages(post)[0] if self.threaded else (1, per_page)
        self.query = (
            sql.SQL(
                "SELECT {columns} FROM {comments} c LEFT JOIN {users} u ON u.id = c.author_id "
                "WHERE c.post_id = %s AND {page} ORDER BY {order}"
            )
            .format(
                columns=sql.SQL(
                    _COLUMNS.replace(
                        "%(zone)s", sql.Literal(django_settings.TIME_ZONE).as_string(conn)
                    )
                ),
                comments=sql.Identifier(Comment._meta.db_table),
                users=sql.Identifier(User._meta.db_table),
                page=sql.SQL(_PAGE[view]),
                order=sql.SQL(_ORDER[view]),
            )
            .as_string(conn)
        )
        reply_url = reverse("comments:reply", kwargs={"post_id": post.pk, "number": 0})
        self.reply_base = reply_url.removesuffix("0/reply/")
        self.link_base = Comment(post=post, number=0).get_absolute_url().removesuffix("0/")
        self.max_depth = rendering.max_visual_depth()
        self.replies_shown = rendering.replies_shown()

    def rows(self) -> list[tuple]:
        with self.conn.cursor() as cursor:
            cursor.execute(self.query, (self.post_id, *self.bounds))
            return cursor.fetchall()

    def html(self) -> str:
        """The comment list as the page marks it up: name line, time, parent link, body,
        actions, backlinks, and in the threaded view nested, collapsible reply lists."""
        rows = self.rows()
        reply_base, link_base, max_depth = self.reply_base, self.link_base, self.max_depth
        numbers = {row[0] for row in rows}

        def link(m: int) -> str:
            return f"#c{m}" if m in numbers else f"{link_base}{m}/"

        backlinks: dict[int, list[int]] = {}
        for n, parent, _, _, _, _, refs, *_ in rows:
            for target in {parent, *refs} if refs else (parent,):
                if target is not None and target != n:
                    backlinks.setdefault(target, []).append(n)
        below: dict[int, int] = {}
        if self.threaded:
            # Reversed depth-first order meets every reply before the comment it answers.
            for n, parent, *_ in reversed(rows):
                if parent is not None:
                    below[parent] = below.get(parent, 0) + 1 + below.get(n, 0)
        parts = []
        append = parts.append
        level = previous = 0
        if self.threaded:
            # Where long reply lists fold: the same rule as the app (comments.tree.folds).
            fold_at = tree.folds(
                [min(row[2], max_depth) for row in rows], replies_shown=self.replies_shown
            )
            folded = [False] * (max_depth + 2)
        names: dict = {}
        profile_prefix = badges.profile_url_prefix()
        for index, row in enumerate(rows):
            n, parent, depth, _, _, body, _, iso, text, _, author, user, shown, guest = row[:14]
            guest_email = row[14]
            # Author marks as the app draws them, once per author (bench commenters
            # hold no staff role, so no role lookup is needed).
            key = author if author is not None else (guest, guest_email)
            name = names.get(key)
            if name is None:
                name = names[key] = _author_html(
                    author, user or "", shown or "", guest, guest_email, profile_prefix
                )
            # Timestamps formatted by PostgreSQL, as the app does (the fastest way).
            meta = f'<time datetime="{iso}">{text}</time>'
            if parent is not None:
                meta += (
                    f' · <span class="comment__in-reply">in reply to <a class="comment-ref" '
                    f'data-ref="{parent}" href="{link(parent)}">#{parent}</a></span>'
                )
            sources = backlinks.get(n)
            replies = (
                '<p class="comment__backlinks">Replies: '
                + ", ".join(
                    f'<a class="comment-ref" data-ref="{m}" href="{link(m)}">#{m}</a>'
                    for m in sorted(sources)
                )
                + "</p>"
                if sources
                else ""
            )
            if self.threaded:
                new_level = min(depth, max_depth)
                if parts:
                    if new_level > level:
                        folded[new_level] = False
                        count = below[previous]
                        append(
                            '<details class="comment__replies" open><summary>Thread below '
                            f"#{previous}: {count} comment{'' if count == 1 else 's'}</summary>"
                            '<ol class="comment-list">\n'
                        )
                    else:
                        closes = level - new_level + sum(folded[new_level + 1 : level + 1])
                        append("</li>" + "</ol></details></li>" * closes + "\n")
                        size = fold_at.get(index)
                        if size:
                            folded[new_level] = True
                            append(
                                '<li class="comment-fold"><details class="comment__more"><summary>'
                                f"{size} more replies in this thread</summary>"
                                '<ol class="comment-list">\n'
                            )
                level, previous = new_level, n
            # Every card carries its author's controls (shown by the reader's stylesheet).
            own = (
                f'<a class="comment__edit" href="{reply_base}{n}/edit/">Edit'
                f'<span class="visually-hidden"> #{n}</span></a>'
                f'<a class="comment__delete" href="{reply_base}{n}/delete/">Delete'
                f'<span class="visually-hidden"> #{n}</span></a>'
                if author is not None
                else ""
            )
            append(
                f'<li class="comment" id="c{n}" data-n="{n}"'
                f"{f' data-author={chr(34)}{author}{chr(34)}' if author is not None else ''}>"
                f'<article class="comment__card" aria-labelledby="c{n}-name">\n'
                f'<header class="comment__head">\n<h3 class="comment__name" id="c{n}-name">'
                f'<a class="comment__number" href="#c{n}">#{n}</a> {name}</h3>\n'
                f'<p class="comment__meta">{meta}</p>\n</header>\n'
                f'<div class="comment__body">{body}</div>\n<footer class="comment__actions">'
                f'<a class="comment__reply" href="{reply_base}{n}/reply/" data-reply="{n}">'
                f'Reply<span class="visually-hidden"> to #{n}</span></a>'
                f'<a class="comment__quote" href="{reply_base}{n}/reply/?quote=1" '
                f'data-quote="{n}">Quote<span class="visually-hidden"> #{n}</span></a>'
                f'<a class="comment__permalink" href="{link_base}{n}/">Link'
                f'<span class="visually-hidden"> to #{n}</span></a>{own}'
                f'<a class="comment__flag" href="{reply_base}{n}/flag/" rel="nofollow">Flag'
                f'<span class="visually-hidden"> #{n}</span></a>{replies}</footer>\n</article>\n'
            )
            if not self.threaded:
                append("</li>\n")
        if self.threaded and parts:
            append("</li>" + "</ol></details></li>" * (level + sum(folded[1 : level + 1])) + "\n")
        return "".join(parts)


# ─── The benchmarks ──────────────────────────────────────────────────────────


def _author_html(author, username, display_name, guest, guest_email, prefix) -> str:
    """The name part of a card as templates/comments/_comment_author.jinja draws it,
    with string joins (bench commenters hold no staff role: no role badges)."""
    if author is not None:
        return (
            f'<a class="comment__author comment__author--registered" '
            f'href="{escape(prefix)}{escape(username)}/">{escape(display_name or username)}</a>'
        )
    if not guest:
        return '<span class="comment__author comment__author--gone">[deleted account]</span>'
    colour, glyph = badges.guest_mark(guest_email)
    return (
        f'<span class="comment__author">{escape(guest)}</span> '
        f'<span class="comment__badge comment__badge--guest" '
        f'title="Guest: not a registered account">'
        f'<span class="guest-mark guest-mark--{colour}" aria-hidden="true">{glyph}</span>'
        " guest</span>"
    )


def _shown_numbers(content: bytes) -> list[int]:
    """Numbers of the comments in a post page, in page order."""
    return [int(n) for n in re.findall(rb'<li class="comment[^"]*" id="c(\d+)"', content)]


def _check_floor_markup(floor: Floor, post: Post, view: str) -> None:
    """Warn when the floor's HTML drifted from the app's (it should match byte for byte)."""
    app = rendering.build_thread(post, view=view, page=1).html.decode()
    ours = floor.html()
    if ours != app:
        print(
            f"bench: warning: floor HTML for {view} differs from the app's "
            f"({len(ours)} vs {len(app)} characters); update bench.comments.Floor",
            file=sys.stderr,
        )


def bench_page(
    post: Post, view: str, conn: psycopg.Connection, repeats: int, reader: User
) -> list[dict]:
    """Cold and warm post_page results for one view of one post, and the signed-in row."""
    # A returning reader: the remembered view comes from the cookie, not the URL.
    client = Client()
    client.cookies[VIEW_COOKIE] = view
    signed_in = Client()
    signed_in.force_login(reader)
    signed_in.cookies[VIEW_COOKIE] = view
    url = post.get_absolute_url()
    floor = Floor(conn, post, view)

    def get(browser=client, **headers):
        response = browser.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)
        return response

    response = get()
    floor_numbers = [row[0] for row in floor.rows()]
    assert _shown_numbers(response.content) == floor_numbers, "the floor shows other rows"
    _check_floor_markup(floor, post, view)
    floor_bytes = len(floor.html().encode())

    counts, sizes = {}, {}
    for state in ("cold", "warm", "signed_in"):
        if state == "cold":
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = get(signed_in if state == "signed_in" else client)
        # Count now: every later request clears the connection's query log.
        counts[state] = len(queries)
        sizes[state] = len(response.content)
    # On the wire: the cached page goes out gzipped to every browser that accepts it.
    wire_bytes = len(get(HTTP_ACCEPT_ENCODING="gzip").content)

    # Interleaved, so that load from elsewhere on the machine hits all alike.
    samples = {"floor": [], "cold": [], "warm": [], "signed_in": []}
    gc.collect()
    for _ in range(repeats):
        samples["floor"].append(clock(floor.html))
        cache.clear()
        samples["cold"].append(clock(get))
        samples["warm"].append(clock(get))
        samples["signed_in"].append(clock(lambda: get(signed_in)))
    floor_ms = statistics.median(samples["floor"])
    results = []
    for state in ("cold", "warm", "signed_in"):
        median_ms = statistics.median(samples[state])
        row = {
            "bench": "post_page",
            "n": post.last_comment_number,
            "view": view,
            "cache": "cold" if state == "cold" else "warm",
            "median_ms": round(median_ms, 2),
            "floor_ms": round(floor_ms, 2),
            "ratio": round(median_ms / floor_ms, 2),
            "queries": counts[state],
            "bytes": sizes[state],
            "floor_bytes": floor_bytes,
        }
        if state == "warm":
            row["gzip_bytes"] = wire_bytes
        if state == "signed_in":
            # The thread comes from the cache; the rest of the page is this reader's.
            row["reader"] = "signed_in"
        results.append(row)
    return results


def anonymous_page(post: Post) -> bytes:
    """The bytes every anonymous reader gets for the post (for the throughput bench)."""
    response = Client().get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content


def bench_reply(post: Post, reader: User, repeats: int) -> dict:
    """post_reply: a signed-in reader replies to random published comments."""
    client = Client()
    client.force_login(reader)
    rng = random.Random(post.pk)
    published = list(post.comments.published().values_list("number", flat=True))
    n = post.last_comment_number

    def reply():
        parent = rng.choice(published)
        url = reverse("comments:reply", kwargs={"post_id": post.pk, "number": parent})
        data = {
            "body": comment_body(rng, n + 1, parent),
            "parent": parent,
            "submission_token": uuid.uuid4(),
        }
        response = client.post(url, data)
        assert response.status_code == 302, (response.status_code, response.content[:2000])

    # Queries vary with the case (a reply that shifts later positions, a body that
    # cites comments): report the most any of a few replies needed.
    # `queries` is the reply's own transaction (BEGIN … COMMIT); the reply-notification
    # lookup that runs after the commit is reported apart, as `after_commit_queries`.
    query_count = after_commit = 0
    for _ in range(10):
        with CaptureQueriesContext(connection) as queries:
            reply()
        sqls = [q["sql"] for q in queries.captured_queries]
        committed = sqls.index("COMMIT") + 1 if "COMMIT" in sqls else len(sqls)
        query_count = max(query_count, committed)
        after_commit = max(after_commit, len(sqls) - committed)
    gc.collect()
    median_ms = statistics.median(clock(reply) for _ in range(repeats))
    return {
        "bench": "post_reply",
        "n": n,
        "median_ms": round(median_ms, 2),
        "queries": query_count,
        "after_commit_queries": after_commit,
    }


def bench_live_poll(post: Post, repeats: int) -> dict:
    """live_poll: the post page's poller asking what was published after its last number.

    `median_ms` / `queries`: a repeated poll as most are (nothing changed since the
    last one: a 304 answered from the answer kept under the post's version counter).
    `uncached_*`: the same poll where the counters are not shared (local-memory cache,
    several workers), counted by its one query and answered in full.
    """
    client = Client()
    url = reverse(
        "comments:since", kwargs={"post_id": post.pk, "number": post.last_comment_number - 3}
    )
    first = client.get(url)
    assert first.status_code == 200, first.status_code
    etag = first["ETag"]

    def repeat():
        response = client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 304, response.status_code

    def uncached():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    with override_settings(RIPOSTE_PAGE_CACHE_SECONDS=0):
        with CaptureQueriesContext(connection) as queries:
            uncached()
        uncached_queries = len(queries)
        gc.collect()
        uncached_ms = statistics.median(clock(uncached) for _ in range(repeats * 10))
    repeat()  # keeps the answer under the counter again
    with CaptureQueriesContext(connection) as queries:
        repeat()
    cached_queries = len(queries)
    gc.collect()
    median_ms = statistics.median(clock(repeat) for _ in range(repeats * 10))
    return {
        "bench": "live_poll",
        "n": post.last_comment_number,
        "median_ms": round(median_ms, 3),
        "queries": cached_queries,
        "status": 304,
        "uncached_median_ms": round(uncached_ms, 3),
        "uncached_queries": uncached_queries,
        "bytes": len(first.content),
    }


def run(repeats: int, sizes=SIZES, emit: Callable[[dict], None] = print) -> dict:
    """Seed each post, emit its results; return them with seeding seconds, by size."""
    commenters = seed_commenters(random.Random(200))
    reader = User.objects.create(username="bench-reader", display_name="Bench Reader")
    conn = raw_connection()
    report = {}
    try:
        for size in sizes:
            start = time.perf_counter()
            post = seed_comment_post(size, commenters)
            seeded = time.perf_counter() - start
            # As autovacuum would on a live site: plan with statistics of the real data.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            results = []
            for view in rendering.VIEWS:
                results += bench_page(post, view, conn, repeats, reader)
            if size == THROUGHPUT_SIZE and RUN_THROUGHPUT:
                # Before the replies below add comments to the post.
                results.append(throughput.run(post, anonymous_page(post)))
            # Before the replies below, whose page would be behind.
            results.append(bench_live_poll(post, repeats))
            results.append(bench_reply(post, reader, repeats))
            results = [result for result in results if result is not None]
            for result in results:
                emit(result)
            report[size] = {"seed_s": seeded, "results": results}
    finally:
        conn.close()
    return report
