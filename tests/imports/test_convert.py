"""Pure helpers of the import (no database): text filters, plain text, identities, links."""

from blog.markup import render_comment_html
from imports.convert import (
    body_hash,
    clean_ip,
    comment_html,
    convert_breaks,
    html_to_plain,
    plain_title,
    post_html,
    slug_base,
)


def url_for(number: int) -> str | None:
    return f"/p/comments/{number}/" if number < 10 else None


def test_convert_breaks_wraps_paragraphs_and_keeps_block_html():
    text = "one\r\ntwo\r\n\r\n<blockquote>quoted</blockquote>\n\n\nthree"
    assert convert_breaks(text) == (
        "<p>one<br />\ntwo</p>\n\n<blockquote>quoted</blockquote>\n\n<p>three</p>"
    )


def test_unknown_text_filters_leave_html_as_it_is():
    assert post_html("a\n\nb", "textile_2") == "a\n\nb"


def test_rich_text_html_is_shown_as_it_is():
    """Issue 9: MT's `richtext` filter returns the editor's HTML unchanged; its newlines are
    layout, not line breaks."""
    body = '<p>One sentence,\nwrapped.</p>\n\n<a href="/x">\n<img src="/y.jpg"></a>'
    assert post_html(body, "richtext") == body


def test_markdown_filter_keeps_inline_html_for_the_sanitiser():
    assert post_html("*a* <u>b</u>", "markdown") == "<p><em>a</em> <u>b</u></p>\n"


def test_html_comments_are_not_converted_again():
    assert comment_html("<p>one</p>\n<p>two</p>") == "<p>one</p>\n<p>two</p>"


def test_plain_text_keeps_paragraphs_and_line_breaks():
    assert html_to_plain("<p>A &amp; B<br />\nC</p>\n\n<p><i>D</i></p>") == "A & B\nC\n\nD"


def test_titles_lose_entities_and_tags():
    assert plain_title("Tom &amp; <em>Jerry</em>&#8217;s  day") == "Tom & Jerry’s day"


def test_body_hash_ignores_whitespace_but_tells_copies_apart():
    assert body_hash("a  b\r\n") == body_hash("a b")
    assert body_hash("a b", 2) != body_hash("a b")


def test_bad_ips_become_none():
    assert clean_ip(" 2001:db8::1 ") == "2001:db8::1"
    assert clean_ip("300.1.1.1") is None


def test_slug_falls_back_to_the_next_candidate():
    assert slug_base("", "Hello World") == "hello-world"
    assert slug_base("my_post") == "my_post"
    assert slug_base("", "¿¡") == "post"


def test_comment_html_links_citations_of_existing_comments_only():
    html, cited = render_comment_html("<p>@2 and #12 and @ 3</p>", reference_url=url_for)
    assert cited == [2, 3]
    assert '<a href="/p/comments/2/" class="comment-ref" data-ref="2"' in html
    assert "#12" in html and 'data-ref="12"' not in html


def test_comment_html_leaves_citations_inside_links_alone():
    linked = '<a href="http://x.example">see @2</a>'
    html, cited = render_comment_html(linked, reference_url=url_for)
    assert cited == []
    assert html.count("<a ") == 1


def test_comment_html_drops_scripts_and_images():
    html, _ = render_comment_html(
        '<script>x()</script><img src="a.png"><p onclick="x()">hi</p>', reference_url=url_for
    )
    assert html == "<p>hi</p>"


def test_reference_like_text_in_attributes_and_entities_is_not_linked():
    html, cited = render_comment_html(
        '<p><a href="http://x.example/#2">x</a> a&amp;#2</p>', reference_url=url_for
    )
    assert cited == []


def test_imported_html_can_not_pose_as_a_reference_link():
    forged = '<a href="http://evil.example" class="comment-ref" data-ref="2">#2</a>'
    html, cited = render_comment_html(forged, reference_url=url_for)
    assert cited == []
    assert "comment-ref" not in html and "data-ref" not in html


def test_bare_addresses_in_imported_comments_become_links():
    """WordPress and saved pages keep addresses as plain text; new comments link them."""
    html, cited = render_comment_html(
        "<p>read https://news.example/a?b=1&amp;c=2, www.blog.org or mail me@mail.org;"
        " not ftp://files.example — and see @2</p>",
        reference_url=url_for,
    )
    assert '<a href="https://news.example/a?b=1&amp;c=2" rel="nofollow ugc noopener">' in html
    assert '<a href="http://www.blog.org" rel="nofollow ugc noopener">' in html
    assert '<a href="mailto:me@mail.org" rel="nofollow ugc noopener">' in html
    assert "ftp://files.example" in html and 'href="ftp:' not in html
    assert cited == [2]


def test_text_stays_escaped_around_new_links():
    html, _ = render_comment_html(
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; https://x.example</p>", reference_url=url_for
    )
    assert "<script>" not in html
    assert html.startswith("<p>&lt;script&gt;alert(1)&lt;/script&gt; <a ")
