"""Pure helpers turning exported text into what Riposte stores (no database).

Bodies stay HTML (the sanitiser runs when they are saved); these only apply
Movable Type's CONVERT BREAKS, make plain-text versions, identities and slugs.
"""

import hashlib
import html
import ipaddress
import re

from django.utils.text import slugify
from markdown_it import MarkdownIt

# Movable Type's text filters: these turn blank lines into paragraphs and newlines into <br>.
# ("richtext", the rich text editor's HTML, MT shows as it is: a newline in it is no <br>.)
BREAK_FILTERS = {"1", "__default__"}
MARKDOWN_FILTERS = {"markdown", "markdown_with_smartypants"}

# Raw HTML passes here: the result goes through nh3 before anyone sees it.
_markdown_with_html = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

_BLOCK_START_RE = re.compile(
    r"^\s*<(?:p|div|ul|ol|li|h[1-6]|blockquote|pre|table|dl|form|hr|address|figure)\b", re.I
)
_HAS_BLOCK_RE = re.compile(r"<(?:p|div|br|ul|ol|blockquote|pre|table|h[1-6])\b", re.I)
_PARAGRAPH_SPLIT_RE = re.compile(r"\n[ \t]*\n+")
_BREAK_TAG_RE = re.compile(r"<br\s*/?>\n?", re.I)
_BLOCK_END_RE = re.compile(r"</(?:p|div|li|blockquote|pre|h[1-6]|tr|table|ul|ol)\s*>", re.I)
_TAG_RE = re.compile(r"<[^>]*>")
_MANY_NEWLINES_RE = re.compile(r"\n{3,}")


def convert_breaks(text: str) -> str:
    """MT's convert_breaks: blank-line-separated paragraphs wrapped in <p>, newlines as <br />.

    Paragraphs that already start with a block tag are left as they are.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    paragraphs = []
    for paragraph in _PARAGRAPH_SPLIT_RE.split(text):
        if not paragraph.strip():
            continue
        if _BLOCK_START_RE.match(paragraph):
            paragraphs.append(paragraph)
        else:
            paragraphs.append("<p>" + paragraph.replace("\n", "<br />\n") + "</p>")
    return "\n\n".join(paragraphs)


def post_html(body: str, text_filter: str) -> str:
    """A post body as HTML, with the export's text filter (CONVERT BREAKS) applied."""
    text_filter = (text_filter or "0").strip().lower()
    if text_filter in BREAK_FILTERS:
        return convert_breaks(body)
    if text_filter in MARKDOWN_FILTERS:
        return _markdown_with_html.render(body or "")
    return body or ""  # "0", "richtext", "wysiwyg" and filters we don't know: HTML as it is


def comment_html(body: str) -> str:
    """A comment body as HTML: plain text with line breaks gets MT's paragraphs and <br>."""
    if _HAS_BLOCK_RE.search(body or ""):
        return body
    return convert_breaks(body)


def html_to_plain(fragment: str) -> str:
    """Readable plain text of an HTML fragment, keeping paragraphs and line breaks."""
    text = _BREAK_TAG_RE.sub("\n", without_nul(fragment).replace("\r\n", "\n"))
    text = _BLOCK_END_RE.sub("\n\n", text)
    text = html.unescape(_TAG_RE.sub("", text))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return _MANY_NEWLINES_RE.sub("\n\n", "\n".join(lines)).strip()


def without_nul(text: str) -> str:
    """Text PostgreSQL can store: NUL characters (from damaged exports) dropped."""
    return (text or "").replace("\x00", "")


def plain_title(title: str) -> str:
    """A title as text: entities decoded, tags dropped, spaces collapsed."""
    return " ".join(without_nul(html.unescape(_TAG_RE.sub("", title or ""))).split())


def body_hash(body: str, occurrence: int = 1) -> str:
    """SHA-256 of a body with its whitespace collapsed; the n-th identical copy hashes apart.

    A commenter who double-posted left two comments with the same name, date
    and text; both are history, so the second gets its own identity.
    """
    normalised = " ".join((body or "").split())
    if occurrence > 1:
        normalised += f"\x00{occurrence}"
    return hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()


def clean_ip(value: str) -> str | None:
    """An IP address PostgreSQL accepts, or None for anything else."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def slug_base(*candidates: str, max_length: int = 190) -> str:
    """The first candidate that gives a slug (basenames keep their underscores)."""
    for candidate in candidates:
        slug = slugify(candidate or "")[:max_length].strip("-_")
        if slug:
            return slug
    return "post"
