"""The comment tree, in pure Python: no database, tested on plain objects.

Rows are anything with `number`, `parent_number` and `depth` attributes (model
instances or named tuples). Every function walks the list once, iteratively,
so a 10,000-deep chain costs the same as 10,000 top-level comments.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

Row = Any


def prune_hidden(rows: Sequence[Row], is_visible: Callable[[Row], bool]) -> list[tuple[Row, bool]]:
    """Keep visible rows, and hidden ones as placeholders when a visible reply hangs below.

    Returns (row, is_placeholder) in the input order. Works for threaded and for
    number order, because a reply always has a higher number than its parent.
    """
    keeps_thread: set[int] = set()
    shown: list[tuple[Row, bool]] = []
    for row in sorted(rows, key=lambda r: r.number, reverse=True):
        visible = is_visible(row)
        if visible or row.number in keeps_thread:
            shown.append((row, not visible))
            if row.parent_number is not None:
                keeps_thread.add(row.parent_number)
    placeholder_by_number = {row.number: placeholder for row, placeholder in shown}
    return [
        (row, placeholder_by_number[row.number])
        for row in rows
        if row.number in placeholder_by_number
    ]


def descendant_counts(rows: Iterable[Row]) -> dict[int, int]:
    """How many of the given rows sit below each comment, at any depth."""
    counts: dict[int, int] = {}
    for row in sorted(rows, key=lambda r: r.number, reverse=True):
        if row.parent_number is not None:
            counts[row.parent_number] = (
                counts.get(row.parent_number, 0) + 1 + counts.get(row.number, 0)
            )
    return counts


class Step(NamedTuple):
    """Where one comment sits in the rendered nesting (a tuple: made a thousand times)."""

    row: Row
    level: int  # visual depth: the stored depth, capped
    opens_replies: bool  # the next comment is nested inside this one
    closes: int  # reply lists to close after this comment


def nesting(rows: Sequence[Row], *, max_visual_depth: int) -> list[Step]:
    """Mark where reply lists open and close for rows given in threaded order.

    Below `max_visual_depth` replies stop nesting and follow each other at the
    deepest level, so deep chains stay readable (and the HTML stays shallow).
    """
    levels = [min(row.depth, max_visual_depth) for row in rows]
    base = min(levels, default=0)
    steps = []
    for index, row in enumerate(rows):
        level = levels[index] - base
        following = levels[index + 1] - base if index + 1 < len(rows) else 0
        opens = following > level
        steps.append(Step(row, level, opens, 0 if opens else level - following))
    return steps


def backlinks(rows: Iterable[Row], *, counts: Callable[[Row], bool]) -> dict[int, list[int]]:
    """For each comment, the numbers of counted comments replying to or citing it."""
    found: dict[int, set[int]] = {}
    for row in rows:
        if not counts(row):
            continue
        targets = set(getattr(row, "referenced_numbers", None) or ())
        if row.parent_number is not None:
            targets.add(row.parent_number)
        targets.discard(row.number)
        for target in targets:
            found.setdefault(target, set()).add(row.number)
    return {number: sorted(sources) for number, sources in found.items()}


def thread_pages(
    thread_sizes: Sequence[tuple[int, int]], *, per_page: int
) -> list[tuple[int, int]]:
    """Split (root number, comment count) pairs into pages of whole threads.

    Each page is (first root number, last root number) and holds at most
    `per_page` comments, except a single thread larger than that, which gets a
    page of its own.
    """
    pages: list[tuple[int, int]] = []
    first = last = None
    filled = 0
    for root, size in thread_sizes:
        if first is not None and filled + size > per_page:
            pages.append((first, last))
            first, filled = None, 0
        if first is None:
            first = root
        last = root
        filled += size
    if first is not None:
        pages.append((first, last))
    return pages or [(0, 0)]


def page_of(pages: Sequence[tuple[int, int]], root_number: int) -> int:
    """1-based page number holding the thread whose top-level comment is `root_number`."""
    for index, (first, last) in enumerate(pages, start=1):
        if first <= root_number <= last:
            return index
    return 1


class ThreadKey(NamedTuple):
    """Where one comment sits in the stored thread order."""

    root_number: int
    thread_position: int
    depth: int


def thread_keys(rows: Iterable[Row]) -> dict[int, ThreadKey]:
    """Thread key and depth of every comment, as replies posted one by one would get them.

    Replies sit under their parent in number order (a new reply goes last), so a
    whole tree built at once (an import) gets the keys the site would have given.
    A row whose parent is not among `rows`, or is not older (a lower number), counts
    as top-level, so no input can make a cycle.
    """
    children: dict[int | None, list[int]] = {}
    parent_of = {row.number: row.parent_number for row in rows}
    for number in sorted(parent_of):
        parent = parent_of[number]
        is_reply = parent in parent_of and parent < number
        children.setdefault(parent if is_reply else None, []).append(number)
    keys: dict[int, ThreadKey] = {}
    for root in children.get(None, []):
        stack, position = [(root, 0)], 0
        while stack:
            number, depth = stack.pop()
            keys[number] = ThreadKey(root, position, depth)
            position += 1
            stack.extend((child, depth + 1) for child in reversed(children.get(number, [])))
    return keys
