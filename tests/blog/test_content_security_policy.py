"""The Content-Security-Policy header on every response, and pages it can hold to (issue 8).

The policy forbids inline scripts and styles, so no page of ours may carry any: each
page is also read for <script> without src, <style>, style="" and on…="" attributes.
The browser test (tests/e2e/test_csp.py) checks that nothing is blocked in practice.
"""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from accounts.notifications import unsubscribe_token
from tests.factories import CommentFactory, PostFactory, TagFactory, UserFactory

# Data blocks are never executed, so the policy does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
REQUIRED_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)


class _InlineCode(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") not in DATA_SCRIPT_TYPES:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")


def inline_code(html: str) -> list[str]:
    """Inline scripts, styles and event handlers the policy would block."""
    parser = _InlineCode()
    parser.feed(html)
    return parser.found


def assert_strict_policy(response) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    for directive in REQUIRED_DIRECTIVES:
        assert directive in policy, (response.wsgi_request.path, policy)
    assert "unsafe-inline" not in policy
    assert "nonce-" not in policy, "public pages must not need a nonce (shared page cache)"


def _named_urls(patterns=None, namespace=""):
    """Every named URL of the site outside the admin, as (name, pattern)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from _named_urls(pattern.url_patterns, prefix)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", pattern


@pytest.fixture
def site(db):
    """One of everything a URL can name."""
    tag = TagFactory(slug="housing")
    author = UserFactory(username="ada", is_staff=True, is_superuser=True)
    post = PostFactory(slug="budget-vote", author=author, tags=[tag])
    comment = CommentFactory(post=post, author=UserFactory(username="otto"))
    day = post.get_absolute_url().strip("/").split("/")[:3]
    date = {"year": int(day[0]), "month": int(day[1]), "day": int(day[2])}
    return {
        "user": author,
        "kwargs": {
            "accounts:email-confirm": {"token": "no-such-token"},
            "accounts:guest-name-keep": {"token": "no-such-token"},
            "accounts:password-reset-confirm": {"uidb64": "MQ", "token": "set-password"},
            "accounts:unsubscribe": {"token": unsubscribe_token(author, "replies")},
            "accounts:post-subscribe": {"post_id": post.pk},
            "accounts:replies-feed": {"token": "no-such-token"},
            "accounts:profile": {"username": "otto"},
            "accounts:avatar-generated": {"username": "otto", "size": 48},
            "comments:post": {"post_id": post.pk},
            "comments:write": {"post_id": post.pk},
            "comments:close": {"post_id": post.pk},
            "comments:reopen": {"post_id": post.pk},
            "comments:post-feed": {"post_id": post.pk},
            "comments:post-feed-atom": {"post_id": post.pk},
            "comments:since": {"post_id": post.pk, "number": 0},
            "imports:comment-link": {"post_id": post.pk},
            **{
                f"comments:{name}": {"post_id": post.pk, "number": comment.number}
                for name in ("reply", "edit", "delete", "history", "flag", "moderate")
            },
            "comments:permalink": {**date, "slug": post.slug, "number": comment.number},
            "blog:archive-year": {"year": date["year"]},
            "blog:archive-month": {"year": date["year"], "month": date["month"]},
            "blog:post-detail": {**date, "slug": post.slug},
            "blog:post-preview": {"pk": post.pk},
            "blog:tag-detail": {"slug": tag.slug},
            "blog:tag-feed": {"slug": tag.slug},
            "blog:tag-feed-atom": {"slug": tag.slug},
            "blog:category-detail": {"slug": post.category.slug},
            "blog:category-feed": {"slug": post.category.slug},
            "blog:category-feed-atom": {"slug": post.category.slug},
            "blog:author-detail": {"username": "ada"},
        },
    }


HEALTH_PROBES = {"healthz", "readyz"}


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "superuser"])
def test_every_page_sends_the_strict_policy_and_holds_to_it(site, signed_in):
    client = Client()
    if signed_in:
        client.force_login(site["user"])
    for name, pattern in _named_urls():
        if pattern.pattern.regex.groupindex and name not in site["kwargs"]:
            pytest.fail(f"add sample arguments for {name} to this test")
        response = client.get(reverse(name, kwargs=site["kwargs"].get(name)))
        if name in HEALTH_PROBES:
            # JSON for load balancers, answered before any other middleware (blog/health.py).
            assert response["Content-Type"].startswith("application/json"), name
            continue
        assert_strict_policy(response)
        if response["Content-Type"].startswith("text/html"):
            assert inline_code(response.content.decode()) == [], name


def test_cached_anonymous_post_page_sends_the_policy(site):
    url = reverse("blog:post-detail", kwargs=site["kwargs"]["blog:post-detail"])
    Client().get(url)
    cached = Client().get(url)
    assert_strict_policy(cached)
    assert b"nonce" not in cached.content, "a nonce in shared bytes would be every reader's"


def test_error_pages_send_the_policy(db):
    assert_strict_policy(Client().get("/no/such/page/"))
    refused = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {})
    assert refused.status_code == 403
    assert_strict_policy(refused)


def test_admin_pages_send_the_policy_without_inline_code(site):
    """Django 5.2's admin needs no inline code: it holds to the same policy, unrelaxed."""
    client = Client()
    client.force_login(site["user"])
    post_id = site["kwargs"]["comments:post"]["post_id"]
    urls = [reverse("admin:index"), reverse("admin:blog_post_change", args=[post_id])]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
    for url in urls:
        response = client.get(url)
        assert_strict_policy(response)
        if response.status_code != 403:  # models nobody adds by hand (comments, records)
            assert response.status_code == 200, url
            assert inline_code(response.content.decode()) == [], url


def test_templates_carry_no_inline_scripts_or_styles():
    """Error pages rendered without a request are not reached above; read every template."""
    offenders = {
        str(path.relative_to(settings.BASE_DIR)): found
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if (found := inline_code(path.read_text()))
    }
    assert offenders == {}
