"""What inference knows about a post's comments while it walks them oldest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from imports.records import SourceComment


def name_key(name: str) -> str:
    """A commenter's name as references compare it: case-folded, whitespace collapsed."""
    return " ".join(name.casefold().split())


@dataclass(slots=True)
class Entry:
    """One comment of the thread: an already-stored one (`index` None) or `post.comments[index]`."""

    comment: SourceComment
    number: int | None  # None for comments readers never saw numbered (pingbacks, spam)
    index: int | None
    key: str


@dataclass(slots=True)
class Ref:
    """A reference found in a comment's text, to one or more earlier entries."""

    rule: str
    position: int  # where it starts in the comment's text
    end: int
    targets: tuple[int, ...]  # entry ids, preferred first
    confidence: float
    evidence: str
    # True when the targets are equally likely (nothing prefers the first).
    is_ambiguous: bool = False
    # True when only greetings, other references or quotations stand before it.
    is_opening: bool = False
    # Why the reference cannot be trusted on its own (shown when nothing settles it).
    conflict: str = ""
    # Confidence when the reference stands mid-text instead of opening the comment (0: same).
    mid_confidence: float = 0.0


@dataclass(slots=True)
class ThreadState:
    """Comments in reading order (stored ones first) and the indexes references resolve with."""

    entries: list[Entry]
    tz: tzinfo | None
    excluded_names: frozenset[str]
    # number -> entry id; -1 when two entries share a number (then it names nobody).
    numbers: dict[int, int] = field(default_factory=dict)
    # name key -> entry ids already walked, oldest first.
    names: dict[str, list[int]] = field(default_factory=dict)
    longest_name_words: int = 1
    # First words of those names, to dismiss most text at a glance.
    first_words: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for entry_id, entry in enumerate(self.entries):
            if entry.number is not None:
                self.numbers[entry.number] = -1 if entry.number in self.numbers else entry_id

    def earlier_by_number(self, number: int, before: int) -> int | None:
        """The entry numbered `number` when it comes before entry `before`."""
        entry_id = self.numbers.get(number)
        if entry_id is None or entry_id < 0 or entry_id >= before:
            return None
        return entry_id

    def remember_name(self, entry_id: int) -> None:
        """Make an entry findable by its author's name for the comments after it."""
        key = self.entries[entry_id].key
        if not key:
            return
        names = self.names.get(key)
        if names is None:
            self.names[key] = [entry_id]
            self.first_words.add(key.split(" ", 1)[0])
            self.longest_name_words = max(self.longest_name_words, key.count(" ") + 1)
        else:
            names.append(entry_id)

    def local_time(self, entry_id: int) -> datetime:
        """An entry's time in the zone footers are read in."""
        created_at = self.entries[entry_id].comment.created_at
        return created_at.astimezone(self.tz) if self.tz is not None else created_at
