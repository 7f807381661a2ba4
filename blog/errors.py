"""Error pages in the site's layout: 400, 403, CSRF failures, 405 and 500 (404 is Django's).

Django's own handlers render 400 and 500 without a request (so without the layout's
context) and CSRF failures as a bare page; these give every refusal the site's
header and footer, the reason a reader can act on, and back whatever they typed in
the refused form's `body` field, so a comment is never lost to an error.
"""

import logging
import sys

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.middleware import csrf
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

# What a reader can do about each CSRF refusal; the rest means "the page was stale".
CSRF_ADVICE = {
    csrf.REASON_NO_CSRF_COOKIE: (
        "Your browser did not send this site's security cookie. Allow cookies for this "
        "site, reload the page the form was on, and send it again."
    ),
    csrf.REASON_NO_REFERER: (
        "Your browser did not say which page the form came from. Allow it to send the "
        "referring page to this site, reload the form's page, and send it again."
    ),
}
CSRF_DEFAULT_ADVICE = (
    "The page the form was on had expired: this happens when it stays open for a long "
    "time, or after signing in or out in another tab. Reload that page and send it again."
)


def kept_text(request) -> str:
    """The text a reader typed into a refused form (its `body` field), to show it back."""
    if request.method != "POST":
        return ""
    try:
        return request.POST.get("body", "")
    except (SuspiciousOperation, MultiPartParserError, UnreadablePostError):
        # An unreadable or oversized body: there is nothing to give back.
        return ""


@requires_csrf_token
def bad_request(request, exception=None):
    """400: the request could not be understood (bad host, malformed form data).

    A `BadRequest` raised by our own code says what was wrong, so its message is shown;
    Django's other `SuspiciousOperation`s may name internals and are not.
    """
    reason = str(exception) if type(exception) is BadRequest else ""
    context = {"reason": reason, "kept_text": kept_text(request)}
    return render(request, "400.html", context, status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    """403: the view refused; its PermissionDenied message says why."""
    context = {"reason": str(exception or ""), "kept_text": kept_text(request)}
    return render(request, "403.html", context, status=403)


def csrf_failure(request, reason=""):
    """403 when a form's CSRF check fails (settings.CSRF_FAILURE_VIEW)."""
    context = {
        "advice": CSRF_ADVICE.get(reason, CSRF_DEFAULT_ADVICE),
        "kept_text": kept_text(request),
    }
    return render(request, "403_csrf.html", context, status=403)


# Seconds a reader (or a proxy) is asked to wait before trying again after a 503.
DATABASE_RETRY_AFTER = 10


def database_unavailable_page(request) -> HttpResponse:
    """503 with Retry-After: the database cannot be reached (restarting, down, overloaded)."""
    page = loader.get_template("503.html").render(
        {"static_url": settings.STATIC_URL, "kept_text": kept_text(request)}
    )
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


@requires_csrf_token
def server_error(request):
    """500 in the layout; if the layout itself fails, a self-contained page.

    An error reaching the database (issue 12: PostgreSQL restarting or stopped) is
    no bug of the page: it answers 503 with Retry-After, logged as a warning.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        logger.warning("Database unavailable, answered 503: %s", error)
        return database_unavailable_page(request)
    try:
        return render(request, "500.html", {"kept_text": kept_text(request)}, status=500)
    except Exception:
        logger.exception("The 500 page could not be rendered in the layout")
    page = loader.get_template("500_standalone.html").render({"static_url": settings.STATIC_URL})
    return HttpResponse(page, status=500)


class MethodNotAllowedPage:
    """Middleware: the empty 405 of `@require_POST` and its kind becomes a page in the layout.

    Readers meet it when a sign-in sends them back to a form's address with a GET.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page
