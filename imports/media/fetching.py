"""Downloading an image the media folder lacks, only when the owner asked (`--fetch-media`).

Plain HTTP(S) through urllib, with no handler for any other scheme (no `file:`, no
`ftp:`, not even through a redirect). Every network wait is bounded by the timeout and
the whole download by three times it; the body is read in chunks and abandoned past
the size limit. What arrives is not trusted to be an image because of its
Content-Type: the image pipeline decodes it.

An export names the addresses, so it must not reach the importing server's own network:
a connection whose peer is not a public address (loopback, private, link-local…) is
closed before any request is sent, redirects included. For that check to see the real
host, proxies from the environment are not used.
"""

from __future__ import annotations

import http.client
import ipaddress
import time
import urllib.request
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit

USER_AGENT = "Riposte-importer/1.0 (bringing a blog's own images home)"
CHUNK_BYTES = 64 * 1024
MAX_REDIRECTS = 5
FETCHABLE_SCHEMES = ("http", "https")


class FetchFailed(Exception):
    """A download that did not give us bytes; the message says why, for the report.

    `host_unreachable` marks failures that say nothing about the file but much about
    the host (timeouts, refused connections, unknown names).
    """

    def __init__(self, message: str, *, host_unreachable: bool = False):
        super().__init__(message)
        self.host_unreachable = host_unreachable


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a few redirects, and only to http(s) addresses."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("Location") or headers.get("URI") or ""
        scheme = urlsplit(urljoin(req.full_url, location)).scheme.lower()
        if scheme not in FETCHABLE_SCHEMES:
            fp.close()
            raise FetchFailed(f"redirected to a {scheme} address, refused")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


class _PublicOnly:
    """Connection mixin: refuse a peer that is not a public address, before any request."""

    def connect(self):
        super().connect()
        peer = self.sock.getpeername()[0]
        if not ipaddress.ip_address(peer.split("%")[0]).is_global:
            self.close()
            raise FetchFailed(f"{self.host} is at {peer}, not a public address; refused")


class _PublicHTTPConnection(_PublicOnly, http.client.HTTPConnection):
    pass


class _PublicHTTPSConnection(_PublicOnly, http.client.HTTPSConnection):
    pass


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)


def _opener(*, allow_private: bool) -> urllib.request.OpenerDirector:
    """An opener that speaks HTTP(S) only, to public addresses unless told otherwise."""
    opener = urllib.request.OpenerDirector()
    http_handler, https_handler = (
        (urllib.request.HTTPHandler(), urllib.request.HTTPSHandler())
        if allow_private
        else (_PublicHTTPHandler(), _PublicHTTPSHandler())
    )
    for handler in (
        http_handler,
        https_handler,
        _HttpOnlyRedirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def fetch(
    url: str, *, timeout: float, max_bytes: int, allow_private: bool = False
) -> tuple[bytes, str]:
    """The body and Content-Type at `url`; FetchFailed when any limit or the server says no.

    `allow_private` lets loopback and private addresses through (tests, intranets).
    """
    if url.startswith("//"):
        url = "http:" + url
    parts = urlsplit(url)
    if parts.scheme.lower() not in FETCHABLE_SCHEMES or not parts.hostname:
        raise FetchFailed("not an http(s) address with a host")
    # The scheme is checked just above, and the opener has no handler for any other.
    request = urllib.request.Request(  # noqa: S310
        url, headers={"User-Agent": USER_AGENT, "Accept": "image/*"}
    )
    deadline = time.monotonic() + 3 * timeout
    try:
        with _opener(allow_private=allow_private).open(request, timeout=timeout) as response:
            content_type = response.headers.get("Content-Type", "")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchFailed(f"{_megabytes(int(declared))} declared; {_limit(max_bytes)}")
            chunks, received = [], 0
            while chunk := response.read(CHUNK_BYTES):
                received += len(chunk)
                if received > max_bytes:
                    raise FetchFailed(
                        f"more than {_megabytes(max_bytes)} sent; {_limit(max_bytes)}"
                    )
                if time.monotonic() > deadline:
                    raise FetchFailed(f"took longer than {3 * timeout:g} s", host_unreachable=True)
                chunks.append(chunk)
    except HTTPError as error:
        error.close()
        raise FetchFailed(f"HTTP {error.code} {error.reason}".strip()) from error
    except URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise FetchFailed(f"timed out after {timeout:g} s", host_unreachable=True) from error
        raise FetchFailed(str(reason), host_unreachable=isinstance(reason, OSError)) from error
    except TimeoutError as error:
        raise FetchFailed(f"timed out after {timeout:g} s", host_unreachable=True) from error
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise FetchFailed(f"{type(error).__name__}: {error}", host_unreachable=True) from error
    return b"".join(chunks), content_type


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size:,} bytes"


def _limit(max_bytes: int) -> str:
    return f"the limit is {_megabytes(max_bytes)}"
