"""Choosing one parent from a comment's references, or none with the reason.

A reference *opens* the comment when only greetings, the post author's name, other
references or quotations stand before it. Opening references speak for the comment;
mid-text ones count only when nothing opens it. References agree when they share a
target (`@Carl` agrees with `#3` if Carl wrote #3). Agreeing rules raise the
confidence; disagreement among the speaking references links nothing, except a list
of numbers or names opening the comment (`@3 and @5`), which links the first, less surely.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from imports.inference.state import Ref
from imports.inference.text import CommentText

# Words that may stand before a reference without stopping it from opening the comment.
_OPENING_WORDS = frozenset(
    [
        "dear",
        "hi",
        "hello",
        "hey",
        "re",
        "to",
        "and",
        "or",
        "thanks",
        "thank",
        "you",
        "thx",
        "yes",
        "no",
        "ok",
        "okay",
        "lol",
        "well",
        "also",
        "so",
        "oh",
        "ah",
        "hmm",
        "see",
        "at",
        "per",
        "as",
        "comment",
        "ps",
    ]
)
_WORD = re.compile(r"[^\W_]+")
_AGREEMENT_BONUS = 0.05
_OTHERS_PENALTY = 0.85  # the comment also refers elsewhere
_LIST_PENALTY = 0.7  # "@3 and @5": the first of several


@dataclass(slots=True)
class Decision:
    """A chosen parent (entry id) with how it was found, or why none was."""

    target: int | None
    rule: str = ""
    confidence: float = 0.0
    evidence: str = ""
    why_not: str = ""


def mark_openings(refs: list[Ref], text: CommentText, allowed_words: frozenset[str]) -> None:
    """Set `is_opening` on each reference with nothing but greetings and quotes before it."""
    covered = sorted([*text.quoted, *((r.position, r.end) for r in refs)])
    for ref in refs:
        ref.is_opening = _only_greetings_before(text.scan, ref.position, covered, allowed_words)


def _only_greetings_before(
    scan: str, position: int, covered: list[tuple[int, int]], allowed_words: frozenset[str]
) -> bool:
    """Whether the uncovered text before `position` holds only greetings and allowed names."""
    cursor = 0
    for start, end in covered:
        if start >= position:
            break
        if not _greeting_only(scan[cursor:start], allowed_words):
            return False
        cursor = max(cursor, end)
    return cursor >= position or _greeting_only(scan[cursor:position], allowed_words)


def _greeting_only(gap: str, allowed_words: frozenset[str]) -> bool:
    """Whether a stretch of text holds only greetings, connectives and allowed names."""
    return all(w in _OPENING_WORDS or w in allowed_words for w in _WORD.findall(gap.casefold()))


def resolve(refs: list[Ref], number_of: Callable[[int], int]) -> Decision:
    """One parent from the references (ordered by position), or none and why."""
    speaking = [r for r in refs if r.is_opening]
    from_opening = bool(speaking)
    speaking = speaking or refs
    common = set(speaking[0].targets).intersection(*(r.targets for r in speaking[1:]))
    if not common:
        first = speaking[0]
        if (
            from_opening
            and first.rule in ("number", "at_name")
            and all(r.rule == first.rule for r in speaking)
            and not first.is_ambiguous
        ):
            others = _describe(refs[1:], number_of)
            return Decision(
                first.targets[0],
                first.rule,
                _confidence(first) * _LIST_PENALTY,
                f"{first.evidence} (first of several: {others})",
            )
        return Decision(
            None, why_not=f"refers to {_describe(speaking, number_of)}: no single parent"
        )
    leader = next((r for r in speaking if not r.is_ambiguous), None)
    if leader is None and len(common) > 1:
        # An ambiguous opening (a footer fitting two comments) may be settled by the rest.
        for other in refs:
            if other not in speaking and len(common.intersection(other.targets)) == 1:
                common = common.intersection(other.targets)
                break
    if leader is None and len(common) > 1:
        choices = ", ".join(f"#{number_of(t)}" for t in sorted(common))
        reason = speaking[0].conflict or f"{speaking[0].evidence!r} fits several comments"
        return Decision(None, why_not=f"{reason} ({choices})")
    target = next(t for t in leader.targets if t in common) if leader else next(iter(common))
    agreeing = [r for r in refs if target in r.targets]
    if all(r.conflict for r in agreeing):
        return Decision(None, why_not=agreeing[0].conflict)
    best = max(agreeing, key=_confidence)
    rules = {r.rule for r in agreeing}
    confidence = min(_confidence(best) + _AGREEMENT_BONUS * (len(rules) - 1), 0.99)
    evidence = " + ".join(dict.fromkeys(r.evidence for r in agreeing))
    others = [r for r in refs if target not in r.targets]
    if others:
        confidence *= _OTHERS_PENALTY
        evidence += f" (also refers to {_describe(others, number_of)})"
    return Decision(target, best.rule, confidence, evidence)


def _confidence(ref: Ref) -> float:
    """A reference's confidence where it stands: opening the comment or mid-text."""
    return ref.confidence if ref.is_opening or not ref.mid_confidence else ref.mid_confidence


def _describe(refs: list[Ref], number_of: Callable[[int], int]) -> str:
    """`#3 (number '@3'), #9 (at_name '@Carl')` for a reason shown to moderators."""
    return ", ".join(
        f"#{number_of(r.targets[0])} ({r.rule} {r.evidence!r})" if r.targets else repr(r.evidence)
        for r in refs
    )
