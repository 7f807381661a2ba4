"""The one place where user-written Markdown becomes HTML.

Markdown is rendered by markdown-it-py without raw HTML passthrough, then the
result is sanitised by nh3 in `sanitize_html`, which importers also call on the
raw HTML their sources carry. Everything a template prints with `|safe` came
through `sanitize_html`.
"""

import html
import re
from collections.abc import Callable, Collection
from typing import Literal

import nh3
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.token import Token

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
# Classes survive only as our own markup sets them: reference links, fenced code's language.
_ALLOWED_CLASS = {"a": re.compile(r"comment-ref"), "code": re.compile(r"language-[\w+#.-]+")}

_TYPOGRAPHY = ["smartquotes", "replacements"]
# Bare addresses ("https://…", "www.…") become links: commenters paste them as they are.
_OPTIONS = {"html": False, "typographer": True, "linkify": True}
_post_md = MarkdownIt("commonmark", _OPTIONS).enable(
    ["table", "strikethrough", "linkify", *_TYPOGRAPHY]
)
_comment_md = MarkdownIt("commonmark", _OPTIONS).enable(["strikethrough", "linkify", *_TYPOGRAPHY])

Profile = Literal["post", "comment"]

# "@16", "@ 16" and "#16" cite comment 16 of the same post (the old Typepad habit).
REFERENCE_RE = re.compile(r"(?<![\w&@#/=?])(?:@ ?|#)(\d{1,7})(?![\w])")


def _link_references(state) -> None:
    """markdown-it core rule: turn @N/#N in plain text into links to existing comments."""
    url_for = state.env.get("reference_url")
    if url_for is None:
        return
    cited = state.env.setdefault("cited", [])
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, inside_link = [], 0
        for token in block.children:
            inside_link += token.type == "link_open"
            inside_link -= token.type == "link_close"
            if token.type != "text" or inside_link or not REFERENCE_RE.search(token.content):
                children.append(token)
                continue
            position = 0
            for match in REFERENCE_RE.finditer(token.content):
                number = int(match.group(1))
                url = url_for(number)
                if url is None:
                    continue
                if match.start() > position:
                    children.append(_text(state, token.content[position : match.start()]))
                opening = Token("link_open", "a", 1)
                opening.attrs = {"href": url, "class": "comment-ref", "data-ref": str(number)}
                children += [
                    opening,
                    _text(state, match.group(0)),
                    Token("link_close", "a", -1),
                ]
                cited.append(number)
                position = match.end()
            if position < len(token.content):
                children.append(_text(state, token.content[position:]))
        block.children = children


def _text(state, content: str):
    token = Token("text", "", 0)
    token.content = content
    return token


# A quote made with the Quote button ends with its source line, "— #16, Name": a
# paragraph (or the last line of one) of a dash and a reference link.
QUOTE_WITHHELD_NOTE = "[quoted comment removed]"
_DASH_RE = re.compile(r"\s*[—–-]{1,3}\s*")


def _withhold_quotes(state) -> None:
    """markdown-it core rule: a quote of a comment in env["withheld_quotes"] (removed or
    deleted) keeps its source line and link; its quoted text becomes a note."""
    withheld = state.env.get("withheld_quotes")
    if withheld:
        state.tokens = _without_withheld_quotes(state.tokens, withheld)


def _without_withheld_quotes(tokens: list, withheld) -> list:
    out, index = [], 0
    while index < len(tokens):
        opening = tokens[index]
        if opening.type != "blockquote_open":
            out.append(opening)
            index += 1
            continue
        end = next(
            k
            for k in range(index + 1, len(tokens))
            if tokens[k].type == "blockquote_close" and tokens[k].level == opening.level
        )
        inner = tokens[index + 1 : end]
        cited, source = _quote_source(inner, opening.level + 1)
        if cited in withheld:
            inner = [*_paragraph(QUOTE_WITHHELD_NOTE, opening.level + 1), *source]
        else:
            inner = _without_withheld_quotes(inner, withheld)
        out += [opening, *inner, tokens[end]]
        index = end + 1
    return out


