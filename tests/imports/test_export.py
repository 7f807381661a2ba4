"""export_blog: the whole blog as an MT export of ours or one JSON document."""

import html
import io
import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from blog.models import Post
from comments.models import Comment
from imports.exporting import export_json, export_mt
from tests.factories import CategoryFactory, CommentFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

WRITTEN_AT = datetime(2024, 2, 5, 15, 30, 7, tzinfo=UTC)


@pytest.fixture
def thread_post(author):
    """A post with a three-level thread, a guest's top-level comment and a removed reply."""
    post = PostFactory(
        author=author,
        title="Budget vote delayed again",
        slug="budget-vote",
        category=CategoryFactory(name="City Council", slug="city-council"),
        published_at=WRITTEN_AT,
        tags=[
            TagFactory(name="budget", slug="budget"),
            TagFactory(name="line 14", slug="line-14"),
            TagFactory(name='the "deal", again', slug="the-deal-again"),
        ],
    )
    first = CommentFactory(post=post, body="Delayed *again*?", ip_address="198.51.100.4")
    second = CommentFactory(parent=first, body="Was line 14 ever published?")
    CommentFactory(parent=second, body="It was in the draft.")
    CommentFactory(post=post, guest=True, guest_name="Dana", guest_email="dana@example.net")
    CommentFactory(parent=first, removed=True, body="Something rude.")
    for number, minutes in ((1, 10), (2, 20), (3, 30), (4, 40), (5, 50)):
        Comment.objects.filter(post=post, number=number).update(
            created_at=WRITTEN_AT + timedelta(minutes=minutes, microseconds=123)
        )
    return post


@pytest.fixture
def older_draft(author):
    return PostFactory(
        author=author,
        draft=True,
        title="Notes for later",
        slug="notes-for-later",
        published_at=WRITTEN_AT - timedelta(days=3),
        category=None,
    )


def mt_export(tz=UTC) -> str:
    out = io.StringIO()
    export_mt(out=out, tz=tz)
    return out.getvalue()


def entries(text: str) -> list[str]:
    return [entry for entry in text.split("--------\n") if entry.strip()]


def comment_sections(entry: str) -> list[str]:
    return [part for part in entry.split("-----\n") if part.startswith("COMMENT:\n")]


def keys_of(section: str) -> dict[str, str]:
    keys = {}
    for line in section.splitlines()[1:]:
        match = re.fullmatch(r"([A-Z][A-Z0-9 -]*): ?(.*)", line)
        if not match:
            break
        keys[match[1]] = match[2]
    return keys


# ─── Movable Type ────────────────────────────────────────────────────────────


def test_mt_entries_come_newest_first(thread_post, older_draft):
    titles = [keys_of("\n" + entry)["TITLE"] for entry in entries(mt_export())]
    assert titles == ["Budget vote delayed again", "Notes for later"]


def test_mt_entry_header_has_the_standard_keys(thread_post):
    header = keys_of("\n" + entries(mt_export())[0])
    assert header == {
        "AUTHOR": "Ada Byline",
        "AUTHOR EMAIL": "ada@example.org",
        "TITLE": "Budget vote delayed again",
        "BASENAME": "budget-vote",
        "STATUS": "Publish",
        "ALLOW COMMENTS": "1",
        "ALLOW PINGS": "0",
        "CONVERT BREAKS": "0",
        "PRIMARY CATEGORY": "City Council",
        "CATEGORY": "City Council",
        "TAGS": 'budget,"line 14","the ""deal"", again"',
        "UNIQUE URL": thread_post.get_absolute_url(),
        "DATE": "02/05/2024 03:30:07 PM",
    }


def test_mt_dates_are_written_in_the_zone_asked_for(thread_post):
    header = keys_of("\n" + entries(mt_export(ZoneInfo("America/New_York")))[0])
    assert header["DATE"] == "02/05/2024 10:30:07 AM"


def test_mt_draft_and_scheduled_posts_keep_their_status(author, older_draft):
    PostFactory(author=author, scheduled=True, title="Next week")
    statuses = {
        keys_of("\n" + entry)["TITLE"]: keys_of("\n" + entry)["STATUS"]
        for entry in entries(mt_export())
    }
    assert statuses == {"Next week": "Future", "Notes for later": "Draft"}


def test_mt_closed_post_allows_comments_2(thread_post):
    Post.objects.filter(pk=thread_post.pk).update(allow_comments=False)
    assert keys_of("\n" + entries(mt_export())[0])["ALLOW COMMENTS"] == "2"


