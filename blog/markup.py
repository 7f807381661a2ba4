"""The one place where user-written Markdown becomes HTML.

Markdown is rendered by markdown-it-py without raw HTML passthrough, then the
result is sanitised by nh3. Everything a template prints with `|safe` came
through `render_markdown`.
"""

import html
import re
from typing import Literal

import nh3
from markdown_it import MarkdownIt

LINK_REL = "nofollow ugc noopener"

# Posts are written by trusted authors: images, tables and headings are fine.
# Comments (issue 3) use the tighter "comment" profile: no images, no headings.
_POST_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "figcaption", "figure",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_COMMENT_TAGS = {
    "a", "b", "blockquote", "br", "code", "del", "em", "i", "li", "ol", "p", "pre",
    "s", "strong", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "code": {"class"},
}
_URL_SCHEMES = {"http", "https", "mailto"}

_TYPOGRAPHY = ["smartquotes", "replacements"]
_post_md = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
    ["table", "strikethrough", *_TYPOGRAPHY]
)
_comment_md = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
    ["strikethrough", *_TYPOGRAPHY]
)

Profile = Literal["post", "comment"]


def render_markdown(text: str, *, profile: Profile = "post") -> str:
    """Render Markdown to sanitised HTML; links get rel="nofollow ugc noopener"."""
    md = _post_md if profile == "post" else _comment_md
    raw_html = md.render(text or "")
    tags = _POST_TAGS if profile == "post" else _COMMENT_TAGS
    attributes = {tag: attrs for tag, attrs in _ATTRIBUTES.items() if tag in tags}
    return nh3.clean(
        raw_html,
        tags=tags,
        attributes=attributes,
        url_schemes=_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|li|ol|ul|h[1-6]|blockquote|pre|table|thead|tbody|tr|td|th|br|hr|figure|figcaption)"
    r"\b[^>]*>"
)
_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_RE = re.compile(r"\s+")
# Private-use characters are reserved for search highlighting (see blog/search.py).
_PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff]")


def html_to_text(fragment: str) -> str:
    """Plain text of a sanitised HTML fragment, for excerpts and search.

    Block tags become spaces; inline tags vanish without one ("un<em>believ</em>able").
    """
    text = _TAG_RE.sub("", _BLOCK_TAG_RE.sub(" ", fragment))
    text = _PRIVATE_USE_RE.sub("", html.unescape(text))
    return _SPACE_RE.sub(" ", text).strip()


def truncate_words(text: str, limit: int) -> str:
    """The first `limit` characters of `text`, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:—-")
    return f"{cut}…"
