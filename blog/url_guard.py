"""Addresses no page can have: refused before any view, converter or query sees them."""

from django.http import Http404


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
        return self.get_response(request)
