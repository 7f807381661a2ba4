"""A writer's comments held for review, shown back to them in place, to no one else.

A held comment is in no reader's thread: the thread is rendered once and shared. Its
writer gets a copy beside the thread, in the part of the post page that is theirs alone
(comments.section), marked "Awaiting review"; comments.js moves it under the comment it
answers, and without JavaScript it stands just above the thread. A signed-in writer's
held comments are theirs by author; a guest's are remembered in their session when
posted. A session keeps every page of that guest out of the page cache anonymous readers
share (blog/page_cache.py), so the copy never reaches anyone else.
"""

from typing import NamedTuple

from django.utils.safestring import SafeString, mark_safe

from comments import cards, rendering
from comments.models import Comment

SESSION_KEY = "held_comments"  # {"<post id>": [numbers]}
NOTE = "Awaiting review: only you can see this comment until a moderator approves it."


class HeldCopy(NamedTuple):
    number: int
    parent: int | None
    html: SafeString  # the comment's card, drawn by comments/_comment.jinja


def remember(request, comment: Comment) -> None:
    """Keep a guest's held comment in their session, so their pages show it to them."""
    if comment.author_id is not None:
        return
    held = request.session.get(SESSION_KEY, {})
    numbers = held.setdefault(str(comment.post_id), [])
    if comment.number not in numbers:
        numbers.append(comment.number)
        request.session[SESSION_KEY] = held


def guest_numbers(request, post_id: int) -> list[int]:
    """The numbers of a guest's comments on the post their session remembers as held."""
    if request.user.is_authenticated:
        return []
    return request.session.get(SESSION_KEY, {}).get(str(post_id), [])


def is_guests_own(request, comment: Comment) -> bool:
    """A held comment this guest's session remembers writing (its permalink works for them)."""
    return comment.status == Comment.Status.PENDING and comment.number in guest_numbers(
        request, comment.post_id
    )


def copies(request, post, *, numbers: list[int], view: str, page: int, pages, shown) -> list:
    """Cards of the writer's comments on `post` still held for review (among `numbers`), for
    this page of comments; a guest's session forgets those no longer held. One query."""
    if not numbers:
        return []
    author = request.user if request.user.is_authenticated else None
    rows = list(
        Comment.objects.filter(
            post=post, number__in=numbers, author=author, status=Comment.Status.PENDING
        )
        .with_display_times()
        .with_author_roles()
        .in_thread_order()
        .values_list(*rendering.ROW_FIELDS, named=True)
    )
    if author is None and len(rows) != len(numbers):
        held = request.session[SESSION_KEY]
        held[str(post.pk)] = [row.number for row in rows]
        held = {key: value for key, value in held.items() if value}
        if held:
            request.session[SESSION_KEY] = held
        else:
            del request.session[SESSION_KEY]
    rows = [row for row in rows if rendering.is_on_page(row, view=view, page=page, pages=pages)]
    if not rows:
        return []
    card_page = cards.CardPage(post, numbers=shown | {row.number for row in rows})
    return [HeldCopy(row.number, row.parent_number, _card(row, card_page)) for row in rows]


def _card(row, card_page: cards.CardPage) -> SafeString:
    view = cards.card_view(row, card_page)._replace(css="comment comment--held", status=NOTE)
    return mark_safe(cards.render_flat([view], card_page))  # noqa: S308 - card_view escapes
