"""Debian's nginx with deploy/nginx/riposte.conf.template in front of a real gunicorn (issue 12).

gunicorn runs as in production (DEBUG off, 2 sync workers, DJANGO_BEHIND_PROXY,
RIPOSTE_TRUSTED_PROXIES=1); every request here goes through nginx unless a test
says otherwise.
"""

import gzip
import http.client
import json
import socket
import threading
import time
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.comments.pages import form_fields
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db(transaction=True)

# A reader's address that differs from nginx's own (127.0.0.1), so the app can tell them apart.
READER_ADDRESS = "127.0.0.2"
FORGED_ADDRESS = "203.0.113.9"


def _request(port, method, path, *, headers=None, body=None, source=None):
    """One HTTP/1.1 request; returns (status, headers, body bytes)."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0) if source else None
    )
    try:
        connection.request(
            method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def _status_for_declared_body(port, path: str, length: int) -> int:
    """The status answered to a POST announcing `length` bytes, before any of them is sent."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {length}\r\n\r\n".encode()
        )
        status_line = sock.makefile("rb").readline()
    return int(status_line.split()[1])


def _hashed_static_name(app_server, name: str) -> str:
    manifest = json.loads((app_server.static_root / "staticfiles.json").read_text())
    return manifest["paths"][name]


# ─── Pages, headers, compression ─────────────────────────────────────────────


def test_post_page_is_served_through_the_proxy(proxy, app_server):
    post = PostFactory(title="Budget vote delayed again")
    status, _, body = _request(proxy.port, "GET", post.get_absolute_url())
    assert status == 200
    assert "Budget vote delayed again" in body.decode()
    assert app_server.has_logged(post.get_absolute_url())


def test_app_security_headers_reach_the_reader_once(proxy):
    status, headers, _ = _request(proxy.port, "GET", reverse("blog:post-list"))
    assert status == 200
    assert headers.get_all("X-Frame-Options") == ["DENY"]
    assert headers.get_all("X-Content-Type-Options") == ["nosniff"]
    assert headers.get_all("Referrer-Policy") == ["same-origin"]


