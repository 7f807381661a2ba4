"""Helpers for generated threads: banks of texts, posting times, quotable sentences."""

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

# A citation a comment opens with: "@12 ", "@ 12 ", "#12: ", "@Name: ".
LEADING_CITATION = re.compile(r"^(?:@ ?\d+|#\d+:?|@[^:\n]{1,40}:)\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Text:
    """A bank entry: the text, the words its target should contain, whose text it is."""

    text: str
    topic: str | None = None
    author: str | None = None

    @classmethod
    def of(cls, entry) -> "Text":
        if isinstance(entry, str):
            return cls(entry)
        topic, text, *author = entry
        return cls(text, topic, author[0] if author else None)


class Bank:
    """Texts drawn in a shuffled order, each once, until used up."""

    def __init__(self, entries: tuple, rng: random.Random, *, refill: bool = False):
        self.entries, self.rng, self.refill = [Text.of(e) for e in entries], rng, refill
        self.order = []
        self._shuffle()

    def _shuffle(self) -> None:
        self.order = list(self.entries)
        self.rng.shuffle(self.order)

    def draw(self) -> Text | None:
        if not self.order and self.refill:
            self._shuffle()
        return self.order.pop() if self.order else None

    def put_back(self, entry: Text) -> None:
        """Return an entry that found no comment to answer; it comes up again last."""
        self.order.insert(0, entry)


def timeline(rng: random.Random, count: int, start: datetime, span: timedelta) -> list:
    """Posting times for `count` comments over `span`: busiest early, always increasing."""
    seconds = sorted(span.total_seconds() * rng.random() ** 1.3 for _ in range(count))
    times, previous = [], 240.0
    for offset in seconds:
        previous = max(offset, previous + 20)
        times.append(start + timedelta(seconds=round(previous)))
    return times


def quotable_sentences(body: str) -> list[str]:
    """Sentences of a comment worth quoting: its own words, not quotes, links or citations."""
    lines = [
        line
        for line in body.splitlines()
        if line.strip() and not line.startswith((">", "-")) and " | " not in line
    ]
    text = LEADING_CITATION.sub("", " ".join(lines))
    return [
        sentence
        for sentence in _SENTENCE_END.split(text)
        if 25 <= len(sentence) <= 220 and "](" not in sentence and "<http" not in sentence
    ]
