"""Which URLs in an imported body point at Typepad-hosted images, and where they stand.

Typepad served uploaded images in two shapes:

- assets: `https://blog.typepad.com/.a/6a00d8341c4e3853ef01b8d2a1b2c3970c-800wi`, also
  `a0.typepad.com/6a00…-pi` on its CDN and `www.own-domain.com/.a/6a00…` for blogs on
  their own domain. The suffix names a size (`-800wi` shown 800 px wide, `-pi` and
  `-popup` the original), so every size of one asset is one image;
- files: `http://blog.typepad.com/photos/uncategorized/2007/05/01/dsc0001.jpg`,
  `/images/2009/01/foo.png`, and the `/.shared/image.html?/photos/…` popup page
  that showed one.

Markup is read by the standard library's HTML parser, which says where each start tag
begins (lxml keeps no column). Only the attribute values that change are spliced into
the original text, so everything else in a body stays byte for byte as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from posixpath import basename
from urllib.parse import unquote, urlsplit

# Typepad asset ids are 34 hex digits starting "6a"; a little slack either way.
ASSET_ID = re.compile(r"(?<![0-9a-f])6a[0-9a-f]{20,62}(?![0-9a-f])", re.IGNORECASE)
_ASSET_SEGMENT = re.compile(
    r"(?P<id>6a[0-9a-f]{20,62})(?:-(?P<size>[0-9a-z]+))?(?:\.(?:jpe?g|png|gif))?",
    re.IGNORECASE,
)
_WIDTH_SIZE = re.compile(r"(\d{1,5})wi", re.IGNORECASE)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif")
# Every reference contains one of these (or an old host) and an asset id or image suffix;
# a body without them is returned untouched.
NEEDLES = ("typepad.com", "/.a/6a")

# What a start tag is made of, as html.parser reads it (Python 3.11's tolerant forms).
_TAG_NAME = re.compile(r"<([a-zA-Z][^\t\n\r\f />\x00]*)(?:\s|/(?!>))*")
_ATTRIBUTE = re.compile(
    r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*"""
)
# The attribute of each tag that may name an image.
URL_ATTRIBUTES = {"img": "src", "a": "href"}


@dataclass(frozen=True, slots=True)
class MediaRef:
    """One Typepad-hosted image a body refers to."""

    url: str  # as the attribute gives it (entities decoded)
    path: str  # the image's path on its old host, percent-decoded, lower case
    asset_id: str = ""  # lower-case asset id for `.a/` references; "" for files
    width: int | None = None  # the width the URL asks for (`-800wi`), if any

    @property
    def key(self) -> str:
        """What makes two references the same image: the asset id, else the path."""
        return self.asset_id or self.path

    @property
    def file_name(self) -> str:
        return basename(self.path)


def parse_reference(url: str, *, old_hosts: Iterable[str] = ()) -> MediaRef | None:
    """The Typepad image `url` names, or None for anything else (other hosts, pages).

    `old_hosts` are the blog's own former domains (with or without `www.`), whose files
    count as Typepad's.
    """
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".")
    except ValueError:  # a malformed address (bad port, broken IPv6 literal)
        return None
    old_hosts = {bare_host(old) for old in old_hosts}
    if parts.scheme.lower() not in ("http", "https", ""):
        return None
    path = parts.path
    if path.lower().endswith("/.shared/image.html") and parts.query.startswith("/"):
        path = parts.query  # the popup page showing one uploaded file
    path = unquote(path).lower()
    is_typepad = (
        host == "typepad.com" or host.endswith(".typepad.com") or bare_host(host) in old_hosts
    )
    asset = _ASSET_SEGMENT.fullmatch(basename(path))
    # Assets on a blog's own domain live under /.a/: no other site uses that shape.
    if asset and (is_typepad or "/.a/" in path):
        width = _WIDTH_SIZE.fullmatch(asset.group("size") or "")
        return MediaRef(
            url=url,
            path=path,
            asset_id=asset.group("id"),
            width=int(width.group(1)) if width else None,
        )
    if is_typepad and path.endswith(IMAGE_SUFFIXES):
        return MediaRef(url=url, path=path)
    return None


def bare_host(host: str) -> str:
    """A host as old hosts are compared: lower case, without `www.` (a blog answered on both)."""
    return (host or "").strip().lower().rstrip(".").removeprefix("www.")


@dataclass(slots=True)
class Attribute:
    """One attribute of a start tag, with the span of its value in the document."""

    name: str  # lower case
    value: str | None  # entities decoded; None when written without a value
    value_start: int = 0
    value_end: int = 0


@dataclass(slots=True)
class StartTag:
    """An `<img>` or `<a>` start tag: its attributes and where a new attribute may go."""

    name: str
    attributes: list[Attribute] = field(default_factory=list)
    insert_at: int = 0  # just after the last attribute (or the tag name)

    def get(self, name: str) -> Attribute | None:
        """The first attribute called `name`: the one browsers use."""
        return next((attribute for attribute in self.attributes if attribute.name == name), None)


class _TagFinder(HTMLParser):
    """Collects the start tags named in URL_ATTRIBUTES, with their raw text and position."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[str, int, int, str, list]] = []

    def handle_starttag(self, tag, attrs):
        if tag in URL_ATTRIBUTES:
            line, column = self.getpos()
            self.found.append((tag, line, column, self.get_starttag_text() or "", attrs))

    handle_startendtag = handle_starttag


def media_tags(html: str) -> list[StartTag] | None:
    """The `<img>` and `<a>` start tags of `html` outside comments and scripts.

    Each tag's attributes are located in the text and must read exactly as the parser
    read them; a tag that does not is left out (it is never rewritten). None when the
    parser gives up on the document.
    """
    finder = _TagFinder()
    try:
        finder.feed(html)
        finder.close()
    except (AssertionError, ValueError):  # html.parser's way of giving up on odd markup
        return None
    line_starts = [0] + [match.end() for match in re.finditer("\n", html)]
    tags = []
    for name, line, column, raw, parsed in finder.found:
        start = line_starts[line - 1] + column
        if not raw or html[start : start + len(raw)] != raw:
            continue
        tag = _locate_attributes(name, raw, start)
        if tag is not None and [(a.name, a.value) for a in tag.attributes] == parsed:
            tags.append(tag)
    return tags


def _locate_attributes(name: str, raw: str, start: int) -> StartTag | None:
    """Read the attributes of one start tag's raw text, with offsets into the document."""
    opening = _TAG_NAME.match(raw)
    if opening is None:
        return None
    tag = StartTag(name=name, insert_at=start + opening.end(1))
    position = opening.end()
    while match := _ATTRIBUTE.match(raw, position):
        if match.end() == position:
            break
        value = match.group(3)
        if match.group(2) is None:
            attribute = Attribute(name=match.group(1).lower(), value=None)
        else:
            quoted = value[:1] == value[-1:] and value[:1] in ("'", '"')
            attribute = Attribute(
                name=match.group(1).lower(),
                value=unescape(value[1:-1] if quoted else value) if value else value,
                value_start=start + match.start(3),
                value_end=start + match.end(3),
            )
        tag.attributes.append(attribute)
        tag.insert_at = start + match.end(3 if match.group(2) is not None else 1)
        position = match.end()
    return tag


def splice(html: str, edits: list[tuple[int, int, str]]) -> str:
    """`html` with each (start, end, text) edit applied; edits never overlap."""
    pieces, position = [], 0
    for start, end, text in sorted(edits):
        pieces += [html[position:start], text]
        position = end
    pieces.append(html[position:])
    return "".join(pieces)
