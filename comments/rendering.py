"""The comment section of a post page, rendered as one HTML string.

Why not a template loop: a post with a thousand comments must render within a
small multiple of raw string joining (see bench/). Django's template engine
costs tens of microseconds per comment, so the thread is built here with
f-strings. Every interpolated value is escaped with `escape()` except
`body_html`, which was sanitised by nh3 when the comment was saved.

Output that depends on who is looking is never part of a cached string:

- each comment carries an `<!--own:N-->` marker that `personalise()` fills per
  request: edit and delete links on the viewer's own comments, a flag link on
  the others' for signed-in readers;
- moderators get their own cached variant, with every status shown and marked
  and a moderation form under each comment whose CSRF token is a slot filled
  per request (`moderator_controls()`);
- a shadow-banned reader, who must keep seeing their hidden comments, gets a
  variant cached under their own id.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from html import escape

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from accounts import badges
from blog.counters import bump_counter
from blog.models import Post
from comments import tree
from comments.models import Comment

THREADED, CHRONOLOGICAL = "threaded", "chronological"
VIEWS = (THREADED, CHRONOLOGICAL)
ROW_FIELDS = (
    "number",
    "parent_number",
    "depth",
    "root_number",
    "status",
    "body_html",
    "referenced_numbers",
    "created_iso",
    "created_text",
    "is_edited",
    "author_id",
    "author__username",
    "author__display_name",
    "guest_name",
    "guest_email",  # never printed: only its keyed hash picks the guest's mark
    "moderation_reason",
)
MODERATOR_ROW_FIELDS = (*ROW_FIELDS, "open_flag_count", "open_flag_reasons")
PLACEHOLDER_TEXT = {
    Comment.Status.DELETED: "deleted by its author",
    Comment.Status.REMOVED: "removed by a moderator",
    Comment.Status.PENDING: "awaiting review",
    Comment.Status.SPAM: "removed by a moderator",
    Comment.Status.SHADOWED: "not shown",
}
# Taken-down comments show the moderator's reason in their placeholder.
REASON_SHOWN = frozenset({Comment.Status.REMOVED, Comment.Status.SPAM})
_OWN_MARKER = re.compile(rb"<!--own:(\d+)-->")
# Filled with the viewer's CSRF token on every request, never cached with one.
CSRF_SLOT = "<!--csrf-->"
# Other ban lengths and shadow-bans are on the comment's moderation page ("More…").
BAN_CONTROLS = (
    '<input type="hidden" name="ban_days" value="7">'
    '<button class="btn btn-sm btn-outline-danger" name="action" value="ban">'
    "Ban author 7 days</button>"
)
_MOD_BUTTON = (
    '<button class="btn btn-sm btn-outline-secondary" name="action" value="{}">{}</button>'
)


def per_page() -> int:
    return settings.COMMENTS_PER_PAGE


def max_visual_depth() -> int:
    return settings.COMMENTS_MAX_VISUAL_DEPTH


# ─── Pages ───────────────────────────────────────────────────────────────────


def thread_pages(post: Post) -> list[tuple[int, int]]:
    """Threaded-view pages of the post as (first, last) top-level numbers."""
    if post.last_comment_number <= per_page():
        return [(1, max(post.last_comment_number, 1))]
    sizes = (
        Comment.objects.filter(post=post)
        .values_list("root_number")
        .annotate(size=Count("id"))
        .order_by("root_number")
    )
    return tree.thread_pages(list(sizes), per_page=per_page())


def page_count(post: Post, view: str, pages: Sequence[tuple[int, int]]) -> int:
    if view == CHRONOLOGICAL:
        return max(1, -(-post.last_comment_number // per_page()))
    return len(pages)


def page_of_comment(post: Post, comment: Comment, view: str) -> int:
    """The 1-based comment page holding `comment` in the given view."""
    if view == CHRONOLOGICAL:
        return (comment.number - 1) // per_page() + 1
    return tree.page_of(thread_pages(post), comment.root_number)


def comment_page_url(post: Post, comment: Comment, view: str, *, exact: bool = True) -> str:
    """The post page, comment page and anchor where `comment` is shown.

    With exact=False a post split into threaded pages answers with the comment's
    permalink instead, which finds the page itself: posting stays one query shorter.
    """
    if not exact and view == THREADED and post.last_comment_number > per_page():
        return comment.get_absolute_url()
    page = page_of_comment(post, comment, view)
    query = f"?cpage={page}" if page > 1 else ""
    return f"{post.get_absolute_url()}{query}#c{comment.number}"


# ─── The section ─────────────────────────────────────────────────────────────


# The page template prints this marker where the thread goes; the view splices
# the thread's bytes in after rendering, so a megabyte of HTML is not copied
# through every template block (see blog.views.PostDetailView).
THREAD_SLOT = mark_safe("<!--riposte:thread-->")  # noqa: S308 - constant
THREAD_SLOT_BYTES = THREAD_SLOT.encode()


@dataclass(frozen=True)
class RenderedThread:
    html: bytes  # UTF-8
    shown: int  # comments rendered, placeholders included
    numbers: frozenset[int]  # numbers present on the page


def rendered_thread(
    post: Post,
    *,
    view: str,
    page: int,
    moderator: bool,
    pages: Sequence | None = None,
    shadow_author: int | None = None,
) -> RenderedThread:
    """The comment list of one page, from the cache when nothing changed since.

    `shadow_author`: the id of a shadow-banned viewer, who gets a variant of
    their own in which their hidden comments look published. With
    COMMENTS_CACHE_SECONDS at 0 the cache is neither read nor written.
    """
    build = partial(
        build_thread,
        post,
        view=view,
        page=page,
        moderator=moderator,
        pages=pages,
        shadow_author=None if moderator else shadow_author,
    )
    seconds = cache_seconds()
    if seconds <= 0:
        return build()
    if moderator:
        # New flags change only what moderators see: they have a version of their own.
        audience = f"mod{cache.get(flags_version_key(post.pk), 0)}"
    else:
        audience = f"shadow{shadow_author}" if shadow_author else "pub"
    # The post's own edits count too: permalinks carry its date and slug.
    key = (
        f"comments:{post.pk}:{post.comments_version}:{post.last_comment_number}:"
        f"{post.updated_at.timestamp():.0f}:{view}:{page}:{audience}"
    )
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, seconds)
    return found


def cache_seconds() -> int:
    """How long a rendered thread is cached; 0 (or less) turns the thread cache off."""
    return settings.COMMENTS_CACHE_SECONDS


def flags_version_key(post_id: int) -> str:
    return f"comments:flags-version:{post_id}"


def flags_changed(post_id: int) -> None:
    """A reader flagged a comment of the post: rebuild the moderators' cached thread."""
    bump_counter(flags_version_key(post_id))


