"""`manage.py import_blog`: options, dry run, summary, report files, bad input (issue 9)."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from blog.models import Post
from comments.models import Comment
from imports import formats
from imports.models import ImportRun
from imports.records import InferredLink, SourceProblem, ThreadInference
from imports.writing import comments as comment_writing
from tests.factories import PostFactory, UserFactory

from .conftest import comment, flat_thread, source_post

pytestmark = pytest.mark.django_db


def run_command(path, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_blog", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def two_posts() -> list:
    return [
        source_post("First post", comments=flat_thread()),
        SourceProblem(line=42, message="DATE 13/45/2017 is not a date; entry skipped"),
        source_post(
            "Second post",
            basename="second",
            comments=[comment("Ola", 1, "Hello"), comment("Per", 2, "@1 hi")],
        ),
    ]


@pytest.fixture
def inference(monkeypatch):
    """Inference that links every "@1 …" comment to comment 1 (index 0)."""

    def infer(post, **kwargs):
        links = [
            InferredLink(child=i, parent=0, rule="number", confidence=0.9, evidence="@1")
            for i, c in enumerate(post.comments)
            if c.body_html.startswith("@1")
        ]
        return ThreadInference(links=links)

    monkeypatch.setattr("imports.management.commands.import_blog.infer_threads", infer)


def test_import_writes_posts_comments_and_a_summary(stand_in_reader, inference, tmp_path):
    out, _ = run_command(stand_in_reader(two_posts()), "--report", str(tmp_path / "r"))
    assert Post.objects.count() == 2 and Comment.objects.count() == 6
    assert "created 2" in out
    assert "added 6" in out
    assert re.search(r"Inferred links by rule +number 2\n", out)
    assert "line 42: DATE 13/45/2017 is not a date" in out
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FINISHED and not run.is_dry_run
    assert run.counts["posts"]["created"] == 2
    assert run.counts["comments"]["added"] == 6


def test_report_files_say_what_was_imported_inferred_and_skipped(
    stand_in_reader, inference, tmp_path
):
    out, _ = run_command(stand_in_reader(two_posts()), "--report", str(tmp_path / "report.html"))
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["counts"]["inferred_links"] == {"number": 2}
    assert data["counts"]["inferred_links_by_confidence"] == {"high": 2, "medium": 0, "low": 0}
    assert data["skipped"] == [
        {"line": 42, "what": "post", "why": "DATE 13/45/2017 is not a date; entry skipped"}
    ]
    assert [row["title"] for row in data["posts"]] == ["First post", "Second post"]
    # Issue 9: each inferred link, with its rule, confidence and evidence.
    assert [
        (row["post"], row["comment"], row["parent"], row["rule"], row["confidence"])
        for row in data["inferred"]
    ] == [("First post", 2, 1, "number", 0.9), ("Second post", 2, 1, "number", 0.9)]
    assert data["inferred"][0]["evidence"] == "@1"
    html = (tmp_path / "report.html").read_text()
    assert "First post" in html and "13/45/2017" in html
    assert "Inferred reply links" in html
    assert f"Report: {tmp_path / 'report.html'}" in out
    assert ImportRun.objects.get().report_path == str(tmp_path / "report.html")


def test_report_goes_under_media_root_by_default(stand_in_reader, settings):
    out, _ = run_command(stand_in_reader(two_posts()))
    run = ImportRun.objects.get()
    assert run.report_path.startswith(str(settings.MEDIA_ROOT / "imports"))
    assert run.report_path in out


def test_dry_run_writes_nothing_and_says_so(stand_in_reader, inference, tmp_path):
    out, _ = run_command(stand_in_reader(two_posts()), "--dry-run", "--report", str(tmp_path / "r"))
    assert not Post.objects.exists() and not Comment.objects.exists()
    assert "Dry run: nothing was written" in out
    assert "created 2" in out and "added 6" in out
    run = ImportRun.objects.get()
    assert run.is_dry_run and run.counts["posts"]["created"] == 2
    assert json.loads((tmp_path / "r.json").read_text())["dry_run"] is True


def test_running_again_changes_nothing(stand_in_reader, inference):
    path = stand_in_reader(two_posts())
    run_command(path)
    out, _ = run_command(path)
    assert "created 0, updated 0, unchanged 2" in out
    assert "added 0, unchanged 6" in out
    assert Comment.objects.count() == 6


class Terminal(StringIO):
    """A stderr that says it is a terminal, as the progress bar wants."""

    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_a_progress_bar_with_posts_comments_and_rate(stand_in_reader):
    """Issue 9: long files show progress: posts, comments and comments per second."""
    terminal = Terminal()
    call_command(
        "import_blog", str(stand_in_reader(two_posts())), stdout=StringIO(), stderr=terminal
    )
    bar = terminal.getvalue()
    assert "Importing: 2 posts" in bar
    assert "comments=6" in bar and "per_s=" in bar


def test_no_progress_bar_where_nobody_watches(stand_in_reader):
    out, err = run_command(stand_in_reader(two_posts()))
    assert "Importing" not in out + err


def test_no_infer_keeps_comment_sections_flat(stand_in_reader, inference):
    run_command(stand_in_reader(two_posts()), "--no-infer")
    assert not Comment.objects.filter(parent__isnull=False).exists()


def test_a_reader_that_breaks_keeps_what_was_read(stand_in_reader, monkeypatch):
    def breaking(path, **kwargs):
        yield source_post("Read before the break")
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    path = stand_in_reader([])
    monkeypatch.setattr(formats, "read_source", breaking)
    out, _ = run_command(path)
    assert Post.objects.get().title == "Read before the break"
    assert "Reading stopped early" in out
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_authors_map_csv_maps_authors_to_users(stand_in_reader, tmp_path):
    editor = UserFactory(username="editor", is_staff=True)
    mapping = tmp_path / "authors.csv"
    mapping.write_text("name,email,username\nAda Byline,,editor\n")
    run_command(stand_in_reader(two_posts()), "--authors", str(mapping))
    assert set(Post.objects.values_list("author", flat=True)) == {editor.pk}


def test_disqus_map_csv_sends_threads_to_posts(stand_in_reader, tmp_path):
    target = PostFactory(slug="target")
    mapping = tmp_path / "map.csv"
    mapping.write_text("url,post\nhttps://old.example.com/p/1,target\n")
    thread = source_post(
        published_at=None,
        old_url="https://old.example.com/p/1",
        is_comments_only=True,
        source_id="disqus:1",
        comments=[comment("Nia", 1, "From Disqus")],
    )
    run_command(stand_in_reader([thread]), "--map", str(mapping))
    assert target.comments.get().guest_name == "Nia"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timezone", "Mars/Olympus"], "Unknown time zone"),
        (["--encoding", "klingon-8"], "Unknown encoding"),
        (["--authors", "nowhere.csv"], "is neither"),
        (["--format", "lotus"], "invalid choice"),
        (["--media-dir", "/no/such/dir"], "is not a folder"),
    ],
)
def test_bad_options_are_refused_with_a_message(stand_in_reader, args, message):
    with pytest.raises(CommandError, match=message):
        run_command(stand_in_reader(two_posts()), *args)
    assert not ImportRun.objects.exists()


def test_a_missing_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run_command(tmp_path / "missing.txt")


def test_an_unrecognised_file_is_refused(stand_in_reader, monkeypatch):
    path = stand_in_reader([])

    def unknown(path):
        raise formats.UnknownFormat("export.txt is not a format Riposte imports")

    monkeypatch.setattr(formats, "sniff_format", unknown)
    with pytest.raises(CommandError, match="not a format Riposte imports"):
        run_command(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("who,what\nAda,editor\n", "needs a header"),
        ("name,username\nAda Byline,\n", "give a username"),
        ("name,username\nAda Byline,ghost\n", "don't exist: ghost"),
    ],
)
def test_a_bad_authors_map_is_refused(stand_in_reader, tmp_path, content, message):
    mapping = tmp_path / "authors.csv"
    mapping.write_text(content)
    with pytest.raises(CommandError, match=message):
        run_command(stand_in_reader(two_posts()), "--authors", str(mapping))


def test_a_bad_disqus_map_is_refused(stand_in_reader, tmp_path):
    mapping = tmp_path / "map.csv"
    mapping.write_text("thread\nx\n")
    with pytest.raises(CommandError, match="needs a header `url,post`"):
        run_command(stand_in_reader(two_posts()), "--map", str(mapping))


def test_a_post_that_fails_is_reported_and_the_others_import(
    stand_in_reader, monkeypatch, tmp_path
):
    real = comment_writing.comments_import

    def fail_for_the_first(**kwargs):
        if kwargs["post"].title == "First post":
            raise ValueError("a broken record")
        return real(**kwargs)

    monkeypatch.setattr(comment_writing, "comments_import", fail_for_the_first)
    path = stand_in_reader(two_posts())
    out, _ = run_command(path, "--report", str(tmp_path / "r"))
    assert list(Post.objects.values_list("title", flat=True)) == ["Second post"]
    assert "failed 1" in out and "a broken record" in out
    monkeypatch.setattr(comment_writing, "comments_import", real)
    out, _ = run_command(path)
    assert "created 1, updated 0, unchanged 1" in out
    assert Comment.objects.count() == 6


def test_inference_of_a_comments_only_record_continues_the_posts_numbers(
    stand_in_reader, monkeypatch
):
    run_command(stand_in_reader(two_posts(), name="blog.txt"), "--no-infer")
    target = Post.objects.get(title="First post")
    seen = {}

    def infer(post, **kwargs):
        seen.update(kwargs)
        return ThreadInference()

    monkeypatch.setattr("imports.management.commands.import_blog.infer_threads", infer)
    thread = source_post(
        published_at=None,
        old_url=f"https://old.example.com{target.get_absolute_url()}",
        is_comments_only=True,
        source_id="disqus:7",
        comments=[comment("Nia", 30, "@4 late reply")],
    )
    run_command(stand_in_reader([thread], name="disqus.xml"))
    assert seen["first_number"] == 5
    assert [(number, c.author_name) for number, c in seen["known"]] == [
        (1, "Steve"),
        (2, "Marta"),
        (3, "Lee"),
        (4, "Marta"),
    ]
