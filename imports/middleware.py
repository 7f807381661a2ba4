"""Old addresses of an imported blog answer 301 with the page they became.

Only requests that would otherwise get a 404 are looked up, so the site's own
pages cost nothing extra. `?cid=…` (Typepad), `?replytocom=…` (WordPress) and
`…/comment-page-N/` (WordPress) on an old post address land on the comment,
or on the post when the comment is unknown. Fragments (`#comment-…`) never
reach the server; the post is the best we can do for those.
"""

import re
from urllib.parse import unquote

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

from blog.models import Post
from imports.models import ImportedComment, OldUrl, normalise_path

COMMENT_PARAMETERS = ("cid", "replytocom", "comment_id", "dsq")
_COMMENT_PAGE_RE = re.compile(r"/comment-page-\d+$")


class OldUrlRedirectMiddleware:
    """Turn a 404 on an old address of an imported post into a 301 to its new page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        target = old_url_target(request.path, request.GET)
        return HttpResponsePermanentRedirect(target) if target else response


def old_url_target(path: str, query) -> str | None:
    """Where an old address (path plus query parameters) now leads, or None."""
    normalised = normalise_path(path)
    candidates = [normalised, _COMMENT_PAGE_RE.sub("", normalised) or "/"]
    old = (
        OldUrl.objects.filter(path__in=candidates)
        .select_related("post", "comment", "comment__post")
        .first()
    )
    if old is None:
        return _comment_page_of_a_post(normalised)
    if not old.post.is_live:
        return None
    for parameter in COMMENT_PARAMETERS:
        value = (query.get(parameter) or "").strip()
        if value:
            imported = (
                ImportedComment.objects.filter(post=old.post, source_id=value[:200])
                .select_related("comment__post")
                .first()
            )
            if imported is not None:
                return imported.comment.get_absolute_url()
    return old.get_absolute_url()


def _comment_page_of_a_post(normalised: str) -> str | None:
    """WordPress's `<post>/comment-page-N/` when the post kept its address: the post."""
    stripped = _COMMENT_PAGE_RE.sub("", normalised)
    if stripped == normalised:
        return None
    try:
        match = resolve(unquote(stripped) + "/")
    except Resolver404:
        return None
    if match.view_name != "blog:post-detail":
        return None
    post = Post.objects.published().filter(slug=match.kwargs["slug"]).first()
    return post.get_absolute_url() if post else None
