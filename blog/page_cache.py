"""Whole pages for anonymous readers, served without touching the database.

A page for anonymous readers holds nothing that belongs to one reader: no CSRF
token, no submission token, no stamp (the comment form fetches those when the
reader starts writing), no name. So its bytes are the same for every anonymous
reader and are kept whole, gzipped once. A hit is two cache reads (the page, and
the version counter of the post it shows) and no per-request work; the answer
carries an ETag, so browsers and proxies revalidate with a 304.

Only readers without a session or pending messages are served from here or
stored, so no one's controls or messages can reach another reader. A change to
the post or its comments bumps the post's version (blog.cache_keys); the short
lifetime covers the rest of the page (the sidebar's archive and recent comments).
"""

import gzip
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from blog import cache_keys


@dataclass(frozen=True)
class CachedPage:
    post_id: int
    version: int | None  # the post's version counter when the page was rendered
    etag: str
    content_type: str
    content: bytes
    gzipped: bytes


def seconds() -> int:
    return getattr(settings, "RIPOSTE_PAGE_CACHE_SECONDS", 60)


def is_cacheable(request) -> bool:
    """Anonymous GETs without a session or pending messages, and only those."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and seconds() > 0
    )


def _key(request, variant: str) -> str:
    return cache_keys.anonymous_page(
        host=request.get_host(), full_path=request.get_full_path(), variant=variant
    )


def load(request, *, variant: str) -> HttpResponse | None:
    """The page as stored for every anonymous reader, or None when missing or stale."""
    entry = cache.get(_key(request, variant))
    if entry is None or entry.version != cache_keys.post_version(entry.post_id):
        return None
    return _answer(request, entry)


def store(request, response, *, variant: str, post_id: int, version: int | None) -> HttpResponse:
    """Keep a rendered anonymous page; answer with it as every later hit will.

    `version` is the post's counter read before rendering: a change while the page
    was being rendered leaves the entry stale at once, never stale under a new version.
    """
    content = response.content
    entry = CachedPage(
        post_id=post_id,
        version=version,
        etag=f'"{cache_keys.content_digest(content)}"',
        content_type=response["Content-Type"],
        content=content,
        gzipped=gzip.compress(content, compresslevel=6, mtime=0),
    )
    cache.set(_key(request, variant), entry, seconds())
    return _answer(request, entry)


def _answer(request, entry: CachedPage) -> HttpResponse:
    if request.headers.get("If-None-Match") == entry.etag:
        response = HttpResponseNotModified()
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(entry.gzipped, content_type=entry.content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(entry.content, content_type=entry.content_type)
    response["ETag"] = entry.etag
    # Shared caches may keep it, but must ask again each time (a 304 costs no query).
    response["Cache-Control"] = "public, no-cache"
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    return response
