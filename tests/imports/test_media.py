"""Typepad-hosted images in imported bodies: recognised, found in a saved folder, stored
through the image pipeline and rewritten, or left in place and reported."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from imports.media import MediaResolver
from imports.media.references import media_tags
from imports.records import SourceComment, SourcePost
from tests.factories import image_bytes, jpeg_with_gps, png_declaring_size

ASSET = "6a00d8341c4e3853ef01b8d2a1b2c3970c"
OTHER_ASSET = "6a00e54f8f86dc8833015433df2a4a970b"
BLOG = "https://example.typepad.com"


def jpeg(size=(64, 48), colour=(200, 60, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def media_dir(tmp_path) -> Path:
    folder = tmp_path / "saved"
    folder.mkdir()
    return folder


def save(folder: Path, relative: str, data: bytes) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def stored_names() -> list[str]:
    if not default_storage.exists("imports/media"):
        return []
    return sorted(default_storage.listdir("imports/media")[1])


def src_of(html: str, tag: str = "img", attribute: str = "src") -> str:
    [found] = [t for t in media_tags(html) if t.name == tag]
    return found.get(attribute).value


# ─── Bodies without references ───────────────────────────────────────────────


def test_body_without_typepad_references_comes_back_as_it_was(media_dir):
    resolver = MediaResolver(media_dir)
    html = '<p>Look: <img src="https://example.org/a.jpg"></p>\r\n<p>&nbsp;</p>'
    assert resolver.localise(html, where="post 1")[0] is html
    assert resolver.stats.references == 0


def test_typepad_named_in_text_only_changes_nothing(media_dir):
    html = (
        "<p>I moved from example.typepad.com &mdash; <a href='https://example.typepad.com/'>old</a>"
    )
    resolver = MediaResolver(media_dir)
    assert resolver.localise(html, where="post 1") == (html, [])


def test_other_hosts_are_left_alone_beside_a_rewritten_reference(media_dir):
    save(media_dir, f"{ASSET}-800wi.jpg", jpeg())
    flickr = '<img src="https://farm1.staticflickr.com/2/1234_abcd.jpg" alt="flickr">'
    html = f'<p>{flickr}<img src="{BLOG}/.a/{ASSET}-800wi"></p>'
    rewritten, problems = MediaResolver(media_dir).localise(html, where="post 1")
    assert rewritten.startswith(f"<p>{flickr}<img src=")
    assert problems == []


# ─── Found in the media folder ───────────────────────────────────────────────


def test_asset_found_by_id_is_stored_without_exif(media_dir):
    save(media_dir, f"Page_files/{ASSET}-800wi", jpeg_with_gps())
    html = f'<img src="{BLOG}/.a/{ASSET}-800wi">'
    rewritten, _ = MediaResolver(media_dir).localise(html, where="post 1")
    [original] = [name for name in stored_names() if name.endswith(".jpg")]
    stored = Image.open(default_storage.open(f"imports/media/{original}"))
    assert not stored.getexif()
    assert src_of(rewritten).startswith("/media/imports/media/")


def test_image_without_a_size_gets_width_and_height(media_dir):
    save(media_dir, f"{ASSET}.jpg", jpeg(size=(64, 48)))
    html = f'<img src="{BLOG}/.a/{ASSET}-pi" alt="">'
    rewritten, _ = MediaResolver(media_dir).localise(html, where="post 1")
    [tag] = media_tags(rewritten)
    assert (tag.get("width").value, tag.get("height").value) == ("64", "48")


def test_shown_width_comes_from_the_url_size(media_dir):
    save(media_dir, f"{ASSET}-pi.jpg", jpeg(size=(1000, 500)))
    html = f'<img src="{BLOG}/.a/{ASSET}-320wi"/>'
    rewritten, _ = MediaResolver(media_dir).localise(html, where="post 1")
    [tag] = media_tags(rewritten)
    assert (tag.get("width").value, tag.get("height").value) == ("320", "160")
    assert tag.get("src").value.endswith("-480w.webp")


def test_written_width_and_height_are_kept(media_dir):
    save(media_dir, f"{ASSET}.jpg", jpeg())
    html = f'<img width="10" src="{BLOG}/.a/{ASSET}-pi" height="7">'
    rewritten, _ = MediaResolver(media_dir).localise(html, where="post 1")
    assert rewritten == f'<img width="10" src="{src_of(rewritten)}" height="7">'


def test_file_found_by_name_ignoring_case(media_dir):
    save(media_dir, "photos/2007/DSC0001.JPG", jpeg())
    html = f'<a href="{BLOG}/photos/uncategorized/2007/05/01/dsc0001.jpg">photo</a>'
    rewritten, problems = MediaResolver(media_dir).localise(html, where="post 1")
    assert problems == []
    assert src_of(rewritten, "a", "href").endswith(".jpg")


def test_popup_link_and_image_of_one_asset_share_one_stored_file(media_dir):
    save(media_dir, f"{ASSET}-800wi", jpeg(size=(800, 600)))
    save(media_dir, f"{ASSET}-pi.jpg", jpeg(size=(1200, 900)))
    html = (
        f'<a class="asset-img-link" href="{BLOG}/.a/{ASSET}-popup">'
        f'<img class="asset" src="{BLOG}/.a/{ASSET}-800wi" alt="" style="width: 800px;"/></a>'
    )
    resolver = MediaResolver(media_dir)
    rewritten, _ = resolver.localise(html, where="post 1")
    link, image = src_of(rewritten, "a", "href"), src_of(rewritten)
    assert Image.open(default_storage.open(link.removeprefix("/media/"))).size == (1200, 900)
    assert image == link.replace(".jpg", "-960w.webp")
    assert (resolver.stats.found, resolver.stats.stored, resolver.stats.rewritten) == (1, 1, 2)


def test_rest_of_the_body_is_kept_byte_for_byte(media_dir):
    save(media_dir, f"{ASSET}.jpg", jpeg())
    before = "<P CLASS=x>Caf&eacute; &amp; <!-- <img src=y> -->\r\n  <IMG\n  SRC = '"
    after = "'\tALT='it&#39;s' width=5 ><br/>\n<b>unclosed"
    html = f"{before}{BLOG}/.a/{ASSET}-800wi{after}"
    rewritten, _ = MediaResolver(media_dir).localise(html, where="post 1")
    url = src_of(rewritten)
    assert rewritten == f'{before[:-1]}"{url}"{after[1:]}'


def test_each_image_is_read_and_stored_once_for_many_references(media_dir):
    save(media_dir, f"{ASSET}.jpg", jpeg())
    resolver = MediaResolver(media_dir)
    for number in range(3):
        resolver.localise(f'<img src="{BLOG}/.a/{ASSET}-800wi">', where=f"comment {number}")
    assert (resolver.stats.rewritten, resolver.stats.found, resolver.stats.stored) == (3, 1, 1)


def test_folder_names_decide_between_files_of_the_same_name(media_dir):
    save(media_dir, "2007/05/01/dsc0001.jpg", jpeg(size=(10, 10)))
    save(media_dir, "2008/01/02/dsc0001.jpg", jpeg(size=(20, 10)))
    html = f'<img src="{BLOG}/photos/uncategorized/2008/01/02/dsc0001.jpg">'
    rewritten, _ = MediaResolver(media_dir).localise(html, where="post 1")
    assert media_tags(rewritten)[0].get("width").value == "20"


def test_different_files_that_fit_equally_are_reported_not_guessed(media_dir):
    save(media_dir, "a/dsc0001.jpg", jpeg(colour="red"))
    save(media_dir, "b/dsc0001.jpg", jpeg(colour="blue"))
    html = f'<img src="{BLOG}/photos/dsc0001.jpg">'
    rewritten, [problem] = MediaResolver(media_dir).localise(html, where="post 1")
    assert rewritten == html
    assert problem.kind == "ambiguous"


def test_broken_saved_size_falls_back_to_another_size(media_dir):
    whole = jpeg(size=(1000, 800))
    save(media_dir, f"{ASSET}-pi.jpg", whole[: len(whole) // 2])  # largest, but cut short
    save(media_dir, f"{ASSET}-320wi.jpg", jpeg())
    html = f'<img src="{BLOG}/.a/{ASSET}-pi">'
    resolver = MediaResolver(media_dir)
    _, problems = resolver.localise(html, where="post 1")
    assert problems == []
    assert (resolver.stats.found, resolver.stats.refused) == (1, 1)


# ─── Refused and missing: left in place, reported ────────────────────────────


def test_non_image_file_is_refused_and_reported(media_dir):
    save(media_dir, f"{ASSET}-800wi.jpg", b"<html><body>Not found</body></html>")
    html = f'<p><img src="{BLOG}/.a/{ASSET}-800wi"></p>'
    resolver = MediaResolver(media_dir)
    rewritten, [problem] = resolver.localise(html, where="post 7 comment 3")
    assert rewritten == html
    assert (problem.kind, problem.where) == ("refused", "post 7 comment 3")
    assert "not an image" in problem.reason
    assert stored_names() == []


def test_decompression_bomb_is_refused(media_dir):
    save(media_dir, f"{ASSET}.png", png_declaring_size(30_000, 30_000))
    html = f'<img src="{BLOG}/.a/{ASSET}-pi">'
    rewritten, [problem] = MediaResolver(media_dir).localise(html, where="post 1")
    assert rewritten == html
    assert "too many pixels" in problem.reason


def test_unaccepted_image_format_is_refused(media_dir):
    save(media_dir, "photos/scan.gif", image_bytes("BMP"))
    html = f'<img src="{BLOG}/photos/scan.gif">'
    _, [problem] = MediaResolver(media_dir).localise(html, where="post 1")
    assert "BMP" in problem.reason


def test_file_over_the_size_limit_is_not_read(media_dir):
    save(media_dir, f"{ASSET}.jpg", jpeg(size=(400, 400)))
    _, [problem] = MediaResolver(media_dir, max_bytes=500).localise(
        f'<img src="{BLOG}/.a/{ASSET}">', where="post 1"
    )
    assert "the limit is 500" in problem.reason


def test_missing_image_is_reported_with_where_it_appeared(media_dir):
    html = f'<a href="{BLOG}/.a/{OTHER_ASSET}-popup">x</a>'
    resolver = MediaResolver(media_dir)
    rewritten, [problem] = resolver.localise(html, where="post 2007/05/hello.html")
    assert rewritten == html
    assert (problem.url, problem.where, problem.kind) == (
        f"{BLOG}/.a/{OTHER_ASSET}-popup",
        "post 2007/05/hello.html",
        "missing",
    )
    assert resolver.stats.unresolved == 1


def test_without_media_folder_every_reference_is_reported():
    html = f'<img src="{BLOG}/.a/{ASSET}-800wi"><img src="{BLOG}/photos/a.jpg">'
    rewritten, problems = MediaResolver(None).localise(html, where="post 1")
    assert rewritten == html
    assert [problem.reason for problem in problems] == ["no media folder given (--media-dir)"] * 2


# ─── Re-runs and dry runs ────────────────────────────────────────────────────


def test_rerun_reuses_the_stored_file(media_dir):
    save(media_dir, f"{ASSET}.jpg", jpeg())
    html = f'<img src="{BLOG}/.a/{ASSET}-800wi">'
    first, _ = MediaResolver(media_dir).localise(html, where="post 1")
    names = stored_names()
    again = MediaResolver(media_dir)
    second, _ = again.localise(html, where="post 1")
    assert second == first
    assert stored_names() == names
    assert (again.stats.stored, again.stats.reused) == (0, 1)


def test_rerun_writes_renditions_an_interrupted_run_left_out(media_dir):
    save(media_dir, f"{ASSET}.jpg", jpeg(size=(600, 300)))
    html = f'<img src="{BLOG}/.a/{ASSET}-pi">'
    MediaResolver(media_dir).localise(html, where="post 1")
    names = stored_names()
    [rendition] = [name for name in names if name.endswith("-480w.webp")]
    default_storage.delete(f"imports/media/{rendition}")
    MediaResolver(media_dir).localise(html, where="post 1")
    assert stored_names() == names


def test_a_later_run_finds_the_copy_without_the_folder(media_dir):
    """Issue 9: what a reference became is kept with the images, for runs without the folder."""
    save(media_dir, f"{ASSET}.jpg", jpeg())
    html = f'<img src="{BLOG}/.a/{ASSET}-800wi">'
    first, _ = MediaResolver(media_dir).localise(html, where="post 1")
    later = MediaResolver(None)
    second, problems = later.localise(html, where="post 1")
    assert (second, problems) == (first, [])
    assert (later.stats.found, later.stats.reused) == (0, 1)


def test_a_copy_gone_from_storage_is_found_afresh(media_dir):
    save(media_dir, f"{ASSET}.jpg", jpeg())
    html = f'<img src="{BLOG}/.a/{ASSET}">'
    MediaResolver(media_dir).localise(html, where="post 1")
    for name in stored_names():
        default_storage.delete(f"imports/media/{name}")
    again = MediaResolver(media_dir)
    _, problems = again.localise(html, where="post 1")
    assert problems == []
    assert (again.stats.found, again.stats.stored, again.stats.reused) == (1, 1, 0)


def test_a_dry_run_notes_nothing_for_later_runs(media_dir):
    save(media_dir, f"{ASSET}.jpg", jpeg())
    html = f'<img src="{BLOG}/.a/{ASSET}">'
    MediaResolver(media_dir, dry_run=True).localise(html, where="post 1")
    _, [problem] = MediaResolver(None).localise(html, where="post 1")
    assert problem.kind == "missing"


def test_dry_run_writes_nothing_but_counts(media_dir):
    save(media_dir, f"{ASSET}.jpg", jpeg())
    resolver = MediaResolver(media_dir, dry_run=True)
    _, problems = resolver.localise(f'<img src="{BLOG}/.a/{ASSET}">', where="post 1")
    assert problems == []
    assert stored_names() == []
    assert resolver.stats.stored == 1


# ─── Setting up ──────────────────────────────────────────────────────────────


def test_media_folder_that_does_not_exist_is_refused_up_front(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        MediaResolver(tmp_path / "nowhere")


def test_media_folder_may_be_given_relative(media_dir, monkeypatch):
    save(media_dir, "photos/a.jpg", jpeg())
    monkeypatch.chdir(media_dir)
    _, problems = MediaResolver(Path(".")).localise(f'<img src="{BLOG}/photos/a.jpg">', where="p")
    assert problems == []


def test_images_on_the_blogs_own_old_domain_are_resolved(media_dir):
    save(media_dir, "images/2009/01/foo.png", image_bytes("PNG"))
    html = '<img src="http://www.own-domain.example/images/2009/01/foo.png">'
    resolver = MediaResolver(media_dir, old_hosts=("WWW.own-domain.example",))
    rewritten, problems = resolver.localise(html, where="post 1")
    assert problems == []
    assert src_of(rewritten).endswith(".webp")


def test_the_host_of_a_posts_old_address_is_the_blogs_own(media_dir):
    """Issue 9: a blog on its own domain kept its uploads there, not only on typepad.com."""
    save(media_dir, "images/2009/01/foo.png", image_bytes("PNG"))
    when = datetime(2009, 1, 5, 12, tzinfo=UTC)
    post = SourcePost(
        title="Own domain",
        published_at=when,
        body_html='<img src="http://own-domain.example/images/2009/01/foo.png">',
        old_url="http://www.own-domain.example/2009/01/own.html ",
    )
    resolver = MediaResolver(media_dir)
    assert resolver.localise_post(post) == []
    assert src_of(post.body_html).endswith(".webp")
    assert resolver.old_hosts == {"own-domain.example"}


def test_other_hosts_stay_other_hosts_when_old_hosts_are_known(media_dir):
    save(media_dir, "foo.png", image_bytes("PNG"))
    html = '<img src="http://elsewhere.example/foo.png">'
    resolver = MediaResolver(media_dir, old_hosts=["http://www.own-domain.example/blog/"])
    assert resolver.localise(html, where="post 1") == (html, [])
    assert resolver.old_hosts == {"own-domain.example"}


def test_markup_the_parser_gives_up_on_is_left_whole_and_reported(media_dir):
    save(media_dir, f"{ASSET}.jpg", jpeg())
    html = f'<img src="{BLOG}/.a/{ASSET}"><![foo[ x ]]>'
    rewritten, [problem] = MediaResolver(media_dir).localise(html, where="post 1")
    assert rewritten == html
    assert problem.kind == "unreadable"


# ─── A whole post ────────────────────────────────────────────────────────────


def test_whole_post_is_localised_in_place_with_labelled_problems(media_dir):
    save(media_dir, f"{ASSET}.jpg", jpeg())
    found = f'<img src="{BLOG}/.a/{ASSET}-800wi">'
    missing = f'<a href="{BLOG}/photos/gone.jpg">x</a>'
    when = datetime(2007, 5, 1, 12, tzinfo=UTC)
    post = SourcePost(
        title="Hello",
        published_at=when,
        body_html=found,
        source_id="http://example.typepad.com/blog/2007/05/hello.html",
        line=12,
        comments=[
            SourceComment(author_name="Steve", created_at=when, body_html="plain", line=40),
            SourceComment(author_name="Ann", created_at=when, body_html=missing, line=52),
        ],
    )
    problems = MediaResolver(media_dir).localise_post(post)
    assert "/media/imports/media/" in post.body_html
    assert post.comments[1].body_html == missing
    assert [problem.where for problem in problems] == [
        "post http://example.typepad.com/blog/2007/05/hello.html (line 12), comment 2 (line 52)"
    ]
