"""Storing what a reader produced: one source post, its comments and their threads.

`import_post` (posts.py) writes one `SourcePost` in its own transaction: a post
that fails leaves nothing behind and the next one goes on. A post is found again
by its source identity (`ImportedPost`), a comment by (post, author name, date,
body hash) (`ImportedComment`, comments.py), so a re-run changes nothing and a
newer export adds only what is new, numbered after what the post already has.
Comments already imported are never touched again, which is also why a
moderator's review of an inferred link survives every re-import. Who wrote the
posts is settled in authors.py.

Pingbacks and trackbacks are not comments: they are skipped and counted (the
report lists them), never stored as comments.
"""

from imports.writing.authors import AuthorMap, AuthorMapError
from imports.writing.outcome import PostOutcome, confidence_band
from imports.writing.posts import import_post, old_path, source_identity, stored_thread

__all__ = [
    "AuthorMap",
    "AuthorMapError",
    "PostOutcome",
    "confidence_band",
    "import_post",
    "old_path",
    "source_identity",
    "stored_thread",
]
