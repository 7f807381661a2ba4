"""Avatars: uploads judged by decoding, EXIF stripped, square renditions; identicons (issue 4)."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts import avatars
from tests.factories import SVG, UserFactory, image_bytes, jpeg_with_gps, png_declaring_size

pytestmark = pytest.mark.django_db


def _upload(client, data: bytes, name: str, content_type="application/octet-stream", **extra):
    form = {
        "display_name": "Rita Reader",
        "bio": "",
        "avatar": SimpleUploadedFile(name, data, content_type=content_type),
        **extra,
    }
    return client.post(reverse("accounts:profile-edit"), form)


def _stored(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (40, 30), colour) for colour in ("red", "blue", "green")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


@pytest.fixture
def signed_in(client, reader):
    client.force_login(reader)
    return client


# ─── Accepted pictures ───────────────────────────────────────────────────────


@pytest.mark.parametrize("format_", ["JPEG", "PNG", "WEBP", "GIF"])
def test_accepted_formats_become_three_square_renditions(signed_in, reader, format_):
    response = _upload(signed_in, image_bytes(format_, size=(300, 200)), f"me.{format_.lower()}")
    assert response.status_code == 302
    reader.refresh_from_db()
    assert sorted(int(size) for size in reader.avatar_renditions) == [48, 96, 192]
    for size, name in reader.avatar_renditions.items():
        stored = _stored(name)
        assert stored.format == "WEBP"
        assert stored.size == (int(size), int(size))


def test_gps_and_camera_data_are_stripped(signed_in, reader):
    original = Image.open(io.BytesIO(jpeg_with_gps()))
    assert original.getexif().get(0x8825)  # the crafted file really carries GPS
    assert _upload(signed_in, jpeg_with_gps(size=(120, 90)), "holiday.jpg").status_code == 302
    reader.refresh_from_db()
    for name in reader.avatar_renditions.values():
        stored = _stored(name)
        assert not stored.getexif()
        assert "exif" not in stored.info
        with default_storage.open(name, "rb") as handle:
            assert b"Riposte Test Camera" not in handle.read()


def test_a_png_renamed_jpg_is_judged_by_its_content(signed_in, reader):
    response = _upload(signed_in, image_bytes("PNG"), "photo.jpg", content_type="image/jpeg")
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.avatar_renditions


def test_an_animated_gif_keeps_its_first_frame(signed_in, reader):
    assert _upload(signed_in, animated_gif(), "wave.gif").status_code == 302
    reader.refresh_from_db()
    pixel = _stored(reader.avatar_renditions["48"]).convert("RGB").getpixel((24, 24))
    assert pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60  # red, the first frame


def test_a_wide_picture_is_cropped_to_its_centre(signed_in, reader):
    image = Image.new("RGB", (300, 100), "blue")
    image.paste(Image.new("RGB", (100, 100), "yellow"), (100, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    _upload(signed_in, buffer.getvalue(), "wide.png")
    reader.refresh_from_db()
    stored = _stored(reader.avatar_renditions["96"]).convert("RGB")
    assert stored.getpixel((5, 48))[2] < 100  # yellow at the edge: the blue sides are gone


# ─── Refused files ───────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (SVG, "logo.svg", "not a picture we can read"),
        (SVG, "logo.png", "not a picture we can read"),
        (b"just some text, not a picture", "notes.jpg", "not a picture we can read"),
        (image_bytes("PNG")[:60], "cut.png", "not a picture we can read"),
        (png_declaring_size(30_000, 30_000), "bomb.png", "too many pixels"),
        (image_bytes("BMP"), "old.bmp", "BMP pictures are not accepted"),
        (image_bytes("TIFF"), "scan.tiff", "TIFF pictures are not accepted"),
    ],
    ids=["svg", "svg-renamed-png", "text", "truncated", "bomb", "bmp", "tiff"],
)
def test_bad_files_are_refused_with_a_message_and_a_400(signed_in, reader, data, name, message):
    response = _upload(signed_in, data, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    reader.refresh_from_db()
    assert not reader.avatar_renditions


def test_files_over_five_megabytes_are_refused(signed_in, reader):
    big = image_bytes("PNG") + b"\0" * (5 * 1024 * 1024)
    response = _upload(signed_in, big, "big.png")
    assert response.status_code == 400
    assert "the limit is 5 MB" in response.content.decode()


def test_nothing_is_stored_for_a_refused_file(signed_in, settings):
    _upload(signed_in, SVG, "logo.svg")
    media = settings.MEDIA_ROOT / "avatars"
    assert not media.exists() or not any(media.iterdir())


# ─── Replacing and removing ──────────────────────────────────────────────────


def test_a_new_picture_replaces_the_old_files(
    signed_in, reader, django_capture_on_commit_callbacks
):
    _upload(signed_in, image_bytes("PNG"), "one.png")
    reader.refresh_from_db()
    old = dict(reader.avatar_renditions)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(signed_in, image_bytes("JPEG"), "two.jpg")
    reader.refresh_from_db()
    assert reader.avatar_renditions != old
    assert not any(default_storage.exists(name) for name in old.values())


def test_removing_the_picture_falls_back_to_the_identicon(signed_in, reader):
    _upload(signed_in, image_bytes("PNG"), "one.png")
    response = signed_in.post(
        reverse("accounts:profile-edit"),
        {"display_name": "Rita Reader", "bio": "", "remove_avatar": "on"},
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert not reader.avatar_renditions
    assert not reader.avatar
    page = signed_in.get(reader.profile_url).content.decode()
    assert (
        reverse("accounts:avatar-generated", kwargs={"username": reader.username, "size": 192})
        in page
    )


# ─── Generated avatars ───────────────────────────────────────────────────────


def test_identicons_are_deterministic_per_account_and_differ_between_accounts(client):
    first, second = UserFactory(), UserFactory()

    def fetch(user, size=96):
        url = reverse("accounts:avatar-generated", kwargs={"username": user.username, "size": size})
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        return response.content

    assert fetch(first) == fetch(first)
    assert fetch(first) != fetch(second)
    assert Image.open(io.BytesIO(fetch(first, 48))).size == (48, 48)


def test_identicons_only_come_in_the_rendition_sizes(client, reader):
    url = reverse("accounts:avatar-generated", kwargs={"username": reader.username, "size": 5000})
    assert client.get(url).status_code == 404


def test_identicons_are_symmetric_pictures():
    image = Image.open(io.BytesIO(avatars.identicon_png("42", 70))).convert("RGB")
    for y in range(0, 70, 10):
        assert image.getpixel((5, y)) == image.getpixel((64, y))


# ─── Cost: pixel budget, reduced decoding, upload limit (issue 8) ────────────


def _jpeg(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def test_a_picture_over_sixteen_megapixels_is_refused_with_the_limit(signed_in, reader):
    """Issue 8: a 24.5-megapixel avatar cost 2.7 s of CPU per upload."""
    response = _upload(signed_in, png_declaring_size(6048, 4032), "camera.png")
    assert response.status_code == 400
    assert "too many pixels; the limit is 16,000,000" in response.content.decode()
    reader.refresh_from_db()
    assert not reader.avatar_renditions


def test_a_large_jpeg_is_decoded_at_a_reduced_scale():
    upload = SimpleUploadedFile("photo.jpg", _jpeg((4000, 3000)), content_type="image/jpeg")
    decoded = avatars.decode_avatar(upload)
    assert decoded.size == (1000, 750)  # a quarter: the smallest scale still over 384 pixels


def test_a_reduced_jpeg_still_makes_sharp_renditions_of_every_size(signed_in, reader):
    assert _upload(signed_in, _jpeg((4000, 3000)), "photo.jpg").status_code == 302
    reader.refresh_from_db()
    assert _stored(reader.avatar_renditions["192"]).size == (192, 192)


def test_an_account_may_upload_only_so_many_pictures_an_hour(settings, signed_in, reader):
    settings.AVATAR_UPLOADS_PER_HOUR = 2
    for _ in range(2):
        assert _upload(signed_in, image_bytes("PNG"), "me.png").status_code == 302
    reader.refresh_from_db()
    kept = reader.avatar_renditions
    response = _upload(signed_in, image_bytes("PNG"), "me.png")
    assert response.status_code == 400
    assert "at most 2 pictures an hour" in response.content.decode()
    reader.refresh_from_db()
    assert reader.avatar_renditions == kept


def test_uploads_past_the_limit_are_refused_before_decoding(settings, signed_in, monkeypatch):
    settings.AVATAR_UPLOADS_PER_HOUR = 1
    _upload(signed_in, image_bytes("PNG"), "me.png")

    def refuse(*args, **kwargs):
        raise AssertionError("decoded an upload past the limit")

    monkeypatch.setattr(avatars, "decode_avatar", refuse)
    assert _upload(signed_in, image_bytes("PNG"), "me.png").status_code == 400


def test_the_upload_limit_is_per_account(settings, client, signed_in):
    settings.AVATAR_UPLOADS_PER_HOUR = 1
    _upload(signed_in, image_bytes("PNG"), "me.png")
    client.force_login(UserFactory(username="another"))
    assert (
        _upload(client, image_bytes("PNG"), "me.png", display_name="Another One").status_code == 302
    )
