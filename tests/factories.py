"""factory_boy factories with reader-visible defaults, plus image files for upload tests."""

import io
import struct
import zlib
from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from PIL import Image

from accounts.models import User
from blog.models import Category, Post, Tag

PASSWORD = "correct horse battery staple"

HEADLINES = (
    "Budget vote delayed again",
    "What the debate did not cover",
    "Turnout, and the people who skipped it",
    "A promise with a long history",
    "Reading the polls without panic",
    "Zoning board hears the housing plan",
)

BODIES = (
    "The committee met on **Tuesday** and voted 7 to 2 to delay the budget.\n\n"
    "Read the [minutes](https://example.org/minutes) before you comment.",
    "Three things stood out in the debate:\n\n"
    "1. Nobody mentioned housing.\n"
    "2. The moderator lost control twice.\n"
    "3. The turnout question was dodged.",
    "> We will not raise taxes.\n\n"
    "That promise has a history. Here is what happened the last *three* times it was made.",
    "Polling averages moved less than a point this week. The headlines say otherwise; "
    "the `crosstabs` tell a calmer story.",
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """Accepts group names or Group objects: `UserFactory(groups=["Authors"])`."""
        if create and extracted:
            self.groups.set(
                Group.objects.get(name=group) if isinstance(group, str) else group
                for group in extracted
            )


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Local politics {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = "City hall, the school board and the zoning fights in between."


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"housing {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = ""


class PostFactory(DjangoModelFactory):
    """A live post: published, with a publish time in the past."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"{HEADLINES[n % len(HEADLINES)]} ({n})")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    author = factory.SubFactory(UserFactory)
    body = factory.Iterator(BODIES)
    excerpt = ""
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    category = factory.SubFactory(CategoryFactory)

    class Params:
        draft = factory.Trait(status=Post.Status.DRAFT)
        scheduled = factory.Trait(
            status=Post.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=2)),
        )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


# ─── Image files ─────────────────────────────────────────────────────────────

GPS_IFD = 0x8825


def jpeg_with_gps(size=(64, 48)) -> bytes:
    """A small JPEG whose EXIF carries a camera model and a GPS position."""
    exif = Image.Exif()
    exif[0x0110] = "Riposte Test Camera"  # Model
    exif[GPS_IFD] = {
        1: "N",  # GPSLatitudeRef
        2: (48.0, 51.0, 29.0),  # GPSLatitude
        3: "E",  # GPSLongitudeRef
        4: (2.0, 17.0, 40.0),  # GPSLongitude
    }
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 60, 40)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def jpeg_with_orientation(orientation: int, size=(60, 40)) -> bytes:
    """A JPEG stored sideways with an EXIF Orientation tag telling viewers how to turn it."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 90, 90)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def phone_jpeg_with_extra_frame(size=(64, 48)) -> bytes:
    """A JPEG carrying a second picture (MPF/MPO), as many phone cameras write them."""
    buffer = io.BytesIO()
    first, second = Image.new("RGB", size, "red"), Image.new("RGB", size, "blue")
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    return buffer.getvalue()


def image_bytes(format_: str, size=(32, 24)) -> bytes:
    """A plain image in any format Pillow can write (PNG, BMP, GIF…)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(buffer, format_)
    return buffer.getvalue()


def png_declaring_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width`×`height` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    pixels = zlib.compress(row * 4, 9)  # a few rows are enough; nobody gets to decode it
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


SVG = (
    b'<?xml version="1.0"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">'
    b'<rect width="10" height="10"/></svg>'
)
