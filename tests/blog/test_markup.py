"""blog.markup: Markdown becomes sanitised HTML; no database needed."""

from html.parser import HTMLParser

import pytest

from blog.markup import LINK_REL, html_to_text, render_markdown, truncate_words


class _Elements(HTMLParser):
    """Collects (tag, attributes) for every start tag in an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(fragment: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return parser.found


def urls(fragment: str) -> list[str]:
    return [
        value
        for _tag, attrs in elements(fragment)
        for name, value in attrs.items()
        if name in ("href", "src")
    ]


SCRIPTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "Hello <scr<script>ipt>alert(1)</script>",
    "```html\n<script>alert(1)</script>\n```",
]


@pytest.mark.parametrize("markdown", SCRIPTS)
def test_script_never_becomes_an_element(markdown):
    assert "script" not in [tag for tag, _attrs in elements(render_markdown(markdown))]


def test_script_text_is_shown_escaped():
    assert "&lt;script&gt;" in render_markdown("<script>alert(1)</script>")


EVENT_HANDLERS = [
    "<img src=x onerror=alert(1)>",
    '![x](https://example.org/a.png "t\\" onerror=\\"alert(1))',
    '[x](https://example.org "t\\" onmouseover=\\"alert(1)")',
    "<a href=https://example.org onclick=alert(1)>x</a>",
    '<svg onload="alert(1)"></svg>',
]


@pytest.mark.parametrize("markdown", EVENT_HANDLERS)
def test_event_handler_attributes_never_appear(markdown):
    for _tag, attrs in elements(render_markdown(markdown)):
        assert not [name for name in attrs if name.startswith("on")]


DANGEROUS_URLS = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](java&#x73;cript:alert(1))",
    "<javascript:alert(1)>",
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "[x](vbscript:msgbox(1))",
]


@pytest.mark.parametrize("markdown", DANGEROUS_URLS)
def test_javascript_and_data_urls_never_survive(markdown):
    for url in urls(render_markdown(markdown)):
        assert not url.strip().lower().startswith(("javascript:", "data:", "vbscript:"))


STYLES = [
    '<p style="color:red">hi</p>',
    '<span style="position:fixed;top:0">overlay</span>',
    "![x](https://example.org/a.png){style=display:none}",
]


@pytest.mark.parametrize("markdown", STYLES)
def test_style_attributes_never_appear(markdown):
    for _tag, attrs in elements(render_markdown(markdown)):
        assert "style" not in attrs


@pytest.mark.parametrize("markdown", ["<iframe src=https://evil.example></iframe>", "<object>"])
def test_embedding_elements_never_appear(markdown):
    tags = {tag for tag, _attrs in elements(render_markdown(markdown))}
    assert not tags & {"iframe", "object", "embed"}


@pytest.mark.parametrize(
    "markdown",
    [
        "[the minutes](https://example.org/minutes)",
        "<https://example.org/minutes>",
        "[ref][1]\n\n[1]: https://example.org/minutes",
        "[mail us](mailto:desk@example.org)",
    ],
)
def test_links_get_nofollow_ugc_noopener(markdown):
    links = [attrs for tag, attrs in elements(render_markdown(markdown)) if tag == "a"]
    assert links
    assert all(attrs["rel"] == LINK_REL == "nofollow ugc noopener" for attrs in links)


def test_plain_https_links_keep_their_address():
    html = render_markdown("[the minutes](https://example.org/minutes)")
    assert urls(html) == ["https://example.org/minutes"]


def test_post_markdown_renders_emphasis_lists_and_tables():
    html = render_markdown("**bold** and *em*\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    tags = {tag for tag, _attrs in elements(html)}
    assert {"strong", "em", "ul", "li", "table", "td"} <= tags


def test_post_images_keep_https_sources():
    html = render_markdown('![Crowd at the rally](https://example.org/rally.jpg "Rally")')
    images = [attrs for tag, attrs in elements(html) if tag == "img"]
    assert images == [
        {"src": "https://example.org/rally.jpg", "alt": "Crowd at the rally", "title": "Rally"}
    ]


def test_comment_profile_drops_images():
    html = render_markdown("![x](https://example.org/a.png)", profile="comment")
    assert "img" not in [tag for tag, _attrs in elements(html)]


def test_comment_profile_drops_headings():
    html = render_markdown("## Shouting", profile="comment")
    assert "h2" not in [tag for tag, _attrs in elements(html)]


def test_empty_body_renders_to_empty_html():
    assert render_markdown("") == ""


# ─── Plain text and excerpts ─────────────────────────────────────────────────


def test_html_to_text_strips_tags_and_unescapes_entities():
    html = render_markdown("Use `<b>` for **bold** & move on.")
    assert html_to_text(html) == "Use <b> for bold & move on."


def test_html_to_text_adds_no_space_where_inline_markup_was():
    html = render_markdown("An un*believ*able claim, see [the link](https://example.org).")
    assert html_to_text(html) == "An unbelievable claim, see the link."


def test_html_to_text_separates_paragraphs_and_list_items():
    html = render_markdown("First paragraph.\n\nSecond.\n\n- one\n- two")
    assert html_to_text(html) == "First paragraph. Second. one two"


def test_truncate_words_keeps_short_text_whole():
    assert truncate_words("A short excerpt.", 300) == "A short excerpt."


def test_truncate_words_cuts_at_a_word_boundary_with_ellipsis():
    assert truncate_words("The council voted, then adjourned early.", 22) == "The council voted…"


def test_truncate_words_never_exceeds_limit_plus_ellipsis():
    text = " ".join(["filibuster"] * 100)
    assert len(truncate_words(text, 300)) <= 301