def _quote_source(inner: list, level: int) -> tuple[int | None, list]:
    """The number a quote's source line cites, and that line as block tokens; (None, [])
    when the quote's last block is not such a line."""
    if len(inner) < 3 or inner[-1].type != "paragraph_close" or inner[-1].level != level:
        return None, []
    opening, inline = inner[-3], inner[-2]
    children = inline.children or []
    breaks = [i for i, child in enumerate(children) if child.type in ("softbreak", "hardbreak")]
    tail = children[breaks[-1] + 1 :] if breaks else children
    if not (
        len(tail) >= 2
        and tail[0].type == "text"
        and _DASH_RE.fullmatch(tail[0].content)
        and tail[1].type == "link_open"
        and "data-ref" in (tail[1].attrs or {})
    ):
        return None, []
    line = Token("inline", "", 0)
    line.level, line.children = inline.level, tail
    return int(tail[1].attrs["data-ref"]), [opening, line, inner[-1]]


def _paragraph(text: str, level: int) -> list:
    opening, closing = Token("paragraph_open", "p", 1), Token("paragraph_close", "p", -1)
    line = Token("inline", "", 0)
    line.children = [Token("text", "", 0)]
    line.children[0].content = text
    opening.level = closing.level = level
    opening.block = closing.block = True
    line.level = level + 1
    return [opening, line, closing]


_comment_md.core.ruler.push("comment_references", _link_references)
_comment_md.core.ruler.push("withheld_quotes", _withhold_quotes)


def render_markdown(text: str, *, profile: Profile = "post") -> str:
    """Render Markdown to sanitised HTML; links get rel="nofollow ugc noopener"."""
    md = _post_md if profile == "post" else _comment_md
    return sanitize_html(md.render(text or ""), profile=profile)


def render_comment_markdown(
    text: str,
    *,
    reference_url: Callable[[int], str | None],
    withheld_quotes: Collection[int] = (),
) -> tuple[str, list[int]]:
    """Render a comment; @N/#N become links where `reference_url(N)` gives one, and quotes
    of the comments in `withheld_quotes` (removed, deleted) show a note instead of their text.

    Returns the sanitised HTML and the cited comment numbers, in order, without repeats.
    """
    env = {"reference_url": reference_url, "withheld_quotes": withheld_quotes}
    raw_html = _comment_md.render(text or "", env)
    return sanitize_html(raw_html, profile="comment"), list(dict.fromkeys(env.get("cited", [])))


def sanitize_html(raw_html: str, *, profile: Profile | Literal["comment_html"] = "comment") -> str:
    """Untrusted HTML reduced to the profile's allow-lists; links get rel="nofollow ugc noopener".

    Safe on raw HTML from any source (an imported body, a Markdown rendering):
    scripts, styles, event handlers, embeds, forms and HTML comments are dropped;
    links and images keep only http, https and mailto addresses (and relative ones);
    classes survive only as our own reference links' `comment-ref` and code blocks'
    `language-*`. The "comment_html" profile is for comments written as HTML
    elsewhere (imports): comment tags, and no link may pose as our reference links.
    """
    return _CLEANERS[profile].clean(raw_html or "")


_TAG_SPLIT_RE = re.compile(r"(<[^>]*>)")


