"""Finding the references a comment makes to earlier ones by number (`@16`, `#16`) and by
name (`@Name`, `Name:`). Each finder returns `Ref`s; `footers.py` reads pasted footers and
`Name | date`, `resolve.py` decides."""

from __future__ import annotations

import re

from imports.inference.state import Ref, ThreadState, name_key
from imports.inference.text import CommentText

# --- numbers: @16, @ 16, #16, # 16, comment 16, (16) ---------------------------------

# Both start with a literal so the scan skips ahead quickly; what stands before is checked
# by hand (`_NOT_BEFORE`), a look-behind would slow every position down.
_SIGN_NUMBER = re.compile(r"(?:(?P<at>@)|(?P<hash>#))[ \t]?(?P<n>\d{1,6})(?!\w)(?![.,:/-]\d)")
_WORD_NUMBER = re.compile(r"omment[ \t]*(?:#|no\.?|number)?[ \t]?(?P<n>\d{1,6})(?!\w)(?![.,:/-]\d)")
_NOT_BEFORE = frozenset("@#&$£€/+*=-_")
_BARE_NUMBER_BEFORE = re.compile(r"(?:^|[\s(])\d+(?:[.,:-]\d+)*[ \t]*$")
# What after a number makes it a time, amount, count or rank rather than a comment.
_NOT_A_COMMENT_AFTER = re.compile(
    r"[ \t]*(?:%|percent|per\b|[ap]\.?m\b|o'?clock|h\b|hrs?\b|hours?"
    r"|min(?:ute)?s?\b|sec(?:ond)?s?\b"
    r"|days?\b|weeks?\b|months?\b|y(?:ea)?rs?\b|dollars?|euros?|pounds?|bucks|cents?|usd\b|eur\b"
    r"|k\b|m\b|bn\b|mn\b|million|billion|thousand|hundred|mph|kph|km|kms|miles?|meters?|feet"
    r"|ft\b|kg|lbs?\b|tons?\b|people|persons?|men\b|women\b|troops|soldiers|times\b|each\b"
    r"|a piece|apiece|x\b)",
    re.I,
)
# "#1 priority", "our #1 enemy": a rank, not a comment.
_RANK_AFTER = re.compile(
    r"[ \t]*(?:priorit|fan|reason|problem|issue|enem|rule|spot|seed|pick|choice|target|threat"
    r"|goal|killer|cause|source|seller|hit|song|place|position|rank|team|player|country"
    r"|economy|sponsor|export|import|produc|supplier|destination|concern|objective|mistake"
    r"|lesson|trading|partner|ally|allies|in the world|on the list|in line|in command)"
    r"[a-z]*(?![ \t]*[?!:])",  # "#2 source?" asks comment 2
    re.I,
)
_RANK_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|our|my|your|his|her|its|their|is|was|are|were|be|been|ranked|rank)"
    r"|'s)[ \t]*$",
    re.I,
)
_ENUMERATION = re.compile(r"\(\s?(?P<n>\d{1,3})\s?\)")
_OPENING_PAREN = re.compile(r"[ \t\n]*\(\s?(?P<n>\d{1,3})\s?\)")


def find_numbers(state: ThreadState, entry_id: int, text: CommentText) -> list[Ref]:
    """`@16`, `#16`, `comment 16` anywhere outside quotes, `(16)` opening the comment."""
    scan = text.scan
    refs: list[Ref] = []
    matches = []
    if "@" in scan or "#" in scan:
        matches.extend((m.start(), m) for m in _SIGN_NUMBER.finditer(scan))
    if "omment" in scan:
        matches.extend(
            (m.start() - 1, m)
            for m in _WORD_NUMBER.finditer(scan)
            if m.start() and scan[m.start() - 1] in "cC"
        )
    for start, match in sorted(matches, key=_first):
        previous = scan[start - 1 : start]
        if previous and (previous.isalnum() or previous in _NOT_BEFORE):
            continue
        if text.quoted and text.is_quoted(start):
            continue
        if _NOT_A_COMMENT_AFTER.match(scan, match.end()):
            continue
        before = scan[max(0, start - 24) : start]
        if _BARE_NUMBER_BEFORE.search(before):  # "3 @ 5", "2 #3": arithmetic, prices, scores
            continue
        is_sign = match.re is _SIGN_NUMBER
        if (
            is_sign
            and match.group("hash")
            and (_RANK_AFTER.match(scan, match.end()) or _RANK_BEFORE.search(before))
        ):
            continue
        target = state.earlier_by_number(int(match.group("n")), entry_id)
        if target is None:
            continue
        if not is_sign:
            confidence, mid = 0.9, 0.7
        elif match.group("at"):
            confidence, mid = 0.95, 0.65
        else:
            confidence, mid = 0.9, 0.6
        evidence = scan[start : match.end()]
        refs.append(_number_ref(state, scan, evidence, start, match.end(), target, confidence, mid))
    opening = _OPENING_PAREN.match(scan)
    if opening and not (text.quoted and text.is_quoted(opening.start("n"))):
        number = int(opening.group("n"))
        is_list = any(int(m.group("n")) == number + 1 for m in _ENUMERATION.finditer(scan))
        target = None if is_list else state.earlier_by_number(number, entry_id)
        if target is not None:
            refs.append(
                _number_ref(
                    state,
                    scan,
                    opening.group().strip(),
                    opening.start("n") - 1,
                    opening.end(),
                    target,
                    0.7,
                    0.5,
                )
            )
    return refs


