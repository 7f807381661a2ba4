"""The comment thread of a post page: fetched in one query, drawn by the card template.

The markup is in templates/comments/_comment.jinja, the card every surface uses
(comments/cards.py gathers and escapes its values); this module fetches a page of
comments, walks the tree (comments/tree.py) and caches the result. Jinja2 rather
than Django's template language because a thousand-comment page must render
within a small multiple of plain string joins (bench/comments.py measures it):
measured on 1,000 comments, f-strings ~8-25 ms, the compiled Jinja2 card ~14-45 ms,
Django's template language ~900 ms for a simpler card.

The rendered thread is the same for every reader who is not a moderator, so it
is cached once (`rendered_thread`). What differs per reader is never written
into it: the edit, delete and flag links every card carries are revealed by
the reader's own stylesheet (`reader_css`); moderators get the thread rendered
for them, with their moderation forms; a shadow-banned reader, who must keep
seeing their hidden comments, gets a variant cached under their own id.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from blog import cache_keys
from blog.models import Post
from comments import cards, tree
from comments.models import Comment
from comments.posting import edit_window
from comments.summary import Summary, summary_of_rows

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
    "author__is_superuser",  # with author_groups (with_author_roles): the role badges
    "author_groups",
)
MODERATOR_ROW_FIELDS = (*ROW_FIELDS, "open_flag_count", "open_flag_reasons")


def per_page() -> int:
    return settings.COMMENTS_PER_PAGE


def max_visual_depth() -> int:
    return settings.COMMENTS_MAX_VISUAL_DEPTH


def replies_shown() -> int:
    return settings.COMMENTS_REPLIES_SHOWN


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


def is_on_page(row, *, view: str, page: int, pages: Sequence[tuple[int, int]]) -> bool:
    """Whether comment `row` (number, root_number) belongs on this page of comments."""
    if view == CHRONOLOGICAL:
        return (row.number - 1) // per_page() + 1 == page
    low, high = pages[min(page, len(pages)) - 1]
    return low <= row.root_number <= high


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


# ─── The thread ──────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class RenderedThread:
    html: bytes  # UTF-8, built by the card template: composed into the page as it is
    shown: int  # comments rendered, placeholders included
    numbers: frozenset[int]  # numbers present on the page
    # The post's summary line, when this page holds every comment of the post (else
    # comments.summary.summary_of_post asks for it).
    summary: Summary | None = None


def rendered_thread(
    post: Post,
    *,
    view: str,
    page: int,
    pages: Sequence | None = None,
    shadow_author: int | None = None,
) -> RenderedThread:
    """The comment list of one page as readers see it, from the cache when nothing changed.

    `shadow_author`: the id of a shadow-banned viewer, who gets a variant of
    their own in which their hidden comments look published. With
    COMMENTS_CACHE_SECONDS at 0 the cache is neither read nor written.
    """
    build = partial(
        build_thread, post, view=view, page=page, pages=pages, shadow_author=shadow_author
    )
    seconds = cache_seconds()
    if seconds <= 0:
        return build()
    key = cache_keys.thread(post, view=view, page=page, shadow_author=shadow_author)
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, seconds)
    return found


def cache_seconds() -> int:
    """How long a rendered thread is cached; 0 (or less) turns the thread cache off."""
    return settings.COMMENTS_CACHE_SECONDS


def build_thread(
    post: Post,
    *,
    view: str,
    page: int,
    pages: Sequence | None = None,
    shadow_author: int | None = None,
    moderator: "Moderator | None" = None,
) -> RenderedThread:
    """Fetch one page of comments in one query and render it (for `moderator`: every
    status shown and marked, with the moderation forms)."""
    comments = Comment.objects.filter(post=post).with_display_times().with_author_roles()
    if moderator:
        comments = comments.with_open_flags()
    if view == CHRONOLOGICAL:
        first = (page - 1) * per_page() + 1
        comments = comments.filter(number__gte=first, number__lt=first + per_page())
        comments = comments.in_number_order()
        whole_post = first == 1 and post.last_comment_number < first + per_page()
    else:
        pages = pages or thread_pages(post)
        low, high = pages[min(page, len(pages)) - 1]
        comments = comments.filter(root_number__gte=low, root_number__lte=high)
        comments = comments.in_thread_order()
        whole_post = len(pages) == 1
    fields = MODERATOR_ROW_FIELDS if moderator else ROW_FIELDS
    rows = list(comments.values_list(*fields, named=True))
    html, shown, numbers = render_rows(
        rows,
        post=post,
        threaded=view == THREADED,
        moderator=moderator,
        shadow_author=shadow_author,
    )
    # Encoded once, here: the page is composed of bytes around it (blog.views), and the
    # cache keeps bytes as they are (a 2 MB str is re-encoded by every pickling).
    return RenderedThread(
        html=html.encode(),
        shown=shown,
        numbers=frozenset(numbers),
        summary=summary_of_rows(rows) if whole_post else None,
    )


@dataclass(frozen=True)
class Moderator:
    """Who moderates this render: their form token, whether they may ban and delete for good."""

    csrf_token: str
    can_ban: bool
    can_delete: bool = False


def render_rows(
    rows,
    *,
    post: Post,
    threaded: bool,
    moderator: Moderator | bool | None = None,
    shadow_author: int | None = None,
) -> tuple[str, int, set]:
    """HTML for rows already in display order; hidden rows become placeholders or vanish.

    With `shadow_author`, that reader's shadow-banned comments count as published.
    """
    if moderator is True:
        moderator = Moderator(csrf_token="", can_ban=False)
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
    numbers = {row.number for row in shown_rows}
    page = cards.CardPage(
        post,
        numbers=numbers,
        moderator=bool(moderator),
        csrf_token=moderator.csrf_token if moderator else "",
        can_ban=moderator.can_ban if moderator else False,
        can_delete=moderator.can_delete if moderator else False,
        looks_published=looks_published,
    )
    links = tree.backlinks(shown_rows, counts=looks_published)
    card_view, empty = cards.card_view, ()
    views = [
        card_view(row, page, backlinks=links.get(row.number, empty), is_placeholder=placeholder)
        for row, placeholder in entries
    ]
    if threaded:
        below = tree.descendant_counts(shown_rows)
        steps = tree.nesting(
            shown_rows, max_visual_depth=max_visual_depth(), replies_shown=replies_shown()
        )
        items = [
            (view, step.opens_replies, step.closes, below.get(view.number, 0), step.fold)
            for view, step in zip(views, steps, strict=True)
        ]
        html = cards.render_cards(items, page)
    else:
        html = cards.render_flat(views, page)
    return html, len(shown_rows), numbers


# ─── Per-reader additions ────────────────────────────────────────────────────


def reader_css(*, author_id: int, editable: Sequence[int], can_flag: bool) -> str:
    """The reader's stylesheet: shows the controls meant for them that every card carries.

    Delete on their own comments, edit on those still inside the edit window, flag on
    everyone else's (signed-in readers who are not moderators). Only presentation:
    the views behind the links check every permission again.
    """
    mine = f'.comment[data-author="{int(author_id)}"]'
    rules = [f"{mine} > .comment__card .comment__delete {{ display: inline-flex; }}"]
    if editable:
        selectors = ", ".join(f"#c{int(n)} > .comment__card .comment__edit" for n in editable)
        rules.append(f"{selectors} {{ display: inline-flex; }}")
    if can_flag:
        rules.append(
            f'.comment:not([data-author="{int(author_id)}"]) > .comment__card .comment__flag '
            "{ display: inline-flex; }"
        )
    return "\n".join(rules) + "\n"


@dataclass(frozen=True)
class OwnComments:
    """The viewer's comments on a post, from one query."""

    editable: dict[int, bool]  # those they see as posted: number → still inside the edit window
    has_shadowed: bool  # whether any of those is hidden from others by a shadow-ban
    held: list[int]  # numbers of those held for review (shown back to them: comments.held)


def own_comments(post: Post, user) -> OwnComments:
    """The viewer's comments on the post that they still see, published or held."""
    if not user.is_authenticated:
        return OwnComments({}, False, [])
    cutoff = timezone.now() - edit_window()
    s = Comment.Status
    rows = (
        Comment.objects.filter(
            post=post, author=user, status__in=[s.PUBLISHED, s.SHADOWED, s.PENDING]
        )
        .order_by()
        .values_list("number", "created_at", "status")
    )
    own, shadowed, held = {}, False, []
    for number, created, status in rows:
        if status == s.PENDING:
            held.append(number)
            continue
        own[number] = created > cutoff
        shadowed = shadowed or status == s.SHADOWED
    return OwnComments(own, shadowed, held)
