"""The Movable Type / Typepad export reader: pure tests on fixtures written for them."""

from __future__ import annotations

import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from imports.formats import movabletype
from imports.records import (
    CommentKind,
    CommentsMode,
    CommentStatus,
    PostStatus,
    SourcePost,
    SourceProblem,
)

FIXTURES = Path(__file__).parent / "fixtures"
NEW_YORK = ZoneInfo("America/New_York")


def read_all(path: Path, *, encoding: str = "auto", tz=NEW_YORK) -> list:
    return list(movabletype.read(path, encoding=encoding, tz=tz))


def posts_of(records: list) -> list[SourcePost]:
    return [record for record in records if isinstance(record, SourcePost)]


def problems_of(records: list) -> list[SourceProblem]:
    return [record for record in records if isinstance(record, SourceProblem)]


@pytest.fixture(scope="module")
def entries() -> list[SourcePost]:
    records = read_all(FIXTURES / "mt_entries.txt")
    assert [problem for problem in problems_of(records) if problem.what != "note"] == []
    return posts_of(records)


@pytest.fixture(scope="module")
def harbour(entries) -> SourcePost:
    return entries[0]


# ---------------------------------------------------------------- header keys


def test_reads_every_entry_in_file_order(entries):
    assert [post.title for post in entries] == [
        "The harbour vote, explained",
        "Draft notes",
        "Coming soon",
        "",
    ]


def test_header_keys_fill_the_post(harbour):
    assert harbour.author_name == "Marguerite Olsen"
    assert harbour.author_email == "marguerite@example.org"
    assert harbour.basename == "the_harbour_vote"
    assert harbour.convert_breaks == "1"
    assert harbour.line == 1


def test_blank_line_inside_header_does_not_end_it(harbour):
    assert harbour.tags[:4] == ["harbour", "new york", "votes, counted", "budget"]
    assert harbour.published_at == datetime(2021, 3, 14, 14, 30, tzinfo=NEW_YORK)


def test_primary_category_and_repeated_categories(harbour):
    assert harbour.primary_category == "Local politics"
    assert harbour.categories == ["Local politics", "Waterfront"]


def test_keywords_section_merges_into_tags_without_repeats(harbour):
    assert harbour.tags == [
        "harbour",
        "new york",
        "votes, counted",
        "budget",
        "waterfront",
        "ferries",
    ]


def test_unique_url_is_stripped_and_unquoted_for_identity(harbour):
    assert harbour.old_url == "https://olsen.example.org/2021/03/the%20harbour%20vote.html"
    assert harbour.source_id == "https://olsen.example.org/2021/03/the harbour vote.html"


def test_source_id_without_url_is_date_and_basename(entries):
    assert entries[1].source_id == "mt:2021-11-07T01:30:00:draft_notes"


@pytest.mark.parametrize(
    ("index", "status", "mode"),
    [
        (0, PostStatus.PUBLISHED, CommentsMode.CLOSED),
        (1, PostStatus.DRAFT, CommentsMode.OFF),
        (2, PostStatus.SCHEDULED, CommentsMode.OPEN),
    ],
)
def test_status_and_allow_comments(entries, index, status, mode):
    assert (entries[index].status, entries[index].comments_mode) == (status, mode)


def test_allow_comments_0_in_a_file_of_yes_and_no_is_closed_with_comments_shown(tmp_path):
    """Issue 9: since Movable Type 3.2 (and so in Typepad's exports) ALLOW COMMENTS is a
    yes/no: 0 closed the post and its comments stayed on show."""
    path = tmp_path / "export.txt"
    path.write_text(
        "TITLE: Closed\nALLOW COMMENTS: 0\nDATE: 10/05/2017 03:00:00 AM\n-----\nBODY:\nx\n"
        "-----\n--------\nTITLE: Open\nALLOW COMMENTS: 1\nDATE: 10/06/2017 03:00:00 AM\n"
        "-----\nBODY:\ny\n-----\n--------\n"
    )
    records = read_all(path)
    assert problems_of(records) == []
    assert [post.comments_mode for post in records] == [CommentsMode.CLOSED, CommentsMode.OPEN]


