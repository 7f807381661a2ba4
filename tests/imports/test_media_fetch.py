"""Fetching Typepad images (`--fetch-media`) from a local HTTP server: only when asked,
and within the timeout, the size limit and the image check."""

from __future__ import annotations

import contextlib
import io
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from imports.media import MediaResolver
from tests.factories import jpeg_with_gps

ASSET = "6a00d8341c4e3853ef01b8d2a1b2c3970c"
LIMIT = 50_000  # bytes; small so that "too large" needs no large test data


def jpeg(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


class _Handler(BaseHTTPRequestHandler):
    """Answers by path: each route shows one way a download goes."""

    def do_GET(self):  # the name http.server calls
        self.server.requests.append(self.path)
        route = self.path.rsplit("-", 1)[-1]
        # The client may give up first, as the timeout test wants.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            getattr(self, f"_{route}", self._missing)()

    def _send(self, body: bytes, content_type: str, *, declare_length: bool = True):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if declare_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _image(self):
        self._send(jpeg_with_gps(), "image/jpeg")

    def _big(self):
        self._send(b"\xff" * (LIMIT + 1), "image/jpeg")

    def _undeclared(self):
        self._send(b"\xff" * (4 * LIMIT), "image/jpeg", declare_length=False)

    def _html(self):
        self._send(b"<html><body>This blog has moved</body></html>", "image/jpeg")

    def _slow(self):
        time.sleep(1.5)
        self._image()

    def _redirect(self):
        self.send_response(302)
        self.send_header("Location", f"/.a/{ASSET}-image")
        self.end_headers()

    def _tofile(self):
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.end_headers()

    def _toftp(self):
        self.send_response(301)
        self.send_header("Location", "ftp://127.0.0.1/image.jpg")
        self.end_headers()

    def _missing(self):
        self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def asset_url(server, route: str, asset: str = ASSET) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/.a/{asset}-{route}"


def fetch_one(server, route: str, **options):
    """Localise one `<img>` of `route` with fetching on; (resolver, html, problems)."""
    options = {"allow_private_addresses": True, **options}
    resolver = MediaResolver(None, fetch=True, max_bytes=LIMIT, **options)
    html = f'<img src="{asset_url(server, route)}">'
    rewritten, problems = resolver.localise(html, where="post 1")
    return resolver, html, rewritten, problems


def test_nothing_is_requested_when_fetching_is_off(server, tmp_path):
    resolver = MediaResolver(tmp_path)
    html = f'<img src="{asset_url(server, "image")}">'
    rewritten, [problem] = resolver.localise(html, where="post 1")
    assert server.requests == []
    assert (rewritten, problem.kind) == (html, "missing")


def test_private_addresses_are_refused_before_any_request(server):
    _, html, rewritten, [problem] = fetch_one(server, "image", allow_private_addresses=False)
    assert server.requests == []
    assert rewritten == html
    assert "127.0.0.1, not a public address" in problem.reason


def test_image_in_the_media_folder_is_not_fetched(server, tmp_path):
    (tmp_path / f"{ASSET}.jpg").write_bytes(jpeg())
    resolver = MediaResolver(tmp_path, fetch=True, allow_private_addresses=True)
    resolver.localise(f'<img src="{asset_url(server, "image")}">', where="post 1")
    assert server.requests == []
    assert resolver.stats.found == 1


def test_fetched_image_is_stored_without_exif_and_rewritten(server):
    resolver, html, rewritten, problems = fetch_one(server, "image")
    assert problems == []
    assert rewritten != html and "/media/imports/media/" in rewritten
    assert (resolver.stats.fetched, resolver.stats.stored) == (1, 1)


def test_a_re_run_downloads_nothing_again(server):
    """Issue 9: --fetch-media on a re-run reuses what the first run stored."""
    first, _, rewritten, _ = fetch_one(server, "image")
    assert len(server.requests) == 1
    again, _, rewritten_again, problems = fetch_one(server, "image")
    assert (rewritten_again, problems) == (rewritten, [])
    assert len(server.requests) == 1
    assert (again.stats.fetched, again.stats.reused) == (0, 1)


def test_declared_too_large_download_is_refused(server):
    _, html, rewritten, [problem] = fetch_one(server, "big")
    assert rewritten == html
    assert problem.kind == "fetch_failed"
    assert "50,001 bytes declared" in problem.reason


def test_undeclared_too_large_download_is_abandoned(server):
    _, html, rewritten, [problem] = fetch_one(server, "undeclared")
    assert rewritten == html
    assert "more than 50,000 bytes sent" in problem.reason


def test_download_that_is_not_an_image_is_refused_whatever_its_content_type(server):
    resolver, html, rewritten, [problem] = fetch_one(server, "html")
    assert rewritten == html
    assert "sent as image/jpeg" in problem.reason
    assert "not an image" in problem.reason
    assert resolver.stats.fetched == 0


def test_missing_download_is_reported_with_its_status(server):
    _, html, rewritten, [problem] = fetch_one(server, "gone")
    assert rewritten == html
    assert "HTTP 404" in problem.reason


def test_slow_server_times_out(server):
    started = time.monotonic()
    _, html, rewritten, [problem] = fetch_one(server, "slow", timeout=0.3)
    assert time.monotonic() - started < 1.4
    assert rewritten == html
    assert "timed out" in problem.reason


def test_redirect_to_an_image_is_followed(server):
    resolver, _, _, problems = fetch_one(server, "redirect")
    assert problems == []
    assert server.requests == [f"/.a/{ASSET}-redirect", f"/.a/{ASSET}-image"]


@pytest.mark.parametrize(("route", "scheme"), [("tofile", "file"), ("toftp", "ftp")])
def test_redirect_to_a_non_http_address_is_refused(server, route, scheme):
    _, html, rewritten, [problem] = fetch_one(server, route)
    assert rewritten == html
    assert f"redirected to a {scheme} address, refused" in problem.reason


def test_unreachable_host_is_given_up_after_a_few_failures():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: connections are refused
    resolver = MediaResolver(None, fetch=True, timeout=1, allow_private_addresses=True)
    problems = []
    for n in range(5):
        asset = f"6a00d8341c4e3853ef01b8d2a1b2c397{n:02d}"
        url = f"http://127.0.0.1:{port}/.a/{asset}-pi"
        problems += resolver.localise(f'<img src="{url}">', where=f"post {n}")[1]
    assert "failed 3 times already" in problems[-1].reason
    assert "fetch failed" in problems[0].reason