def build_thread(
    post: Post,
    *,
    view: str,
    page: int,
    moderator: bool,
    pages: Sequence | None = None,
    shadow_author: int | None = None,
) -> RenderedThread:
    """Fetch one page of comments in one query and render it."""
    comments = Comment.objects.filter(post=post).with_display_times()
    if moderator:
        comments = comments.with_open_flags()
    if view == CHRONOLOGICAL:
        first = (page - 1) * per_page() + 1
        comments = comments.filter(number__gte=first, number__lt=first + per_page())
        comments = comments.in_number_order()
    else:
        pages = pages or thread_pages(post)
        low, high = pages[min(page, len(pages)) - 1]
        comments = comments.filter(root_number__gte=low, root_number__lte=high)
        comments = comments.in_thread_order()
    fields = MODERATOR_ROW_FIELDS if moderator else ROW_FIELDS
    rows = list(comments.values_list(*fields, named=True))
    html, shown, numbers = render_rows(
        rows,
        post=post,
        threaded=view == THREADED,
        moderator=moderator,
        shadow_author=shadow_author,
        roles=badges.author_roles({row.author_id for row in rows}),
    )
    return RenderedThread(html=html.encode(), shown=shown, numbers=frozenset(numbers))


def render_rows(
    rows,
    *,
    post: Post,
    threaded: bool,
    moderator: bool,
    shadow_author: int | None = None,
    roles: dict[int, tuple[str, ...]] | None = None,
) -> tuple[str, int, set]:
    """HTML for rows already in display order; hidden rows become placeholders or vanish.

    With `shadow_author`, that reader's shadow-banned comments count as published.
    """
    published, shadowed = Comment.Status.PUBLISHED, Comment.Status.SHADOWED

    def looks_published(row) -> bool:
        return row.status == published or (
            shadow_author is not None and row.status == shadowed and row.author_id == shadow_author
        )

    if moderator:
        entries = [(row, False) for row in rows]
    else:
        entries = tree.prune_hidden(rows, looks_published)
    shown_rows = [row for row, _ in entries]
    placeholders = {row.number for row, is_placeholder in entries if is_placeholder}
    numbers = {row.number for row in shown_rows}
    links = tree.backlinks(shown_rows, counts=looks_published)
    reply_counts = tree.descendant_counts(shown_rows) if threaded else {}
    context = _RenderContext(post, numbers, moderator, looks_published, roles or {})
    parts: list[str] = []
    append = parts.append
    if threaded:
        for step in tree.nesting(shown_rows, max_visual_depth=max_visual_depth()):
            row = step.row
            append(context.item(row, row.number in placeholders, links.get(row.number)))
            if step.opens_replies:
                count = reply_counts.get(row.number, 0)
                label = f"Thread below #{row.number}: {count} comment{'' if count == 1 else 's'}"
                append(
                    f'<details class="comment__replies" open><summary>{label}</summary>'
                    f'<ol class="comment-list">'
                )
            else:
                append("</li>" + "</ol></details></li>" * step.closes)
    else:
        for row in shown_rows:
            append(context.item(row, row.number in placeholders, links.get(row.number)))
            append("</li>")
    return "".join(parts), len(shown_rows), numbers


