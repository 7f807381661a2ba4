"""Reader for a saved Typepad page in text form: one post and its comments.

What a browser's "save as text" (or a copy of the page) leaves: the title, the body's
paragraphs, perhaps the post's byline (`Posted by NAME on October 5, 2017 at 02:14 AM |
Permalink`) and a "Comments" heading, then each comment followed by its footer:
`Posted by: NAME | Oct 5, 2017 3:55:27 AM | 16` (the number, or the whole time, may be
shorter). A footer pasted into a comment as a quote repeats an earlier one and stays
text. Buttons and navigation (`Reply`, `Share`, `« Previous | Main | Next »`) are dropped.
Everything is plain text, so bodies are escaped into HTML paragraphs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime, tzinfo
from pathlib import Path

from django.utils.text import slugify

from imports.encoding import open_lines, repair_post
from imports.formats.movabletype import make_aware
from imports.records import CommentsMode, SourceComment, SourcePost, SourceProblem

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

_WEEKDAY = r"(?:[A-Za-z]+,\s*)?"
_DAY_FORMS = (
    rf"{_WEEKDAY}(?P<month>[A-Za-z]{{3,9}})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})",
    rf"{_WEEKDAY}(?P<day>\d{{1,2}})\.?\s+(?P<month>[A-Za-z]{{3,9}})\.?,?\s+(?P<year>\d{{4}})",
    r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})",
)
_TIME = (
    r"(?:\s*,?\s*(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:\s*(?P<half>[AaPp])\.?[Mm]\.?)?)"
)
_DATES = [re.compile(form + _TIME + "?") for form in _DAY_FORMS]
_TIME_ONLY = re.compile(_TIME)

_FOOTER_START = re.compile(r"\s*Posted by:\s*(.*)")
_BYLINE = re.compile(
    r"Posted(?: by (?P<author>.+?))?(?: (?:on|at) (?P<when>.+?))?"
    r"(?: in (?P<categories>[^|]+?))?\s*(?:\|.*)?"
)
_COMMENTS_HEADING = re.compile(r"(?:\d+\s+)?comments?(?:\s*\(\d+\))?:?", re.IGNORECASE)
_URL_LINE = re.compile(r"(?:(?:URL|Source|Saved from|Permalink):\s*)?(https?://\S+)", re.I)
_NOISE = re.compile(
    r"reply|share|tweet|like|permalink|post a comment|trackback(?:\s*\(\d+\))?|"
    r"reblog\s*\(\d+\)|digg this|save to del\.icio\.us|email this|"
    r"(?:«|previous)[^|]*\|\s*main\s*\|[^|]*|"
    r"the comments to this entry are closed\.|"
    r"feed you can follow this conversation by subscribing to the comment feed for this post\.|"
    r"comments are moderated, and will not appear until the author has approved them\.",
    re.IGNORECASE,
)
_CLOSED = "the comments to this entry are closed."
_SNIFF_FOOTER = re.compile(rb"^[ \t]*Posted by:[^\r\n]*\|[^\r\n]*", re.MULTILINE)


def sniff(head: bytes) -> bool:
    """A saved page: a `Posted by: NAME | <date>` footer line."""
    for match in _SNIFF_FOOTER.finditer(head):
        if parse_footer(match.group(0).decode("utf-8", "replace")) is not None:
            return True
    return False


def read(path: Path, *, encoding: str = "auto", tz: tzinfo) -> Iterator[SourcePost | SourceProblem]:
    """The page's one post with its comments, and a problem for anything left unsure."""
    with open_lines(path, encoding) as decoded:
        lines = [line.rstrip() for line in decoded]
    yield from _Page(lines, tz).records()


def parse_footer(line: str) -> tuple[str, datetime, int | None] | None:
    """(name, naive time, number) of a `Posted by: NAME | date [| N]` line, else None."""
    match = _FOOTER_START.fullmatch(line)
    if match is None or "|" not in match.group(1):
        return None
    parts = [part.strip() for part in match.group(1).split("|")]
    number = None
    if len(parts) > 2 and parts[-1].isdigit():
        number = int(parts.pop())
    when = parse_page_date(parts.pop())
    if when is None:
        return None
    return " | ".join(parts), when[0], number


def parse_page_date(text: str) -> tuple[datetime, bool] | None:
    """(naive time, whether a time of day was given) for the date forms pages show."""
    for pattern in _DATES:
        match = pattern.fullmatch(text.strip())
        if match is None:
            continue
        parts = match.groupdict()
        month = parts["month"]
        month = int(month) if month.isdigit() else MONTHS.get(month.lower())
        hour = _hour(parts["hour"], parts["half"])
        if month is None or hour is None:
            return None
        try:
            when = datetime(
                int(parts["year"]),
                month,
                int(parts["day"]),
                hour,
                int(parts["minute"] or 0),
                int(parts["second"] or 0),
            )
        except ValueError:
            return None
        return when, parts["hour"] is not None
    return None


