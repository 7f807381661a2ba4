"""The comments app's models: the thread (`thread`) and its moderation (`moderation`)."""

from comments.models.moderation import Ban, BlockedTerm, Flag, ModerationAction
from comments.models.thread import Comment, CommentQuerySet, CommentRevision, ThreadVisit

__all__ = [
    "Ban",
    "BlockedTerm",
    "Comment",
    "CommentQuerySet",
    "CommentRevision",
    "Flag",
    "ModerationAction",
    "ThreadVisit",
]
