"""Writing many comments at once, as they were (imports), and moving one within its thread.

`comment_create` posts one new comment the way a reader does: it checks the
writer, numbers it and screens it. An import stores a post's history instead:
numbers, dates, statuses and parents are given, nobody is screened or notified,
and a whole post goes in one INSERT. Both end with the same thread keys
(`comments.tree.thread_keys` gives what posting one by one would have given),
the same rendered bodies (`@N`/`#N` link to earlier comments) and the same
counter bumps, under the same lock of the post's row.
"""

import functools
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F

from blog.cache_keys import comments_changed
from blog.markup import render_comment_html
from blog.models import Post
from comments.models import Comment
from comments.posting import reference_url_for, thread_changed
from comments.tree import thread_keys

BATCH_SIZE = 1000
_KEY_FIELDS = ("root_number", "thread_position", "depth")


@dataclass(slots=True)
class CommentDraft:
    """One comment to store as it was: its HTML is sanitised and its @N/#N linked on the way."""

    number: int
    parent_number: int | None
    html: str  # as written, unsanitised
    body: str  # a plain-text version for the Markdown field (quoting, editing)
    created_at: datetime
    status: str = Comment.Status.PUBLISHED
    author_id: int | None = None
    guest_name: str = ""
    guest_email: str = ""
    ip_address: str | None = None
    moderation_reason: str = ""


@dataclass(slots=True)
class _Row:
    id: int
    number: int
    parent_number: int | None
    root_number: int = 0
    thread_position: int = 0
    depth: int = 0


def comments_import(
    *, post: Post, drafts: list[CommentDraft], bump_caches: bool = True
) -> list[int]:
    """Store comments on a post with their numbers, dates, statuses and parents as given.

    Numbers must be free on the post; a parent must be an older comment (a lower
    number) already on the post or among `drafts`, else the comment is stored
    top-level. The whole thread's keys are rebuilt, so existing comments make
    room for imported replies. Returns the new comments' ids, in the order given.
    """
    if not drafts:
        return []
    # No savepoint of its own: a failure undoes the caller's whole transaction (the post).
    with transaction.atomic(savepoint=False):
        locked = Post.objects.select_for_update().only("last_comment_number").get(pk=post.pk)
        # A post that never had a comment has no thread to fit into.
        existing = _thread_rows(post.pk) if locked.last_comment_number else []
        taken = {row.number for row in existing}
        numbers = [draft.number for draft in drafts]
        repeated = [number for number, count in Counter(numbers).items() if count > 1]
        clashes = sorted(taken.intersection(numbers)) or sorted(repeated)
        if clashes or min(numbers) < 1:
            raise ValueError(f"Comment numbers already used on {post}: {clashes}")
        ids = _next_ids(len(drafts))
        id_of = {row.number: row.id for row in existing}
        id_of.update(zip(numbers, ids, strict=True))
        rows = existing + [
            _Row(id_, draft.number, draft.parent_number)
            for id_, draft in zip(ids, drafts, strict=True)
        ]
        keys = thread_keys(rows)
        url_for = functools.cache(reference_url_for(post, taken.union(numbers)))
        values = []
        for id_, draft in zip(ids, drafts, strict=True):
            key = keys[draft.number]
            parent_number = draft.parent_number if key.depth else None
            body_html, cited = render_comment_html(
                draft.html,
                reference_url=lambda n, own=draft.number: url_for(n) if n < own else None,
            )
            values.append(
                {
                    "id": id_,
                    "post": post.pk,
                    "number": draft.number,
                    "parent": id_of[parent_number] if parent_number else None,
                    "parent_number": parent_number,
                    "depth": key.depth,
                    "root_number": key.root_number,
                    "thread_position": key.thread_position,
                    "author": draft.author_id,
                    "guest_name": "" if draft.author_id else draft.guest_name[:60],
                    "guest_email": "" if draft.author_id else draft.guest_email[:254],
                    "body": draft.body,
                    "body_html": body_html,
                    "referenced_numbers": cited,
                    "status": draft.status,
                    "moderation_reason": draft.moderation_reason[:300],
                    "created_at": draft.created_at,
                    "ip_address": draft.ip_address,
                }
            )
        copy_rows(Comment, values)
        _save_moved_keys(existing, keys)
        Post.objects.filter(pk=post.pk).update(
            last_comment_number=max(locked.last_comment_number, *numbers),
            comments_version=F("comments_version") + 1,
        )
    if bump_caches:
        comments_changed(post.pk)
    return ids


def copy_rows(model, rows: list[dict]) -> None:
    """INSERT many rows of `model` with PostgreSQL's COPY (several times faster than
    bulk_create for an import's hundred thousand rows).

    Each row gives values by field name (the first row decides which); fields it
    leaves out get their model default (the id: the table's sequence), so a field
    added later needs no change here.
    """
    if not rows:
        return
    given = rows[0].keys()
    # Without ids in the rows, the table's sequence numbers them.
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.generated and (field.name in given or not field.primary_key)
    ]
    defaults = {
        field.name: field.get_db_prep_save(field.get_default(), connection)
        for field in fields
        if field.name not in given
    }
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    names = [field.name for field in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN"  # noqa: S608 - names from the model, not input
        ) as copy,
    ):
        for row in rows:
            copy.write_row([row[name] if name in row else defaults[name] for name in names])


def comment_move(*, comment: Comment, parent: Comment | None) -> Comment:
    """Hang a comment under another, older comment of its post (None: top-level).

    The rest of the thread keeps its order; its replies move with it.
    """
    is_older = parent is None or (
        parent.post_id == comment.post_id and parent.number < comment.number
    )
    if not is_older:
        raise ValueError("A comment can only answer an older comment of the same post.")
    with transaction.atomic():
        Post.objects.select_for_update().only("pk").get(pk=comment.post_id)
        rows = _thread_rows(comment.post_id)
        moved = next(row for row in rows if row.id == comment.pk)
        moved.parent_number = parent.number if parent else None
        keys = thread_keys(rows)
        key = keys[moved.number]
        # Parent and depth change in one statement: the table checks that they agree.
        Comment.objects.filter(pk=comment.pk).update(
            parent_id=parent.pk if parent else None,
            parent_number=moved.parent_number,
            root_number=key.root_number,
            thread_position=key.thread_position,
            depth=key.depth,
        )
        _save_moved_keys([row for row in rows if row.id != comment.pk], keys)
        thread_changed(comment.post_id)
    comment.parent = parent
    comment.parent_number = moved.parent_number
    comment.root_number, comment.thread_position, comment.depth = key
    return comment


def _thread_rows(post_id: int) -> list[_Row]:
    return [
        _Row(*values)
        for values in Comment.objects.filter(post_id=post_id).values_list(
            "id", "number", "parent_number", *_KEY_FIELDS
        )
    ]


def _save_moved_keys(rows: list[_Row], keys) -> int:
    moved = []
    for row in rows:
        key = keys[row.number]
        if (row.root_number, row.thread_position, row.depth) != tuple(key):
            moved.append(
                Comment(
                    id=row.id,
                    root_number=key.root_number,
                    thread_position=key.thread_position,
                    depth=key.depth,
                )
            )
    if moved:
        # The position constraint is deferred: rows may pass through each other's slots.
        Comment.objects.bulk_update(moved, _KEY_FIELDS, batch_size=BATCH_SIZE)
    return len(moved)


def _next_ids(count: int) -> list[int]:
    """Reserve `count` comment ids, so replies can point at parents in the same INSERT."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Comment._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]