def test_mt_body_is_the_posts_html(thread_post):
    thread_post.refresh_from_db()
    assert f"BODY:\n{thread_post.body_html.strip()}\n-----\n" in mt_export()


def test_mt_comments_come_oldest_first_with_the_extra_keys(thread_post):
    sections = comment_sections(entries(mt_export())[0])
    keys = [keys_of(section) for section in sections]
    assert [k["X-RIPOSTE-NUMBER"] for k in keys] == ["1", "2", "3", "4", "5"]
    assert [k.get("X-RIPOSTE-PARENT") for k in keys] == [None, "1", "2", None, "1"]
    assert [k["X-RIPOSTE-STATUS"] for k in keys] == [
        "published",
        "published",
        "published",
        "published",
        "removed",
    ]


def test_mt_comment_keys(thread_post):
    first, _, _, guest, _ = (keys_of(s) for s in comment_sections(entries(mt_export())[0]))
    commenter = Comment.objects.get(post=thread_post, number=1).author
    assert first == {
        "AUTHOR": commenter.public_name,
        "EMAIL": commenter.email,
        "URL": "",
        "IP": "198.51.100.4",
        "DATE": "02/05/2024 03:40:07 PM",
        "X-RIPOSTE-NUMBER": "1",
        "X-RIPOSTE-STATUS": "published",
    }
    assert (guest["AUTHOR"], guest["EMAIL"], guest["IP"]) == ("Dana", "dana@example.net", "")


def test_mt_comment_body_follows_its_keys(thread_post):
    third = comment_sections(entries(mt_export())[0])[2]
    body = Comment.objects.get(post=thread_post, number=3).body_html.strip()
    assert third.endswith(f"X-RIPOSTE-STATUS: published\n{body}\n")


def test_mt_separator_lines_in_bodies_are_escaped(thread_post):
    Comment.objects.filter(post=thread_post, number=2).update(
        body_html="<p>Above</p>\n-----\n--------\n  -------  \n<p>Below</p>"
    )
    text = mt_export()
    assert "\n&#45;----\n&#45;-------\n  &#45;------  \n<p>Below</p>\n-----\n" in text
    assert len(entries(text)) == 1
    assert len(comment_sections(entries(text)[0])) == 5


def test_mt_comment_body_whose_first_line_reads_like_a_key_is_escaped(thread_post):
    Comment.objects.filter(post=thread_post, number=4).update(
        body_html="URL: https://example.net is where I read it.\nDATE: Tuesday"
    )
    guest = comment_sections(entries(mt_export())[0])[3]
    assert "X-RIPOSTE-STATUS: published\n&#85;RL: https://example.net is where" in guest
    assert "\nDATE: Tuesday\n" in guest  # only the first line can be taken for a key


def test_mt_post_excerpt_is_its_own_section(thread_post):
    Post.objects.filter(pk=thread_post.pk).update(excerpt="The vote, and the line.")
    assert "-----\nEXCERPT:\nThe vote, and the line.\n-----\n" in mt_export()


def test_mt_round_trip_through_the_mt_reader_loses_nothing(thread_post, older_draft, tmp_path):
    movabletype = pytest.importorskip("imports.formats.movabletype")
    Comment.objects.filter(post=thread_post, number=2).update(
        body_html="URL: first line\n-----\n<p>last</p>"
    )
    path = tmp_path / "export.txt"
    zone = ZoneInfo("Europe/Paris")
    with open(path, "w", encoding="utf-8") as out:
        export_mt(out=out, tz=zone)
    read_back = [r for r in movabletype.read(path, tz=zone) if hasattr(r, "comments")]
    assert [p.title for p in read_back] == ["Budget vote delayed again", "Notes for later"]
    post = read_back[0]
    thread_post.refresh_from_db()
    assert (post.basename, post.old_url, post.published_at) == (
        "budget-vote",
        thread_post.get_absolute_url(),
        WRITTEN_AT,
    )
    assert post.tags == ["budget", "line 14", 'the "deal", again']
    assert post.primary_category == "City Council"
    assert post.body_html.strip() == thread_post.body_html.strip()
    originals = list(Comment.objects.filter(post=thread_post).in_number_order())
    assert [(c.number, c.parent_number, c.status) for c in post.comments] == [
        (c.number, c.parent_number, c.status) for c in originals
    ]
    assert [c.created_at for c in post.comments] == [
        c.created_at.replace(microsecond=0) for c in originals
    ]
    assert [html.unescape(c.body_html.strip()) for c in post.comments] == [
        html.unescape(c.body_html.strip()) for c in originals
    ]


