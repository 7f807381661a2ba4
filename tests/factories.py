"""factory_boy factories with reader-visible defaults, plus image files for upload tests."""

import io
import random
import struct
import zlib
from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from PIL import Image

from accounts.models import User
from blog.markup import render_comment_markdown
from blog.models import Category, Post, Tag
from comments.models import Comment
from comments.posting import comment_create, reference_url_for

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


# ─── Comments ────────────────────────────────────────────────────────────────


class CommentFactory(factory.Factory):
    """A published comment by a registered reader, written through `comment_create`.

    `parent=<Comment>` makes a reply on the parent's post; the `guest` trait posts
    under a guest name; `pending`, `removed`, `spam` and `deleted` change the status
    afterwards, as moderation or the author would (and bump the post's cache version).
    `build()` gives an unsaved Comment.
    """

    class Meta:
        model = Comment

    parent = None
    post = factory.Maybe(
        "parent",
        yes_declaration=factory.SelfAttribute("parent.post"),
        no_declaration=factory.SubFactory(PostFactory),
    )
    author = factory.SubFactory(UserFactory)
    guest_name = ""
    guest_email = ""
    body = factory.Sequence(lambda n: f"Comment number {n}: the budget vote is a distraction.")
    created_at = None
    status = Comment.Status.PUBLISHED

    class Params:
        guest = factory.Trait(
            author=None,
            guest_name=factory.Sequence(lambda n: f"Guest {n}"),
            guest_email=factory.LazyAttribute(
                lambda o: f"{o.guest_name.replace(' ', '')}@example.net"
            ),
        )
        pending = factory.Trait(status=Comment.Status.PENDING)
        removed = factory.Trait(status=Comment.Status.REMOVED)
        spam = factory.Trait(status=Comment.Status.SPAM)
        deleted = factory.Trait(status=Comment.Status.DELETED)

    @classmethod
    def _create(cls, model_class, *, post, parent=None, status, created_at=None, **kwargs):
        comment = comment_create(
            post=post,
            parent_number=parent.number if parent is not None else None,
            created_at=created_at,
            **kwargs,
        )
        if status != Comment.Status.PUBLISHED:
            Comment.objects.filter(pk=comment.pk).update(status=status)
            Post.objects.filter(pk=post.pk).update(comments_version=F("comments_version") + 1)
            comment.status = status
        post.refresh_from_db(fields=["last_comment_number", "comments_version"])
        return comment


def create_comment_tree(
    *, post, count: int, authors, seed: int = 0, reply_probability: float = 0.6
) -> list[Comment]:
    """`count` published comments on `post` in one INSERT, as `comment_create` would store them.

    Each new comment replies to a random earlier one with `reply_probability`;
    authors rotate through `authors` (None for a guest); every fifth comment cites
    an earlier one as @N. Numbers, depths, thread keys, rendered bodies and the
    post's counters match the write path (a test compares the two).
    """
    rng = random.Random(seed)
    start = post.last_comment_number
    parent_of, depth_of, root_of = {}, {}, {}
    for number in range(start + 1, start + count + 1):
        earlier = number - 1 - start
        parent = (
            start + rng.randint(1, earlier)
            if earlier and rng.random() < reply_probability
            else None
        )
        parent_of[number] = parent
        depth_of[number] = 0 if parent is None else depth_of[parent] + 1
        root_of[number] = number if parent is None else root_of[parent]
    children: dict[int | None, list[int]] = {}
    for number, parent in parent_of.items():
        children.setdefault(parent, []).append(number)
    position_of = {}
    for root in children.get(None, []):
        stack, position = [root], 0
        while stack:
            number = stack.pop()
            position_of[number] = position
            position += 1
            stack.extend(reversed(children.get(number, [])))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Comment._meta.db_table, count],
        )
        ids = [row[0] for row in cursor.fetchall()]
    now = timezone.now()
    url_for = reference_url_for(post, set(range(1, start + count + 1)))
    id_of, comments = {}, []
    for index, number in enumerate(parent_of):
        author = authors[index % len(authors)]
        cited = (
            rng.randint(start + 1, number - 1) if number - start > 1 and index % 5 == 4 else None
        )
        body = f"Comment {number}. " + (f"@{cited} is wrong. " if cited else "") + "Lorem " * 40
        body_html, referenced = render_comment_markdown(
            body, reference_url=lambda n, number=number: url_for(n) if n < number else None
        )
        id_of[number] = ids[index]
        comments.append(
            Comment(
                id=ids[index],
                post=post,
                number=number,
                parent_id=id_of.get(parent_of[number]),
                parent_number=parent_of[number],
                depth=depth_of[number],
                root_number=root_of[number],
                thread_position=position_of[number],
                author=author,
                guest_name="" if author else f"Guest {index % 7}",
                guest_email="" if author else f"guest{index % 7}@example.net",
                body=body,
                body_html=body_html,
                referenced_numbers=referenced,
                created_at=now - timedelta(minutes=count - index),
            )
        )
    Comment.objects.bulk_create(comments, batch_size=1000)
    Post.objects.filter(pk=post.pk).update(
        last_comment_number=start + count, comments_version=F("comments_version") + 1
    )
    post.refresh_from_db(fields=["last_comment_number", "comments_version"])
    return comments


def established_readers(count: int, prefix: str = "flagger") -> list:
    """Readers whose flags count fully: accounts a month old with a published comment."""
    from accounts.models import User

    readers = [UserFactory(username=f"{prefix}{i}") for i in range(count)]
    elsewhere = PostFactory(slug=f"{prefix}-elsewhere")
    for reader in readers:
        CommentFactory(post=elsewhere, author=reader)
    User.objects.filter(pk__in=[r.pk for r in readers]).update(
        date_joined=timezone.now() - timedelta(days=30)
    )
    return readers
