"""Pasted footers (`Ann Lee | Mar 14, 2019 9:07:13 AM | 16`, often after `>>>>`), the
same without a number (`Carl | Mar 14, 2019 9:14`) or without a date (`Ann Lee | 16`):
the author and time must match an earlier comment to the precision written."""

from __future__ import annotations

import re
from datetime import datetime

from imports.inference.state import Ref, ThreadState, name_key
from imports.inference.text import CommentText

_MONTHS = {
    name: number
    for number, names in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
    for name in (names,)
}
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = (
    rf"(?:(?P<mon>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<mon2>{_MONTH}),?\s+(?P<year2>\d{{4}})"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"|(?P<um>\d{1,2})/(?P<ud>\d{1,2})/(?P<uy>\d{4}|\d{2}))"
    r"(?:,?[ \t]*(?:at[ \t]+|T)?(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:[ \t]*(?P<ampm>[ap])\.?m\b\.?)?)?"
)
_FOOTER = re.compile(
    r"^(?P<lead>[ \t>\"'*-]*)(?P<name>[^|\n]{1,80}?)[ \t]*\|[ \t]*"
    + _DATE
    + r"(?:[ \t]*\|[ \t]*#?(?P<num>\d{1,6})(?!\w))?",
    re.I | re.M,
)

# "Ann Lee | 16": a footer pasted without its date.
_SHORT_FOOTER = re.compile(
    r"^(?P<lead>[ \t>\"'*-]*)(?P<name>[^|\n]{1,80}?)[ \t]*\|[ \t]*#?(?P<num>\d{1,6})[ \t]*$", re.M
)


def find_footers(state: ThreadState, entry_id: int, text: CommentText) -> list[Ref]:
    """Pasted footers (`Ann Lee | Mar 14, 2019 9:07:13 AM | 16`) and `Name | date`, quoted or not.

    Every footer found is blanked from `text.scan` and marked quoted, whether it names a
    comment or not: its number is no `| 16` reference and its words are nobody's prose."""
    if "|" not in text.text:
        return []
    refs = []
    for match in _FOOTER.finditer(text.text):
        ref = _footer_ref(state, entry_id, match)
        if ref is not None:
            refs.append(ref)
        text.blank(match.start(), match.end())
    for match in _SHORT_FOOTER.finditer(text.text):
        ref = _short_footer_ref(state, entry_id, match)
        if ref is not None:
            refs.append(ref)
            text.blank(match.start(), match.end())
    return refs


def _short_footer_ref(state: ThreadState, entry_id: int, match: re.Match[str]) -> Ref | None:
    """`Ann Lee | 16` on a line of its own: the number, confirmed by its author's name."""
    target = state.earlier_by_number(int(match.group("num")), entry_id)
    key = _longest_known_suffix(state, match.group("name"), entry_id)
    if target is None or not key:
        return None
    evidence = match.group().strip()
    start, end = match.start("name"), match.end()
    if state.entries[target].key == key:
        return Ref("footer", start, end, (target,), 0.9, evidence)
    author = state.entries[target].comment.author_name
    why = f"footer {evidence!r}: #{match.group('num')} is by {author}"
    return Ref("footer", start, end, (target,), 0.7, evidence, conflict=why)


def _footer_ref(state: ThreadState, entry_id: int, match: re.Match[str]) -> Ref | None:
    """The comment a footer names: author and time to its precision, and its number if given."""
    when = _footer_time(match)
    if when is None:
        return None
    evidence = match.group().strip()
    start, end = match.start("name"), match.end()
    key = _longest_known_suffix(state, match.group("name"), entry_id)
    named = [e for e in state.names.get(key, ()) if e < entry_id] if key else []
    timed = [e for e in reversed(named) if _same_time(state, e, when)]
    number = match.group("num")
    by_number = state.earlier_by_number(int(number), entry_id) if number else None
    rule = "footer" if number or ">" in match.group("lead") else "name_date"
    precision = {None: 0.95, "minute": 0.9, "day": 0.75}
    if timed:
        if by_number in timed or (len(timed) == 1 and not number):
            target = by_number if by_number in timed else timed[0]
            confidence = 0.99 if number else precision[_precision(when)]
            return Ref(rule, start, end, (target,), confidence, evidence)
        if len(timed) == 1 and _precision(when) is None:
            # Author and time to the second name one comment; the number is off (renumbered page).
            note = f"{evidence} (the number names #{number}, author and time name this one)"
            return Ref("footer", start, end, (timed[0],), 0.8, note)
        targets = tuple(timed) + ((by_number,) if by_number is not None else ())
        if number and len(timed) == 1:
            why = f"footer {evidence!r}: author and time fit one comment, its number another"
        else:
            why = f"footer {evidence!r} fits more than one comment"
        return Ref(rule, start, end, targets, 0.8, evidence, is_ambiguous=True, conflict=why)
    if by_number is None:
        shifted = [e for e in reversed(named) if _zone_shift(state, e, when)]
        if len(shifted) != 1:
            return None
        # Author and minute (or second) agree, the hour does not: the footer was read in
        # another time zone than `tz`. Likely, but worth a moderator's look.
        hours = _zone_shift(state, shifted[0], when)
        confidence = 0.8 if _precision(when) is None else 0.7
        note = f"{evidence} ({hours:+d} h from the comment's time: another time zone?)"
        return Ref(rule, start, end, (shifted[0],), confidence, note)
    if key and state.entries[by_number].key == key:
        return Ref("footer", start, end, (by_number,), 0.8, f"{evidence} (time differs)")
    if not key:
        return Ref("number", start, end, (by_number,), 0.7, f"{evidence} (name unknown)")
    return Ref(
        "footer",
        start,
        end,
        (by_number,),
        0.7,
        evidence,
        conflict=(
            f"footer {evidence!r}: #{number} is by "
            f"{state.entries[by_number].comment.author_name}, and no comment by that name fits"
        ),
    )


