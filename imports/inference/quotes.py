"""Quotation of earlier text: every run of 8 words a comment writes is indexed by hash,
so a later comment quoting it (case, punctuation and spacing aside) finds its owner in
time linear in its own length, whatever the size of the post."""

from __future__ import annotations

import re
from dataclasses import dataclass

from imports.inference.text import CommentText

SHINGLE_WORDS = 8
MIN_QUOTE_CHARS = 40
POST = -2  # owner of a passage of the post itself
SHARED = -3  # owner of a passage several comments wrote (a common phrase, not a quote)

_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class QuotedRun:
    """A passage of a comment found earlier in the post or another comment."""

    owner: int  # entry id, or POST
    start: int  # character span in the comment's text
    end: int
    words: int


class QuoteIndex:
    """Hashes of every 8-word run in the post and in comments' own (unquoted) text."""

    def __init__(self) -> None:
        self.owners: dict[int, int] = {}

    def add_post(self, text: str) -> None:
        """Index the post's text: passages from it are quoted, but never link anywhere."""
        self.owners.update(dict.fromkeys(_hashes(_WORD.findall(text.casefold())), POST))

    def find(self, text: CommentText) -> tuple[list[QuotedRun], list[int]]:
        """Passages of `text` quoting indexed text, and the hashes of its own 8-word runs."""
        hashes = _hashes(_WORD.findall(text.scan.casefold()))
        if not hashes or self.owners.keys().isdisjoint(hashes):
            return [], hashes
        words = list(_WORD.finditer(text.scan))
        if len(words) != len(hashes) + SHINGLE_WORDS - 1:
            return [], hashes  # case folding changed the words; leave this one unquoted
        runs: list[list[int]] = []  # [owner, first word, end word]
        for position, owner in enumerate(map(self.owners.get, hashes)):
            if owner is None or owner == SHARED:
                continue
            if runs and runs[-1][0] == owner and position <= runs[-1][2]:
                runs[-1][2] = position + SHINGLE_WORDS
            else:
                runs.append([owner, position, position + SHINGLE_WORDS])
        quoted = []
        for owner, first, end_word in runs:
            start, end = words[first].start(), words[end_word - 1].end()
            if end - start >= MIN_QUOTE_CHARS:
                quoted.append(QuotedRun(owner, start, end, end_word - first))
        return quoted, hashes

    def add(self, entry_id: int, text: CommentText, hashes: list[int]) -> None:
        """Index a comment's own 8-word runs, leaving out its quoted spans (`text.quoted`)."""
        owners = self.owners
        if not text.quoted and owners.keys().isdisjoint(hashes):
            owners.update(dict.fromkeys(hashes, entry_id))
            return
        excluded = text.quoted
        starts = [m.start() for m in _WORD.finditer(text.scan)] if excluded else [0] * len(hashes)
        for position, value in enumerate(hashes):
            if excluded and any(s <= starts[position] < e for s, e in excluded):
                continue
            owner = owners.get(value)
            if owner is None:
                owners[value] = entry_id
            elif owner not in (entry_id, POST):
                owners[value] = SHARED


def _hashes(words: list[str]) -> list[int]:
    """Hashes of every run of SHINGLE_WORDS consecutive words."""
    if len(words) < SHINGLE_WORDS:
        return []
    return list(map(hash, zip(*(words[k:] for k in range(SHINGLE_WORDS)), strict=False)))