def test_a_file_that_writes_allow_comments_2_reads_0_as_off_and_says_so(entries):
    """Issue 9: a 2 marks Movable Type's older three states (0 none, 1 open, 2 closed)."""
    [note] = problems_of(read_all(FIXTURES / "mt_entries.txt"))
    assert (note.line, note.what) == (6, "note")
    assert "ALLOW COMMENTS: 0 (first at line 66) means comments were turned off" in note.message
    assert [post.comments_mode for post in entries[:2]] == [CommentsMode.CLOSED, CommentsMode.OFF]


def test_convert_breaks_kept_as_given_or_blog_default(entries):
    assert [post.convert_breaks for post in entries[:3]] == ["1", "markdown", "__default__"]


def test_two_digit_year_and_24_hour_time(entries):
    assert entries[1].published_at.replace(tzinfo=None) == datetime(2021, 11, 7, 1, 30)
    assert entries[2].published_at.replace(tzinfo=None) == datetime(2099, 7, 4, 18, 45)


def test_dates_take_the_blogs_zone_with_daylight_saving(entries):
    assert entries[0].published_at.utcoffset() == timedelta(hours=-4)  # EDT began that morning
    assert entries[2].published_at.utcoffset() == timedelta(hours=-4)


def test_repeated_hour_when_clocks_go_back_is_the_first_one(entries):
    assert entries[1].published_at.utcoffset() == timedelta(hours=-4)


def test_winter_date_is_standard_time():
    local = movabletype.parse_date("01/15/2021 09:00:00 AM")
    assert movabletype.make_aware(local, NEW_YORK).utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("03/14/2021 02:30:00 PM", datetime(2021, 3, 14, 14, 30)),
        ("03/14/2021 12:05:00 AM", datetime(2021, 3, 14, 0, 5)),
        ("03/14/2021 12:05:00 PM", datetime(2021, 3, 14, 12, 5)),
        ("3/4/99 11:59 pm", datetime(1999, 3, 4, 23, 59)),
        ("03/14/05 23:10:07", datetime(2005, 3, 14, 23, 10, 7)),
        ("2021-03-14 23:10:07", datetime(2021, 3, 14, 23, 10, 7)),
    ],
)
def test_date_forms(value, expected):
    assert movabletype.parse_date(value) == expected


@pytest.mark.parametrize(
    "value", ["", "yesterday", "13/45/2020 10:00:00 AM", "01/02/2020 13:00 PM"]
)
def test_bad_dates_raise_with_a_readable_reason(value):
    with pytest.raises(ValueError, match="DATE"):
        movabletype.parse_date(value)


# ---------------------------------------------------------------- sections


def test_body_and_extended_body_joined_with_blank_line_keeping_indentation(harbour):
    assert harbour.body_html == (
        "<p>The council met on Tuesday.</p>\n"
        "\n"
        "    <pre>indented line kept</pre>\n"
        "URL: this line is body text, not a key\n"
        "DATE: neither is this one\n"
        "\n"
        "<p>More after the jump.</p>"
    )


def test_excerpt(harbour):
    assert harbour.excerpt == "A short summary."


def test_comments_are_sorted_oldest_first(harbour):
    assert [comment.author_name for comment in harbour.comments] == [
        "Ines",
        "Tomas Reyes",
        "The Weekly Tide",
    ]


def test_comment_keys_in_any_order(harbour):
    tomas = harbour.comments[1]
    assert tomas.author_email == "tomas@example.net"
    assert tomas.author_url == "https://reyes.example.net/"
    assert tomas.ip_address == "203.0.113.7"
    assert tomas.created_at == datetime(2021, 3, 14, 17, 10, 9, tzinfo=NEW_YORK)
    assert tomas.body_html == "Second by date, first in the file."
    assert tomas.line == 34


def test_repeated_comment_key_starts_the_body_verbatim(harbour):
    ines = harbour.comments[0]
    assert ines.author_url == ""
    assert ines.body_html == (
        "URL: http://body.example.com/ is the first body line\n"
        "DATE: also body\n"
        "\n"
        "Paragraph after a blank line."
    )


def test_ping_becomes_trackback_from_the_blog(harbour):
    ping = harbour.comments[2]
    assert ping.kind == CommentKind.TRACKBACK
    assert ping.author_name == "The Weekly Tide"
    assert ping.author_url == "https://weekly.example.com/roundup"
    assert ping.ip_address == "192.0.2.44"
    assert ping.body_html == (
        "<p><strong>Harbour roundup</strong></p>\nThe council met and <em>voted</em>."
    )
    assert ping.line == 53


