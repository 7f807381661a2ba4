"""A Movable Type / Typepad export through `import_blog`, as a blog owner runs it (issue 9).

The export is written here in the format's own shape: entries newest first,
comments oldest first, flat, with the replies readers typed by hand.
"""

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from PIL import Image

from blog.models import Post
from comments.models import Comment
from imports.models import ImportedComment, ImportRun

pytestmark = pytest.mark.django_db

ASSET = "6a00d8341c4e3853ef01b8d2a1b2c3970c"


def entry(title, basename, date, url, comments, body="<p>The post.</p>"):
    sections = "".join(
        f"COMMENT:\nAUTHOR: {name}\nEMAIL: {name.lower()}@example.org\nIP: 192.0.2.{n}\n"
        f"DATE: {when}\n{text}\n-----\n"
        for n, (name, when, text) in enumerate(comments, start=1)
    )
    return (
        f"AUTHOR: Bea\nTITLE: {title}\nBASENAME: {basename}\nSTATUS: Publish\n"
        f'ALLOW COMMENTS: 1\nCONVERT BREAKS: 0\nCATEGORY: Politics\nTAGS: "new york",budget\n'
        f"DATE: {date}\nUNIQUE URL: {url} \n-----\nBODY:\n{body}\n-----\n{sections}--------\n"
    )


THREAD = [
    ("Ana", "10/05/2017 03:55:27 AM", "First! The council got this wrong."),
    ("Ben", "10/05/2017 03:58:08 AM", "Budgets are always late in October."),
    ("Cy", "10/05/2017 04:05:52 AM", "@ 1 not wrong, just slow."),
    ("Ana", "10/05/2017 04:07:32 AM", "Ben | Oct 5, 2017 3:58 they were early in 2015."),
    ("Dee", "10/05/2017 04:24:16 AM", "#3 slow is the same as wrong here."),
    ("Eve", "10/05/2017 04:33:51 AM", "Nobody read the annex, in 2017 or ever."),
]


@pytest.fixture
def export(tmp_path) -> Path:
    path = tmp_path / "export.txt"
    path.write_text(
        entry(
            "Second post",
            "second",
            "10/09/2017 09:00:00 AM",
            "http://bea.typepad.com/blog/2017/10/second.html",
            [("Fay", "10/09/2017 10:00:00 AM", "A quiet one.")],
        )
        + entry(
            "Budget vote",
            "budget-vote",
            "10/05/2017 03:00:00 AM",
            "http://bea.typepad.com/blog/2017/10/budget%20vote.html",
            THREAD,
            body=f'<p>Read on.</p>\n<p><img src="http://bea.typepad.com/.a/{ASSET}-800wi"></p>',
        ),
        encoding="utf-8",
    )
    return path


