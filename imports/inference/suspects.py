"""Impersonation suspects: one name used with different e-mails or addresses in a post,
and comments a later one disowns ("That comment @ 2 isn't mine")."""

from __future__ import annotations

import re

from imports.inference.state import Entry, Ref

_DISOWNING = re.compile(
    r"(?:is|was)n'?t (?:mine|me|my comment|from me|written by me|posted by me)"
    r"|(?:is|was) not (?:mine|me|my comment|from me|written by me|posted by me)"
    r"|not (?:written|posted|sent) by me|(?:wasn't|was not|isn't|is not|not) (?:the real|really) me"
    r"|(?:didn't|did not|never) (?:write|wrote|post|posted|type|typed) (?:that|this|it)\b"
    r"|(?:posted|posting|commenting|writing|posing) (?:under|using|with|as) my (?:name|handle|nick)"
    r"|(?:using|used|uses|stole|stolen|stealing|took|taken|borrow\w*) my (?:name|handle|nick)"
    r"|impersonat\w*|pretending to be me",
    re.I,
)
_NEAR = 120  # characters between a disowning phrase and the reference it is about
_SAYS_MY_NAME = re.compile(r"my (?:name|handle|nick)|impersonat|pretending", re.I)


def disowned(
    entries: list[Entry], entry_id: int, scan: str, refs: list[Ref]
) -> list[tuple[int, str]]:
    """Earlier entries this comment says its author did not write: (entry id, why)."""
    if not _DISOWNING.search(scan):
        return []
    me = entries[entry_id]
    found: dict[int, str] = {}
    for phrase in _DISOWNING.finditer(scan):
        near = [
            r
            for r in refs
            if r.targets and r.position - _NEAR <= phrase.start() and phrase.end() <= r.end + _NEAR
        ]
        for ref in near:
            target = ref.targets[0]
            if entries[target].key == me.key or _SAYS_MY_NAME.search(phrase.group()):
                found.setdefault(
                    target, f"#{me.number} says of {ref.evidence!r}: {phrase.group()!r}"
                )
        if not near and me.key:
            same_name = [e for e in range(entry_id) if entries[e].key == me.key]
            if len(same_name) == 1:
                found.setdefault(
                    same_name[0], f"#{me.number} by the same name says: {phrase.group()!r}"
                )
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
