"""@N / #N references and sanitising of comment bodies (issue 3)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from blog.markup import render_comment_markdown
from comments.models import Comment
from tests.factories import CommentFactory


def _url_for_existing(*numbers):
    return lambda number: f"/refs/{number}/" if number in numbers else None


def _links(html: str) -> list[tuple[str, dict]]:
    """(text, attributes) of every <a> in the fragment."""

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found, self.current = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.current = ["", dict(attrs)]

        def handle_data(self, data):
            if self.current is not None:
                self.current[0] += data

        def handle_endtag(self, tag):
            if tag == "a" and self.current is not None:
                self.found.append(tuple(self.current))
                self.current = None

    parser = Links()
    parser.feed(html)
    return parser.found


def _reference_links(html):
    return [(text, attrs["href"]) for text, attrs in _links(html) if "data-ref" in attrs]


# ─── References, rendered without a database ─────────────────────────────────


@pytest.mark.parametrize("written", ["@16", "@ 16", "#16"])
def test_reference_links_to_an_existing_comment(written):
    html, cited = render_comment_markdown(
        f"Agreed with {written}.", reference_url=_url_for_existing(16)
    )
    assert _reference_links(html) == [(written, "/refs/16/")]
    assert cited == [16]


def test_hash_reference_at_the_start_of_a_line_links_instead_of_making_a_heading():
    html, _ = render_comment_markdown(
        "#16 is wrong about turnout.", reference_url=_url_for_existing(16)
    )
    assert "<h1" not in html
    assert _reference_links(html) == [("#16", "/refs/16/")]


def test_reference_to_a_missing_number_stays_text():
    html, cited = render_comment_markdown("@17 who?", reference_url=_url_for_existing(16))
    assert _links(html) == []
    assert cited == []


def test_reference_inside_a_code_span_stays_code():
    html, cited = render_comment_markdown(
        "Type `@16` to cite.", reference_url=_url_for_existing(16)
    )
    assert _links(html) == []
    assert "<code>@16</code>" in html
    assert cited == []


def test_reference_inside_a_code_block_stays_code():
    html, _ = render_comment_markdown("```\n#16\n```", reference_url=_url_for_existing(16))
    assert _links(html) == []


def test_reference_inside_an_existing_link_is_not_linked_again():
    html, cited = render_comment_markdown(
        "[as @16 said](https://example.org/minutes)", reference_url=_url_for_existing(16)
    )
    assert [attrs["href"] for _, attrs in _links(html)] == ["https://example.org/minutes"]
    assert cited == []


def test_fragment_of_a_pasted_address_is_not_a_reference():
    """Issue 3: only @N/#N written as a citation links; a URL's #fragment is part of the URL."""
    html, cited = render_comment_markdown(
        "Minutes: https://example.org/minutes/#16", reference_url=_url_for_existing(16)
    )
    assert [attrs["href"] for _, attrs in _links(html)] == ["https://example.org/minutes/#16"]
    assert cited == []


def test_bare_address_becomes_a_link():
    html, _ = render_comment_markdown(
        "Source: https://example.org/report and www.example.net", reference_url=_url_for_existing()
    )
    hrefs = [attrs["href"] for _, attrs in _links(html)]
    assert hrefs == ["https://example.org/report", "http://www.example.net"]


def test_number_glued_to_a_word_is_not_a_reference():
    html, _ = render_comment_markdown("issue#16 and room@16", reference_url=_url_for_existing(16))
    assert _links(html) == []


def test_reference_links_carry_rel_nofollow_ugc_noopener():
    html, _ = render_comment_markdown("@16", reference_url=_url_for_existing(16))
    assert _links(html)[0][1]["rel"] == "nofollow ugc noopener"


def test_cited_numbers_are_listed_once_in_order():
    _, cited = render_comment_markdown(
        "#3, @1 and @ 3 again", reference_url=_url_for_existing(1, 3)
    )
    assert cited == [3, 1]


# ─── References through the write path ───────────────────────────────────────


@pytest.mark.django_db
def test_stored_reference_links_to_the_comment_permalink_when_it_exists(post):
    target = CommentFactory(post=post)
    comment = CommentFactory(post=post, body=f"@{target.number} has a point.")
    assert _reference_links(comment.body_html) == [(f"@{target.number}", target.get_absolute_url())]
    assert comment.referenced_numbers == [target.number]


@pytest.mark.django_db
def test_reference_to_a_number_the_post_does_not_have_stays_text(post):
    CommentFactory(post=post)
    comment = CommentFactory(post=post, body="As #16 said.")
    assert _links(comment.body_html) == []
    assert comment.referenced_numbers == []


@pytest.mark.django_db
def test_reference_to_a_number_that_exists_only_on_another_post_stays_text(post, other_post):
    for _ in range(3):
        CommentFactory(post=other_post)
    comment = CommentFactory(post=post, body="As #3 said.")
    assert _links(comment.body_html) == []
    assert comment.referenced_numbers == []


def _comments_on_both_posts(post, other_post):
    """#1 and #2 on `post`; #1 to #5 on `other_post`, so #5 exists only on the other post."""
    for _ in range(5):
        CommentFactory(post=other_post)
    return CommentFactory(post=post), CommentFactory(post=post)


