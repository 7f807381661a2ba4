"""The comments app's models: the thread and its flags (`thread`), moderation (`moderation`)."""

from comments.models.moderation import Ban, BlockedTerm, ModerationAction
from comments.models.thread import (
    Comment,
    CommentQuerySet,
    CommentRevision,
    Flag,
    ThreadVisit,
    comment_count,
)

__all__ = [
    "Ban",
    "BlockedTerm",
    "Comment",
    "CommentQuerySet",
    "CommentRevision",
    "Flag",
    "ModerationAction",
    "ThreadVisit",
    "comment_count",
]