def test_html_is_gzipped_for_readers_who_accept_it(proxy):
    PostFactory.create_batch(3)
    status, headers, body = _request(
        proxy.port, "GET", reverse("blog:post-list"), headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert b"</html>" in gzip.decompress(body)


def test_html_is_plain_for_readers_who_do_not_accept_gzip(proxy):
    status, headers, body = _request(proxy.port, "GET", reverse("blog:post-list"))
    assert status == 200
    assert "Content-Encoding" not in headers
    assert b"</html>" in body


# ─── Static and media files ──────────────────────────────────────────────────


def test_hashed_static_file_is_served_by_nginx_cached_for_a_year(proxy, app_server):
    path = "/static/" + _hashed_static_name(app_server, "css/site.css")
    status, headers, body = _request(proxy.port, "GET", path)
    assert status == 200
    # One Cache-Control, nginx's: gunicorn (whitenoise) would have sent its own.
    assert headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Type"] == "text/css"
    assert (
        body
        == (app_server.static_root / _hashed_static_name(app_server, "css/site.css")).read_bytes()
    )


def test_static_file_is_sent_precompressed(proxy, app_server):
    path = "/static/" + _hashed_static_name(app_server, "css/site.css")
    status, headers, body = _request(proxy.port, "GET", path, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert (
        gzip.decompress(body)
        == (app_server.static_root / path.removeprefix("/static/")).read_bytes()
    )


def test_unhashed_static_file_is_cached_briefly(proxy):
    status, headers, _ = _request(proxy.port, "GET", "/static/css/site.css")
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=300"


def test_missing_static_file_is_404_from_nginx(proxy):
    status, _, body = _request(proxy.port, "GET", "/static/css/nothing-here.css")
    assert status == 404
    assert b"<center>nginx</center>" in body


def test_uploaded_picture_is_served_as_a_picture(proxy, app_server):
    (app_server.media_root / "avatars").mkdir(exist_ok=True)
    (app_server.media_root / "avatars" / "pat-96.webp").write_bytes(b"RIFF....WEBPVP8 ")
    status, headers, _ = _request(proxy.port, "GET", "/media/avatars/pat-96.webp")
    assert status == 200
    assert headers["Content-Type"] == "image/webp"
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", ["evil.html", "evil.svg", "evil.js", "evil.php"])
def test_uploaded_file_of_another_kind_is_never_rendered(proxy, app_server, name):
    (app_server.media_root / name).write_text("<script>alert(document.cookie)</script>")
    status, headers, _ = _request(proxy.port, "GET", f"/media/{name}")
    assert status == 200
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in headers["Content-Security-Policy"]


# ─── Request bodies ──────────────────────────────────────────────────────────


@pytest.mark.parametrize("length", [300_000, 50_000_000])
def test_oversized_comment_post_is_refused_413_by_nginx(proxy, length):
    """Issue 12: a 50 MB comment POST was accepted and spooled to disk.

    Refused from the declared length alone, before a byte of the body is read.
    """
    post = PostFactory()
    path = reverse("comments:post", args=[post.pk])
    assert _status_for_declared_body(proxy.port, path, length) == 413


def test_oversized_chunked_comment_post_is_refused_413_by_nginx(proxy):
    """A body sent without a declared length is counted as it arrives."""
    post = PostFactory()
    path = reverse("comments:post", args=[post.pk])
    chunk = b"x" * 16_384
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        try:
            for _ in range(20):  # 320 KB
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # nginx may stop reading once it has refused
        status_line = sock.makefile("rb").readline()
    assert int(status_line.split()[1]) == 413


def test_comment_of_the_longest_allowed_text_fits_under_the_cap(proxy):
    """10,000 four-byte characters, percent-encoded, still reach the app."""
    post = PostFactory()
    body = urlencode({"body": "😀" * 10_000, "guest_name": "Pat", "guest_email": "p@example.net"})
    status, _, _ = _request(
        proxy.port,
        "POST",
        reverse("comments:post", args=[post.pk]),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=body,
    )
    assert status == 403  # the app's CSRF refusal: nginx let it through


@pytest.mark.parametrize(
    ("path", "allowed", "refused"),
    [
        ("/accounts/profile/", 5_500_000, 7_000_000),
        ("/admin/blog/post/add/", 10_500_000, 12_000_000),
        ("/admin/blog/post/7/change/", 10_500_000, 12_000_000),
        ("/admin/comments/comment/", 1_500_000, 3_000_000),
    ],
)
def test_upload_pages_take_bodies_up_to_their_limits(proxy, path, allowed, refused):
    boundary = "riposte-test-boundary"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="upload"; filename="big.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + b"\0" * allowed
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, headers, _ = _request(
        proxy.port,
        "POST",
        path,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        body=body,
    )
    # nginx let the body through: the app answered (nginx sends no policy header of its
    # own), refusing an upload allowance to a sender who is not signed in
    # (blog/request_limits.py).
    assert status == 413
    assert "Content-Security-Policy" in headers
    assert _status_for_declared_body(proxy.port, path, refused) == 413


# ─── The reader's address ────────────────────────────────────────────────────


def test_app_sees_the_address_nginx_saw_not_the_one_the_client_wrote(proxy):
    post = PostFactory()
    status, headers, page = _request(
        proxy.port, "GET", post.get_absolute_url(), source=READER_ADDRESS
    )
    assert status == 200
    action = reverse("comments:post", args=[post.pk])
    fields = form_fields(SimpleNamespace(content=page), action)
    # The shared page carries no tokens: the form fetches them as comments.js does.
    status, headers, answer = _request(
        proxy.port, "GET", reverse("comments:form-tokens"), source=READER_ADDRESS
    )
    assert status == 200
    fields.update(json.loads(answer))
    cookie = "; ".join(
        value.split(";")[0] for value in headers.get_all("Set-Cookie") if "csrftoken" in value
    )
    fields.update(guest_name="Pat Guest", guest_email="pat@example.net", body="Counted where?")
    status, _, _ = _request(
        proxy.port,
        "POST",
        action,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "X-Forwarded-For": FORGED_ADDRESS,
        },
        body=urlencode(fields),
        source=READER_ADDRESS,
    )
    assert status == 302
    assert Comment.objects.get(post=post).ip_address == READER_ADDRESS


# ─── Slow clients ────────────────────────────────────────────────────────────

SLOW_CLIENTS = 6
# How long each slow client dribbles its request, a byte at a time.
HOLD_SECONDS = 4.0
BYTE_EVERY = 0.2


class SlowClient(threading.Thread):
    """Sends a request one byte every BYTE_EVERY seconds for HOLD_SECONDS, then finishes it."""

    def __init__(self, port: int, kind: str, path: str):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        if kind == "headers":
            self.dribble = b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
            self.rest = b"\r\nConnection: close\r\n\r\n"
        else:
            self.dribble = b"x=" + b"y" * 200
            self.rest = b""
            head = (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                # A well-formed CSRF cookie makes Django read the body to look for the token.
                f"Cookie: csrftoken={'a' * 32}\r\n"
                f"Content-Length: {len(self.dribble)}\r\n\r\n"
            )
            self.sock.sendall(head.encode())
        self.sent_all_the_time = False

    def run(self):
        started, index = time.monotonic(), 0
        try:
            while time.monotonic() - started < HOLD_SECONDS and index < len(self.dribble) - 1:
                self.sock.sendall(self.dribble[index : index + 1])
                index += 1
                time.sleep(BYTE_EVERY)
            self.sent_all_the_time = time.monotonic() - started >= HOLD_SECONDS
            self.sock.sendall(self.dribble[index:] + self.rest)
            self.sock.recv(1024)
        except OSError:
            pass
        finally:
            self.sock.close()


def normal_request_delay(port: int, kind: str, path: str, normal_path: str) -> float:
    """Seconds a normal GET takes while SLOW_CLIENTS dribble their requests to `port`."""
    clients = [SlowClient(port, kind, path) for _ in range(SLOW_CLIENTS)]
    for client in clients:
        client.start()
    time.sleep(0.5)  # every slow client is connected and has started dribbling
    started = time.monotonic()
    status, _, _ = _request(port, "GET", normal_path)
    delay = time.monotonic() - started
    for client in clients:
        client.join(timeout=30)
    assert status == 200
    assert all(client.sent_all_the_time for client in clients)
    return delay


@pytest.mark.parametrize("kind", ["headers", "body"])
def test_slow_clients_do_not_delay_a_normal_request(proxy, app_server, kind, record_property):
    """Issue 12: six slow clients froze the sync workers; a normal request waited for them."""
    post = PostFactory()
    comment_path = reverse("comments:post", args=[post.pk])
    page = post.get_absolute_url()
    assert _request(proxy.port, "GET", page)[0] == 200  # warm: the page is rendered once

    through_proxy = normal_request_delay(proxy.port, kind, comment_path, page)
    # For the record only: gunicorn alone stalls for about HOLD_SECONDS.
    direct = normal_request_delay(app_server.port, kind, comment_path, page)
    record_property("delay_through_proxy", round(through_proxy, 3))
    record_property("delay_without_proxy", round(direct, 3))
    print(f"\nslow {kind}: normal request {through_proxy:.3f}s via nginx, {direct:.3f}s direct")

    assert through_proxy < 1.0
