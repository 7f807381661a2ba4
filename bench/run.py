"""Benchmarks: print one JSON object per line. Never part of the test suite.

Creates a throw-away database `riposte_bench` on the configured server, seeds
it, times public pages through Django's test client (full middleware and
template rendering, no network) and drops the database again.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
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

from bench.seed import seed_posts  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "30"))


def measure(client: Client, url: str) -> dict:
    """Median and best wall time of GET url, plus its query count and size."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "median_ms": round(statistics.median(timings), 2),
        "min_ms": round(min(timings), 2),
        "queries": len(queries),
        "bytes": len(response.content),
    }


def main() -> None:
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    setup_test_environment()
    settings.DATABASES["default"]["TEST"] = {"NAME": "riposte_bench"}
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
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
                print(json.dumps({"bench": "blog_page", "page": page, "posts": n_posts,
                                  **measure(client, url)}), flush=True)  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
