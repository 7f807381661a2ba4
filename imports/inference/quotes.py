"""Quotation of earlier text: every run of 8 words a comment writes is indexed by hash,
so a later comment quoting it (case, punctuation and spacing aside) finds its owner in
time linear in its own length, whatever the size of the post."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import repeat

from imports.inference.text import CommentText

SHINGLE_WORDS = 8
MIN_QUOTE_CHARS = 40
POST = -2  # owner of a passage of the post itself
SHARED = -3  # owner of a passage several comments wrote (a common phrase, not a quote)

# Words are what str.split leaves once ASCII punctuation and typographic marks are spaces;
# _WORD finds the same words with their positions, needed only when a comment quotes.
_MARKS = "\u2013\u2014\u2026\u00ab\u00bb\u201c\u201d\u2018\u2019\u00a0"
_SEPARATORS = "".join(chr(c) for c in range(128) if not chr(c).isalnum()) + _MARKS
_TO_SPACE = str.maketrans(dict.fromkeys(_SEPARATORS, " "))
_WORD = re.compile("[^\\s" + re.escape(_SEPARATORS) + "]+")


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each of `words_of(text)` stands in `text`."""
    return [m.span() for m in _WORD.finditer(text)]


def words_of(text: str) -> list[str]:
    """The words of a text, case-folded, punctuation dropped."""
    return text.casefold().translate(_TO_SPACE).split()


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
        self.owners.update(dict.fromkeys(_hashes(words_of(text)), POST))

    def find(self, text: CommentText, words: list[str]) -> tuple[list[QuotedRun], list[int], bool]:
        """Passages of `text` (whose `words`) quoting indexed text, the hashes of its 8-word
        runs, and whether none of them was seen before (then `add` has nothing to check)."""
        hashes = _hashes(words)
        if not hashes or self.owners.keys().isdisjoint(hashes):
            return [], hashes, True
        found = list(_WORD.finditer(text.scan))
        if len(found) != len(words):
            return [], hashes, False  # case folding changed the words; leave it unquoted
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
            start, end = found[first].start(), found[end_word - 1].end()
            if end - start >= MIN_QUOTE_CHARS:
                quoted.append(QuotedRun(owner, start, end, end_word - first))
        return quoted, hashes, False

    def add(self, entry_id: int, text: CommentText, hashes: list[int], fresh: bool) -> None:
        """Index a comment's own 8-word runs, leaving out its quoted spans (`text.quoted`).

        A run another comment already wrote becomes SHARED: a common phrase, no quote."""
        owners = self.owners
        if text.quoted:
            hashes = _hashes(words_of(_blanked(text.scan, text.quoted)))
        elif fresh:
            owners.update(zip(hashes, repeat(entry_id)))
            return
        if owners.keys().isdisjoint(hashes):
            owners.update(dict.fromkeys(hashes, entry_id))
            return
        for value in hashes:
            owner = owners.get(value)
            if owner is None:
                owners[value] = entry_id
            elif owner not in (entry_id, POST):
                owners[value] = SHARED


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the given spans replaced by spaces."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _hashes(words: list[str]) -> list[int]:
    """Hashes of every run of SHINGLE_WORDS consecutive words."""
    if len(words) < SHINGLE_WORDS:
        return []
    return list(map(hash, zip(*(words[k:] for k in range(SHINGLE_WORDS)), strict=False)))
