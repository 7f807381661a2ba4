"""Benchmarks: print one JSON object per line. Never part of the test suite.

Creates a throw-away database `riposte_bench` on the configured server, seeds
it, times public pages through Django's test client (full middleware and
template rendering, no network) and drops the database again. A one-line
summary goes to stderr at the end.

Then bench/load.py measures the production stack under load (wrk through nginx
and gunicorn at 2 and 4 workers, and a mixed read/write run); BENCH_LOAD=0 skips it.

Environment: BENCH_REPEATS (timed requests per measurement, default 30),
BENCH_COMMENT_SIZES (default "100,1000,5000"), BENCH_BLOG=0 skips the blog pages,
BENCH_IMPORTS=0 skips the import of a generated 100,000-comment export (bench/imports.py).
BENCH_DATABASE (default riposte_bench) names the throw-away database.
BENCH_THROUGHPUT=0 skips the page_throughput row (bench/throughput.py).
BENCH_LOAD=0 skips the load run (see bench/load.py for its own variables).
"""

import gc
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

# Run as `python bench/run.py`, the script's folder would come first on the path
# and bench/comments.py would shadow the comments app.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench import comments  # noqa: E402
from bench import imports as import_bench  # noqa: E402
from bench.seed import seed_posts  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "30"))
COMMENT_SIZES = tuple(
    int(size) for size in os.environ.get("BENCH_COMMENT_SIZES", "100,1000,5000").split(",")
)
RUN_BLOG = os.environ.get("BENCH_BLOG", "1") != "0"
RUN_IMPORTS = os.environ.get("BENCH_IMPORTS", "1") != "0"
# Issue 9's target for importing with thread inference on.
IMPORT_TARGET_PER_S = 2000
RUN_LOAD = os.environ.get("BENCH_LOAD", "1") != "0"
# The post the targets are stated for.
TARGET_SIZE = 1000
# Issue 3's target for a reply is 10 queries. Issue 12 then moved the reply's
# notification into the reply's own transaction (the outbox: one statement queues the
# job), where before it took four queries after the commit.
REPLY_JOB_QUERIES = 1


def emit(result: dict) -> None:
    print(json.dumps(result), flush=True)


