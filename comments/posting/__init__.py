"""Writing comments: create, edit, delete. Every write to a thread goes through here.

- `create`: posting a comment or reply, in steps named for what each decides.
- `under_lock`: what posting reads while the post's row is locked (two statements).
- `edit`: the writer's own edit (within the window) and withdrawal.
- `checks`: refusals shared by posting, editing and the post page (closed post, ban,
  body, who may write).
- `references`: `@N` / `#N` in a body and the permalinks they become.
"""

from comments.posting.checks import (
    MAX_BODY_LENGTH,
    CommenterBanned,
    CommentsClosed,
    EmailNotConfirmed,
    ban_refusal_message,
    clean_comment_body,
    clean_guest_identity,
    comments_closed_by_age,
    comments_closed_reason,
    no_such_parent,
)
from comments.posting.create import comment_create
from comments.posting.edit import (
    comment_delete_own,
    comment_edit,
    edit_refusal,
    edit_window,
    thread_changed,
)
from comments.posting.references import (
    cited_numbers,
    quotes_refresh,
    reference_url_for,
    render_comment_body,
)

__all__ = [
    "MAX_BODY_LENGTH",
    "CommentsClosed",
    "CommenterBanned",
    "EmailNotConfirmed",
    "ban_refusal_message",
    "cited_numbers",
    "clean_comment_body",
    "clean_guest_identity",
    "comment_create",
    "comment_delete_own",
    "comment_edit",
    "comments_closed_by_age",
    "comments_closed_reason",
    "edit_refusal",
    "edit_window",
    "no_such_parent",
    "quotes_refresh",
    "reference_url_for",
    "render_comment_body",
    "thread_changed",
]
