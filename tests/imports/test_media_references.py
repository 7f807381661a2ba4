"""Recognising Typepad image references and locating them in markup: pure, no storage."""

from __future__ import annotations

import pytest

from imports.media.references import media_tags, parse_reference, splice

ASSET = "6a00d8341c4e3853ef01b8d2a1b2c3970c"
BLOG = "https://example.typepad.com"


def test_asset_reference_gives_its_id_and_shown_width():
    ref = parse_reference(f"{BLOG}/.a/{ASSET}-800wi")
    assert (ref.asset_id, ref.width) == (ASSET, 800)


@pytest.mark.parametrize(
    "url",
    [
        f"{BLOG}/.a/{ASSET}-pi",
        f"{BLOG}/.a/{ASSET}-popup",
        f"http://example.typepad.com/.a/{ASSET}-320wi",
        f"https://a0.typepad.com/{ASSET}-pi",
        f"//example.typepad.com/.a/{ASSET.upper()}",
        f"http://www.own-domain.example/.a/{ASSET}-500wi",
        f"/.a/{ASSET}-120wi",
    ],
)
def test_every_size_and_host_of_an_asset_is_the_same_image(url):
    assert parse_reference(url).key == parse_reference(f"{BLOG}/.a/{ASSET}-800wi").key


@pytest.mark.parametrize(
    ("url", "path"),
    [
        (
            "http://example.typepad.com/photos/uncategorized/2007/05/01/DSC0001.JPG",
            "/photos/uncategorized/2007/05/01/dsc0001.jpg",
        ),
        ("https://example.typepad.com/images/2009/01/foo%20bar.png", "/images/2009/01/foo bar.png"),
        (
            "http://example.typepad.com/.shared/image.html?/photos/uncategorized/cat.gif",
            "/photos/uncategorized/cat.gif",
        ),
    ],
)
def test_typepad_file_reference_gives_its_path(url, path):
    ref = parse_reference(url)
    assert (ref.asset_id, ref.path) == ("", path)


@pytest.mark.parametrize(
    "url",
    [
        "https://farm1.staticflickr.com/2/1234_abcd.jpg",
        "http://example.typepad.com/blog/2007/05/hello.html",
        "http://example.org/photos/dsc0001.jpg",
        "http://example.org/.a/not-an-asset",
        "mailto:someone@example.typepad.com",
        "javascript:alert('example.typepad.com/x.jpg')",
        "http://[broken/x.jpg",
        "",
    ],
)
def test_other_hosts_and_pages_are_not_references(url):
    assert parse_reference(url) is None


def test_files_on_the_blogs_own_old_domain_count_as_typepad():
    url = "http://www.own-domain.example/images/2009/01/foo.png"
    assert parse_reference(url) is None
    assert (
        parse_reference(url, old_hosts={"www.own-domain.example"}).path == "/images/2009/01/foo.png"
    )


def test_tags_in_comments_and_scripts_are_not_read():
    html = (
        f'<!-- <img src="{BLOG}/.a/{ASSET}"> --><script>var s = "<img src=x>";</script>'
        f"<p><img alt=\"a &amp; b\" src='{BLOG}/x.jpg'></p>"
    )
    [tag] = media_tags(html)
    assert (tag.get("alt").value, tag.get("src").value) == ("a & b", f"{BLOG}/x.jpg")


def test_new_attributes_go_after_the_last_one_even_in_a_self_closing_tag():
    html = '<p><IMG SRC=a alt=""/></p>'
    [tag] = media_tags(html)
    added = splice(html, [(tag.insert_at, tag.insert_at, ' width="1"')])
    assert added == '<p><IMG SRC=a alt="" width="1"/></p>'


def test_value_spans_cover_the_quotes_so_a_new_value_replaces_them():
    html = "<a title=t href = 'x&amp;y'>"
    [tag] = media_tags(html)
    href = tag.get("href")
    assert (href.value, html[href.value_start : href.value_end]) == ("x&y", "'x&amp;y'")