def import_blog(path: Path, tmp_path: Path, *options: str) -> str:
    out = io.StringIO()
    call_command(
        "import_blog",
        str(path),
        "--timezone",
        "America/New_York",
        "--report",
        str(tmp_path / "report"),
        *options,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def thread_of(post: Post) -> list[tuple]:
    return list(
        Comment.objects.filter(post=post)
        .in_thread_order()
        .values_list("number", "parent_number", "depth", "guest_name")
    )


def test_flat_comments_come_in_as_threads_with_their_numbers(export, tmp_path):
    out = import_blog(export, tmp_path)
    post = Post.objects.get(title="Budget vote")
    assert thread_of(post) == [
        (1, None, 0, "Ana"),
        (3, 1, 1, "Cy"),  # "@ 1"
        (5, 3, 2, "Dee"),  # "#3"
        (2, None, 0, "Ben"),
        (4, 2, 1, "Ana"),  # "Ben | Oct 5, 2017 3:58"
        (6, None, 0, "Eve"),  # "2017" is a year, not a comment
    ]
    rules = dict(ImportedComment.objects.filter(rule__gt="").values_list("comment__number", "rule"))
    assert rules == {3: "number", 4: "name_date", 5: "number"}
    assert "created 2" in out and "added 7" in out
    # Dates are the blog's local time (New York, EDT in October).
    first = Comment.objects.get(post=post, number=1)
    assert first.created_at.isoformat() == "2017-10-05T07:55:27+00:00"
    assert post.category.name == "Politics"
    assert sorted(post.tags.values_list("name", flat=True)) == ["budget", "new york"]


def test_the_post_page_shows_the_rebuilt_thread(export, tmp_path):
    import_blog(export, tmp_path)
    post = Post.objects.get(title="Budget vote")
    page = Client().get(post.get_absolute_url()).content.decode()
    # Threaded order on the page: 1, its reply 3, 3's reply 5, then 2…
    order = [page.index(f'id="c{n}"') for n in (1, 3, 5, 2, 4, 6)]
    assert order == sorted(order)
    assert "in reply to" in page


def test_running_the_same_export_again_changes_nothing(export, tmp_path):
    import_blog(export, tmp_path)
    before = list(Comment.objects.order_by("pk").values_list("pk", "number", "parent_id", "body"))
    out = import_blog(export, tmp_path)
    assert "unchanged 2" in out and "added 0" in out
    after = list(Comment.objects.order_by("pk").values_list("pk", "number", "parent_id", "body"))
    assert after == before
    assert ImportRun.objects.count() == 2


def test_a_newer_export_adds_only_new_comments_and_continues_the_numbers(export, tmp_path):
    import_blog(export, tmp_path)
    newer = tmp_path / "newer.txt"
    text = export.read_text(encoding="utf-8")
    extra = (
        "COMMENT:\nAUTHOR: Gus\nEMAIL: gus@example.org\nIP: 192.0.2.77\n"
        "DATE: 10/06/2017 08:00:00 AM\n@5 agreed, and #2 too.\n-----\n--------\n"
    )
    newer.write_text(text[: text.rindex("--------\n")] + extra, encoding="utf-8")
    out = import_blog(newer, tmp_path)
    assert "added 1" in out
    post = Post.objects.get(title="Budget vote")
    gus = Comment.objects.get(post=post, guest_name="Gus")
    assert gus.number == 7 and post.last_comment_number == 7
    assert gus.parent_number == 5  # the reference that opens the comment decides
    assert 'data-ref="5"' in gus.body_html and 'data-ref="2"' in gus.body_html


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # The blog moved to its own domain, and to https.
        ("http://bea.typepad.com/blog/", "https://www.bea-news.example/blog/"),
        # Its addresses lost their folder: the posts are found by date and basename.
        ("http://bea.typepad.com/blog/", "http://bea.typepad.com/"),
    ],
)
def test_an_export_whose_addresses_were_renamed_finds_the_same_posts(export, tmp_path, old, new):
    """Issue 9: a rename of the site's URLs duplicates nothing: a re-run still changes
    nothing, and both the older and the newer old addresses lead to the post."""
    import_blog(export, tmp_path)
    renamed = tmp_path / "renamed.txt"
    renamed.write_text(export.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    out = import_blog(renamed, tmp_path)
    assert "created 0, updated 0, unchanged 2" in out and "added 0, unchanged 7" in out
    assert Post.objects.count() == 2 and Comment.objects.count() == 7
    post = Post.objects.get(title="Budget vote")
    for address in (old, new):
        path = urlsplit(address).path + "2017/10/budget%20vote.html"
        response = Client().get(path)
        assert (response.status_code, response["Location"]) == (301, post.get_absolute_url())
    assert "unchanged 2" in import_blog(renamed, tmp_path)


def test_the_old_address_answers_301_to_the_new_page(export, tmp_path):
    import_blog(export, tmp_path)
    post = Post.objects.get(title="Budget vote")
    for old in ("/blog/2017/10/budget%20vote.html", "/blog/2017/10/budget vote.html"):
        response = Client().get(old)
        assert response.status_code == 301, old
        assert response["Location"] == post.get_absolute_url()


def test_dry_run_writes_nothing_and_says_what_would_happen(export, tmp_path):
    out = import_blog(export, tmp_path, "--dry-run")
    assert "Dry run" in out and "created 2" in out
    assert not Post.objects.exists() and not Comment.objects.exists()


def test_saved_typepad_images_are_stored_and_the_body_points_at_them(export, tmp_path):
    saved = tmp_path / "saved"
    saved.mkdir()
    Image.new("RGB", (800, 600), "teal").save(saved / f"{ASSET}-800wi.jpg")
    out = import_blog(export, tmp_path, "--media-dir", str(saved))
    post = Post.objects.get(title="Budget vote")
    assert "typepad.com/.a/" not in post.body_html
    assert "/media/imports/media/" in post.body_html
    assert "rewritten 1" in out


def test_a_re_run_without_the_media_folder_keeps_the_bodies_on_their_copies(export, tmp_path):
    """Issue 9: a re-run changes nothing, even when given neither --media-dir nor
    --fetch-media: the images stored before are found again, the posts stay unchanged."""
    saved = tmp_path / "saved"
    saved.mkdir()
    Image.new("RGB", (800, 600), "teal").save(saved / f"{ASSET}-800wi.jpg")
    import_blog(export, tmp_path, "--media-dir", str(saved))
    body = Post.objects.get(title="Budget vote").body_html
    out = import_blog(export, tmp_path)
    assert Post.objects.get(title="Budget vote").body_html == body
    assert "updated 0, unchanged 2" in out
    assert "unresolved 0" in out and "reused 1" in out


def test_images_on_the_blogs_own_domain_are_stored_too(tmp_path):
    """Issue 9: a blog on its own domain (its UNIQUE URLs say which) kept its uploads there,
    with or without `www.`; a former domain is named with --old-host."""
    path = tmp_path / "own-domain.txt"
    body = (
        '<p><img src="http://www.bea-news.example/images/2017/10/council.jpg"></p>\n'
        '<p><a href="http://bea-news.example/photos/uncategorized/vote.png">chart</a></p>\n'
        '<p><img src="http://bea.former.example/images/old.gif"></p>'
    )
    path.write_text(
        entry(
            "Own domain",
            "own-domain",
            "10/05/2017 03:00:00 AM",
            "http://bea-news.example/blog/2017/10/own-domain.html",
            [],
            body=body,
        ),
        encoding="utf-8",
    )
    saved = tmp_path / "saved"
    (saved / "images/2017/10").mkdir(parents=True)
    Image.new("RGB", (400, 300), "teal").save(saved / "images/2017/10/council.jpg")
    Image.new("RGB", (300, 200), "navy").save(saved / "vote.png")
    Image.new("RGB", (200, 100), "olive").save(saved / "old.gif")
    out = import_blog(path, tmp_path, "--media-dir", str(saved), "--old-host", "bea.former.example")
    body_html = Post.objects.get(title="Own domain").body_html
    assert "bea-news.example" not in body_html and "bea.former.example" not in body_html
    assert body_html.count("/media/imports/media/") == 3
    assert "rewritten 3" in out


def test_missing_images_are_listed_in_the_report_and_left_as_they_were(export, tmp_path):
    out = import_blog(export, tmp_path)
    post = Post.objects.get(title="Budget vote")
    assert f"bea.typepad.com/.a/{ASSET}-800wi" in post.body_html
    assert "unresolved 1" in out
    run = ImportRun.objects.get()
    assert [row["url"] for row in run.report["media_problems"]] == [
        f"http://bea.typepad.com/.a/{ASSET}-800wi"
    ]
    assert ASSET in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_a_typepad_post_with_allow_comments_0_is_closed_and_shows_its_comments(tmp_path):
    """Issue 9: in an export of yes/no ALLOW COMMENTS (Typepad's), 0 closed the post; the
    comments readers saw stay on show."""
    path = tmp_path / "closed.txt"
    path.write_text(
        entry(
            "Closed",
            "closed",
            "10/05/2017 03:00:00 AM",
            "http://bea.typepad.com/blog/2017/10/closed.html",
            THREAD[:2],
        ).replace("ALLOW COMMENTS: 1", "ALLOW COMMENTS: 0"),
        encoding="utf-8",
    )
    import_blog(path, tmp_path)
    post = Post.objects.get(title="Closed")
    page = Client().get(post.get_absolute_url()).content.decode()
    assert not post.allow_comments
    assert "Budgets are always late" in page and "Comments are closed" in page


def test_in_an_export_of_three_states_allow_comments_0_hides_the_comments(tmp_path):
    """Issue 9: a file that writes ALLOW COMMENTS: 2 for closed posts (Movable Type before
    3.2) means "none" by 0: the comments are kept, hidden, and the report says why."""
    path = tmp_path / "old-mt.txt"
    closed = entry(
        "Closed", "closed", "10/06/2017 03:00:00 AM", "http://old.example/closed.html", THREAD[:1]
    )
    off = entry("Off", "off", "10/05/2017 03:00:00 AM", "http://old.example/off.html", THREAD[:2])
    path.write_text(
        closed.replace("ALLOW COMMENTS: 1", "ALLOW COMMENTS: 2")
        + off.replace("ALLOW COMMENTS: 1", "ALLOW COMMENTS: 0"),
        encoding="utf-8",
    )
    out = import_blog(path, tmp_path)
    closed_post, off_post = Post.objects.get(title="Closed"), Post.objects.get(title="Off")
    assert closed_post.comments.published().count() == 1
    assert not off_post.comments.published().exists() and off_post.comments.count() == 2
    assert "hidden 2" in out
    assert "means comments were turned off" in out


def test_the_summary_says_which_encoding_and_zone_it_read_the_file_in(tmp_path):
    """Issue 9: a wrong guess shows before anything else (and a dry run shows it first)."""
    path = tmp_path / "old.txt"
    text = entry(
        "Caf\u00e9 \u201cnews\u201d", "cafe", "10/05/2017 03:00:00 AM", "http://x.example/c", []
    )
    path.write_bytes(text.encode("cp1252"))
    out = import_blog(path, tmp_path, "--dry-run")
    assert "mt, encoding cp1252 (detected), dates without a zone in America/New_York" in out
    assert "encoding cp1252 (detected)" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_a_script_in_an_export_is_inert(tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text(
        entry(
            "Hostile",
            "hostile",
            "01/02/2018 10:00:00 AM",
            "http://bea.typepad.com/blog/2018/01/hostile.html",
            [("Mal", "01/02/2018 11:00:00 AM", '<script>alert(1)</script><p onclick="x()">hi</p>')],
            body='<p>ok</p><script>alert(2)</script><a href="javascript:alert(3)">x</a>',
        ),
        encoding="utf-8",
    )
    import_blog(path, tmp_path)
    post = Post.objects.get(title="Hostile")
    page = Client().get(post.get_absolute_url()).content.decode()
    assert "alert(" not in page and "onclick" not in page and "javascript:" not in page
