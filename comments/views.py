import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import ListView

from blog.client_address import client_ip
from blog.models import Post
from comments import held, live, rendering, tree
from comments.forms import CommentEditForm, CommentForm, FlagForm, ModerateForm, ThreadCloseForm
from comments.models import Ban, Comment, Flag, ModerationAction
from comments.moderation import actions
from comments.moderation.flags import flag_create
from comments.moderation.log import what_happened
from comments.moderation.permissions import (
    can_ban,
    can_close,
    can_delete_for_good,
    can_moderate,
    can_see_comment,
)
from comments.moderation.screening import RateLimited, form_stamp
from comments.posting import (
    CommenterBanned,
    CommentsClosed,
    EmailNotConfirmed,
    ban_refusal_message,
    comment_create,
    comment_delete_own,
    comment_edit,
    comments_closed_reason,
    edit_refusal,
    render_comment_body,
)
from comments.section import chosen_view

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def form_posts_only(view):
    """A POST whose body is not a form (JSON, XML…) gets 415 saying so, not "write something"."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.method == "POST" and request.content_type not in FORM_CONTENT_TYPES:
            response = HttpResponse(
                "Send comments as a form (application/x-www-form-urlencoded or "
                "multipart/form-data), as the comment box on the post page does; "
                f"this request's body was {request.content_type or 'of no declared type'}.\n",
                status=415,
                content_type="text/plain; charset=utf-8",
            )
            response["Accept-Post"] = ", ".join(FORM_CONTENT_TYPES)
            return response
        return view(request, *args, **kwargs)

    return checked


def _live_post(post_id: int) -> Post:
    return get_object_or_404(Post.objects.published().select_related("author"), pk=post_id)


# One answer for a missing number and for a comment the viewer may not know exists.
NO_SUCH_COMMENT = "No such comment."


def _comment(request, post: Post, number: int) -> Comment:
    """The post's comment `number`, or 404 when it is missing or hidden from this viewer."""
    comment = (
        Comment.objects.with_authors()
        .select_related("post")
        .filter(post=post, number=number)
        .first()
    )
    if comment is None or not can_see_comment(request.user, comment, post):
        raise Http404(NO_SUCH_COMMENT)
    return comment


@require_POST
@form_posts_only
def post_comment(request, post_id: int):
    """A new top-level comment from the form under the post."""
    return _write(request, _live_post(post_id), parent_number=None)


@require_GET
def write(request, post_id: int):
    """The comment form on a page of its own, with its tokens: "Write a comment" leads
    here without JavaScript from the page anonymous readers share, which has none."""
    post = _live_post(post_id)
    return _form_page(request, post, CommentForm(user=request.user))


