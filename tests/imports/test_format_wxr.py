"""The WordPress (WXR) reader: pure tests on fixture files, no database."""

import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from imports.formats import sniff_format, wxr
from imports.records import (
    CommentKind,
    CommentsMode,
    CommentStatus,
    PostStatus,
    SourcePost,
    SourceProblem,
)
from tests.imports.streaming import measure

FIXTURES = Path(__file__).parent / "fixtures"
BLOG_ZONE = ZoneInfo("America/New_York")


def read(name: str) -> list:
    return list(wxr.read(FIXTURES / name, tz=BLOG_ZONE))


def read_path(path: Path) -> list:
    return list(wxr.read(path, tz=BLOG_ZONE))


def posts_of(records: list) -> list[SourcePost]:
    return [record for record in records if isinstance(record, SourcePost)]


def problems_of(records: list) -> list[SourceProblem]:
    return [record for record in records if isinstance(record, SourceProblem)]


@pytest.fixture(scope="module")
def blog() -> list:
    return read("wxr_blog.xml")


@pytest.fixture(scope="module")
def budget_post(blog) -> SourcePost:
    return next(post for post in posts_of(blog) if post.source_id == "wxr:42")


def comment(post: SourcePost, source_id: str):
    return next(comment for comment in post.comments if comment.source_id == source_id)


def test_sniff_recognises_a_wordpress_export():
    assert sniff_format(FIXTURES / "wxr_blog.xml") == "wxr"


def test_sniff_refuses_plain_rss():
    assert not wxr.sniff(b'<?xml version="1.0"?><rss version="2.0"><channel>')


def test_only_items_of_type_post_become_posts(blog):
    assert [post.source_id for post in posts_of(blog)] == ["wxr:42", "wxr:43", "wxr:44", "wxr:46"]


def test_a_page_is_skipped_with_its_title_and_line(blog):
    pages = [problem for problem in problems_of(blog) if problem.what == "page"]
    assert len(pages) == 1
    assert "About this blog" in pages[0].message
    assert pages[0].line == 51


def test_other_item_types_are_counted_once_per_type(blog):
    summaries = {
        problem.what: problem.message
        for problem in problems_of(blog)
        if problem.what in ("attachment", "nav_menu_item")
    }
    assert "Skipped 1 WordPress item " in summaries["attachment"]
    assert "Skipped 2 WordPress items " in summaries["nav_menu_item"]


def test_a_trashed_post_is_skipped_and_reported(blog):
    assert any("Thrown away" in problem.message for problem in problems_of(blog))


def test_post_fields(budget_post):
    assert budget_post.title == "Budget vote & the missing line"
    assert budget_post.old_url == "https://townhall.example.org/2024/02/budget-vote/"
    assert budget_post.basename == "budget-vote"
    assert budget_post.excerpt == "The vote, and the line nobody read."
    assert budget_post.status == PostStatus.PUBLISHED
    assert budget_post.comments_mode == CommentsMode.OPEN
    assert budget_post.published_at == datetime(2024, 2, 5, 15, 30, tzinfo=UTC)


def test_post_body_gets_paragraphs_like_wordpress_shows_them(budget_post):
    assert budget_post.body_html == (
        "<p>The council met on Tuesday.</p>\n"
        "<p>It voted 7 to 2.<br>\nNobody explained line 14.</p>\n"
        "<blockquote>We will not raise taxes.</blockquote>"
    )


def test_block_editor_content_is_not_wrapped_again(blog):
    draft = next(post for post in posts_of(blog) if post.source_id == "wxr:43")
    assert "<p><p>" not in draft.body_html
    assert "<p>Half an idea.</p>" in draft.body_html


def test_categories_and_tags_are_kept_apart(budget_post):
    assert budget_post.categories == ["City Council", "Money"]
    assert budget_post.primary_category == "City Council"
    assert budget_post.tags == ["budget", "line 14"]


def test_author_login_maps_to_display_name_and_email(budget_post):
    assert (budget_post.author_name, budget_post.author_email) == (
        "Marta Quill",
        "marta@townhall.example.org",
    )


def test_author_without_display_name_uses_first_and_last_name(blog):
    draft = next(post for post in posts_of(blog) if post.source_id == "wxr:43")
    assert draft.author_name == "Ben Okoye"


def test_unknown_author_login_is_kept_as_the_name(blog):
    scheduled = next(post for post in posts_of(blog) if post.source_id == "wxr:44")
    assert (scheduled.author_name, scheduled.author_email) == ("ghost", "")


