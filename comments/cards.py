"""The comment card's data: one comment as templates/comments/_comment.jinja prints it.

Every surface that shows a comment goes through here: the thread
(comments.rendering) with rows from one values_list() query, the other pages
with Comment objects through the {% comment_card %} tag. `card_view` is the one
place that escapes what a reader wrote (names, reasons); the card template
prints its values as they are.
"""

import datetime
from collections.abc import Callable
from html import escape
from typing import NamedTuple

from django.template import engines
from django.utils import timezone

from accounts import badges
from blog.url_prefix import url_prefix as prefix_before_last
from comments.models import Comment, Flag

PLACEHOLDER_TEXT = {
    Comment.Status.DELETED: "deleted by its author",
    Comment.Status.REMOVED: "removed by a moderator",
    Comment.Status.PENDING: "awaiting review",
    Comment.Status.SPAM: "removed by a moderator",
    Comment.Status.SHADOWED: "not shown",
}
# Taken-down comments show the moderator's reason in their placeholder.
REASON_SHOWN = frozenset({Comment.Status.REMOVED, Comment.Status.SPAM})


class CardView(NamedTuple):
    """One comment for the card template; every string is HTML-safe.

    The template unpacks these fields by position: add a field here, add it there.
    """

    number: int
    css: str  # the list item's classes
    author: int | None  # the registered author's id (data-author), None for guests
    name: str  # name and marks: templates/comments/_comment_author.jinja
    href: str  # where the number links: its anchor in the thread, else its permalink
    created_iso: str
    created_text: str
    is_edited: bool
    parent: int | None
    parent_href: str
    body: str  # sanitised when saved
    is_shown: bool  # looks published to this audience: reply, quote and reader controls
    status: str  # a hidden comment's status, as moderators read it
    flags: str  # "Flagged by N readers: …", moderators only
    backlinks: tuple  # (number, href, separator) of comments answering or citing this one
    is_placeholder: bool
    placeholder: str  # "[removed by a moderator: reason]"
    moderation: tuple  # quick moderation buttons (action, label), moderators only
    on_post: str = ""  # " on <post link>", where the post is not the page's


class CardPage:
    """What every card of one render shares: URL prefixes, who is looking, the form token."""

    def __init__(
        self,
        post,
        *,
        numbers=frozenset(),
        in_thread: bool = True,
        moderator: bool = False,
        csrf_token: str = "",
        can_ban: bool = False,
        can_delete: bool = False,
        looks_published: Callable | None = None,
    ) -> None:
        self.numbers = numbers
        self.in_thread = in_thread
        # Outside the thread the card stands alone, quoted on another page.
        self.card_class = "" if in_thread else " comment__card--context"
        self.moderator = moderator
        self.csrf_token = escape(csrf_token)
        self.can_ban = can_ban
        self.can_delete = can_delete
        self.looks_published = looks_published or _is_published
        self.profile_prefix = badges.profile_url_prefix()
        self.author_markup = badges.author_markup()
        self.action_base = url_prefix("comments:reply", post_id=post.pk)
        self.permalink_base = url_prefix("comments:permalink", **post_url_kwargs(post))
        self._names: dict = {}

    def link(self, number: int) -> str:
        """Anchor on this page when the comment is here, else its permalink."""
        if number in self.numbers:
            return f"#c{number}"
        return f"{self.permalink_base}{number}/"

    def name(self, row) -> str:
        """Name and marks (accounts.badges, comments/_comment_author.jinja), once per author."""
        key = row.author_id if row.author_id is not None else (row.guest_name, row.guest_email)
        found = self._names.get(key)
        if found is None:
            found = self._names[key] = badges.comment_author_html(
                author_id=row.author_id,
                username=row.author__username or "",
                display_name=row.author__display_name or "",
                guest_name=row.guest_name,
                guest_email=row.guest_email,
                roles=badges.roles_from(row.author__is_superuser, row.author_groups),
                prefix=self.profile_prefix,
                markup=self.author_markup,
            )
        return found


def _is_published(row) -> bool:
    return row.status == Comment.Status.PUBLISHED


