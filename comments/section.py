"""Everything the post page needs for its comment section, gathered in one place.

The thread comes from the cache, the same for every reader who is not a
moderator; what belongs to one reader is added beside it, never into it: their
stylesheet (which of the controls every card carries they see), the "new since
your last visit" mark, their comments held for review (comments.held), and the
comment form's tokens. An anonymous reader's
section holds no tokens at all, so the whole page can be cached and shared: the
form fetches its tokens when the reader starts writing (comments.views.form_tokens),
and without JavaScript "Write a comment" leads to the form page.
"""

from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.middleware.csrf import get_token
from django.urls import reverse

from accounts.models import PostSubscription, User
from blog.models import Post
from comments import held, rendering
from comments.forms import CommentForm
from comments.models import Ban, Comment, ThreadVisit
from comments.moderation.permissions import (
    can_ban,
    can_close,
    can_delete_for_good,
    can_moderate,
)
from comments.posting import ban_refusal_message, comments_closed_by_age, comments_closed_reason
from comments.summary import Summary, summary_of_post

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


def page_window(current: int, total: int, *, neighbours: int = 1) -> list[int | None]:
    """Pages the pager links: first, last, the current one and its neighbours; None is a gap."""
    wanted = {1, total, *range(current - neighbours, current + neighbours + 1)}
    window: list[int | None] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= total):
        if number - previous == 2:
            window.append(number - 1)  # an ellipsis would hide a single page: show it
        elif number - previous > 2:
            window.append(None)
        window.append(number)
        previous = number
    return window


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
    own = rendering.own_comments(post, user)
    if moderator:
        thread = rendering.build_thread(
            post,
            view=view,
            page=page,
            pages=pages,
            moderator=rendering.Moderator(
                csrf_token=get_token(request),
                can_ban=can_ban(user),
                can_delete=can_delete_for_good(user),
            ),
        )
    else:
        thread = rendering.rendered_thread(
            post,
            view=view,
            page=page,
            pages=pages,
            shadow_author=user.pk if own.has_shadowed else None,
        )
    held_copies = (
        []
        if moderator  # their thread shows every held comment
        else held.copies(
            request,
            post,
            numbers=own.held or held.guest_numbers(request, post.pk),
            view=view,
            page=page,
            pages=pages,
            shown=thread.numbers,
        )
    )
    anonymous = not user.is_authenticated
    following, ban_notice = _following_and_ban_notice(user, post)
    return {
        "comment_summary": comment_summary(post, thread),
        "comment_view": view,
        "comment_views": rendering.VIEWS,
        "comment_page": page,
        "comment_pages": page_window(page, total_pages),
        "comment_page_count": total_pages,
        # UTF-8 bytes: the view composes the page around them (blog.views.PostDetailView).
        "comment_thread": thread.html,
        "thread_shown": thread.shown,
        "held_copies": held_copies,
        "reader_css_url": None if anonymous else reader_css_url(user, own.editable, not moderator),
        "visit": _record_visit(user, post),
        "is_following": following,
        "ban_notice": ban_notice,
        "comment_form": form or CommentForm(user=user, with_tokens=not anonymous),
        "form_tokens_url": reverse("comments:form-tokens") if anonymous and not form else None,
        "guests_allowed": settings.COMMENTS_ALLOW_GUESTS,
        "is_comment_moderator": moderator,
        "comments_closed": comments_closed_reason(post),
        "can_close_comments": can_close(user, post),
        "closed_by_age": comments_closed_by_age(post),
        "live_poll_seconds": settings.COMMENTS_LIVE_POLL_SECONDS,
    }


def comment_summary(post: Post, thread: rendering.RenderedThread | None = None) -> Summary:
    """The summary line (comments.summary): from the thread when its page holds every
    comment of the post, else one query, cached like the thread."""
    if thread is not None and thread.summary is not None:
        return thread.summary
    return summary_of_post(post, cache_seconds=rendering.cache_seconds())


def _following_and_ban_notice(user, post: Post) -> tuple[bool, str]:
    """Whether a signed-in reader follows the post, and the ban they are told of in place of
    the form ("" when none; a shadow-ban is never told): one query for both, so a reader
    who is not banned pays nothing for the check."""
    if not user.is_authenticated:
        return False, ""
    ban = Ban.objects.told().filter(user=OuterRef("pk"))
    following, banned, ends_at, reason = (
        User.objects.filter(pk=user.pk)
        .annotate(
            following=Exists(PostSubscription.objects.filter(user=OuterRef("pk"), post=post)),
            banned=Exists(ban),
            ban_ends_at=Subquery(ban.values("ends_at")[:1]),
            ban_reason=Subquery(ban.values("reason")[:1]),
        )
        .values_list("following", "banned", "ban_ends_at", "ban_reason")
        .get()
    )
    return following, ban_refusal_message(ends_at, reason) if banned else ""


def reader_css_url(user, own: dict[int, bool], can_flag: bool) -> str:
    """The address of the reader's stylesheet (rendering.reader_css): everything it says
    is in the address, so it is the same file for everyone who asks for it."""
    query = {"author": user.pk}
    editable = sorted(number for number, still_editable in own.items() if still_editable)
    if editable:
        query["edit"] = ",".join(map(str, editable))
    if can_flag:
        query["flag"] = "1"
    return f"{reverse('comments:reader-css')}?{urlencode(query)}"


class Visit(NamedTuple):
    """What a signed-in reader had seen of a post's comments before this visit."""

    last_seen: int  # the last number when they last opened the post
    new_count: int  # published comments since, their own left out
    first_new: int | None  # the first of those


def _record_visit(user, post: Post) -> Visit | None:
    """Remember how far a signed-in reader has seen; return what is new to them since their
    previous visit (None on the first). Their own comments are never new to them."""
    if not user.is_authenticated:
        return None
    since = (
        Comment.objects.published()
        .filter(post=post, number__gt=OuterRef("last_seen_number"))
        .exclude(author=user)
        .order_by()
    )
    found = (
        ThreadVisit.objects.filter(user=user, post=post)
        .annotate(
            new_count=Subquery(
                since.values("post").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            first_new=Subquery(since.order_by("number").values("number")[:1]),
        )
        .values_list("pk", "last_seen_number", "new_count", "first_new")
        .first()
    )
    if found is None:
        ThreadVisit.objects.bulk_create(
            [ThreadVisit(user=user, post=post, last_seen_number=post.last_comment_number)],
            ignore_conflicts=True,
        )
        return None
    pk, last_seen, new_count, first_new = found
    if last_seen != post.last_comment_number:
        ThreadVisit.objects.filter(pk=pk).update(last_seen_number=post.last_comment_number)
    return Visit(last_seen, new_count or 0, first_new)


def unread_counts(user, posts) -> dict[int, int]:
    """Published comments posted since the reader last opened each post, their own left out
    (signed-in only)."""
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
        .exclude(author=user)
        .values_list("post_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return counts