def test_mt_export_imports_back_through_import_blog_with_nothing_lost(
    thread_post, older_draft, tmp_path
):
    pytest.importorskip("imports.writing", reason="needs the import writer")
    Comment.objects.filter(post=thread_post, number=2).update(
        body_html="<p>URL: first line</p>\n-----\n<p>last</p>"
    )

    def snapshot():
        posts = [
            (p.slug, p.title, p.status, p.published_at, p.author_id, str(p.category))
            for p in Post.objects.select_related("category").order_by("slug")
        ]
        comments = [
            (c.post.slug, c.number, c.parent_number, c.depth, c.status, c.author_id, c.guest_name)
            + (c.guest_email, c.created_at.replace(microsecond=0), c.body_html.strip())
            for c in Comment.objects.select_related("post").order_by("post__slug", "number")
        ]
        return posts, comments

    before = snapshot()
    path = tmp_path / "export.txt"
    call_command("export_blog", "--timezone", "UTC", "--output", str(path), stderr=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE comments_comment, blog_post CASCADE")
    call_command(
        "import_blog",
        str(path),
        "--timezone",
        "UTC",
        "--no-infer",
        "--report",
        str(tmp_path / "report"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert snapshot() == before


# ─── JSON ────────────────────────────────────────────────────────────────────


def json_export() -> dict:
    out = io.StringIO()
    export_json(out=out)
    return json.loads(out.getvalue())


def test_json_is_one_document_with_every_post_newest_first(thread_post, older_draft):
    document = json_export()
    assert (document["format"], document["version"]) == ("riposte-export", 1)
    assert [post["slug"] for post in document["posts"]] == ["budget-vote", "notes-for-later"]


def test_json_post_fields(thread_post):
    post = json_export()["posts"][0]
    assert post["title"] == "Budget vote delayed again"
    assert post["url"] == thread_post.get_absolute_url()
    assert post["author"]["email"] == "ada@example.org"
    assert post["status"] == "published"
    assert post["published_at"] == "2024-02-05T15:30:07+00:00"
    assert post["body"] == thread_post.body
    assert post["category"] == {"name": "City Council", "slug": "city-council"}
    assert [tag["name"] for tag in post["tags"]] == ["budget", "line 14", 'the "deal", again']


def test_json_comments_keep_the_three_level_thread(thread_post):
    comments = json_export()["posts"][0]["comments"]
    assert [(c["number"], c["parent_number"], c["depth"]) for c in comments] == [
        (1, None, 0),
        (2, 1, 1),
        (3, 2, 2),
        (4, None, 0),
        (5, 1, 1),
    ]
    assert comments[4]["status"] == "removed"
    assert comments[3]["author"] is None
    assert (comments[3]["guest_name"], comments[3]["guest_email"]) == ("Dana", "dana@example.net")
    assert comments[0]["ip_address"] == "198.51.100.4"


def test_json_of_an_empty_blog_is_valid(db):
    assert json_export()["posts"] == []


# ─── The command ─────────────────────────────────────────────────────────────


def test_command_writes_mt_to_stdout_by_default(thread_post):
    out = io.StringIO()
    call_command("export_blog", "--timezone", "UTC", stdout=out)
    assert out.getvalue() == mt_export()


def test_command_writes_json_to_a_file(thread_post, tmp_path):
    path = tmp_path / "blog.json"
    err = io.StringIO()
    call_command("export_blog", "--format", "json", "--output", str(path), stderr=err)
    assert json.loads(path.read_text())["posts"][0]["slug"] == "budget-vote"
    assert "Exported 1 post to" in err.getvalue()


def test_command_uses_the_blogs_zone_unless_told(thread_post, settings):
    settings.TIME_ZONE = "America/New_York"
    out = io.StringIO()
    with timezone.override("America/New_York"):
        call_command("export_blog", stdout=out)
    assert "DATE: 02/05/2024 10:30:07 AM\n" in out.getvalue()


def test_command_refuses_an_unknown_zone(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown time zone"):
        call_command("export_blog", "--timezone", "Mars/Olympus", stdout=io.StringIO())
