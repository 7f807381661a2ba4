"""Everything the post page needs for its comment section, gathered in one place."""

from django.conf import settings
from django.db.models import Count, Q
from django.middleware.csrf import get_token

from accounts.notifications import is_following
from blog.models import Post
from comments import rendering
from comments.forms import CommentForm
from comments.models import Comment, ThreadVisit
from comments.moderation.permissions import can_ban, can_close, can_moderate
from comments.posting import comments_closed_by_age, comments_closed_reason

VIEW_COOKIE = "comment_view"


def chosen_view(request) -> str:
    """The reader's view: ?view= when given, else the remembered cookie, else threaded."""
    wanted = request.GET.get("view") or request.COOKIES.get(VIEW_COOKIE)
    return wanted if wanted in rendering.VIEWS else rendering.THREADED


def remember_view(request, response) -> None:
    """Keep an explicitly chosen view in a cookie for a year."""
    wanted = request.GET.get("view")
    if wanted in rendering.VIEWS:
        response.set_cookie(
            VIEW_COOKIE, wanted, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )


def comment_section(request, post: Post, *, form: CommentForm | None = None) -> dict:
    """Context for the comment section: the rendered page of comments, paging, form."""
    view = chosen_view(request)
    pages = rendering.thread_pages(post) if view == rendering.THREADED else []
    total_pages = rendering.page_count(post, view, pages)
    try:
        page = min(max(int(request.GET.get("cpage", 1)), 1), total_pages)
    except ValueError:
        page = 1
    user = request.user
    moderator = can_moderate(user, post)
    own, has_shadowed = rendering.own_comments(post, user)
    thread = rendering.rendered_thread(
        post,
        view=view,
        page=page,
        moderator=moderator,
        pages=pages,
        shadow_author=user.pk if has_shadowed else None,
    )
    html = rendering.personalise(
        thread.html, post=post, own=own, can_flag=user.is_authenticated and not moderator
    )
    if moderator:
        html = rendering.moderator_controls(
            html, csrf_token=get_token(request), can_ban=can_ban(user)
        )
    return {
        "comment_view": view,
        "comment_views": rendering.VIEWS,
        "comment_page": page,
        "comment_pages": range(1, total_pages + 1),
        "comment_page_count": total_pages,
        "thread_html": rendering.THREAD_SLOT,
        "thread_bytes": html,
        "thread_shown": thread.shown,
        "last_seen_number": _record_visit(request.user, post),
        "is_following": is_following(request.user, post),
        "comment_form": form or CommentForm(user=request.user),
        "guests_allowed": settings.COMMENTS_ALLOW_GUESTS,
        "is_comment_moderator": moderator,
        "comments_closed": comments_closed_reason(post),
        "can_close_comments": can_close(user, post),
        "closed_by_age": comments_closed_by_age(post),
    }


def _record_visit(user, post: Post) -> int | None:
    """Remember how far a signed-in reader has seen; return the previous mark."""
    if not user.is_authenticated:
        return None
    visit, created = ThreadVisit.objects.get_or_create(
        user=user, post=post, defaults={"last_seen_number": post.last_comment_number}
    )
    previous = None if created else visit.last_seen_number
    if not created and visit.last_seen_number != post.last_comment_number:
        ThreadVisit.objects.filter(pk=visit.pk).update(last_seen_number=post.last_comment_number)
    return previous


def unread_counts(user, posts) -> dict[int, int]:
    """Published comments posted since the reader last opened each post (signed-in only)."""
    if not user.is_authenticated or not posts:
        return {}
    seen = dict(
        ThreadVisit.objects.filter(user=user, post__in=posts).values_list(
            "post_id", "last_seen_number"
        )
    )
    if not seen:
        return {}
    newer = Q()
    for post_id, number in seen.items():
        newer |= Q(post_id=post_id, number__gt=number)
    counts = dict.fromkeys(seen, 0)
    counts.update(
        Comment.objects.published()
        .filter(newer)
        .values_list("post_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return counts
