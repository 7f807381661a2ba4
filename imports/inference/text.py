"""A comment body as inference reads it: visible text with its line starts, and the
spans that are quotations (a `<blockquote>` or lines opened by `>`), so a number
inside quoted text is never taken for a reference."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

# Tags whose boundary starts a new line in the visible text.
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>", re.S)
_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.M)
# Patterns start with a literal so the scan skips ahead quickly; e-mails grow leftwards by hand.
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_EMAIL_TAIL = re.compile(r"@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}")
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-")
# Curly quotes and dashes read as their plain forms, so a pasted passage still matches.
_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\xa0": " "})


@dataclass(slots=True)
class CommentText:
    """Visible text of one comment and the [start, end) spans of it that quote someone."""

    text: str
    quoted: list[tuple[int, int]]
    # The text with URLs and e-mail addresses blanked to spaces (same length as text),
    # so `page#3` or `name@3com.com` is never read as a reference.
    scan: str

    def blank(self, start: int, end: int) -> None:
        """Treat a span as quoted and hide it from the reference and quotation scans."""
        self.scan = self.scan[:start] + " " * (end - start) + self.scan[end:]
        self.quoted.append((start, end))

    def is_quoted(self, position: int) -> bool:
        """Whether a character position lies inside quoted text."""
        return any(start <= position < end for start, end in self.quoted)


def comment_text(body_html: str) -> CommentText:
    """The visible text of an HTML body, one line per block or `<br>`, with its quoted spans."""
    if "<" not in body_html:
        text = unescape(body_html) if "&" in body_html else body_html
        quoted: list[tuple[int, int]] = []
    else:
        text, quoted = _strip_tags(body_html)
    if not text.isascii():
        text = text.translate(_PLAIN)
    if ">" in text:
        quoted.extend(m.span() for m in _QUOTED_LINE.finditer(text))
    return CommentText(text=text, quoted=quoted, scan=_without_addresses(text))


def _without_addresses(text: str) -> str:
    """The text with URLs and e-mail addresses replaced by as many spaces."""
    spans = []
    if "www." in text or "://" in text:
        spans.extend(m.span() for m in _URL.finditer(text))
    if "@" in text:
        for match in _EMAIL_TAIL.finditer(text):
            start = match.start()
            while start and text[start - 1] in _EMAIL_LOCAL:
                start -= 1
            if start < match.start():
                spans.append((start, match.end()))
    if not spans:
        return text
    parts = []
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor:
            start = cursor
        parts.append(text[cursor:start])
        parts.append(" " * max(0, end - start))
        cursor = max(cursor, end)
    parts.append(text[cursor:])
    return "".join(parts)


def plain_text(body_html: str) -> str:
    """The visible text of an HTML body (used for the post body, whose quotes do not matter)."""
    return comment_text(body_html).text


def _strip_tags(body_html: str) -> tuple[str, list[tuple[int, int]]]:
    """Visible text and blockquote spans of HTML, without a parser: bodies are small fragments."""
    parts: list[str] = []
    length = 0
    quoted: list[tuple[int, int]] = []
    depth = 0
    quote_start = 0
    last = 0
    for match in _TAG.finditer(body_html):
        chunk = body_html[last : match.start()]
        last = match.end()
        if chunk:
            if "&" in chunk:
                chunk = unescape(chunk)
            parts.append(chunk)
            length += len(chunk)
        name = (match.group(2) or "").lower()
        if name not in _BLOCK_TAGS:
            continue
        parts.append("\n")
        length += 1
        if name == "blockquote":
            if not match.group(1):
                depth += 1
                if depth == 1:
                    quote_start = length
            elif depth:
                depth -= 1
                if depth == 0:
                    quoted.append((quote_start, length))
    chunk = unescape(body_html[last:])
    parts.append(chunk)
    length += len(chunk)
    if depth:
        quoted.append((quote_start, length))
    return "".join(parts), quoted