@transaction.non_atomic_requests
@require_GET
def form_tokens(request):
    """The comment form's per-reader values, fetched by comments.js when a reader starts
    writing on a shared page: never cached, never part of the page."""
    response = JsonResponse(
        {
            "csrfmiddlewaretoken": get_token(request),
            "submission_token": str(uuid.uuid4()),
            "stamp": form_stamp(),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@transaction.non_atomic_requests
@require_GET
def since(request, post_id: int, number: int):
    """How many comments were published after `number` (comments/live.py), for the post
    page's poller: small JSON with an ETag, so an unchanged answer is a 304."""
    if number > live.MAX_NUMBER:
        return HttpResponse(
            "Comment numbers stop at 2147483647.\n", status=400, content_type="text/plain"
        )
    answer = (
        live.new_comments_since(post_id=post_id, after=number)
        if post_id <= live.MAX_POST_ID
        else None
    )
    if answer is None:
        raise Http404("No such post.")
    if request.headers.get("If-None-Match") == answer.etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(answer.body, content_type="application/json")
    response["ETag"] = answer.etag
    # Every poll revalidates: a proxy may keep the answer but must ask before reusing it.
    response["Cache-Control"] = "no-cache"
    return response


@transaction.non_atomic_requests
@require_GET
def reader_css(request):
    """A reader's stylesheet (rendering.reader_css), written from its address alone.

    The address names the author id, the comments still editable and whether to offer
    flag links; the same address always gives the same file, so browsers keep it.
    """
    try:
        author = int(request.GET.get("author", ""))
        editable = [int(n) for n in request.GET.get("edit", "").split(",") if n][:200]
    except ValueError:
        return HttpResponse(
            "Bad reader stylesheet address.\n", status=400, content_type="text/plain"
        )
    css = rendering.reader_css(
        author_id=author, editable=editable, can_flag=request.GET.get("flag") == "1"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_http_methods(["GET", "POST"])
@form_posts_only
def reply(request, post_id: int, number: int):
    """The reply page (the no-JavaScript path), and replies posted from anywhere."""
    post = _live_post(post_id)
    if request.method == "POST":
        return _write(request, post, parent_number=number)
    parent = _comment(request, post, number)
    if not (parent.is_visible or _is_own_shadowed(parent, request.user)):
        raise Http404("That comment is not published.")
    initial = {"parent": parent.number}
    if request.GET.get("quote"):
        initial["body"] = quote_markdown(parent)
    form = CommentForm(user=request.user, initial=initial)
    return _form_page(request, post, form, parent=parent)


def _is_own_shadowed(comment: Comment, user) -> bool:
    """A shadow-banned reader's own hidden comment, which they still see and may answer."""
    return comment.status == Comment.Status.SHADOWED and comment.author_id == user.pk


def quote_markdown(comment: Comment) -> str:
    """The whole comment as a Markdown quote that links back to it."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in comment.body.splitlines())
    return f"{quoted}\n>\n> — #{comment.number}, {comment.display_name}\n\n"


def _write(request, post: Post, *, parent_number: int | None):
    form = CommentForm(request.POST, user=request.user)
    if parent_number is not None:
        form.data = form.data.copy()
        form.data["parent"] = str(parent_number)

    def page(**kwargs):
        # Only a published parent is shown back; a hidden one must not leak its text.
        number = form.data.get("parent", "")
        parent = (
            Comment.objects.filter(post=post, number=int(number)).first()
            if number.isdigit()
            else None
        )
        visible = parent is not None and (
            parent.is_visible or _is_own_shadowed(parent, request.user)
        )
        return _form_page(request, post, form, parent=parent if visible else None, **kwargs)

    if comments_closed_reason(post):
        return page(status=403, closed=True)
    if not form.is_valid():
        return page(status=400)
    if "preview" in request.POST:
        return page(preview=True)
    user = request.user if request.user.is_authenticated else None
    try:
        comment = comment_create(
            post=post,
            body=form.cleaned_data["body"],
            author=user,
            guest_name=form.cleaned_data.get("guest_name", ""),
            guest_email=form.cleaned_data.get("guest_email", ""),
            parent_number=form.cleaned_data.get("parent"),
            ip_address=client_ip(request),
            submission_token=form.cleaned_data.get("submission_token"),
            screening=form.screening(),
        )
    except CommentsClosed:
        return page(status=403, closed=True)
    except (CommenterBanned, EmailNotConfirmed) as refused:
        return page(status=403, refusal=str(refused))
    except RateLimited as limited:
        response = render(
            request,
            "comments/rate_limited.html",
            {"post": post, "message": limited.message},
            status=429,
        )
        response["Retry-After"] = str(limited.retry_after)
        return response
    except ValidationError as error:
        if parent_number is not None and _has_code(error, "no_such_parent"):
            raise Http404(NO_SUCH_COMMENT) from error
        _attach_errors(form, error)
        # No change to the text lets a guest in where guests may not comment.
        return page(status=403 if _has_code(error, "guests_not_allowed") else 400)
    post.last_comment_number = max(post.last_comment_number, comment.number)
    # On a post split into threaded pages, the comment's permalink finds its page:
    # posting stays as many queries on a post of 500 comments as on one of 10.
    back = redirect(rendering.comment_page_url(post, comment, chosen_view(request), exact=False))
    # A shadow-banned writer is answered as if published: they must not learn of the ban.
    if comment.is_visible_to_author:
        return back
    # Back to its place in the thread, where its writer alone sees a copy (comments.held).
    held.remember(request, comment)
    messages.info(
        request,
        "Thank you. Your comment is held for review; until a moderator approves it, "
        "only you can see it, marked “Awaiting review”.",
    )
    return back


def _has_code(error: ValidationError, code: str) -> bool:
    return (
        any(getattr(e, "code", None) == code for e in error.error_list)
        if not hasattr(error, "error_dict")
        else any(e.code == code for errors in error.error_dict.values() for e in errors)
    )


def _attach_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _form_page(
    request, post, form, *, parent=None, status=200, preview=False, closed=False, refusal=""
):
    """The stand-alone comment page: used for replies without JS, errors and previews."""
    preview_html = None
    if preview and form.is_valid():
        preview_html, _ = render_comment_body(post, form.cleaned_data["body"])
    context = {
        "post": post,
        "parent": parent,
        "form": form,
        "preview_html": preview_html,
        "comments_closed": comments_closed_reason(post) if closed else "",
        "refusal": refusal,
        "ban_notice": "" if refusal else _ban_notice(request.user),
    }
    return render(request, "comments/comment_form.html", context, status=status)


def _ban_notice(user) -> str:
    """The ban a signed-in reader is told of before writing ("" when none, or a shadow-ban)."""
    if not user.is_authenticated:
        return ""
    ban = Ban.objects.told().filter(user=user).first()
    return ban_refusal_message(ban.ends_at, ban.reason) if ban else ""


def permalink(request, year, month, day, slug, number: int):
    """/…/slug/comments/N/ → the post page, comment page and anchor showing #N."""
    post = get_object_or_404(Post.objects.published(), slug=slug)
    comment = Comment.objects.filter(post=post, number=number).first()
    if comment is None or not (
        can_see_comment(request.user, comment, post)
        or held.is_guests_own(request, comment)
        or _shown_as_placeholder(comment)
    ):
        raise Http404(NO_SUCH_COMMENT)
    return redirect(rendering.comment_page_url(post, comment, chosen_view(request)))


def _shown_as_placeholder(comment: Comment) -> bool:
    """A hidden comment that readers see as a numbered placeholder above published replies."""
    rest_of_thread = Comment.objects.filter(
        post_id=comment.post_id,
        root_number=comment.root_number,
        thread_position__gte=comment.thread_position,
    ).values_list("number", "parent_number", "status", named=True)
    shown = tree.prune_hidden(
        list(rest_of_thread), lambda row: row.status == Comment.Status.PUBLISHED
    )
    return any(row.number == comment.number for row, _ in shown)


@login_required
@require_http_methods(["GET", "POST"])
@form_posts_only
def edit(request, post_id: int, number: int):
    """Edit one's own comment within the edit window; earlier versions are kept."""
    post = _live_post(post_id)
    comment = _comment(request, post, number)
    if comment.author_id != request.user.pk:
        raise PermissionDenied("You can only edit your own comments.")
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    context = {"form": form, "comment": comment}
    context["refusal"] = edit_refusal(comment)
    if context["refusal"]:
        return render(request, "comments/comment_edit.html", context, status=403)
    if request.method == "POST" and form.is_valid():
        try:
            comment_edit(comment=comment, user=request.user, body=form.cleaned_data["body"])
        except PermissionDenied as denied:
            context["refusal"] = str(denied)
            return render(request, "comments/comment_edit.html", context, status=403)
        return redirect(rendering.comment_page_url(post, comment, chosen_view(request)))
    status = 400 if request.method == "POST" else 200
    return render(request, "comments/comment_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, post_id: int, number: int):
    """Confirm, then withdraw one's own comment."""
    post = _live_post(post_id)
    comment = _comment(request, post, number)
    if comment.author_id != request.user.pk:
        raise PermissionDenied("You can only delete your own comments.")
    if request.method == "POST":
        comment_delete_own(comment=comment, user=request.user)
        messages.success(request, f"Comment #{comment.number} was deleted.")
        return redirect(f"{post.get_absolute_url()}#comments")
    return render(request, "comments/comment_confirm_delete.html", {"comment": comment})


def history(request, post_id: int, number: int):
    """Earlier versions of an edited comment."""
    post = _live_post(post_id)
    comment = _comment(request, post, number)
    if not comment.is_visible:
        raise Http404("That comment is not published.")
    revisions = comment.revisions.order_by("-written_at")
    return render(
        request, "comments/comment_history.html", {"comment": comment, "revisions": revisions}
    )


class RecentCommentsView(ListView):
    """Site-wide published comments on live posts, newest first."""

    template_name = "comments/recent_comments.html"
    context_object_name = "comments"
    paginate_by = 50

    def get_queryset(self):
        return Comment.objects.published().on_live_posts().for_listing().newest_first()


# ─── Flags ───────────────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def flag(request, post_id: int, number: int):
    """A signed-in reader flags a published comment (the page works without JavaScript)."""
    post = _live_post(post_id)
    comment = _comment(request, post, number)
    if not comment.is_visible:
        raise Http404("That comment is not published.")
    earlier = Flag.objects.filter(comment=comment, reader=request.user).first()
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                flag_create(
                    comment=comment,
                    reader=request.user,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                _attach_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Thank you. Moderators will look at comment #{comment.number}; "
                    "your standing page shows what they decide.",
                )
                return redirect(rendering.comment_page_url(post, comment, chosen_view(request)))
        status = 400
    context = {"post": post, "comment": comment, "form": form, "earlier": earlier}
    return render(request, "comments/flag_form.html", context, status=status)


@login_required
def standing(request):
    """A reader's standing: a ban in force, comments held or taken down, flags and outcomes."""
    user = request.user
    context = {
        "ban": Ban.objects.told().filter(user=user).first(),
        "held_comments": Comment.objects.filter(author=user)
        .filter(status__in=[Comment.Status.PENDING, Comment.Status.REMOVED, Comment.Status.SPAM])
        .for_listing()
        .newest_first()[:100],
        "flags": Flag.objects.filter(reader=user)
        .select_related("comment__post")
        .newest_first()[:100],
    }
    return render(request, "comments/standing.html", context)


# ─── Moderation from the post page ───────────────────────────────────────────

MODERATION_MESSAGES = {
    "publish": "Comment #{n} is approved and shown.",
    "remove": "Comment #{n} is removed; readers see the reason in its place.",
    "spam": "Comment #{n} is marked as spam.",
    "restore": "Comment #{n} is restored.",
    "dismiss": "The flags on comment #{n} are dismissed.",
    "ban": "{name} is banned {length}.",
    "delete": "Comment #{n} is deleted for good.",
}
DELETE_CONSEQUENCE = (
    "Deletes comment #{n} from the database. This cannot be undone: its text is gone for "
    "good, its number is never given out again, and the moderation log keeps one line "
    "saying it was deleted."
)


def _moderate(action: str, comment: Comment, moderator, form: ModerateForm) -> str:
    """Run one quick moderation action through its write function; returns the message."""
    reason = form.cleaned_data["reason"]
    if action == "ban":
        _check_bannable(comment)
        days = form.ban_length()
        actions.user_ban(
            user=comment.author,
            moderator=moderator,
            reason=reason,
            days=days,
            is_shadow=form.cleaned_data["shadow"],
            comment=comment,
        )
        name, length = comment.author.public_name, actions.ban_length_text(days)
        return MODERATION_MESSAGES["ban"].format(name=name, length=length)
    write = {
        "publish": actions.comment_publish,
        "remove": actions.comment_remove,
        "spam": actions.comment_mark_spam,
        "restore": actions.comment_restore,
        "dismiss": actions.flags_dismiss,
        "delete": actions.comment_delete_hard,
    }[action]
    write(comment=comment, moderator=moderator, reason=reason)
    return MODERATION_MESSAGES[action].format(n=comment.number)


def _check_bannable(comment: Comment) -> None:
    if comment.author is None:
        raise ValidationError(
            "Guests have no account to ban; add their email or address to the block list."
        )


def _confirmation_page(request, post: Post, comment: Comment, form: ModerateForm):
    """The step before a ban or a delete for good: what will happen, and one button to do it."""
    data = form.cleaned_data
    if data["action"] == "ban":
        _check_bannable(comment)
        days = form.ban_length()
        consequence = actions.ban_consequence_text(
            user=comment.author, days=days, is_shadow=data["shadow"]
        )
        heading = f"Ban {comment.author.public_name} {actions.ban_length_text(days)}?"
    else:
        consequence = DELETE_CONSEQUENCE.format(n=comment.number)
        heading = f"Delete comment #{comment.number} for good?"
    context = {
        "post": post,
        "comment": comment,
        "form": form,
        "action": data["action"],
        "ban_days": 0 if data["action"] == "ban" and days is None else data["ban_days"],
        "heading": heading,
        "consequence": consequence,
    }
    return render(request, "comments/moderate_confirm.html", context)


@require_http_methods(["GET", "POST"])
def moderate(request, post_id: int, number: int):
    """Moderate one comment: the quick buttons on the post page post here; GET shows a form."""
    post = _live_post(post_id)
    if not can_moderate(request.user, post):
        raise PermissionDenied("Only moderators can moderate comments.")
    comment = _comment(request, post, number)
    form = ModerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        if action == "ban" and not can_ban(request.user):
            raise PermissionDenied("Only moderators can ban readers.")
        if action == "delete" and not can_delete_for_good(request.user):
            raise PermissionDenied("Only superusers can delete comments for good.")
        try:
            if form.needs_confirmation():
                return _confirmation_page(request, post, comment, form)
            message = _moderate(action, comment, request.user, form)
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(request, message)
            if action == "delete":
                return redirect(f"{post.get_absolute_url()}#comments")
            return redirect(rendering.comment_page_url(post, comment, chosen_view(request)))
    context = {
        "post": post,
        "comment": comment,
        "form": form,
        "can_ban": can_ban(request.user),
        "can_delete": can_delete_for_good(request.user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "comments/moderate.html", context, status=status)


@require_POST
def thread_close(request, post_id: int):
    """Close a post's comments (moderators)."""
    return _set_thread_open(request, post_id, is_open=False)


@require_POST
def thread_reopen(request, post_id: int):
    """Reopen a post's comments closed by hand (moderators)."""
    return _set_thread_open(request, post_id, is_open=True)


def _set_thread_open(request, post_id: int, *, is_open: bool):
    post = _live_post(post_id)
    if not can_close(request.user, post):
        raise PermissionDenied("Only moderators can close or reopen comments.")
    form = ThreadCloseForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    write = actions.post_reopen_comments if is_open else actions.post_close_comments
    try:
        write(post=post, moderator=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Comments are open again." if is_open else "Comments are closed.")
    return redirect(f"{post.get_absolute_url()}#comments")


class ModerationLogView(ListView):
    """The public moderation log: every public moderator action on live posts, newest first."""

    template_name = "comments/moderation_log.html"
    context_object_name = "actions"
    paginate_by = 50

    def get_queryset(self):
        return ModerationAction.objects.public().for_log().newest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for entry in context["actions"]:
            entry.what_happened = what_happened(entry)
        return context