def _reason_labels(row) -> str:
    """The flag reasons as readers chose them ("Off-topic"), not their stored codes."""
    from comments.models import Flag

    codes = (row.open_flag_reasons or "").split(", ")
    return ", ".join(Flag.Reason(code).label for code in codes if code in Flag.Reason.values)


class _RenderContext:
    """Per-render constants and helpers for one comment item."""

    def __init__(
        self, post: Post, numbers: set[int], moderator: bool, looks_published, roles
    ) -> None:
        self.roles = roles
        self.profile_prefix = badges.profile_url_prefix()
        self.numbers = numbers
        self.moderator = moderator
        self.looks_published = looks_published
        self.action_base = _url_prefix("comments:reply", post_id=post.pk)
        self.permalink_base = _url_prefix("comments:permalink", **_post_kwargs(post))
        self.names: dict[int | None, str] = {}

    def link(self, number: int) -> str:
        """Anchor on this page when the comment is here, else its permalink."""
        if number in self.numbers:
            return f"#c{number}"
        return f"{self.permalink_base}{number}/"

    def name(self, row) -> str:
        """Name, registered/guest mark and role badges (accounts/badges.py), once per author."""
        key = row.author_id if row.author_id is not None else (row.guest_name, row.guest_email)
        cached = self.names.get(key)
        if cached is None:
            cached = badges.comment_author_html(
                author_id=row.author_id,
                username=row.author__username or "",
                display_name=row.author__display_name or "",
                guest_name=row.guest_name,
                guest_email=row.guest_email,
                roles=self.roles.get(row.author_id, ()),
                prefix=self.profile_prefix,
            )
            self.names[key] = cached
        return cached

    def item(self, row, is_placeholder: bool, backlinks: list[int] | None) -> str:
        n = row.number
        if is_placeholder:
            text = PLACEHOLDER_TEXT.get(row.status, "not shown")
            reason = getattr(row, "moderation_reason", "")
            if reason and row.status in REASON_SHOWN:
                text = f"{text}: {escape(reason)}"
            return (
                f'<li class="comment comment--placeholder" id="c{n}" data-n="{n}">'
                f'<article class="comment__card" aria-label="Comment {n}, {text}">'
                f'<p class="comment__placeholder"><a href="#c{n}">#{n}</a> [{text}]</p>'
                f"{self.backlinks(backlinks)}</article>"
            )
        meta = [f'<time datetime="{row.created_iso}">{row.created_text}</time>']
        if row.is_edited:
            meta.append(
                f'<a class="comment__edited" href="{self.action_base}{n}/history/">edited</a>'
            )
        if row.parent_number is not None:
            meta.append(
                f'<span class="comment__in-reply">in reply to <a class="comment-ref" '
                f'data-ref="{row.parent_number}" href="{self.link(row.parent_number)}">'
                f"#{row.parent_number}</a></span>"
            )
        status = ""
        css = "comment"
        actions = (
            f'<a class="comment__reply" href="{self.action_base}{n}/reply/" data-reply="{n}">'
            f'Reply<span class="visually-hidden"> to #{n}</span></a>'
            f'<a class="comment__quote" href="{self.action_base}{n}/reply/?quote=1" '
            f'data-quote="{n}">Quote<span class="visually-hidden"> #{n}</span></a>'
        )
        moderation = ""
        if not self.looks_published(row):
            # Only moderators see these; nobody can reply to an unpublished comment.
            css += f" comment--{row.status}"
            label = Comment.Status(row.status).label
            reason = getattr(row, "moderation_reason", "")
            if reason:
                label = f"{label}. {reason}"
            status = f'<p class="comment__status">{escape(label)}</p>'
            actions = ""
        if self.moderator:
            flags = getattr(row, "open_flag_count", 0)
            if flags:
                css += " comment--flagged"
                status += (
                    f'<p class="comment__status comment__status--flags">Flagged by {flags} '
                    f"reader{'' if flags == 1 else 's'}: {escape(_reason_labels(row))}</p>"
                )
            moderation = self.moderation_form(row, flags)
        return (
            f'<li class="{css}" id="c{n}" data-n="{n}">'
            f'<article class="comment__card" aria-labelledby="c{n}-name">'
            f'<header class="comment__head"><h3 class="comment__name" id="c{n}-name">'
            f'<a class="comment__number" href="#c{n}">#{n}</a> {self.name(row)}</h3>'
            f'<p class="comment__meta">{" · ".join(meta)}</p></header>{status}'
            f'<div class="comment__body">{row.body_html}</div>'
            f'<footer class="comment__actions">{actions}'
            f'<a class="comment__permalink" href="{self.permalink_base}{n}/">Link'
            f'<span class="visually-hidden"> to #{n}</span></a><!--own:{n}-->'
            f"{self.backlinks(backlinks)}</footer>{moderation}</article>"
        )

    def moderation_form(self, row, flags: int) -> str:
        """Quick moderation buttons under one comment; works without JavaScript."""
        status = Comment.Status
        buttons = []
        if row.status in (status.PENDING, status.SHADOWED):
            buttons.append(("publish", "Approve"))
        if row.status in (status.REMOVED, status.SPAM):
            buttons.append(("restore", "Restore"))
        if row.status in (status.PUBLISHED, status.PENDING, status.SHADOWED):
            buttons += [("remove", "Remove"), ("spam", "Spam")]
        if flags and row.status in (status.PUBLISHED, status.PENDING):
            buttons.append(("dismiss", "Dismiss flags"))
        if not buttons:
            return ""
        n = row.number
        return (
            f'<form class="comment__moderate" method="post" '
            f'action="{self.action_base}{n}/moderate/">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_SLOT}">'
            f'<label>Reason<span class="visually-hidden"> for #{n}</span> '
            f'<input name="reason" maxlength="300" size="24"></label>'
            + "".join(_MOD_BUTTON.format(value, label) for value, label in buttons)
            + (BAN_CONTROLS if row.author_id is not None else "")
            + f' <a class="comment__moderate-more" href="{self.action_base}{n}/moderate/">More…'
            f'<span class="visually-hidden"> for #{n}</span></a></form>'
        )

    def backlinks(self, numbers: list[int] | None) -> str:
        if not numbers:
            return ""
        links = ", ".join(
            f'<a class="comment-ref" data-ref="{m}" href="{self.link(m)}">#{m}</a>' for m in numbers
        )
        return f'<p class="comment__backlinks">Replies: {links}</p>'


