"""Uploaded images: decoded not trusted, stored without EXIF, resized to WebP renditions."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from blog.images import clean_upload, validate_image
from blog.models import Post
from tests.factories import (
    GPS_IFD,
    SVG,
    PostFactory,
    image_bytes,
    jpeg_with_gps,
    jpeg_with_orientation,
    phone_jpeg_with_extra_frame,
    png_declaring_size,
)


def _upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _refusal(data, name="upload.jpg"):
    """The ValidationError validate_image raises for `data`."""
    with pytest.raises(ValidationError) as caught:
        validate_image(_upload(name, data))
    return caught.value


def test_test_jpeg_really_carries_gps_exif():
    exif = Image.open(io.BytesIO(jpeg_with_gps())).getexif()
    assert exif.get_ifd(GPS_IFD)


# ─── blog.images, without the database ───────────────────────────────────────


def test_clean_upload_removes_all_exif_from_a_jpeg():
    cleaned = Image.open(clean_upload(_upload("holiday.jpg", jpeg_with_gps())))
    assert cleaned.format == "JPEG"
    assert "exif" not in cleaned.info
    assert not cleaned.getexif()


def test_clean_upload_turns_sideways_photo_upright():
    cleaned = Image.open(clean_upload(_upload("sideways.jpg", jpeg_with_orientation(6))))
    assert cleaned.size == (40, 60)


def test_phone_jpeg_with_extra_frame_is_accepted():
    validate_image(_upload("IMG_2041.jpg", phone_jpeg_with_extra_frame()))


def test_phone_jpeg_with_extra_frame_is_stored_as_plain_jpeg():
    cleaned = clean_upload(_upload("IMG_2041.jpg", phone_jpeg_with_extra_frame()))
    assert (cleaned.name, Image.open(cleaned).format) == ("IMG_2041.jpg", "JPEG")


def test_clean_upload_keeps_a_safe_name():
    cleaned = clean_upload(_upload("../../etc/holiday photo.jpg", jpeg_with_gps()))
    assert cleaned.name == "holiday photo.jpg"


def test_clean_upload_stores_gif_as_png():
    cleaned = clean_upload(_upload("anim.gif", image_bytes("GIF"), "image/gif"))
    assert Image.open(cleaned).format == "PNG"


@pytest.mark.parametrize("format_", ["JPEG", "PNG", "WEBP", "GIF"])
def test_accepted_formats_pass_validation(format_):
    validate_image(_upload(f"ok.{format_.lower()}", image_bytes(format_)))


def test_text_file_named_jpg_is_refused_with_clear_message():
    error = _refusal(b"Dear editor, this is not a picture.\n", name="letter.jpg")
    assert error.code == "not_an_image"
    assert "not an image we can read" in error.messages[0]


def test_svg_is_refused():
    error = _refusal(SVG, name="logo.svg")
    assert error.code == "not_an_image"


def test_svg_renamed_to_png_is_refused():
    assert _refusal(SVG, name="logo.png").code == "not_an_image"


def test_unaccepted_format_is_refused_by_name():
    error = _refusal(image_bytes("BMP"), name="scan.bmp")
    assert error.code == "bad_format"
    assert error.messages == ["BMP images are not accepted. Upload a JPEG, PNG, WebP or GIF."]


def test_decompression_bomb_is_refused_with_clear_message():
    bomb = png_declaring_size(20_000, 20_000)
    assert len(bomb) < 10_000
    error = _refusal(bomb, name="bomb.png")
    assert error.code == "too_many_pixels"
    assert "too large in pixels" in error.messages[0]


def test_image_above_configured_pixel_limit_is_refused(settings):
    settings.IMAGE_MAX_PIXELS = 100
    error = _refusal(image_bytes("PNG", size=(20, 20)), name="small.png")
    assert error.messages == ["The image is too large in pixels; the limit is 100 pixels."]


def test_file_above_byte_limit_is_refused(settings):
    settings.IMAGE_MAX_BYTES = 100
    error = _refusal(jpeg_with_gps(), name="heavy.jpg")
    assert error.code == "too_large"


def test_truncated_jpeg_is_refused():
    data = jpeg_with_gps()
    assert _refusal(data[: len(data) // 2]).code == "not_an_image"


# ─── Post covers, through the model ──────────────────────────────────────────


@pytest.fixture
def post_with_cover(db):
    return PostFactory(
        cover_image=_upload("holiday.jpg", jpeg_with_gps(size=(1200, 800))),
        cover_image_alt="The harbour at dusk",
    )


def test_stored_cover_has_no_exif(post_with_cover):
    with default_storage.open(post_with_cover.cover_image.name, "rb") as handle:
        stored = Image.open(handle)
        stored.load()
    assert "exif" not in stored.info
    assert not stored.getexif()


def test_stored_cover_lives_in_the_temporary_media_folder(settings, post_with_cover):
    assert post_with_cover.cover_image.path.startswith(str(settings.MEDIA_ROOT))


def test_cover_gets_webp_renditions_up_to_its_own_width_never_wider(post_with_cover):
    assert sorted(post_with_cover.cover_renditions, key=int) == ["480", "960", "1200"]


def test_cover_renditions_are_webp_files_of_their_width(post_with_cover):
    for width, name in post_with_cover.cover_renditions.items():
        with default_storage.open(name, "rb") as handle:
            rendition = Image.open(handle)
            assert (rendition.format, rendition.width) == ("WEBP", int(width))


def test_cover_renditions_have_no_exif(post_with_cover):
    for name in post_with_cover.cover_renditions.values():
        with default_storage.open(name, "rb") as handle:
            assert not Image.open(handle).getexif()


def test_small_cover_gets_one_rendition_at_its_own_width(db):
    post = PostFactory(cover_image=_upload("tiny.jpg", jpeg_with_gps(size=(64, 48))))
    assert list(post.cover_renditions) == ["64"]


def test_cover_srcset_lists_every_rendition(post_with_cover):
    entries = post_with_cover.cover_srcset.split(", ")
    assert [entry.rsplit(" ", 1)[1] for entry in entries] == ["480w", "960w", "1200w"]


def test_saving_again_does_not_redo_renditions(post_with_cover):
    before = dict(post_with_cover.cover_renditions)
    post_with_cover.title = "Retitled"
    post_with_cover.save()
    assert post_with_cover.cover_renditions == before


# ─── Post covers, through the admin form ─────────────────────────────────────


def _admin_add(client, user, *, cover, alt="A description of the picture"):
    client.force_login(user)
    return client.post(
        reverse("admin:blog_post_add"),
        {
            "title": "Harbour photos",
            "slug": "harbour-photos",
            "body": "Pictures from the *harbour* walk.",
            "excerpt": "",
            "cover_image": cover,
            "cover_image_alt": alt,
            "category": "",
            "status": Post.Status.PUBLISHED,
            "published_at_0": "2024-05-01",
            "published_at_1": "10:00:00",
            "allow_comments": "on",
            "_save": "Save",
        },
    )


def _cover_errors(response):
    return response.context["adminform"].form.errors.get("cover_image", [])


def test_admin_upload_stores_cover_without_exif(client, author):
    response = _admin_add(client, author, cover=_upload("holiday.jpg", jpeg_with_gps()))
    assert response.status_code == 302
    post = Post.objects.get(slug="harbour-photos")
    with post.cover_image.open("rb") as handle:
        assert not Image.open(handle).getexif()


def test_admin_upload_creates_webp_renditions(client, author):
    _admin_add(client, author, cover=_upload("holiday.jpg", jpeg_with_gps()))
    post = Post.objects.get(slug="harbour-photos")
    assert post.cover_renditions
    assert all(name.endswith(".webp") for name in post.cover_renditions.values())


def test_admin_refuses_text_file_named_jpg_with_message(client, author):
    response = _admin_add(client, author, cover=_upload("notes.jpg", b"just some text\n"))
    assert response.status_code == 200
    assert _cover_errors(response)
    assert not Post.objects.exists()


def test_admin_refuses_svg_with_message(client, author):
    response = _admin_add(client, author, cover=_upload("logo.svg", SVG, "image/svg+xml"))
    assert response.status_code == 200
    assert _cover_errors(response)
    assert not Post.objects.exists()


def test_admin_refuses_image_above_pixel_limit_with_message(client, author, settings):
    settings.IMAGE_MAX_PIXELS = 1_000
    response = _admin_add(client, author, cover=_upload("big.png", image_bytes("PNG", (50, 50))))
    assert response.status_code == 200
    assert _cover_errors(response) == [
        "The image is too large in pixels; the limit is 1,000 pixels."
    ]


def test_admin_refuses_decompression_bomb_saying_it_has_too_many_pixels(client, author):
    bomb = _upload("bomb.png", png_declaring_size(20_000, 20_000), "image/png")
    response = _admin_add(client, author, cover=bomb)
    assert response.status_code == 200
    assert any("too large in pixels" in error for error in _cover_errors(response))


def test_admin_requires_alt_text_with_a_cover(client, author):
    response = _admin_add(client, author, cover=_upload("holiday.jpg", jpeg_with_gps()), alt="")
    errors = response.context["adminform"].form.errors
    assert errors["cover_image_alt"] == [
        "Describe the cover picture for readers who cannot see it."
    ]