def test_post_statuses_map(blog):
    statuses = {post.source_id: post.status for post in posts_of(blog)}
    assert statuses == {
        "wxr:42": PostStatus.PUBLISHED,
        "wxr:43": PostStatus.DRAFT,
        "wxr:44": PostStatus.SCHEDULED,
        "wxr:46": PostStatus.DRAFT,
    }


def test_closed_comment_status_closes_comments(blog):
    draft = next(post for post in posts_of(blog) if post.source_id == "wxr:43")
    assert draft.comments_mode == CommentsMode.CLOSED


def test_post_without_gmt_date_uses_local_date_in_the_blog_zone(blog):
    draft = next(post for post in posts_of(blog) if post.source_id == "wxr:43")
    assert draft.published_at == datetime(2024, 2, 10, 9, 15, tzinfo=BLOG_ZONE)


def test_comments_come_oldest_first_whatever_the_file_order(budget_post):
    times = [comment.created_at for comment in budget_post.comments]
    assert times == sorted(times)
    assert [c.source_id for c in budget_post.comments][:3] == ["101", "102", "103"]


def test_comment_parents_keep_the_thread(budget_post):
    assert comment(budget_post, "101").parent_source_id == ""
    assert comment(budget_post, "102").parent_source_id == "101"
    assert comment(budget_post, "103").parent_source_id == "102"


def test_comment_fields(budget_post):
    steve = comment(budget_post, "103")
    assert steve.author_name == "Steve"
    assert steve.author_email == "steve@example.net"
    assert steve.author_url == "https://steve.example.net"
    assert steve.ip_address == "203.0.113.7"
    assert steve.created_at == datetime(2024, 2, 5, 16, 40, tzinfo=UTC)
    assert steve.body_html == "<p>Replying to Dana: <em>no</em>, it was in the draft.</p>"
    assert steve.line == 93


def test_comment_newlines_become_paragraphs_and_breaks(budget_post):
    assert comment(budget_post, "101").body_html == (
        "<p>First paragraph.</p>\n<p>Second paragraph,<br>\nwith a line break.</p>"
    )


@pytest.mark.parametrize(
    ("source_id", "status"),
    [
        ("101", CommentStatus.PUBLISHED),
        ("104", CommentStatus.PENDING),
        ("105", CommentStatus.SPAM),
        ("106", CommentStatus.REMOVED),
        ("107", CommentStatus.REMOVED),
    ],
)
def test_comment_approved_values_map_to_statuses(budget_post, source_id, status):
    assert comment(budget_post, source_id).status == status


def test_pingbacks_and_trackbacks_are_kept_apart_from_comments(budget_post):
    kinds = {c.source_id: c.kind for c in budget_post.comments}
    assert kinds["108"] == CommentKind.PINGBACK
    assert kinds["109"] == CommentKind.TRACKBACK
    assert kinds["101"] == CommentKind.COMMENT  # comment_type ""
    assert kinds["103"] == CommentKind.COMMENT  # comment_type "comment"


def test_comment_without_gmt_date_uses_local_date_in_the_blog_zone(budget_post):
    assert comment(budget_post, "104").created_at == datetime(2024, 2, 5, 12, 0, tzinfo=BLOG_ZONE)


def test_reply_to_a_comment_missing_from_the_export_becomes_top_level_and_is_reported(
    blog, budget_post
):
    assert comment(budget_post, "110").parent_source_id == ""
    notes = [problem for problem in problems_of(blog) if "parent 99" in problem.message]
    assert [note.what for note in notes] == ["note"]  # kept, so not counted as skipped


def test_malformed_xml_keeps_earlier_posts_and_reports_the_line():
    records = read("wxr_malformed.xml")
    assert [post.title for post in posts_of(records)] == [
        "First post survives",
        "Second post survives",
    ]
    stopped = problems_of(records)[-1]
    assert stopped.what == "file"
    assert stopped.line == 24
    assert "malformed" in stopped.message


def test_truncated_export_keeps_the_posts_it_has(tmp_path):
    """WordPress exports of big blogs are often cut off by a server time limit."""
    whole = (FIXTURES / "wxr_blog.xml").read_bytes()
    path = tmp_path / "truncated.xml"
    path.write_bytes(whole[: whole.index(b"Half an idea.")])
    records = read_path(path)
    assert [post.source_id for post in posts_of(records)] == ["wxr:42"]
    stopped = next(problem for problem in problems_of(records) if problem.what == "file")
    assert "rest of the file was not imported" in stopped.message