def _url_prefix(name: str, **kwargs) -> str:
    """The part of a per-comment URL before the number, reversed once per render.

    Reversing four URLs for each of a thousand comments would dominate the page
    time; `prefix + number + "/action/"` yields exactly what reverse() would.
    """
    url = reverse(name, kwargs={**kwargs, "number": 0})
    prefix, marker, _ = url.rpartition("/0/")
    assert marker, url
    return prefix + "/"


def _post_kwargs(post: Post) -> dict:
    local = timezone.localtime(post.published_at)
    return {"year": local.year, "month": local.month, "day": local.day, "slug": post.slug}


# ─── Per-viewer additions ────────────────────────────────────────────────────


def personalise(html: bytes, *, post: Post, own: dict[int, bool], can_flag: bool = False) -> bytes:
    """Fill the `<!--own:N-->` markers: edit/delete links on the viewer's comments and,
    for signed-in readers (`can_flag`), a flag link on everyone else's.

    `own` maps the viewer's comment numbers to whether they may still edit them.
    """
    base = _url_prefix("comments:reply", post_id=post.pk)
    if own:
        html = _fill_own(html, base, own)
    if can_flag:
        # A template substitution runs in C: a thousand links cost well under a millisecond.
        html = _OWN_MARKER.sub(
            f'<a class="comment__flag" href="{base}\\1/flag/" rel="nofollow">Flag'
            f'<span class="visually-hidden"> #\\1</span></a>'.encode(),
            html,
        )
    return html