def card_view(
    row, page: CardPage, *, backlinks=(), is_placeholder: bool = False, css: str = "comment"
) -> CardView:
    """The card's values for one comment row (see rendering.ROW_FIELDS), escaped."""
    n = row.number
    if is_placeholder:
        reason = getattr(row, "moderation_reason", "")
        text = PLACEHOLDER_TEXT.get(row.status, "not shown")
        if reason and row.status in REASON_SHOWN:
            text = f"{text}: {escape(reason)}"
        return CardView(
            n, "comment comment--placeholder", None, "", "", "", "", False, None, "", "",
            False, "", "", _backlinks(backlinks, page), True, text, (),
        )  # fmt: skip
    shown = page.looks_published(row)
    status = flags = ""
    moderation = ()
    if not shown:
        css += f" comment--{row.status}"
        label = Comment.Status(row.status).label
        reason = getattr(row, "moderation_reason", "")
        status = escape(f"{label}. {reason}" if reason else label)
    if page.moderator:
        count = getattr(row, "open_flag_count", 0)
        if count:
            css += " comment--flagged"
            flags = escape(
                f"Flagged by {count} reader{'' if count == 1 else 's'}: {flag_reasons(row)}"
            )
        moderation = tuple(moderation_buttons(row.status, count))
    parent = row.parent_number
    # Positional, in CardView's order: a thousand cards a page (keywords cost more).
    return CardView(
        n,
        css,
        row.author_id,
        page.name(row),
        page.link(n) if page.in_thread else f"{page.permalink_base}{n}/",
        row.created_iso,
        row.created_text,
        row.is_edited,
        parent,
        "" if parent is None else page.link(parent),
        row.body_html,
        shown,
        status,
        flags,
        _backlinks(backlinks, page) if backlinks else (),
        False,
        "",
        moderation,
    )


def _backlinks(numbers, page: CardPage) -> tuple:
    """(number, href, separator before it) for each comment answering or citing one."""
    if not numbers:
        return ()
    return tuple((m, page.link(m), ", " if i else "") for i, m in enumerate(numbers))


def flag_reasons(row) -> str:
    """The flag reasons as readers chose them ("Off-topic"), not their stored codes."""
    codes = (row.open_flag_reasons or "").split(", ")
    return ", ".join(Flag.Reason(code).label for code in codes if code in Flag.Reason.values)


def moderation_buttons(status: str, open_flags: int) -> list[tuple[str, str]]:
    """Quick moderation actions offered under one comment: (action, label)."""
    s = Comment.Status
    buttons = []
    if status in (s.PENDING, s.SHADOWED):
        buttons.append(("publish", "Approve"))
    if status in (s.REMOVED, s.SPAM):
        buttons.append(("restore", "Restore"))
    if status in (s.PUBLISHED, s.PENDING, s.SHADOWED):
        buttons += [("remove", "Remove"), ("spam", "Spam")]
    if open_flags and status in (s.PUBLISHED, s.PENDING):
        buttons.append(("dismiss", "Dismiss flags"))
    return buttons


def render_cards(items, page: CardPage) -> str:
    """Cards through templates/comments/_comment.jinja; `items` as that template says."""
    card = engines["cards"].get_template("comments/_comment.jinja").template
    return card.render(items=items, page=page)


def render_flat(views, page: CardPage) -> str:
    """Cards outside a thread's nesting: no reply list opens, closes or folds after any."""
    return render_cards([(view, False, 0, 0, 0) for view in views], page)


class CommentRow(NamedTuple):
    """A Comment object in the shape of a thread row, for the card on other pages."""

    number: int
    parent_number: int | None
    status: str
    body_html: str
    created_iso: str
    created_text: str
    is_edited: bool
    author_id: int | None
    author__username: str
    author__display_name: str
    guest_name: str
    guest_email: str
    moderation_reason: str
    author__is_superuser: bool = False
    author_groups: list | None = None  # no role badges outside the thread


def comment_row(comment: Comment) -> CommentRow:
    """A saved comment (with its author fetched) as a card row."""
    local = timezone.localtime(comment.created_at)
    author = comment.author
    return CommentRow(
        number=comment.number,
        parent_number=comment.parent_number,
        status=comment.status,
        body_html=comment.body_html,
        created_iso=comment.created_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        created_text=f"{local.day} {local:%b %Y, %H:%M}",
        is_edited=comment.edited_at is not None,
        author_id=comment.author_id,
        author__username=author.username if author else "",
        author__display_name=author.display_name if author else "",
        guest_name=comment.guest_name,
        guest_email=comment.guest_email,
        moderation_reason=comment.moderation_reason,
    )


def url_prefix(name: str, **kwargs) -> str:
    """The part of a per-comment URL before the number, reversed once per render
    (four URLs for each of a thousand comments would dominate the page time)."""
    return prefix_before_last(name, last="number", sample=0, **kwargs)


def post_url_kwargs(post) -> dict:
    local = timezone.localtime(post.published_at)
    return {"year": local.year, "month": local.month, "day": local.day, "slug": post.slug}
