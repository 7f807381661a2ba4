"""The nginx config's body caps match the app's own limits (no nginx needed)."""

import re

import pytest
from django.conf import settings

from blog import page_cache
from comments.posting import MAX_BODY_LENGTH
from tests.production.servers import NGINX_TEMPLATE

UNITS = {"": 1, "k": 1024, "m": 1024 * 1024}
# Room for the form's other fields and the multipart boundaries around a file.
FORM_OVERHEAD = 64 * 1024


def _body_caps() -> dict[str, int]:
    """`client_max_body_size` per location ("server" for the default), in bytes."""
    caps, location = {}, "server"
    for line in NGINX_TEMPLATE.read_text().splitlines():
        line = line.split("#")[0].strip()
        if opened := re.match(r"location\s+(.+?)\s*\{$", line):
            location = opened.group(1)
        elif line == "}":
            location = "server"
        elif sized := re.match(r"client_max_body_size\s+(\d+)([km]?);$", line):
            caps[location] = int(sized.group(1)) * UNITS[sized.group(2)]
    return caps


def test_comment_posts_fit_the_longest_comment_in_any_script():
    """10,000 characters of 4-byte UTF-8, each byte percent-encoded as 3 characters."""
    assert _body_caps()["server"] >= MAX_BODY_LENGTH * 4 * 3 + 2048


def test_avatar_upload_fits_the_avatar_limit():
    assert _body_caps()["= /accounts/profile/"] >= settings.AVATAR_MAX_BYTES + FORM_OVERHEAD


def test_cover_upload_fits_the_image_limit():
    cover = _body_caps()[r"~ ^/admin/blog/post/(add|[0-9]+/change)/$"]
    assert cover >= settings.IMAGE_MAX_BYTES + FORM_OVERHEAD


@pytest.mark.parametrize("header", ["X-Forwarded-For $remote_addr", "X-Forwarded-Proto $scheme"])
def test_proxy_replaces_the_forwarding_headers_a_client_sends(header):
    """One header carries the reader's address, set by nginx, never appended to."""
    assert f"proxy_set_header {header};" in NGINX_TEMPLATE.read_text()
    assert "$proxy_add_x_forwarded_for" not in NGINX_TEMPLATE.read_text()


# ─── The page micro-cache (blog/page_cache.py) ───────────────────────────────


def _directive(name: str) -> str:
    found = re.findall(rf"^\s*{name}\s+(.+?);$", NGINX_TEMPLATE.read_text(), re.MULTILINE)
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


def test_proxy_passes_by_every_reader_the_app_gives_a_page_of_their_own():
    """The cookies the app will not serve a shared page to are the ones nginx passes by."""
    assert settings.SESSION_COOKIE_NAME in page_cache.READER_COOKIES
    own = re.search(r'map "([^"]+)" \$riposte_own_page', NGINX_TEMPLATE.read_text()).group(1)
    assert own == "".join(f"$cookie_{name}" for name in page_cache.READER_COOKIES)
    assert "$riposte_own_page" in _directive("proxy_cache_bypass").split()
    assert "$riposte_own_page" in _directive("proxy_no_cache").split()
    assert f"$cookie_{page_cache.FRESH_COOKIE}" in _directive("proxy_cache_bypass").split()


def test_proxy_keys_pages_on_the_cookies_that_choose_a_variant():
    key = _directive("proxy_cache_key")
    assert all(f"$cookie_{name}" in key for name in page_cache.PAGE_VARIANT_COOKIES)
    assert "$request_uri" in key and "$http_host" in key


def test_proxy_keeps_only_what_the_app_marks():
    """Cache-Control is not read (so the page's `no-cache` is for browsers alone): a
    `proxy_cache_valid` would then keep answers the app says are never to be kept."""
    assert not re.search(r"^\s*proxy_cache_valid\b", NGINX_TEMPLATE.read_text(), re.MULTILINE)
    assert "Set-Cookie" not in _directive("proxy_ignore_headers")
    assert "X-Accel-Expires" not in _directive("proxy_ignore_headers")
