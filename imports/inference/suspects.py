"""Impersonation suspects: one name used with different e-mails or addresses in a post,
and comments a later one disowns ("the comment #4 under my name was not me")."""

from __future__ import annotations

import re

from imports.inference.quotes import word_spans
from imports.inference.state import Entry, Ref

# Disowning phrases are read on the comment's words (case-folded, punctuation dropped, so
# "isn't" is "isn t"): an anchor word, then what stands before it (and after "my").
_NOT = r"(?:\bnot|n t|\bisnt|\bwasnt|\baint|\bnever)"
_BEFORE_MINE = re.compile(_NOT + r"(?: (?:really|all|actually))?$")
_BEFORE_ME = re.compile(
    _NOT + r"(?: (?:really|actually|the real|from|written by|posted by|sent by|by))?$"
    r"|\b(?:pretending|pretends|pretend|posing|poses|posed) (?:to be|as)$"
)
_BEFORE_MY_NAME = re.compile(
    r"\b(?:under|using|uses|used|use|with|as|stole|stolen|steal|stealing|took|taken|borrowed"
    r"|borrowing|hijacked|faked|faking|abusing|abused)$"
)
_BEFORE_WRITING = re.compile(r"(?:\bdidn t|\bdid not|\bdidnt|\bnever|\bnot)$")
_NAME_WORDS = frozenset(("name", "handle", "nick", "nickname", "username", "moniker"))
_WRITING = frozenset(
    ("write", "wrote", "written", "post", "posted", "type", "typed", "say", "said")
)
_THAT = frozenset(("that", "this", "it", "those", "these"))
_ANCHORS = frozenset(("mine", "me", "my", *_WRITING))
_NEAR = 120  # characters between a disowning phrase and the reference it is about


def disowning_phrases(words: list[str], impersonation: bool) -> list[tuple[int, int, bool]]:
    """Word spans [first, last] where the author denies writing something, and whether the
    phrase itself speaks of their name being used (`under my name`, `impersonating`);
    `impersonation` says whether the text holds that word at all (to skip looking for it)."""
    found = []
    if impersonation:
        found = [(i, i, True) for i, word in enumerate(words) if word.startswith("impersonat")]
    for i in _anchor_positions(words):
        word = words[i]
        first = max(0, i - 4)
        before = " ".join(words[first:i])
        after = words[i + 1] if i + 1 < len(words) else ""
        last = i
        if word == "mine":
            hit = _BEFORE_MINE.search(before)
        elif word == "me":
            hit = _BEFORE_ME.search(before)
        elif word == "my":
            if after in _NAME_WORDS and _BEFORE_MY_NAME.search(before):
                found.append((i - 1, i + 1, True))
                continue
            hit = _BEFORE_MINE.search(before) if after == "comment" else None
            last = i + 1
        else:
            hit = _BEFORE_WRITING.search(before) if after in _THAT else None
            last = i + 1
        if hit:
            found.append((first + before[: hit.start()].count(" "), last, False))
    return found


def _anchor_positions(words: list[str]) -> list[int]:
    """Positions of the anchor words, found without a Python loop over every word."""
    positions = []
    for anchor in _ANCHORS.intersection(words):
        at = words.index(anchor)
        while at >= 0:
            positions.append(at)
            try:
                at = words.index(anchor, at + 1)
            except ValueError:
                at = -1
    return sorted(positions)


def disowned(
    entries: list[Entry],
    entry_id: int,
    scan: str,
    words: list[str],
    refs: list[Ref],
    namesakes: list[int],
) -> list[tuple[int, str]]:
    """Earlier entries this comment says its author did not write: (entry id, why).

    A disowning phrase counts for the reference beside it when that reference names a
    comment under the author's name (or the phrase says the name was used); with no
    reference beside it, for the one earlier comment under the author's name, if only one.
    Only a comment whose author's name wrote before (`namesakes`) can disown anything."""
    if not namesakes:
        return []
    impersonation = "impersonat" in scan.casefold()
    if not impersonation and _ANCHORS.isdisjoint(words):
        return []
    phrases = disowning_phrases(words, impersonation)
    if not phrases:
        return []
    spans = word_spans(scan)
    if len(spans) != len(words):
        return []
    me = entries[entry_id]
    found: dict[int, str] = {}
    for first, last, says_name in phrases:
        start, end = spans[first][0], spans[last][1]
        phrase = " ".join(scan[start:end].split())
        near = [
            r for r in refs if r.targets and r.position - _NEAR <= start and end <= r.end + _NEAR
        ]
        for ref in near:
            target = ref.targets[0]
            if entries[target].key == me.key or says_name:
                found.setdefault(target, f"#{me.number} says of {ref.evidence!r}: {phrase!r}")
        if not near and len(namesakes) == 1:
            found.setdefault(namesakes[0], f"#{me.number} by the same name says: {phrase!r}")
    return list(found.items())


class NameIdentities:
    """Per name, the e-mails and IP addresses seen so far, to spot a second person using it."""

    def __init__(self) -> None:
        self.emails: dict[str, dict[str, int]] = {}
        self.addresses: dict[str, dict[str, int]] = {}

    def check(self, entries: list[Entry], entry_id: int) -> list[tuple[int, str]]:
        """Earlier entries under this entry's name with another e-mail or IP: (entry id, why)."""
        entry = entries[entry_id]
        if not entry.key:
            return []
        comment = entry.comment
        email = comment.author_email.strip().casefold()
        address = comment.ip_address.strip()
        found: list[tuple[int, str]] = []
        if email:
            seen = self.emails.setdefault(entry.key, {})
            if email not in seen and seen:
                other = next(iter(seen.values()))
                found.append((other, f"same name {comment.author_name!r}, another e-mail"))
            seen.setdefault(email, entry_id)
        if address:
            seen = self.addresses.setdefault(entry.key, {})
            if address not in seen and seen:
                other = next(iter(seen.values()))
                other_email = entries[other].comment.author_email.strip().casefold()
                # The same e-mail from a new address is one person on another network.
                if not (email and email == other_email) and all(o != other for o, _ in found):
                    found.append((other, f"same name {comment.author_name!r}, another IP address"))
            seen.setdefault(address, entry_id)
        return found