def _footer_time(match: re.Match[str]) -> tuple | None:
    """(year, month, day, hours allowed, minute, second) from a footer; None when invalid."""
    try:
        if match.group("mon"):
            year, month, day = (
                int(match.group("year")),
                _month(match.group("mon")),
                int(match.group("day")),
            )
        elif match.group("mon2"):
            year, month, day = (
                int(match.group("year2")),
                _month(match.group("mon2")),
                int(match.group("day2")),
            )
        elif match.group("iy"):
            year, month, day = (
                int(match.group("iy")),
                int(match.group("im")),
                int(match.group("id")),
            )
        else:
            year, month, day = (
                int(match.group("uy")),
                int(match.group("um")),
                int(match.group("ud")),
            )
            year += 2000 if year < 100 else 0
        datetime(year, month, day)  # noqa: DTZ001 - only validates the calendar date
    except ValueError:
        return None
    if match.group("h") is None:
        return (year, month, day, None, None, None)
    hour, minute = int(match.group("h")), int(match.group("mi"))
    second = int(match.group("s")) if match.group("s") else None
    if hour > 23 or minute > 59 or (second is not None and second > 59):
        return None
    ampm = (match.group("ampm") or "").lower()
    if ampm:
        if hour > 12:
            return None
        hours = frozenset({hour % 12 + (12 if ampm == "p" else 0)})
    elif hour <= 12:
        hours = frozenset({hour % 12, hour % 12 + 12})  # no AM/PM given: either half of the day
    else:
        hours = frozenset({hour})
    return (year, month, day, hours, minute, second if second is not None else -1)


def _month(text: str) -> int:
    """1..12 from a month's name or abbreviation."""
    return _MONTHS[text[:3].lower()]


def _precision(when: tuple) -> str | None:
    """None when the footer gives seconds, else "minute" or "day"."""
    if when[3] is None:
        return "day"
    return "minute" if when[5] == -1 else None


def _same_time(state: ThreadState, entry_id: int, when: tuple) -> bool:
    """Whether an entry's time agrees with a footer's to the precision the footer gives."""
    local = state.local_time(entry_id)
    year, month, day, hours, minute, second = when
    if (local.year, local.month, local.day) != (year, month, day):
        return False
    if hours is None:
        return True
    if local.hour not in hours or local.minute != minute:
        return False
    return second == -1 or local.second == second


def _zone_shift(state: ThreadState, entry_id: int, when: tuple) -> int:
    """Whole hours (within a day, never 0) between a footer's time and an entry's when
    minutes and seconds agree; 0 when they do not or the footer gives no time."""
    year, month, day, hours, minute, second = when
    if hours is None:
        return 0
    local = state.local_time(entry_id)
    if local.minute != minute or (second != -1 and local.second != second):
        return 0
    written = datetime(year, month, day, min(hours), minute, tzinfo=local.tzinfo)
    own = local.replace(second=0, microsecond=0)
    for hour in sorted(hours):
        shift = (written.replace(hour=hour) - own).total_seconds() / 3600
        if shift and abs(shift) <= 14:
            return int(shift)
    return 0


def _longest_known_suffix(state: ThreadState, words: str, before: int) -> str:
    """The longest tail of `words` that is an earlier commenter's name ("" when none is)."""
    parts = words.split()
    if parts and parts[0].casefold().rstrip(":") == "posted" and len(parts) > 1:
        parts = parts[2:] if parts[1].casefold().rstrip(":") == "by" else parts[1:]
    for first in range(max(0, len(parts) - state.longest_name_words), len(parts)):
        key = name_key(" ".join(parts[first:]))
        if key in state.names and state.names[key][0] < before:
            return key
    return ""