@pytest.mark.django_db
def test_edit_resolves_references_against_the_comments_own_post(client, post, other_post, reader):
    """Issue 8: @N in an edited comment links to comment N of its own post, or stays text."""
    _, target = _comments_on_both_posts(post, other_post)
    own = CommentFactory(post=post, author=reader, body="First thoughts.")
    client.force_login(reader)
    url = reverse("comments:edit", kwargs={"post_id": post.pk, "number": own.number})
    assert client.post(url, {"body": "As @2 said, and #5 too."}).status_code == 302
    own.refresh_from_db()
    assert _reference_links(own.body_html) == [("@2", target.get_absolute_url())]
    assert own.referenced_numbers == [2]


@pytest.mark.django_db
def test_edit_leaves_a_number_only_another_post_has_as_text(client, post, other_post, reader):
    """Issue 8: the other post's #5 is not this post's."""
    _comments_on_both_posts(post, other_post)
    own = CommentFactory(post=post, author=reader, body="First thoughts.")
    client.force_login(reader)
    url = reverse("comments:edit", kwargs={"post_id": post.pk, "number": own.number})
    client.post(url, {"body": "As #5 said."})
    own.refresh_from_db()
    assert _links(own.body_html) == []
    assert own.referenced_numbers == []


def _preview(client, post, body):
    data = {
        "body": body,
        "preview": "1",
        "guest_name": "Sam Visitor",
        "guest_email": "s@example.net",
    }
    response = client.post(reverse("comments:post", kwargs={"post_id": post.pk}), data)
    assert response.status_code == 200
    assert not Comment.objects.filter(body=body).exists()
    return response.content.decode()


@pytest.mark.django_db
def test_preview_resolves_references_against_the_post_being_commented(client, post, other_post):
    """Issue 8: the preview links @N exactly as the posted comment will."""
    _, target = _comments_on_both_posts(post, other_post)
    page = _preview(client, post, "As @2 said.")
    assert _reference_links(page) == [("@2", target.get_absolute_url())]


@pytest.mark.django_db
def test_preview_leaves_a_number_only_another_post_has_as_text(client, post, other_post):
    """Issue 8: the other post's #5 is not this post's."""
    _comments_on_both_posts(post, other_post)
    assert _reference_links(_preview(client, post, "As #5 said.")) == []


# ─── Hostile Markdown and HTML ───────────────────────────────────────────────

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="https://example.org" onclick="steal()">click</a>',
    '<div style="position:fixed;top:0">overlay</div><style>body{display:none}</style>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![tracker](https://example.org/pixel.png)",
    "![inline](data:image/png;base64,iVBORw0KGgo=)",
    '[x](https://example.org "a\\" onmouseover=\\"alert(1)")',
    "<javascript:alert(1)>",
    "<svg onload=alert(1)><iframe src=https://example.org></iframe>",
    '<a href="vbscript:msgbox(1)">old</a> [y](vbscript:msgbox(1))',
    "<!-- own:1 --> <p onmouseover=alert(1)>hover</p>",
]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _tags(html):
    parser = _Tags()
    parser.feed(html)
    return parser.tags


@pytest.fixture
def hostile_comment(request, post):
    return CommentFactory(post=post, body=request.param)


@pytest.mark.django_db
@pytest.mark.parametrize("hostile_comment", HOSTILE, indirect=True)
def test_stored_html_of_hostile_markup_has_no_script_style_or_image(hostile_comment):
    names = {tag for tag, _ in _tags(hostile_comment.body_html)}
    assert names.isdisjoint({"script", "style", "img", "iframe", "svg", "div"})


@pytest.mark.django_db
@pytest.mark.parametrize("hostile_comment", HOSTILE, indirect=True)
def test_stored_html_of_hostile_markup_has_no_event_handler_or_style_attribute(hostile_comment):
    attributes = {name for _, attrs in _tags(hostile_comment.body_html) for name in attrs}
    assert not {name for name in attributes if name.startswith("on") or name == "style"}


@pytest.mark.django_db
@pytest.mark.parametrize("hostile_comment", HOSTILE, indirect=True)
def test_stored_html_of_hostile_markup_links_only_to_web_and_mail_addresses(hostile_comment):
    hrefs = [attrs.get("href", "") for tag, attrs in _tags(hostile_comment.body_html) if tag == "a"]
    assert all(href.startswith(("https://", "http://", "mailto:", "/")) for href in hrefs)


@pytest.mark.django_db
@pytest.mark.parametrize("hostile_comment", HOSTILE, indirect=True)
def test_stored_html_of_hostile_markup_keeps_no_html_comment(hostile_comment):
    assert "<!--" not in hostile_comment.body_html


@pytest.mark.django_db
def test_links_in_comments_carry_rel_nofollow_ugc_noopener(post):
    comment = CommentFactory(post=post, body="See [the minutes](https://example.org/minutes).")
    assert _links(comment.body_html)[0][1]["rel"] == "nofollow ugc noopener"
