"""The saved Typepad page reader: pure tests on pages written for them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from imports.formats import typepad_page
from imports.records import CommentsMode, SourcePost, SourceProblem

FIXTURES = Path(__file__).parent / "fixtures"
NEW_YORK = ZoneInfo("America/New_York")


def read_page(name: str) -> tuple[SourcePost, list[SourceProblem]]:
    records = list(typepad_page.read(FIXTURES / name, tz=NEW_YORK))
    [post] = [record for record in records if isinstance(record, SourcePost)]
    return post, [record for record in records if isinstance(record, SourceProblem)]


@pytest.fixture(scope="module")
def marked():
    return read_page("page_marked.txt")


@pytest.fixture(scope="module")
def flat():
    return read_page("page_flat.txt")


@pytest.fixture(scope="module")
def variants():
    return read_page("page_variants.txt")


# ---------------------------------------------------------------- a page with byline and heading


def test_title_is_found_under_the_date_heading(marked):
    post, _ = marked
    assert post.title == "Ferry fares go up again"
    assert post.line == 5


def test_page_url_is_the_identity(marked):
    post, _ = marked
    assert post.old_url == "https://harbourwatch.example.org/2021/03/ferry-fares.html"
    assert post.source_id == post.old_url


def test_byline_gives_author_date_and_categories(marked):
    post, _ = marked
    assert post.author_name == "Marguerite Olsen"
    assert post.published_at == datetime(2021, 3, 14, 14, 30, tzinfo=NEW_YORK)
    assert post.categories == ["Transport", "Local politics"]


def test_body_ends_at_the_byline_and_is_escaped_into_paragraphs(marked):
    post, _ = marked
    assert post.body_html == (
        "<p>The board voted 5 to 2 for a rise.<br>\nSeason tickets are spared.</p>\n"
        "<p>Posted by: nobody wrote this line as a footer, it has no date<br>\n"
        "Riders &lt;angry&gt; &amp; tired.</p>"
    )


def test_comments_keep_names_dates_numbers_and_lines(marked):
    post, _ = marked
    assert [(c.number, c.author_name, c.created_at, c.line) for c in post.comments] == [
        (1, "Tomas", datetime(2021, 3, 14, 15, 1, 9, tzinfo=NEW_YORK), 15),
        (2, "Ines Duarte", datetime(2021, 3, 14, 15, 20, tzinfo=NEW_YORK), 20),
        (3, "Ruth", datetime(2021, 3, 14, 16, 45, 30, tzinfo=NEW_YORK), 25),
        (4, "Tomas", datetime(2021, 3, 14, 23, 59, 59, tzinfo=NEW_YORK), 29),
    ]


def test_navigation_and_buttons_are_not_comment_text(marked):
    post, _ = marked
    assert post.comments[0].body_html == "<p>Five to two? Who were the two?</p>"
    assert post.comments[1].body_html == (
        "<p>The two were the harbour seats.</p>\n<p>They always vote no.</p>"
    )


def test_footer_pasted_as_a_quote_stays_comment_text(marked):
    post, _ = marked
    assert post.comments[2].body_html == (
        "<p>Posted by: Tomas | Mar 14, 2021 3:01:09 PM | 1<br>\n"
        "Quoting that footer above, not writing one.</p>"
    )


def test_closed_comments_notice_closes_the_thread(marked):
    post, _ = marked
    assert post.comments_mode == CommentsMode.CLOSED


def test_text_after_the_last_comment_is_reported(marked):
    _, problems = marked
    assert [(p.line, p.what) for p in problems] == [(32, "text")]
    assert problems[0].message.startswith("Line 32 follows the last comment")


# ---------------------------------------------------------------- a flat page with no markers


def test_flat_page_takes_each_line_as_a_paragraph(flat):
    post, _ = flat
    assert post.title == "Lighthouse keepers return to Cape Mercy"
    assert post.body_html == (
        "<p>The coast guard is hiring keepers again after forty years.</p>\n"
        "<p>Applicants must live on the rock from April to October.</p>\n"
        "<p>The pay is modest; the view is not.</p>"
    )
    assert post.comments[2].body_html == (
        "<p>#2 not to my uncle.</p>\n<p>He kept the light until 2001.</p>"
    )


def test_flat_page_reports_where_it_guessed_the_first_comment(flat):
    post, problems = flat
    assert post.comments[0].body_html == "<p>I applied in 1998 and they said no.</p>"
    assert [(p.line, p.what) for p in problems] == [(5, "field"), (1, "field")]
    assert "comment 1 was taken to start at line 5" in problems[0].message


def test_undated_page_is_dated_by_its_first_comment(flat):
    post, problems = flat
    assert post.published_at == post.comments[0].created_at
    assert "dated by its first comment" in problems[1].message
    assert post.source_id == (
        "typepad-page:lighthouse-keepers-return-to-cape-mercy:2019-06-02T09:05:44"
    )


def test_flat_page_numbers_and_names(flat):
    post, _ = flat
    assert [(c.number, c.author_name) for c in post.comments] == [
        (1, "Gus"),
        (2, "Maren"),
        (3, "Gus"),
    ]


# ---------------------------------------------------------------- other footer forms


def test_long_footer_form_without_numbers(variants):
    post, problems = variants
    assert problems == []
    assert [(c.number, c.author_name, c.created_at) for c in post.comments] == [
        (None, "Zoë", datetime(2020, 7, 4, 10, 5, tzinfo=NEW_YORK)),
        (None, "", datetime(2020, 7, 4, 21, 30, tzinfo=NEW_YORK)),
    ]


def test_comment_text_is_escaped_with_breaks_and_paragraphs(variants):
    post, _ = variants
    assert post.comments[0].body_html == (
        "<p>Looks &lt;script&gt;alert(1)&lt;/script&gt; tasty &amp; cheap.<br>\n"
        "Second line of the same paragraph.</p>\n<p>Another paragraph.</p>"
    )


def test_byline_without_author_and_comments_count_heading(variants):
    post, _ = variants
    assert post.author_name == ""
    assert post.published_at == datetime(2020, 7, 4, 9, 15, tzinfo=NEW_YORK)
    assert post.body_html == "<p>A first paragraph.</p>"


def test_page_mojibake_is_repaired_and_counted(variants):
    post, _ = variants
    assert post.title == "Notes on “café” culture"
    assert post.comments[1].body_html == "<p>It’s the “best” place.</p>"
    assert post.repairs == {"mojibake": 1}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Posted by: Ann | Oct 5, 2017 3:55:27 AM | 16",
            ("Ann", datetime(2017, 10, 5, 3, 55, 27), 16),
        ),
        (
            "Posted by: Ann | Oct 5, 2017 3:55:27 PM",
            ("Ann", datetime(2017, 10, 5, 15, 55, 27), None),
        ),
        (
            "Posted by: Ann Lee | October 05, 2017 at 12:10 AM",
            ("Ann Lee", datetime(2017, 10, 5, 0, 10), None),
        ),
        (
            "Posted by: A | B | Thursday, October 05, 2017 at 01:10 PM | 3",
            ("A | B", datetime(2017, 10, 5, 13, 10), 3),
        ),
        ("Posted by: Ann | 5 October 2017 at 21:04", ("Ann", datetime(2017, 10, 5, 21, 4), None)),
    ],
)
def test_footer_forms(line, expected):
    assert typepad_page.parse_footer(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "never mind | Oct 5, 2017 7:44:59 AM | 16",
        ">>>> Posted by: Ann | Oct 5, 2017 7:44:59 AM | 16",
        "Posted by: Ann | sometime last week",
        "Posted by: Ann | Smarch 5, 2017 7:44:59 AM",
    ],
)
def test_lines_that_are_not_footers(line):
    assert typepad_page.parse_footer(line) is None


# ---------------------------------------------------------------- line ends, encodings, sniffing


def test_crlf_and_cp1252_page_reads_the_same(tmp_path):
    path = tmp_path / "page.txt"
    text = (FIXTURES / "page_flat.txt").read_text(encoding="utf-8").replace("Maren", "Márën")
    path.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    records = list(typepad_page.read(path, tz=NEW_YORK))
    post = records[-1]
    assert post.comments[1].author_name == "Márën"
    assert post.comments[1].body_html == "<p>Gus, they said no to everyone in 1998.</p>"


def test_sniff_recognises_a_page():
    assert typepad_page.sniff((FIXTURES / "page_flat.txt").read_bytes())


@pytest.mark.parametrize(
    "head",
    [
        (FIXTURES / "mt_entries.txt").read_bytes(),
        b"Posted by: nobody | no date here\n",
        b"<?xml version='1.0'?><disqus></disqus>",
    ],
)
def test_sniff_rejects_other_files(head):
    assert not typepad_page.sniff(head)
