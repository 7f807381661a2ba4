"""Addresses no page can have: refused before any view, converter or query sees them."""

from django.core.exceptions import BadRequest
from django.http import Http404
from django.urls import reverse


class RefuseNulInPathMiddleware:
    """A path with a NUL character (`%00`) names no page: 404.

    PostgreSQL refuses NUL in text, so a NUL that reached a lookup (a username,
    a token) would end as a 500. Checked once here rather than in every
    converter and view, so a URL pattern added later is covered too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("No page has this address.")
        if request.path_info.startswith(reverse("admin:index")) and _has_nul(request.GET):
            # The admin's list filters pass query values straight into lookups. Public
            # pages validate their few parameters in forms and say so in the page.
            raise BadRequest("A NUL character (%00) is not allowed in a filter or search.")
        return self.get_response(request)


def _has_nul(query) -> bool:
    return any("\x00" in value for _, values in query.lists() for value in values)
