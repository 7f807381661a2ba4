"""Whole-page cache of post pages for anonymous readers.

Only readers without a session get cached pages, so no one's name, edit links
or moderator controls can reach another reader. The two per-request values in
an anonymous page (the CSRF token, the comment form's submission token and its
"served at" stamp) are
stored as markers and filled in on every hit. Any change to the post, to its
comments, or to any comment on the site (the sidebar lists recent ones) changes
the key; the short lifetime covers the rest of the sidebar (archive counts).
"""

import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

from blog.counters import bump_counter
from comments.moderation.screening import form_stamp
from comments.rendering import THREAD_SLOT_BYTES

SITE_COMMENTS_KEY = "comments:site-version"
_CSRF_MARKER = b"\x00riposte-csrf\x00"
_TOKEN_MARKER = b"\x00riposte-submission\x00"
_STAMP_MARKER = b"\x00riposte-stamp\x00"
_CSRF_INPUT_RE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*"')


def site_comments_version() -> int:
    return cache.get(SITE_COMMENTS_KEY, 0)


def bump_site_comments_version() -> None:
    """Some comment changed somewhere: every cached page's sidebar may be stale."""
    bump_counter(SITE_COMMENTS_KEY)


def is_cacheable(request) -> bool:
    """Anonymous GETs without a session or pending messages, and only those."""
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and settings.RIPOSTE_PAGE_CACHE_SECONDS > 0
    )


def page_key(post, *, view: str, page: str | None) -> str:
    page = page if page and page.isdigit() and len(page) < 7 else "1"
    return (
        f"post-page:{post.pk}:{post.updated_at.timestamp():.0f}:{post.comments_version}:"
        f"{post.last_comment_number}:{site_comments_version()}:{view}:{page}"
    )


def load(request, key: str) -> HttpResponse | None:
    """The cached page with this request's tokens, or None."""
    content = cache.get(key)
    if content is None:
        return None
    content = (
        content.replace(_CSRF_MARKER, get_token(request).encode())
        .replace(_TOKEN_MARKER, str(uuid.uuid4()).encode())
        .replace(_STAMP_MARKER, form_stamp().encode())
    )
    return HttpResponse(content)


def store(request, key: str, page: bytes, *, thread: bytes, submission_token, stamp=None) -> None:
    """Keep an anonymous page: `page` is rendered without its comment thread, which
    is spliced in after the per-request tokens became markers (a small page to scan)."""
    # get_token() masks the secret afresh on each call: find the values actually printed.
    page = _CSRF_INPUT_RE.sub(rb"\g<1>" + _CSRF_MARKER + rb'"', page)
    if submission_token:
        page = page.replace(str(submission_token).encode(), _TOKEN_MARKER)
    if stamp:
        # The guests' "form served at" stamp must be as fresh as the request.
        page = page.replace(str(stamp).encode(), _STAMP_MARKER)
    content = page.replace(THREAD_SLOT_BYTES, thread, 1)
    cache.set(key, content, settings.RIPOSTE_PAGE_CACHE_SECONDS)
