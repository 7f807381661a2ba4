"""Conditional GET for small public documents (feeds, sitemap, robots.txt, identicons).

These are cheap to build, so they are built on every request; what a client, a
proxy or a CDN saves is the transfer. The ETag is a hash of the bytes, so it
changes exactly when they do. Last-Modified is the second this address first
served those bytes (kept in the cache), and always later than the one before
it: a post taken down or a comment removed changes it too, which the newest
item's date would not. With the cache unavailable it is the current second, so
an If-Modified-Since from any earlier second is answered in full.

Answers without a Cache-Control of their own get `no-cache`: a proxy or CDN may
keep them but asks again each time (a 304 is cheap), and never guesses a
lifetime from Last-Modified.
"""

import hashlib
import time
from functools import wraps

from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

# How long an address's "first served" record is kept; afterwards it starts again.
FIRST_SERVED_SECONDS = 30 * 24 * 3600


def first_served_at(address: str, etag: str) -> int:
    """The second `address` first served the content tagged `etag`, later than any before it."""
    key = f"first-served:{hashlib.sha256(address.encode()).hexdigest()[:32]}"
    known = cache.get(key)
    if known is not None and known[0] == etag:
        return known[1]
    now = int(time.time())
    # A change within the same second still gets a later date than the content it replaced.
    seconds = max(now, known[1] + 1) if known is not None else now
    cache.set(key, (etag, seconds), FIRST_SERVED_SECONDS)
    return seconds


def with_validators(request, response, *, is_private: bool = False):
    """Add ETag and Last-Modified to a complete 200 answer; 304 when the client has it already.

    `is_private`: the answer is one reader's (kept by their browser, never a shared cache).
    """
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
        return response
    if not getattr(response, "is_rendered", True):
        response.render()  # a TemplateResponse (the sitemap): the bytes are what is tagged
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    last_modified = first_served_at(request.build_absolute_uri(), etag)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    if is_private:
        patch_cache_control(response, private=True, no_cache=True)
    elif not response.has_header("Cache-Control"):
        patch_cache_control(response, no_cache=True)
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )


def conditional(view):
    """Decorate a view with `with_validators`."""

    @wraps(view)
    def answered(request, *args, **kwargs):
        return with_validators(request, view(request, *args, **kwargs))

    return answered