def _fill_own(html: bytes, base: str, own: dict[int, bool]) -> bytes:
    mine = re.compile(rb"<!--own:(" + "|".join(map(str, own)).encode() + rb")-->")

    def controls(match: re.Match) -> bytes:
        number = int(match.group(1))
        edit = (
            f'<a class="comment__edit" href="{base}{number}/edit/">Edit'
            f'<span class="visually-hidden"> #{number}</span></a>'
            if own[number]
            else ""
        )
        return (
            f'{edit}<a class="comment__delete" href="{base}{number}/delete/">Delete'
            f'<span class="visually-hidden"> #{number}</span></a>'
        ).encode()

    return mine.sub(controls, html)


def moderator_controls(html: bytes, *, csrf_token: str, can_ban: bool) -> bytes:
    """Put this request's CSRF token in the moderation forms; drop ban buttons if not allowed."""
    html = html.replace(CSRF_SLOT.encode(), csrf_token.encode())
    return html if can_ban else html.replace(BAN_CONTROLS.encode(), b"")


def own_comments(post: Post, user) -> tuple[dict[int, bool], bool]:
    """The viewer's comments they still see on the post: number → still inside the edit
    window; and whether any of them is hidden from others by a shadow-ban."""
    if not user.is_authenticated:
        return {}, False
    from comments.posting import edit_window

    cutoff = timezone.now() - edit_window()
    rows = Comment.objects.filter(
        post=post, author=user, status__in=[Comment.Status.PUBLISHED, Comment.Status.SHADOWED]
    ).values_list("number", "created_at", "status")
    own, shadowed = {}, False
    for number, created, status in rows:
        own[number] = created > cutoff
        shadowed = shadowed or status == Comment.Status.SHADOWED
    return own, shadowed