def _hour(hour: str | None, half: str | None) -> int | None:
    if hour is None:
        return 0
    value = int(hour)
    if half:
        return None if value > 12 else value % 12 + (12 if half in "Pp" else 0)
    return value if value < 24 else None


def _is_byline(line: str) -> bool:
    """`Posted by NAME on DATE …` / `Posted at TIME in …`, with a real date or time."""
    match = _BYLINE.fullmatch(line)
    if match is None or line.startswith("Posted by:"):
        return False
    when = (match.group("when") or "").strip()
    if when:
        return parse_page_date(when) is not None or _TIME_ONLY.fullmatch(when) is not None
    return "| Permalink" in line


def _is_noise(line: str) -> bool:
    return _NOISE.fullmatch(line.strip()) is not None


class _Page:
    """One page's lines, cut into head, post body and comments."""

    def __init__(self, lines: list[str], tz: tzinfo):
        self.lines = lines
        self.tz = tz
        self.problems: list[SourceProblem] = []
        self.footers = self._footers()

    def records(self) -> Iterator[SourcePost | SourceProblem]:
        first_footer = self.footers[0][0] if self.footers else len(self.lines)
        url, title_at = self._url_and_title(first_footer)
        if title_at is None:
            yield SourceProblem(1, "The page has no title or text; nothing was imported.")
            return
        self.title_at = title_at
        self.by_line = self._paragraphs_are_lines()
        body_end, comments_start, byline = self._post_end(title_at, first_footer)
        comments = self._comments(comments_start)
        post = SourcePost(
            title=self.lines[title_at].strip(),
            published_at=None,
            body_html=self._html(self.lines[title_at + 1 : body_end]),
            convert_breaks="0",
            old_url=url,
            line=title_at + 1,
            comments=comments,
        )
        self._byline(post, byline)
        if post.published_at is None:
            self._date_from_comments(post)
        if any(line.strip().lower() == _CLOSED for line in self.lines):
            post.comments_mode = CommentsMode.CLOSED
        post.source_id = url or (
            f"typepad-page:{slugify(post.title, allow_unicode=True)}:"
            f"{post.published_at.replace(tzinfo=None).isoformat() if post.published_at else ''}"
        )
        self._trailing_text()
        repair_post(post)
        yield from self.problems
        yield post

    # ------------------------------------------------------------ structure

    def _footers(self) -> list[tuple[int, tuple[str, datetime, int | None]]]:
        """The comment footers, leaving out footers pasted into comments as quotes."""
        found = []
        seen = set()
        numbers = set()
        for index, line in enumerate(self.lines):
            footer = parse_footer(line)
            if footer is None or footer in seen or footer[2] in numbers:
                continue
            seen.add(footer)
            if footer[2] is not None:
                numbers.add(footer[2])
            found.append((index, footer))
        return found

    def _url_and_title(self, limit: int) -> tuple[str, int | None]:
        """The page's own address if it opens with one, and the index of the title line."""
        url = ""
        candidates = []
        for index in range(limit):
            line = self.lines[index].strip()
            if not line or _is_noise(line):
                continue
            if not candidates and (match := _URL_LINE.fullmatch(line)):
                url = url or match.group(1)
                continue
            candidates.append(index)
            if len(candidates) > 3:
                break
        # A date heading (Typepad's "Thursday, October 05, 2017") stands above the title.
        for position, index in enumerate(candidates[:-1]):
            day = parse_page_date(self.lines[index])
            if day is not None and not day[1]:
                return url, candidates[position + 1]
        return url, candidates[0] if candidates else None

    def _post_end(self, title_at: int, first_footer: int) -> tuple[int, int, int | None]:
        """(end of the body, start of the first comment, the byline's index or None)."""
        byline = heading = None
        for index in range(title_at + 1, first_footer):
            line = self.lines[index].strip()
            if _COMMENTS_HEADING.fullmatch(line):
                heading = index
            elif _is_byline(line):
                byline = index
        markers = [index for index in (byline, heading) if index is not None]
        if markers:
            return min(markers), max(markers) + 1, byline
        if not self.footers:
            return first_footer, first_footer, None
        start = self._last_paragraph(title_at, first_footer)
        self.problems.append(
            SourceProblem(
                start + 1,
                "The page has no “Comments” heading or post byline marking where the post ends, "
                f"so comment 1 was taken to start at line {start + 1}; check where the post "
                "body ends and the first comment begins.",
                what="field",
            )
        )
        return start, start, None

    def _last_paragraph(self, title_at: int, first_footer: int) -> int:
        """Where the last paragraph before the first footer starts (one line if none blank)."""
        content = [i for i in range(title_at + 1, first_footer) if self.lines[i].strip()]
        content = [i for i in content if not _is_noise(self.lines[i])]
        if not content:
            return first_footer
        start = content[-1]
        while start - 1 > title_at and self.lines[start - 1].strip():
            start -= 1
        has_blank = any(not self.lines[i].strip() for i in range(title_at + 1, content[-1]))
        return start if has_blank else content[-1]

    def _paragraphs_are_lines(self) -> bool:
        """Whether each line is a paragraph: no blank line stands between two text lines."""
        end = self.footers[-1][0] if self.footers else len(self.lines)
        footer_lines = {index for index, _ in self.footers}
        for index in range(self.title_at + 2, end - 1):
            around = (index - 1, index + 1)
            if not self.lines[index].strip() and all(
                self.lines[i].strip() and i not in footer_lines for i in around
            ):
                return False
        return True

    def _comments(self, start: int) -> list[SourceComment]:
        comments = []
        for index, (name, when, number) in self.footers:
            body = [line for line in self.lines[start:index] if not _is_noise(line)]
            first = next((i for i in range(start, index) if self.lines[i].strip()), index)
            comments.append(
                SourceComment(
                    author_name=name,
                    created_at=make_aware(when, self.tz),
                    body_html=self._html(body),
                    number=number,
                    line=first + 1,
                )
            )
            start = index + 1
        comments.sort(key=lambda comment: comment.created_at)
        return comments

    def _byline(self, post: SourcePost, index: int | None) -> None:
        """Author, date and categories from `Posted by NAME on DATE at TIME in CATS | …`."""
        if index is None:
            return
        match = _BYLINE.fullmatch(self.lines[index].strip())
        post.author_name = (match.group("author") or "").strip()
        if match.group("categories"):
            post.categories = [name.strip() for name in match.group("categories").split(",")]
            post.categories = [name for name in post.categories if name]
        when = match.group("when") or ""
        parsed = parse_page_date(when)
        if parsed is None and (time := _TIME_ONLY.fullmatch(when.strip())):
            day = self._date_heading()
            hour = _hour(time.group("hour"), time.group("half"))
            if day is not None and hour is not None:
                parsed = (day.replace(hour=hour, minute=int(time.group("minute"))), True)
        if parsed is not None:
            post.published_at = make_aware(parsed[0], self.tz)

    def _date_heading(self) -> datetime | None:
        """The day of a date heading above the title (`Thursday, October 05, 2017`)."""
        for line in self.lines[: self.title_at]:
            day = parse_page_date(line)
            if day is not None and not day[1]:
                return day[0]
        return None

    def _date_from_comments(self, post: SourcePost) -> None:
        day = self._date_heading()
        if day is not None:
            post.published_at = make_aware(day, self.tz)
            return
        if post.comments:
            post.published_at = post.comments[0].created_at
            self.problems.append(
                SourceProblem(
                    post.line,
                    f"The page gives no date for the post “{post.title}”; it was dated by its "
                    "first comment.",
                    what="field",
                )
            )
        else:
            self.problems.append(
                SourceProblem(
                    post.line,
                    f"The page gives no date for the post “{post.title}” and has no comments to "
                    "date it by; it was imported undated.",
                    what="field",
                )
            )

    def _trailing_text(self) -> None:
        if not self.footers:
            return
        after = self.footers[-1][0] + 1
        text = [i for i in range(after, len(self.lines)) if self.lines[i].strip()]
        text = [i for i in text if not _is_noise(self.lines[i])]
        if text:
            first, last = text[0] + 1, text[-1] + 1
            where = f"Line {first} follows" if first == last else f"Lines {first}–{last} follow"
            self.problems.append(
                SourceProblem(
                    first,
                    f"{where} the last comment’s “Posted by:” line; skipped as page furniture "
                    "(if it is a comment whose footer is missing, add the footer and import "
                    "again).",
                    what="text",
                )
            )

    # ------------------------------------------------------------ text to HTML

    def _html(self, lines: list[str]) -> str:
        """Plain text as escaped HTML paragraphs: per line when the page has no blank lines."""
        lines = [line for line in lines if not _is_noise(line)]
        paragraphs: list[list[str]] = [[]]
        for line in lines:
            if not line.strip():
                paragraphs.append([])
            elif self.by_line:
                paragraphs.append([line.strip()])
            else:
                paragraphs[-1].append(line.strip())
        return "\n".join(
            "<p>" + "<br>\n".join(html.escape(line, quote=False) for line in paragraph) + "</p>"
            for paragraph in paragraphs
            if paragraph
        )
