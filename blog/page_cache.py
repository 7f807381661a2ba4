"""Whole pages for anonymous readers, served without touching the database.

A page for anonymous readers holds nothing that belongs to one reader: no CSRF
token, no submission token, no stamp (the comment form fetches those when the
reader starts writing), no name. So its bytes are the same for every anonymous
reader and are kept whole, gzipped once, with the headers the middleware gave
them. `AnonymousPageMiddleware`, first in the stack, answers a hit before anything
else runs: two cache reads (the page, and the version counter of the post it
shows) and no per-request work; the answer carries an ETag, so browsers and
proxies revalidate with a 304.

Only readers without a session or pending messages are served from here or
stored, so no one's controls or messages can reach another reader. The key is
the host, the full path and the cookies that choose a variant of the page
(PAGE_VARIANT_COOKIES). A change to the post or its comments bumps the post's
version (blog.cache_keys); the short lifetime covers the rest of the page (the
sidebar's archive and recent comments). With the page cache off (the default
without Redis) the same pages are rendered each time but still carry an ETag of
their bytes and answer 304 (`validate`), so browsers, proxies and CDNs revalidate.

A reverse proxy may keep these pages too (deploy/nginx/riposte.conf.template): a
page answered from here with no cookie of its own says `X-Accel-Expires:
RIPOSTE_PROXY_CACHE_SECONDS`, and nothing else the app answers does. The proxy
keys it as this cache does and passes by anyone with a session or a message, so
what it keeps is what this cache would answer them. A reader who has just sent a
form gets a short-lived FRESH_COOKIE, which the proxy passes by too: the writer
sees their comment at once, and their visit refreshes the proxy's copy for others.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import get_conditional_response
from isal import igzip

from blog import cache_keys

# Cookies that choose what an anonymous page shows (comments.section.VIEW_COOKIE).
PAGE_VARIANT_COOKIES = ("comment_view",)
# Cookies of a reader whose pages are their own: never served from here, nor by the proxy.
READER_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# Set on the answer to a form sent: the proxy passes by its holder while it lasts.
FRESH_COOKIE = "riposte_fresh"


@dataclass(frozen=True)
class CachedPage:
    post_id: int
    version: int | None  # the post's version counter when the page was rendered
    etag: str
    headers: tuple  # (name, value) of the answer as the middleware stack left it
    gzipped: bytes
    cookies: tuple  # (name, value, max_age) the page sets for everyone, e.g. a chosen view


def seconds() -> int:
    return settings.RIPOSTE_PAGE_CACHE_SECONDS


def proxy_seconds() -> int:
    """How long a proxy may keep a shared page; it keeps only pages kept here."""
    return settings.RIPOSTE_PROXY_CACHE_SECONDS if seconds() > 0 else 0


def is_shared(request) -> bool:
    """Anonymous GETs without a session or pending messages: their pages are everyone's."""
    return request.method in ("GET", "HEAD") and not any(
        name in request.COOKIES for name in READER_COOKIES
    )


def is_cacheable(request) -> bool:
    """Shared requests (`is_shared`) while the page cache is on, and only those."""
    return is_shared(request) and seconds() > 0


def offer(response, *, post_id: int, version: int | None) -> None:
    """Mark a page rendered for an anonymous reader as the one every anonymous reader may
    get; the middleware keeps it on the way out. `version` is the post's counter read
    before rendering: a change while the page was rendered leaves it stale at once."""
    response.anonymous_page = (post_id, version)


def _key(request) -> str:
    variant = "|".join(request.COOKIES.get(name, "") for name in PAGE_VARIANT_COOKIES)
    return cache_keys.anonymous_page(
        host=request.get_host(), full_path=request.get_full_path(), variant=variant
    )


def load(request) -> HttpResponse | None:
    """The page as stored for every anonymous reader, or None when missing or stale."""
    entry = cache.get(_key(request))
    if entry is None or entry.version != cache_keys.post_version(entry.post_id):
        return None
    return _answer(request, entry)


def store(request, response) -> HttpResponse:
    """Keep an offered page, headers and all; answer with it as every later hit will.

    Refused (answered as it is) when it sets any cookie but a variant's, such as a
    CSRF cookie: such a page belongs to one reader.
    """
    post_id, version = response.anonymous_page
    if response.status_code != 200 or set(response.cookies) - set(PAGE_VARIANT_COOKIES):
        return response
    content = response.content
    # Paid by the reader whose visit renders the page. ISA-L's gzip (isal) at level 2
    # makes what zlib's fastest level makes (two thirds of level 6's saving) in a
    # quarter of its time: about 4 ms for the 2 MB page of 1,000 comments, not 17.
    gzipped = igzip.compress(content, compresslevel=2, mtime=0)
    entry = CachedPage(
        post_id=post_id,
        version=version,
        # The compressed bytes change whenever the page does, and are a sixth of its size.
        etag=f'"{cache_keys.content_digest(gzipped)}"',
        headers=tuple(
            (name, value)
            for name, value in response.items()
            if name.lower() not in ("content-length", "vary", "cache-control", "etag")
        ),
        gzipped=gzipped,
        cookies=tuple(
            (name, morsel.value, morsel["max-age"]) for name, morsel in response.cookies.items()
        ),
    )
    cache.set(_key(request), entry, seconds())
    return _answer(request, entry, content=content)


def validate(request, response) -> HttpResponse:
    """With the page cache off, an offered page still answers an ETag of its bytes, and a
    304 to a reader (or a proxy, or a CDN) that has them: rendered all the same, but not
    sent again. A page that sets a cookie is answered as it is."""
    if response.status_code != 200 or response.cookies:
        return response
    etag = f'"{cache_keys.content_digest(response.content)}"'
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    return get_conditional_response(request, etag=etag, response=response)


def _answer(request, entry: CachedPage, *, content: bytes | None = None) -> HttpResponse:
    if request.headers.get("If-None-Match") == entry.etag:
        response = HttpResponseNotModified()
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(entry.gzipped)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(content if content is not None else igzip.decompress(entry.gzipped))
    for name, value in entry.headers:
        response[name] = value
    response["ETag"] = entry.etag
    # Shared caches may keep it, but must ask again each time (a 304 costs no query).
    response["Cache-Control"] = "public, no-cache"
    response["Vary"] = "Cookie, Accept-Encoding"
    for name, value, max_age in entry.cookies:
        response.set_cookie(name, value, max_age=max_age or None, samesite="Lax", httponly=True)
    if not entry.cookies and proxy_seconds() > 0:
        # The same answer for everyone without a session: a proxy may keep it this long.
        response["X-Accel-Expires"] = str(proxy_seconds())
    return response


class AnonymousPageMiddleware:
    """First in the stack: answers an anonymous reader from the page cache before anything
    else runs (sessions, CSRF, authentication, the URL resolver, the view), so a hit costs
    two cache reads; on the way out, keeps the pages views offered (`offer`) whole, with
    the headers the rest of the stack gave them, and marks the writer of a form sent
    (FRESH_COOKIE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cacheable = is_cacheable(request)
        if cacheable and (cached := load(request)) is not None:
            return cached
        response = self.get_response(request)
        if cacheable and hasattr(response, "anonymous_page"):
            return store(request, response)
        if is_shared(request) and hasattr(response, "anonymous_page"):
            return validate(request, response)
        if request.method == "POST" and response.status_code in (302, 303) and proxy_seconds():
            # A form was sent and taken: the next pages must show what it changed.
            response.set_cookie(
                FRESH_COOKIE, "1", max_age=proxy_seconds(), samesite="Lax", httponly=True
            )
        return response