def _has_word(text: str, words: str) -> bool:
    """Whether `words` stands in `text` as whole words."""
    at = text.find(words)
    while at >= 0:
        after = at + len(words)
        if (at == 0 or not text[at - 1].isalnum()) and (
            after == len(text) or not text[after].isalnum()
        ):
            return True
        at = text.find(words, at + 1)
    return False


def _first(pair: tuple[int, re.Match[str]]) -> int:
    """Sort key: where a reference starts."""
    return pair[0]


def _number_ref(
    state: ThreadState,
    scan: str,
    evidence: str,
    start: int,
    end: int,
    target: int,
    confidence: float,
    mid: float,
) -> Ref:
    """A number reference, surer when the target's author is named right beside it."""
    key = state.entries[target].key
    if len(key) >= 3:
        window = name_key(scan[max(0, start - 40) : end + 40])
        if _has_word(window, key):
            confidence, mid = min(confidence + 0.1, 0.98), min(mid + 0.1, 0.98)
            evidence = f"{evidence} (beside the name {state.entries[target].comment.author_name})"
    return Ref("number", start, end, (target,), confidence, evidence, mid_confidence=mid)


# --- @Name anywhere, Name: / Name, / Dear Name opening the comment --------------------

_AT_NAME = re.compile(r"@[ \t]?(?=[^\W\d_])")
_NAME_TOKEN = re.compile(r"[^\W_]+(?:['.\-][^\W_]+)*\.?")
_GREETING = re.compile(
    r"[ \t\n]*(?:(?P<greeting>dear|hi|hello|hey|thanks|thank you|thx|re:?|to)\b[ \t,]+)?", re.I
)
_AFTER_OPENING_NAME = re.compile(r"[ \t]*(?:[:,;]|--?|\u2013|\u2014|\n|$)")


def find_names(state: ThreadState, entry_id: int, text: CommentText) -> list[Ref]:
    """`@Mary Ann` anywhere, and a name opening the comment (`Carl:`, `Carl,`, `Dear Carl`)."""
    scan = text.scan
    refs: list[Ref] = []
    if "@" in scan:
        for match in _AT_NAME.finditer(scan):
            previous = scan[match.start() - 1 : match.start()]
            if previous and (previous.isalnum() or previous in "@_"):
                continue
            if text.quoted and text.is_quoted(match.start()):
                continue
            found = _name_at(state, scan, match.end(), entry_id)
            if found:
                key, end = found
                refs.append(_name_ref(state, key, match.start(), end, scan, 0.85, 0.6, entry_id))
    greeting = _GREETING.match(scan)
    start = greeting.end()
    if scan.startswith("@", start) or (text.quoted and text.is_quoted(start)):
        return refs
    found = _name_at(state, scan, start, entry_id)
    if found:
        key, end = found
        punctuated = _AFTER_OPENING_NAME.match(scan, end)
        if punctuated or greeting.group("greeting"):
            after = punctuated.group().strip() if punctuated else ""
            confidence = {":": 0.8, ",": 0.75}.get(
                after, 0.7 if not greeting.group("greeting") else 0.75
            )
            refs.append(_name_ref(state, key, start, end, scan, confidence, confidence, entry_id))
    return refs


def _name_at(state: ThreadState, scan: str, start: int, before: int) -> tuple[str, int] | None:
    """The longest earlier commenter's name written at `start`, and where it ends.

    The post author's names never count, and a longer excluded name hides shorter ones."""
    first = _NAME_TOKEN.match(scan, start)
    if not first:
        return None
    word = first.group().casefold()
    if word not in state.first_words and word.rstrip(".") not in state.first_words:
        return None  # no commenter's name starts so: most comments end here
    ends: list[int] = []
    position = start
    for token in _NAME_TOKEN.finditer(scan, start, start + 80):
        gap = scan[position : token.start()]
        if not ends and token.start() != start:
            break
        if ends and (not gap or len(gap) > 2 or gap.strip() or "\n" in gap):
            break
        ends.append(token.end())
        position = token.end()
        if len(ends) >= state.longest_name_words:
            break
    for end in reversed(ends):
        candidates = [scan[start:end]]
        if candidates[0].endswith("."):
            candidates.append(candidates[0][:-1])
        for candidate in candidates:
            key = name_key(candidate)
            if key in state.excluded_names:
                return None
            earlier = state.names.get(key)
            if earlier and earlier[0] < before:
                return key, start + len(candidate)
    return None


def _name_ref(
    state: ThreadState,
    key: str,
    start: int,
    end: int,
    scan: str,
    confidence: float,
    mid: float,
    before: int,
) -> Ref:
    """A name reference: the latest earlier comment by that name is preferred."""
    targets = tuple(e for e in reversed(state.names[key]) if e < before)
    if len(targets) > 1:  # the name wrote more than once: the latest is a guess
        confidence, mid = confidence - 0.05, mid - 0.05
    return Ref(
        "at_name", start, end, targets, confidence, scan[start:end].strip(), mid_confidence=mid
    )
