"""Old per-comment links only a browser sees: `#comment-123` after an old post address.

A fragment never reaches the server, so an old address (imports/middleware.py) lands
on the post. On the post page, static/js/old-comment-links.js sends a `#comment-…`
that names no element here to `comment_link`, which answers with the comment the old
blog (WordPress, Disqus) gave that id, or with the post when it knows none.
"""

from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET

from blog.models import Post
from imports.models import ImportedComment

SOURCE_ID_MAX = ImportedComment._meta.get_field("source_id").max_length


@require_GET
def comment_link(request, post_id: int):
    """Redirect to the comment the old blog knew as `?id=`, else to the post."""
    post = get_object_or_404(Post.objects.published(), pk=post_id)
    source_id = request.GET.get("id", "").strip()
    if not source_id or len(source_id) > SOURCE_ID_MAX:
        # The site's 400 page, in the layout, shows this reason (blog/errors.py).
        raise BadRequest(
            f"Give the old comment's id as ?id=… (at most {SOURCE_ID_MAX} characters)."
        )
    imported = (
        ImportedComment.objects.filter(post=post, source_id=source_id)
        .select_related("comment__post")
        .first()
    )
    return redirect(imported.comment.get_absolute_url() if imported else post.get_absolute_url())
