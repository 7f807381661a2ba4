"""Import benchmark (issue 9): a generated Movable Type export of 100,000 comments over 500 posts.

Prints one JSON line per measurement:

    {"bench": "import", "source": "mt-file" | "records", "posts": 500, "comments": 100000,
     "seconds": …, "comments_per_s": …, "cpu_s": …, "peak_mb": …, "inference": true}

With the Movable Type reader installed (imports/formats/movabletype.py) the file
goes through `manage.py import_blog` whole: reading, inference, writing,
report. Without it, the same posts are built as `SourcePost` records in memory
and written through `import_post` with inference (`source: "records"`).
`peak_mb` is the process's peak resident memory (ru_maxrss; run from bench/run.py
it includes what the earlier benchmarks used).

Run by bench/run.py (BENCH_IMPORTS=0 skips it; BENCH_IMPORT_POSTS and
BENCH_IMPORT_COMMENTS change the size), or alone: `python bench/imports.py`.
"""

import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

POSTS = int(os.environ.get("BENCH_IMPORT_POSTS", "500"))
COMMENTS = int(os.environ.get("BENCH_IMPORT_COMMENTS", "100000"))
NAMES = ["Steve", "Marta", "Lee", "Ann B.", "Tom", "JoAnn", "Karl", "Priya", "Olu", "Mei"]
PHRASES = [
    "The vote is a distraction from the real budget question.",
    "Read the minutes before you comment, please.",
    "That is not what the council said in <i>2015</i>.",
    "I agree with most of this, but the zoning part is wrong.",
    "Turnout was low because nobody explained the stakes.",
    'Link: <a href="http://example.org/report">the report</a> says otherwise.',
]
START = datetime(2017, 1, 1, 8, 0, tzinfo=UTC)


def _comment_texts(rng: random.Random, count: int) -> Iterator[tuple[str, str, str]]:
    """(name, email, body) with the reference habits of the seed page: @N, #N, @Name."""
    for number in range(1, count + 1):
        name = rng.choice(NAMES)
        body = rng.choice(PHRASES)
        roll = rng.random()
        if number > 1 and roll < 0.25:
            body = f"@{rng.randint(1, number - 1)} {body}"
        elif number > 1 and roll < 0.35:
            body = f"#{rng.randint(1, number - 1)} {body}"
        elif number > 1 and roll < 0.45:
            body = f"@{rng.choice(NAMES)} {body}"
        email = f"{name.lower().replace(' ', '').replace('.', '')}@example.net"
        yield name, email, body + "\n\n" + rng.choice(PHRASES)


def _post_times(index: int) -> datetime:
    return START + timedelta(days=index)


def write_mt_export(path: Path, *, posts: int, comments: int, seed: int = 9) -> None:
    """An MT export like Typepad's: entries newest first, comments oldest first."""
    rng = random.Random(seed)
    per_post = comments // posts
    with open(path, "w", encoding="utf-8") as out:
        for index in reversed(range(posts)):
            when = _post_times(index)
            out.write(
                f"AUTHOR: Ada Byline\nAUTHOR EMAIL: ada@example.org\nTITLE: Post number {index}\n"
                f"BASENAME: post_{index}\nSTATUS: Publish\nALLOW COMMENTS: 1\n"
                f"CONVERT BREAKS: 1\nPRIMARY CATEGORY: Politics\nCATEGORY: Politics\n"
                f"DATE: {when:%m/%d/%Y %I:%M:%S %p}\n"
                f"UNIQUE URL: http://bench.typepad.com/blog/{when:%Y/%m}/post_{index}.html\n"
                f"-----\nBODY:\n<p>Body of post {index}.</p>\n-----\n"
            )
            for offset, (name, email, body) in enumerate(_comment_texts(rng, per_post), 1):
                at = when + timedelta(minutes=offset)
                out.write(
                    f"COMMENT:\nAUTHOR: {name}\nEMAIL: {email}\nIP: 203.0.113.{offset % 250}\n"
                    f"URL: \nDATE: {at:%m/%d/%Y %I:%M:%S %p}\n{body}\n-----\n"
                )
            out.write("--------\n")


def source_posts(*, posts: int, comments: int, seed: int = 9):
    """The same export as records, one post at a time."""
    from imports.records import SourceComment, SourcePost

    rng = random.Random(seed)
    per_post = comments // posts
    for index in reversed(range(posts)):
        when = _post_times(index)
        yield SourcePost(
            title=f"Post number {index}",
            published_at=when,
            body_html=f"<p>Body of post {index}.</p>",
            author_name="Ada Byline",
            author_email="ada@example.org",
            basename=f"post_{index}",
            convert_breaks="1",
            primary_category="Politics",
            categories=["Politics"],
            old_url=f"http://bench.typepad.com/blog/{when:%Y/%m}/post_{index}.html",
            comments=[
                SourceComment(
                    author_name=name,
                    author_email=email,
                    ip_address=f"203.0.113.{offset % 250}",
                    created_at=when + timedelta(minutes=offset),
                    body_html=body,
                )
                for offset, (name, email, body) in enumerate(_comment_texts(rng, per_post), 1)
            ],
        )


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _has_mt_reader() -> bool:
    try:
        from imports.formats import reader_module

        reader_module("mt")
    except ImportError:
        return False
    return True


def run(*, emit: Callable[[dict], None], posts: int = POSTS, comments: int = COMMENTS) -> dict:
    """Import the generated blog once into the current (empty) database; emit and return it."""
    from io import StringIO

    from django.core.management import call_command

    from comments.models import Comment
    from imports.inference import infer_threads
    from imports.models import ImportRun
    from imports.writing import AuthorMap, import_post

    before = Comment.objects.count()
    with tempfile.TemporaryDirectory() as folder:
        if _has_mt_reader():
            source = "mt-file"
            export = Path(folder) / "bench-export.txt"
            write_mt_export(export, posts=posts, comments=comments)
            started, cpu_started = time.perf_counter(), time.process_time()
            call_command(
                "import_blog",
                str(export),
                "--format",
                "mt",
                "--timezone",
                "UTC",
                "--report",
                str(Path(folder) / "report"),
                stdout=StringIO(),
                stderr=StringIO(),
            )
        else:
            source = "records"
            run_row = ImportRun.objects.create(file_name="bench (records)", format="mt")
            authors = AuthorMap()
            started, cpu_started = time.perf_counter(), time.process_time()
            for record in source_posts(posts=posts, comments=comments):
                outcome = import_post(
                    source=record,
                    inference=infer_threads(record, post_author_names=(record.author_name,)),
                    run=run_row,
                    authors=authors,
                    dry_run=False,
                )
                assert outcome.action == "created", outcome.problems
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
    stored = Comment.objects.count() - before
    result = {
        "bench": "import",
        "source": source,
        "posts": posts,
        "comments": stored,
        "seconds": round(seconds, 2),
        "comments_per_s": round(stored / seconds),
        # This process's own CPU time (reading, inference, rendering; not PostgreSQL's):
        # on a shared machine the wall clock also counts waiting for a core.
        "cpu_s": round(cpu_seconds, 2),
        "peak_mb": _peak_mb(),
        "inference": True,
    }
    emit(result)
    return result


def main() -> None:
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    import json

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DATABASES["default"]["TEST"]["NAME"] = "riposte_bench_imports"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(emit=lambda result: print(json.dumps(result), flush=True))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