def test_undefined_entity_is_reported_with_its_line(tmp_path):
    path = tmp_path / "entity.xml"
    path.write_bytes(
        (FIXTURES / "wxr_malformed.xml")
        .read_bytes()
        .replace(b"<wp:status>publish</wp:statuz>", b"<wp:status>publish&nbsp;</wp:status>")
    )
    stopped = problems_of(list(wxr.read(path, tz=BLOG_ZONE)))[-1]
    assert stopped.line == 24
    assert "Entity 'nbsp' not defined" in stopped.message


def test_entity_expansion_bomb_is_refused_quickly():
    started = time.monotonic()
    records = read("wxr_entity_bomb.xml")
    assert time.monotonic() - started < 2
    assert posts_of(records) == []
    assert problems_of(records)[0].what == "file"
    assert "DTD" in problems_of(records)[0].message


def test_control_characters_xml_forbids_are_dropped_and_counted(tmp_path):
    path = tmp_path / "controls.xml"
    path.write_bytes(
        (FIXTURES / "wxr_blog.xml")
        .read_bytes()
        .replace(b"Was line 14 ever published?", b"Was line 14\x0c ever\x08 published?\x1b")
    )
    records = list(wxr.read(path, tz=BLOG_ZONE))
    post = next(post for post in posts_of(records) if post.source_id == "wxr:42")
    assert comment(post, "102").body_html == "<p>Was line 14 ever published?</p>"
    assert len(posts_of(records)) == 4
    notice = next(p for p in problems_of(records) if p.what == "note" and "control" in p.message)
    assert notice.message.startswith("Left out 3 control characters")


def test_explicit_encoding_is_used(tmp_path):
    path = tmp_path / "latin.xml"
    path.write_bytes(
        (FIXTURES / "wxr_malformed.xml")
        .read_bytes()
        .replace(b' encoding="UTF-8"', b"")
        .replace(b"First post survives", "Première".encode("cp1252"))
        .split(b"<item>\n\t\t<title>Broken")[0]
        + b"</channel></rss>"
    )
    posts = posts_of(list(wxr.read(path, encoding="cp1252", tz=BLOG_ZONE)))
    assert posts[0].title == "Première"


# ─── Bounded memory ──────────────────────────────────────────────────────────

COMMENTS_PER_POST = 50
LOREM = "Lorem ipsum dolor sit amet, the council &amp; the budget. " * 30


def write_generated_wxr(path: Path, *, comments: int) -> None:
    """A WXR file of `comments` comments, 50 to a post, each about 2 KB."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n'
        )
        for post_id in range(comments // COMMENTS_PER_POST):
            out.write(
                f"<item><title>Post {post_id}</title><wp:post_id>{post_id}</wp:post_id>"
                f"<content:encoded><![CDATA[{LOREM}]]></content:encoded>"
                "<wp:post_date_gmt>2024-01-01 10:00:00</wp:post_date_gmt>"
                "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>\n"
            )
            for n in range(COMMENTS_PER_POST):
                comment_id = post_id * COMMENTS_PER_POST + n + 1
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    "<wp:comment_author>Reader</wp:comment_author>"
                    f"<wp:comment_date_gmt>2024-01-01 11:{n:02d}:00</wp:comment_date_gmt>"
                    f"<wp:comment_content>{LOREM}</wp:comment_content>"
                    "<wp:comment_approved>1</wp:comment_approved>"
                    f"<wp:comment_parent>{comment_id - 1 if n else 0}</wp:comment_parent>"
                    "</wp:comment>\n"
                )
            out.write("</item>\n")
        out.write("</channel></rss>\n")


def test_memory_does_not_grow_with_the_file(tmp_path):
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    write_generated_wxr(small, comments=5_000)
    write_generated_wxr(large, comments=20_000)
    assert large.stat().st_size > 3.5 * small.stat().st_size
    small_run = measure("imports.formats.wxr", small)
    large_run = measure("imports.formats.wxr", large)
    assert (small_run["comments"], large_run["comments"]) == (5_000, 20_000)
    # Four times the file: Python's peak stays that of one post, and so does the
    # process's (which counts libxml2's tree too; it would grow by ~40 MB if kept).
    assert large_run["traced_peak"] < small_run["traced_peak"] * 1.2 + 256 * 1024
    assert large_run["max_rss"] < small_run["max_rss"] + 8 * 1024 * 1024