def measure(client: Client, url: str) -> dict:
    """Median and best wall time of GET url, plus its query count and size."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Count now: every later request clears the connection's query log.
    query_count = len(queries)
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "median_ms": round(statistics.median(timings), 2),
        "min_ms": round(min(timings), 2),
        "queries": query_count,
        "bytes": len(response.content),
    }


def blog_benchmarks() -> None:
    """blog_page lines: the public pages with 10 and with 1,000 posts."""
    client = Client()
    for n_posts in (10, 1000):
        sample = seed_posts(n_posts)
        pages = {
            "home": "/",
            "post_detail": sample.get_absolute_url(),
            "tag": sample.tags.first().get_absolute_url(),
            "archive_month": f"/{sample.published_at:%Y/%m}/",
            "search": "/search/?q=pipeline+ministry",
            "feed_rss": "/feed/rss/",
            "sitemap": "/sitemap.xml",
        }
        for page, url in pages.items():
            emit({"bench": "blog_page", "page": page, "posts": n_posts, **measure(client, url)})


def summary(report: dict, seconds: float, imported: dict | None = None) -> str:
    """One line: the issue's targets on the 1,000-comment post, and the run's cost."""
    parts = []
    size = TARGET_SIZE if TARGET_SIZE in report else max(report, default=None)
    if size is not None:
        results = report[size]["results"]
        pages = [r for r in results if r["bench"] == "post_page"]
        anonymous = [r for r in pages if "reader" not in r]
        cold = max(r["ratio"] for r in anonymous if r["cache"] == "cold")
        warm = max(r["ratio"] for r in anonymous if r["cache"] == "warm")
        warm_queries = max(r["queries"] for r in anonymous if r["cache"] == "warm")
        signed_in = max(
            r["median_ms"] / next(a["median_ms"] for a in anonymous if a["view"] == r["view"])
            for r in pages
            if r.get("reader") == "signed_in"
        )
        size_ratio = max(r["bytes"] / r["floor_bytes"] for r in anonymous)
        reply = next(r for r in results if r["bench"] == "post_reply")
        load = next((r for r in results if r["bench"] == "page_throughput"), None)

        def verdict(ok: bool) -> str:
            return "ok" if ok else "MISSED"

        parts.append(
            f"{size} comments: uncached page {cold:.1f}x floor (target 4x, {verdict(cold <= 4)}),"
            f" cached {warm:.2f}x in {warm_queries} queries"
            f" (target 1.2x and 0, {verdict(warm <= 1.2 and warm_queries == 0)}),"
            f" signed-in {signed_in:.2f}x uncached (target 1.5x, {verdict(signed_in <= 1.5)}),"
            f" bytes {size_ratio:.2f}x floor (target 1.3x, {verdict(size_ratio <= 1.3)}),"
            f" reply {reply['median_ms']:.0f} ms in {reply['queries']} queries"
            f" (target 10 + {REPLY_JOB_QUERIES} for its queued notification,"
            f" {verdict(reply['queries'] <= 10 + REPLY_JOB_QUERIES)})"
        )
        if load is not None:
            parts.append(
                f"under load {load['app_rps']:.0f} req/s through nginx (gunicorn alone"
                f" {load['direct_rps']:.0f}) against nginx's static {load['static_rps']:.0f}"
                f" ({load['ratio']:.2f}, target 0.5, {verdict(load['ratio'] >= 0.5)})"
            )
    if imported is not None:
        rate = imported["comments_per_s"]
        parts.append(
            f"import {rate} comments/s (target {IMPORT_TARGET_PER_S}, "
            f"{'ok' if rate >= IMPORT_TARGET_PER_S else 'MISSED'}), peak {imported['peak_mb']} MB"
        )
    seeding = sum(entry["seed_s"] for entry in report.values())
    parts.append(f"seeding comments {seeding:.0f} s, whole run {seconds:.0f} s")
    return "bench: " + "; ".join(parts)


def main() -> None:
    started = time.perf_counter()
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    setup_test_environment()
    # The reply benchmark posts a reply every few milliseconds from one account: the
    # flood limits (cache counters, no queries) would refuse it after five.
    # One process with its own cache: the anonymous page cache is coherent here, as it is
    # with Redis in production (config/settings.py).
    settings.RIPOSTE_PAGE_CACHE_SECONDS = 60
    os.environ["RIPOSTE_PAGE_CACHE_SECONDS"] = "60"  # the throughput bench's gunicorn, read-only
    # The bars are for a page of 1,000 comments; readers get 50 a page by default.
    settings.COMMENTS_PER_PAGE = 1000
    os.environ["COMMENTS_PER_PAGE"] = "1000"  # the throughput bench's gunicorn too
    for limit in (
        "COMMENTS_RATE_ACCOUNT_PER_MINUTE",
        "COMMENTS_RATE_ACCOUNT_PER_HOUR",
        "COMMENTS_RATE_IP_PER_MINUTE",
        "COMMENTS_RATE_IP_PER_HOUR",
    ):
        setattr(settings, limit, 0)
    # WhiteNoise warns that STATIC_ROOT was never collected; the bench serves no static files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    # Update, not replace: Django filled in the other TEST defaults (CHARSET…) at setup.
    settings.DATABASES["default"]["TEST"]["NAME"] = os.environ.get(
        "BENCH_DATABASE", "riposte_bench"
    )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    # As config/wsgi.py does in production: what is loaded now stays out of full collections.
    gc.collect()
    gc.freeze()
    try:
        if RUN_BLOG:
            blog_benchmarks()
        else:
            seed_posts(10)
        report = comments.run(REPEATS, sizes=COMMENT_SIZES, emit=emit)
        imported = import_bench.run(emit=emit) if RUN_IMPORTS else None
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(summary(report, time.perf_counter() - started, imported), file=sys.stderr)
    if RUN_LOAD:
        from bench import load

        load.main()


if __name__ == "__main__":
    main()
