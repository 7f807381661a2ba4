"""Request limits in the app (issue 12): bodies capped per view before they are read, and
no file part stored where a form takes none; the site's error page, status 413."""

import io
import os
import socket
import time
import uuid
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.test import Client
from django.urls import reverse
from PIL import Image

from blog.models import Post
from comments.models import Comment
from comments.posting import MAX_BODY_LENGTH
from tests.comments.pages import form_fields, posted_status
from tests.factories import PostFactory, UserFactory, image_bytes

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class RecordingUploadHandler(MemoryFileUploadHandler):
    """Keeps every file chunk it is given, so a test can show none arrived."""

    chunks: list[bytes] = []

    def receive_data_chunk(self, raw_data, start):
        self.chunks.append(raw_data)
        return super().receive_data_chunk(raw_data, start)


@pytest.fixture(autouse=True)
def _recorded_uploads(settings):
    RecordingUploadHandler.chunks = []
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.RecordingUploadHandler"]


@pytest.fixture
def post(db):
    return PostFactory(title="The budget vote, again", slug="budget-vote")


@pytest.fixture
def writer(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="writer"))
    return client


def _comment_form(client, post) -> tuple[str, dict]:
    """The comment form as the post page serves it: its action and fields."""
    action = reverse("comments:post", kwargs={"post_id": post.pk})
    return action, form_fields(client.get(post.get_absolute_url()), action)


# ─── Forms without uploads ───────────────────────────────────────────────────


def test_the_longest_comment_url_encoded_by_a_browser_posts_within_the_cap(writer, post):
    action, fields = _comment_form(writer, post)
    body = urlencode({**fields, "body": "😀" * MAX_BODY_LENGTH})  # 12 bytes a character
    assert len(body) > 120_000
    response = writer.post(action, body, content_type="application/x-www-form-urlencoded")
    assert posted_status(response, post) == Comment.Status.PUBLISHED


def test_a_comment_post_past_the_cap_is_refused_with_the_error_page(writer, post, settings):
    settings.RIPOSTE_FORM_MAX_BYTES = 64 * 1024
    action, fields = _comment_form(writer, post)
    response = writer.post(action, {**fields, "body": "x" * 70_000})
    assert response.status_code == 413
    page = response.content.decode()
    assert "Error 413" in page
    assert "this form takes at most 64 KB" in page
    assert '<a class="site-name"' in page  # the site's layout
    assert not Comment.objects.exists()


def test_a_file_attached_to_a_comment_is_refused_before_any_of_it_is_stored(writer, post):
    """Issue 12: a file attached to a comment POST was spooled to disk and ignored."""
    action, fields = _comment_form(writer, post)
    photo = SimpleUploadedFile("holiday.jpg", b"\xff\xd8" + b"x" * 50_000, "image/jpeg")
    response = writer.post(action, {**fields, "body": "With a picture.", "photo": photo})
    assert response.status_code == 413
    assert "It carried a file (holiday.jpg), and this form takes no files." in (
        response.content.decode()
    )
    assert RecordingUploadHandler.chunks == []
    assert not Comment.objects.exists()


def test_a_comment_sent_as_multipart_without_a_file_still_posts(writer, post):
    action, fields = _comment_form(writer, post)
    response = writer.post(action, {**fields, "body": "Sent as multipart."})  # the client's default
    assert posted_status(response, post) == Comment.Status.PUBLISHED


def test_a_form_with_a_false_content_length_is_judged_by_what_django_reads(writer, post):
    action, fields = _comment_form(writer, post)
    response = writer.post(
        action,
        {**fields, "body": "Declared oddly."},
        CONTENT_LENGTH="not a number",
    )
    # Django reads no body behind a length it cannot parse, so the form arrives without its
    # CSRF token: refused as any tokenless form is, neither as too large (413) nor with a 500.
    assert response.status_code == 403
    assert "403_csrf.html" in {template.name for template in response.templates}


