"""The Disqus XML reader: pure tests on fixture files, no database."""

import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from imports.formats import disqus, sniff_format
from imports.records import CommentsMode, CommentStatus, SourcePost, SourceProblem
from tests.imports.streaming import measure

FIXTURES = Path(__file__).parent / "fixtures"
BLOG_ZONE = ZoneInfo("Europe/Paris")


def read(name: str) -> list:
    return list(disqus.read(FIXTURES / name, tz=BLOG_ZONE))


def posts_of(records: list) -> list[SourcePost]:
    return [record for record in records if isinstance(record, SourcePost)]


def problems_of(records: list) -> list[SourceProblem]:
    return [record for record in records if isinstance(record, SourceProblem)]


@pytest.fixture(scope="module")
def export() -> list:
    return read("disqus_blog.xml")


def thread(records: list, dsq_id: str) -> SourcePost:
    return next(post for post in posts_of(records) if post.source_id == f"disqus:{dsq_id}")


def comment(post: SourcePost, source_id: str):
    return next(comment for comment in post.comments if comment.source_id == source_id)


def test_sniff_recognises_a_disqus_export():
    assert sniff_format(FIXTURES / "disqus_blog.xml") == "disqus"


def test_sniff_refuses_a_wordpress_export():
    assert not disqus.sniff((FIXTURES / "wxr_blog.xml").read_bytes()[:4096])


def test_each_thread_with_comments_becomes_a_comments_only_post(export):
    assert [post.source_id for post in posts_of(export)] == [
        "disqus:1001",
        "disqus:1002",
        "disqus:1005",
    ]
    assert all(post.is_comments_only for post in posts_of(export))


def test_thread_keeps_its_link_and_title_for_matching(export):
    budget = thread(export, "1001")
    assert budget.old_url == "https://townhall.example.org/2017/10/budget-vote.html"
    assert budget.title == "Budget vote delayed again"
    assert budget.published_at is None


def test_thread_without_comments_is_left_out(export):
    assert "disqus:1004" not in [post.source_id for post in posts_of(export)]


def test_closed_thread_closes_comments(export):
    assert thread(export, "1002").comments_mode == CommentsMode.CLOSED
    assert thread(export, "1001").comments_mode == CommentsMode.OPEN


def test_deleted_thread_is_skipped_and_reported(export):
    assert "disqus:1003" not in [post.source_id for post in posts_of(export)]
    reported = [problem for problem in problems_of(export) if "Old draft" in problem.message]
    assert reported[0].line == 36
    assert "1 comment(s) not imported" in reported[0].message


def test_comments_come_oldest_first_with_their_thread(export):
    budget = thread(export, "1001")
    assert [c.source_id for c in budget.comments] == ["5001", "5002", "5003", "5004", "5005"]


def test_comment_fields(export):
    steve = comment(thread(export, "1001"), "5003")
    assert steve.author_name == "Steve"
    assert steve.author_email == "steve@example.net"
    assert steve.ip_address == "203.0.113.7"
    assert steve.created_at == datetime(2017, 10, 5, 12, 0, tzinfo=UTC)
    assert steve.body_html == "<p>And I still think <b>line 14</b> was hidden.</p>"
    assert steve.line == 60


def test_three_level_thread_is_kept_through_a_deleted_comment(export):
    budget = thread(export, "1001")
    assert comment(budget, "5001").parent_source_id == ""
    assert comment(budget, "5002").parent_source_id == "5001"
    assert comment(budget, "5003").parent_source_id == "5002"


def test_deleted_comment_is_kept_as_removed(export):
    assert comment(thread(export, "1001"), "5002").status == CommentStatus.REMOVED


def test_spam_comment_is_kept_as_spam(export):
    assert comment(thread(export, "1001"), "5004").status == CommentStatus.SPAM


def test_anonymous_comment_keeps_its_name_without_email(export):
    anonymous = comment(thread(export, "1001"), "5005")
    assert (anonymous.author_name, anonymous.author_email) == ("Concerned Neighbour", "")
    assert anonymous.status == CommentStatus.PUBLISHED


def test_comments_before_and_after_their_thread_are_both_collected(export):
    late = thread(export, "1005")
    assert [c.source_id for c in late.comments] == ["5009", "5010"]
    assert comment(late, "5010").parent_source_id == "5009"


def test_comment_on_a_thread_missing_from_the_export_is_reported(export):
    assert any("5008" in p.message and "9999" in p.message for p in problems_of(export))


def test_parent_in_another_thread_becomes_top_level_and_is_reported(export):
    assert comment(thread(export, "1002"), "5006").parent_source_id == ""
    assert any("5006" in p.message and "top-level" in p.message for p in problems_of(export))


def test_malformed_xml_keeps_what_came_before_and_reports_the_line():
    records = read("disqus_malformed.xml")
    (only,) = posts_of(records)
    assert [c.source_id for c in only.comments] == ["11"]
    stopped = problems_of(records)[-1]
    assert (stopped.what, stopped.line) == ("file", 22)


def test_entity_expansion_bomb_is_refused_quickly(tmp_path):
    bomb = (FIXTURES / "wxr_entity_bomb.xml").read_text()
    head, _, _ = bomb.partition("<rss")
    path = tmp_path / "bomb.xml"
    path.write_text(
        head.replace("DOCTYPE rss", "DOCTYPE disqus")
        + '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">'
        '<thread dsq:id="1"><link>https://x.example/</link><title>&lol9;</title></thread>'
        '<post dsq:id="2"><message>&lol9;</message><createdAt>2017-10-05T11:00:00Z</createdAt>'
        '<thread dsq:id="1"/></post></disqus>'
    )
    started = time.monotonic()
    records = list(disqus.read(path, tz=BLOG_ZONE))
    assert time.monotonic() - started < 2
    assert posts_of(records) == []
    assert "DTD" in problems_of(records)[0].message


def write_generated_disqus(path: Path, *, comments: int) -> None:
    """A Disqus export of `comments` comments over threads of 50, posts after all threads."""
    threads = comments // 50
    lorem = "<p>Lorem ipsum dolor sit amet, the council and the budget.</p>" * 15
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
            'xmlns:dsq="http://disqus.com/disqus-internals">\n'
        )
        for n in range(threads):
            out.write(
                f'<thread dsq:id="{n}"><link>https://x.example/{n}.html</link>'
                f"<title>Thread {n}</title><isClosed>false</isClosed>"
                "<isDeleted>false</isDeleted></thread>\n"
            )
        for n in range(comments):
            out.write(
                f'<post dsq:id="{100000 + n}"><message><![CDATA[{lorem}]]></message>'
                f"<createdAt>2017-10-05T11:{n % 60:02d}:00Z</createdAt>"
                "<isDeleted>false</isDeleted><isSpam>false</isSpam>"
                "<author><name>Reader</name><isAnonymous>true</isAnonymous></author>"
                f'<thread dsq:id="{n % threads}"/></post>\n'
            )
        out.write("</disqus>\n")


def test_memory_holds_one_thread_not_the_file(tmp_path):
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    write_generated_disqus(small, comments=5_000)
    write_generated_disqus(large, comments=20_000)
    small_run = measure("imports.formats.disqus", small, trace_python=False)
    large_run = measure("imports.formats.disqus", large, trace_python=False)
    assert (small_run["comments"], large_run["comments"]) == (5_000, 20_000)
    # Four times the comments (20 MB more text): only the per-comment offsets grow.
    assert large_run["max_rss"] < small_run["max_rss"] + 8 * 1024 * 1024
