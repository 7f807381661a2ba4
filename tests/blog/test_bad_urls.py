"""Hostile addresses: a NUL in any URL parameter is a 404, never a 500 (issue 8)."""

import re

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from django.urls.resolvers import RoutePattern, URLResolver

pytestmark = pytest.mark.django_db

NUL_VALUE = "a%00b"
_ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?\w+>")
# A named group of a regex pattern, with any nesting one level deep.
_REGEX_GROUP = re.compile(r"\(\?P<\w+>(?:[^()]|\([^()]*\))*\)")


def _with_nul(pattern) -> str:
    """The pattern's text with every parameter replaced by a value containing NUL."""
    if isinstance(pattern, RoutePattern):
        return _ROUTE_PARAMETER.sub(NUL_VALUE, str(pattern))
    text = _REGEX_GROUP.sub(NUL_VALUE, pattern.regex.pattern)
    return text.removeprefix("^").removesuffix("$").replace("\\", "").replace(r"\Z", "")


def _every_pattern(resolver=None, prefix: str = ""):
    """(name, path with NUL in each parameter) for every URL pattern that takes a parameter."""
    for entry in (resolver or get_resolver()).url_patterns:
        path = prefix + _with_nul(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _every_pattern(entry, path)
        elif NUL_VALUE in path:
            yield entry.name or entry.lookup_str, "/" + path


PATTERNS = sorted(set(_every_pattern()))


def test_the_walk_finds_the_patterns_named_in_the_issue():
    paths = {path for _, path in PATTERNS}
    assert "/accounts/people/a%00b/" in paths
    assert "/authors/a%00b/" in paths
    assert "/accounts/people/a%00b/avatar-a%00b.png" in paths
    assert "/accounts/replies/feed/a%00b/" in paths
    assert len(PATTERNS) > 40  # the admin's patterns too


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/people/a%00b/",
        "/authors/a%00b/",
        "/accounts/people/a%00/avatar-48.png",
        "/accounts/replies/feed/a%00/",
    ],
)
def test_nul_in_the_paths_from_the_issue_is_404(client, path):
    """Issue 8: each of these answered 500 (PostgreSQL refuses NUL in text)."""
    client.raise_request_exception = False
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_nul_in_any_url_parameter_is_404_for_anyone(client, superuser, method):
    """Issue 8: every URL pattern, each parameter holding NUL, as the most privileged user."""
    client.force_login(superuser)
    client.raise_request_exception = False
    answers = {path: getattr(client, method)(path).status_code for _, path in PATTERNS}
    assert {path: status for path, status in answers.items() if status != 404} == {}


@pytest.mark.django_db
def test_nul_in_an_admin_filter_is_400_for_every_changelist(django_user_model):
    """Admin list filters pass query values into lookups; a NUL there was a 500."""
    from django.contrib import admin

    superuser = django_user_model.objects.create_superuser("nul-admin", "nul@example.com", "x")
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    for model in admin.site._registry:
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for field in [f.name for f in model._meta.concrete_fields][:6]:
            response = client.get(f"{changelist}?{field}=a%00b")
            assert response.status_code == 400, (changelist, field, response.status_code)
            assert "NUL character" in response.content.decode()