def _raw_post(port: int, path: str, headers: dict, first_bytes: bytes) -> tuple[str, float]:
    """Send the headers and the start of a body, then read the answer without sending more."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        conn.sendall(f"POST {path} HTTP/1.1\r\nHost: localhost\r\n{head}\r\n".encode())
        conn.sendall(first_bytes)
        answer = conn.recv(65536).decode("latin-1")
    return answer.split("\r\n", 1)[0], time.monotonic() - started


@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore:No directory at")  # WhiteNoise, in the live server
def test_a_50_mb_file_to_a_comment_is_refused_before_its_body_is_sent(live_server):
    """Answered from the headers alone: the 50 MB never has to cross the network."""
    post = PostFactory(title="The budget vote, again", slug="budget-vote")
    boundary = uuid.uuid4().hex
    first_part = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="photo"; filename="huge.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + b"\xff\xd8"
        + b"x" * 1000
    )
    status, seconds = _raw_post(
        int(live_server.url.rsplit(":", 1)[1]),
        reverse("comments:post", kwargs={"post_id": post.pk}),
        {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(50 * MB),
        },
        first_part,
    )
    assert status.split()[1] == "413"
    assert seconds < 5
    assert not Comment.objects.exists()


# ─── Views that take uploads ─────────────────────────────────────────────────


def _avatar_form(data: bytes) -> dict:
    return {
        "display_name": "Rita Reader",
        "bio": "",
        "avatar": SimpleUploadedFile("me.png", data, content_type="image/png"),
    }


def test_an_avatar_within_its_limit_is_taken(client, reader):
    client.force_login(reader)
    response = client.post(reverse("accounts:profile-edit"), _avatar_form(image_bytes("PNG")))
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.avatar


def test_an_avatar_past_its_limit_is_refused_before_it_is_read(client, reader, settings):
    settings.AVATAR_MAX_BYTES = 100_000
    settings.RIPOSTE_FORM_MAX_BYTES = 16 * 1024
    client.force_login(reader)
    response = client.post(reverse("accounts:profile-edit"), _avatar_form(b"x" * 200_000))
    assert response.status_code == 413
    assert RecordingUploadHandler.chunks == []


def _admin_post_form(cover: bytes) -> dict:
    return {
        "title": "Levy passes on second reading",
        "slug": "levy-passes",
        "body": "The levy passed.",
        "excerpt": "",
        "cover_image": SimpleUploadedFile("cover.png", cover, content_type="image/png"),
        "cover_image_alt": "A cover",
        "category": "",
        "status": Post.Status.PUBLISHED,
        "published_at_0": "2024-05-01",
        "published_at_1": "10:00:00",
        "allow_comments": "on",
        "_save": "Save",
    }


def _noisy_png(side: int) -> bytes:
    """A PNG that does not compress: about 3 bytes a pixel."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_admin_takes_a_cover_larger_than_a_form(client, author, settings):
    settings.RIPOSTE_FORM_MAX_BYTES = 16 * 1024
    client.force_login(author)
    cover = _noisy_png(150)
    assert len(cover) > 64 * 1024
    response = client.post(reverse("admin:blog_post_add"), _admin_post_form(cover))
    assert response.status_code == 302
    assert Post.objects.get(slug="levy-passes").cover_image


def test_the_admin_refuses_a_body_past_its_image_and_form_data_limits(client, author, settings):
    settings.IMAGE_MAX_BYTES = 50_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.force_login(author)
    response = client.post(reverse("admin:blog_post_add"), _admin_post_form(b"x" * 70_000))
    assert response.status_code == 413
    assert not Post.objects.exists()


def test_the_admin_takes_no_upload_from_someone_not_staff(client, settings):
    """The admin's sign-in form is open to anyone: it takes a form's body, and no file."""
    settings.RIPOSTE_FORM_MAX_BYTES = 16 * 1024
    response = client.post(
        reverse("admin:login"),
        {"username": "x", "password": "y", "f": SimpleUploadedFile("a.png", b"x" * 1000)},
    )
    assert response.status_code == 413
    assert RecordingUploadHandler.chunks == []


def test_a_signed_out_sender_gets_no_avatar_allowance(client, settings):
    settings.RIPOSTE_FORM_MAX_BYTES = 16 * 1024
    response = client.post(reverse("accounts:profile-edit"), _avatar_form(b"x" * 20_000))
    assert response.status_code == 413