def test_no_entry_marks_comments_for_an_existing_post(entries):
    comments_only = entries[3]
    assert comments_only.is_comments_only
    assert comments_only.published_at == entries[0].published_at
    assert [comment.author_name for comment in comments_only.comments] == ["Late Reader"]


def test_riposte_export_keys_give_number_parent_and_status(tmp_path):
    path = tmp_path / "ours.txt"
    path.write_text(
        "TITLE: Ours\nDATE: 05/01/2024 10:00:00\n-----\nBODY:\nx\n-----\n"
        "COMMENT:\nAUTHOR: A\nDATE: 05/01/2024 11:00:00\nX-RIPOSTE-NUMBER: 1\n"
        "X-RIPOSTE-STATUS: published\nfirst\n-----\n"
        "COMMENT:\nX-RIPOSTE-NUMBER: 2\nX-RIPOSTE-PARENT: 1\nX-RIPOSTE-STATUS: removed\n"
        "AUTHOR: B\nDATE: 05/01/2024 12:00:00\nreply\n-----\n"
        "COMMENT:\nAUTHOR: C\nDATE: 05/01/2024 13:00:00\nX-RIPOSTE-STATUS: haunted\nodd\n-----\n"
        "--------\n"
    )
    [post] = read_all(path)
    assert [(c.number, c.parent_number, c.status) for c in post.comments] == [
        (1, None, CommentStatus.PUBLISHED),
        (2, 1, CommentStatus.REMOVED),
        (None, None, CommentStatus.PENDING),
    ]


def test_riposte_export_keys_on_pings(tmp_path):
    path = tmp_path / "ours.txt"
    path.write_text(
        "TITLE: Ours\nDATE: 05/01/2024 10:00:00\n-----\nBODY:\nx\n-----\n"
        "PING:\nBLOG NAME: Elsewhere\nDATE: 05/01/2024 11:00:00\nX-RIPOSTE-NUMBER: 4\n"
        "X-RIPOSTE-STATUS: spam\nexcerpt\n-----\n--------\n"
    )
    [post] = read_all(path)
    [ping] = post.comments
    assert (ping.number, ping.status, ping.body_html) == (4, CommentStatus.SPAM, "excerpt")


# ---------------------------------------------------------------- malformed records


@pytest.fixture(scope="module")
def malformed() -> list:
    return read_all(FIXTURES / "mt_malformed.txt")


def test_malformed_records_are_reported_with_their_lines(malformed):
    assert [(p.line, p.what) for p in problems_of(malformed)] == [
        (1, "text"),
        (10, "comment"),
        (22, "post"),
        (33, "post"),
        (41, "text"),
        (45, "field"),
    ]


def test_problem_messages_say_what_to_fix(malformed):
    messages = [p.message for p in problems_of(malformed)]
    assert messages[0].startswith("Lines 1–2 are outside any entry")
    assert "“No Date”" in messages[1] and "no DATE" in messages[1]
    assert "“Bad date”" in messages[2] and "13/45/2020" in messages[2]
    assert "skipped with its 1 comments" in messages[2]
    assert "neither TITLE nor BODY" in messages[3]
    assert "Pending review" in messages[5] and "draft" in messages[5]


def test_the_rest_of_a_malformed_file_is_still_read(malformed):
    posts = posts_of(malformed)
    assert [(post.title, post.line) for post in posts] == [
        ("Good one", 3),
        ("Odd status", 43),
        ("Lost its separator", 51),
        ("Last, unterminated", 59),
    ]
    assert [comment.author_name for comment in posts[0].comments] == ["Dated"]
    assert posts[1].status == PostStatus.DRAFT
    assert posts[3].body_html == "The file ends without a final separator."