def render_comment_html(
    html_text: str, *, reference_url: Callable[[int], str | None]
) -> tuple[str, list[int]]:
    """Sanitise a comment written as HTML (an imported one) and link it like new ones:
    @N/#N to the comments they cite, bare web and mail addresses to themselves
    (WordPress and saved pages keep them as plain text and linked them on display).

    Returns the sanitised HTML and the cited comment numbers, in order, without repeats.
    """
    clean = sanitize_html(html_text, profile="comment_html")
    if not (REFERENCE_RE.search(clean) or _BARE_ADDRESS_HINT.search(clean)):
        return clean, []
    cited: list[int] = []
    parts, inside_link = [], 0
    # nh3's output is well-formed: tags and text alternate, text is already escaped.
    for part in _TAG_SPLIT_RE.split(clean):
        if part.startswith("<"):
            lowered = part[:3].lower()
            inside_link += lowered == "<a " or part.lower() == "<a>"
            inside_link -= lowered == "</a"
            parts.append(part)
        elif inside_link or not part:
            parts.append(part)
        else:
            parts.append(_linked_text(html.unescape(part), reference_url, cited))
    return "".join(parts), list(dict.fromkeys(cited))


# What a bare web or mail address needs to hold; linkify (slow) runs only on such text.
_BARE_ADDRESS_HINT = re.compile(r"https?://|www\.|[\w.+-]@[\w-]+\.", re.IGNORECASE)
_linkify = LinkifyIt()


def _linked_text(text: str, reference_url: Callable[[int], str | None], cited: list) -> str:
    """Escaped `text` with its bare addresses and @N/#N citations turned into links."""
    out, position = [], 0
    matches = _linkify.match(text) if _BARE_ADDRESS_HINT.search(text) else None
    for match in matches or ():
        if not match.url.lower().startswith(("http://", "https://", "mailto:")):
            continue
        out.append(_with_references(text[position : match.index], reference_url, cited))
        out.append(
            f'<a href="{html.escape(match.url)}" rel="{LINK_REL}">{html.escape(match.raw)}</a>'
        )
        position = match.last_index
    out.append(_with_references(text[position:], reference_url, cited))
    return "".join(out)


def _with_references(text: str, reference_url: Callable[[int], str | None], cited: list) -> str:
    """Escaped `text` with @N/#N linked to the comments of this post they cite."""
    out, position = [], 0
    for match in REFERENCE_RE.finditer(text):
        number = int(match.group(1))
        # "&#2" is an entity-like text, not a citation (as in Markdown).
        url = None if text.endswith("&", 0, match.start()) else reference_url(number)
        if url is None:
            continue
        out.append(html.escape(text[position : match.start()], quote=False))
        # Built here, after the sanitiser: our own URL, escaped, and the rel it would add.
        out.append(
            f'<a href="{html.escape(url)}" class="comment-ref" data-ref="{number}" '
            f'rel="{LINK_REL}">{html.escape(match.group(0), quote=False)}</a>'
        )
        cited.append(number)
        position = match.end()
    out.append(html.escape(text[position:], quote=False))
    return "".join(out)


def _cleaner(tags: set[str], *, reference_links: bool) -> nh3.Cleaner:
    attributes = {tag: attrs for tag, attrs in _ATTRIBUTES.items() if tag in tags}
    if reference_links:
        # @N/#N reference links (see _link_references) carry these; raw HTML from
        # elsewhere goes through the "comment_html" cleaner, which drops them.
        attributes["a"] = attributes["a"] | {"class", "data-ref"}
    return nh3.Cleaner(
        tags=tags,
        attributes=attributes,
        attribute_filter=_allowed_classes_only,
        url_schemes=_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _allowed_classes_only(tag: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: a class attribute keeps only the classes our own markup sets.

    Site CSS classes (Bootstrap's `position-fixed`, `d-none`…) in imported HTML
    could otherwise cover or hide the page around a comment.
    """
    if attribute != "class":
        return value
    allowed = _ALLOWED_CLASS.get(tag)
    kept = [name for name in value.split() if allowed and allowed.fullmatch(name)]
    return " ".join(kept) if kept else None


# Built once: configuring nh3 costs more than cleaning a comment.
_CLEANERS = {
    "post": _cleaner(_POST_TAGS, reference_links=False),
    "comment": _cleaner(_COMMENT_TAGS, reference_links=True),
    "comment_html": _cleaner(_COMMENT_TAGS, reference_links=False),
}


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
