"""Reading the comment section of a rendered page in tests."""

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from comments.models import Comment


@dataclass
class Item:
    number: int
    classes: set[str]
    inside: int | None  # the comment this one is nested in, if any


class _Items(HTMLParser):
    def __init__(self):
        super().__init__()
        self.items: list[Item] = []
        self.stack: list[int | None] = []

    def handle_starttag(self, tag, attrs):
        if tag != "li":
            return
        attrs = dict(attrs)
        number = None
        if (attrs.get("id") or "").startswith("c") and attrs["id"][1:].isdigit():
            number = int(attrs["id"][1:])
            enclosing = next((n for n in reversed(self.stack) if n is not None), None)
            self.items.append(Item(number, set((attrs.get("class") or "").split()), enclosing))
        self.stack.append(number)

    def handle_endtag(self, tag):
        if tag == "li" and self.stack:
            self.stack.pop()


def comment_items(response) -> list[Item]:
    """The comment <li> items of a page, in document order."""
    parser = _Items()
    parser.feed(response.content.decode())
    return parser.items


def shown_numbers(response) -> list[int]:
    return [item.number for item in comment_items(response)]


def text(response) -> str:
    """The page source with entities decoded, to look for messages."""
    return html.unescape(response.content.decode())


def plain(response) -> str:
    """The page as a reader hears it: tags removed, entities decoded, spaces folded."""
    without_tags = re.sub(r"<[^>]+>", "", response.content.decode())
    return " ".join(html.unescape(without_tags).split())


class _Forms(HTMLParser):
    """Every <form>'s action and its text, hidden and textarea fields with their values."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or "", {}))
        elif not self.forms or not attrs.get("name"):
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "button", "checkbox", "radio"):
            self.forms[-1][1][attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.forms[-1][1][self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.forms[-1][1][self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None


def form_fields(response, action: str) -> dict[str, str]:
    """The page's first form posting to `action`: the fields it would send untouched.

    Covers what the comment forms hold (inputs and textareas); selects, checkboxes
    and buttons are left to the caller.
    """
    parser = _Forms()
    parser.feed(response.content.decode())
    return next(fields for form_action, fields in parser.forms if form_action == action)


_LANDED_RE = re.compile(r"(?:#c|/comments/)(\d+)/?$")


def posted_status(response, post) -> str:
    """The status of the comment a comment form's redirect lands on.

    A 302 means "posted" and "held for review" alike; only the stored comment tells which.
    """
    assert response.status_code == 302, f"expected a redirect, got {response.status_code}"
    number = int(_LANDED_RE.search(response["Location"]).group(1))
    return Comment.objects.get(post=post, number=number).status


_READER_CSS_RE = re.compile(r'<link rel="stylesheet" href="(/comments/reader\.css\?[^"]+)">')
_CONTROL_RE = re.compile(r'<a class="comment__(edit|delete|flag)" href="[^"]*/(\d+)/\w+/"')
_AUTHOR_RE = re.compile(r'<li class="comment[^"]*" id="c(\d+)" data-n="\d+" data-author="(\d+)"')


def visible_controls(client, response) -> dict[int, set[str]]:
    """Which of the edit, delete and flag links every card carries this reader sees.

    site.css hides them; the page's reader stylesheet (comments.views.reader_css)
    shows some. Its three kinds of rule are applied here as a browser would.
    """
    page = html.unescape(response.content.decode())
    present: dict[int, set[str]] = {}
    for control, number in _CONTROL_RE.findall(page):
        present.setdefault(int(number), set()).add(control)
    authors = {int(number): author for number, author in _AUTHOR_RE.findall(page)}
    link = _READER_CSS_RE.search(page)
    if link is None:
        return {}
    css = client.get(link.group(1)).content.decode()
    shown: dict[int, set[str]] = {}
    for selectors in re.findall(r"([^{}]+)\{\s*display: inline-flex;\s*\}", css):
        for selector in selectors.split(","):
            selector = selector.strip()
            if found := re.fullmatch(r"#c(\d+) > \.comment__card \.comment__(\w+)", selector):
                targets = [(int(found.group(1)), found.group(2))]
            elif found := re.fullmatch(
                r'\.comment\[data-author="(\d+)"\] > \.comment__card \.comment__(\w+)', selector
            ):
                targets = [(n, found.group(2)) for n, a in authors.items() if a == found.group(1)]
            elif found := re.fullmatch(
                r'\.comment:not\(\[data-author="(\d+)"\]\) > \.comment__card \.comment__(\w+)',
                selector,
            ):
                targets = [(n, found.group(2)) for n in present if authors.get(n) != found.group(1)]
            else:
                raise AssertionError(f"unknown reader stylesheet rule: {selector}")
            for number, control in targets:
                if control in present.get(number, ()):
                    shown.setdefault(number, set()).add(control)
    return shown