def test_section_key_lines_inside_a_body_stay_body_text(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(
        "TITLE: Keys\nDATE: 05/01/2024 10:00:00\n-----\nBODY:\nCOMMENT:\nAUTHOR: me\n"
        "PING:\n-----\n--------\n"
    )
    [post] = read_all(path)
    assert post.body_html == "COMMENT:\nAUTHOR: me\nPING:"
    assert post.comments == []


def test_missing_separator_between_header_and_body_is_tolerated(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text("TITLE: Hasty\nDATE: 05/01/2024 10:00:00\nBODY:\nText.\n-----\n--------\n")
    [post] = read_all(path)
    assert (post.title, post.body_html) == ("Hasty", "Text.")


# ---------------------------------------------------------------- encodings and line ends

SMALL = (
    "AUTHOR: Zoë\nTITLE: “Café” — naïve\nDATE: 02/01/2019 08:00:00 AM\n-----\n"
    "BODY:\nLine one\n\nLine three\n-----\n"
    "COMMENT:\nAUTHOR: Renée\nDATE: 02/01/2019 09:00:00 AM\nÇa va ?\n-----\n--------\n"
)


@pytest.mark.parametrize(
    "raw",
    [
        SMALL.encode("utf-8"),
        b"\xef\xbb\xbf" + SMALL.encode("utf-8"),
        SMALL.replace("\n", "\r\n").encode("utf-8"),
        SMALL.replace("\n", "\r").encode("utf-8"),
        SMALL.replace("\n", "\r\n").encode("cp1252"),
    ],
    ids=["utf8", "bom", "crlf", "cr", "cp1252-crlf"],
)
def test_encodings_and_line_ends_read_the_same(tmp_path, raw):
    path = tmp_path / "export.txt"
    path.write_bytes(raw)
    [post] = read_all(path)
    assert post.author_name == "Zoë"
    assert post.title == "“Café” — naïve"
    assert post.body_html == "Line one\n\nLine three"
    assert post.comments[0].author_name == "Renée"
    assert post.comments[0].body_html == "Ça va ?"
    assert post.repairs == {}


def test_explicit_encoding_is_honoured(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(SMALL.encode("latin-1", "replace"))
    [post] = read_all(path, encoding="latin-1")
    assert post.comments[0].author_name == "Renée"


def test_mojibake_is_repaired_and_counted(tmp_path):
    path = tmp_path / "export.txt"
    mangled = SMALL.replace("“Café”", "â€œCafÃ©â€\x9d").replace("Ça va", "‚Äú√áa va‚Äù")
    path.write_text(mangled, encoding="utf-8")
    [post] = read_all(path)
    assert post.title == "“Café” — naïve"
    assert post.comments[0].body_html == "“Ça va” ?"
    assert post.repairs == {"mojibake": 2}


def test_mixed_utf8_and_cp1252_lines_are_each_decoded(tmp_path):
    path = tmp_path / "export.txt"
    head, rest = SMALL.split("BODY:\n")
    path.write_bytes(head.encode("utf-8") + b"BODY:\n" + rest.encode("cp1252"))
    [post] = read_all(path)
    assert post.title == "“Café” — naïve"
    assert post.comments[0].author_name == "Renée"
    assert post.repairs == {"recoded_lines": 2}


# ---------------------------------------------------------------- sniffing


def test_sniff_recognises_an_export():
    assert movabletype.sniff((FIXTURES / "mt_entries.txt").read_bytes()[:4096])


@pytest.mark.parametrize(
    "head",
    [
        b"<?xml version='1.0'?><rss><channel><title>x</title></channel></rss>",
        b"A title\nSome body text.\nPosted by: Ann | Oct 5, 2017 3:55:27 AM | 1\n",
        b"TITLE: only one key\nand prose\n",
    ],
)
def test_sniff_rejects_other_files(head):
    assert not movabletype.sniff(head)


# ---------------------------------------------------------------- streaming


def write_export(path: Path, comments: int, per_post: int = 50) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for first in range(0, comments, per_post):
            out.write(f"TITLE: Post {first}\nBASENAME: post_{first}\n")
            out.write("DATE: 01/01/2020 10:00:00 AM\n-----\nBODY:\n<p>Body text.</p>\n-----\n")
            for number in range(first, first + per_post):
                minute = number % 60
                out.write(
                    f"COMMENT:\nAUTHOR: Reader {number}\nDATE: 01/01/2020 11:{minute:02}:00 AM\n"
                    f"Comment {number} says something reasonable about café prices.\n-----\n"
                )
            out.write("--------\n")


def peak_while_reading(path: Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        count = sum(len(post.comments) for post in movabletype.read(path, tz=NEW_YORK))
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_bounded_whatever_the_file_size(tmp_path):
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    write_export(small, 5_000)
    write_export(large, 20_000)
    small_count, small_peak = peak_while_reading(small)
    large_count, large_peak = peak_while_reading(large)
    assert (small_count, large_count) == (5_000, 20_000)
    assert large_peak < 1536 * 1024
    assert large_peak < small_peak * 1.25
