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
    closes: int  # reply lists (and folds) to close after this comment
    fold: int = 0  # comments in the fold that opens after this comment (0: none)


def nesting(rows: Sequence[Row], *, max_visual_depth: int, replies_shown: int = 0) -> list[Step]:
    """Mark where reply lists open and close for rows given in threaded order.

    Below `max_visual_depth` replies stop nesting and follow each other at the
    deepest level, so deep chains stay readable (and the HTML stays shallow).
    With `replies_shown`, each reply list folds after that many replies (see `folds`);
    a fold closes with the list that holds it, so `closes` counts both.
    """
    capped = [min(row.depth, max_visual_depth) for row in rows]
    base = min(capped, default=0)
    levels = [level - base for level in capped]
    fold_at = folds(levels, replies_shown=replies_shown) if replies_shown else {}
    folded = [False] * (max(levels, default=0) + 2)  # does the open list at each level fold?
    last = len(rows) - 1
    steps = []
    for index, row in enumerate(rows):
        level = levels[index]
        following = levels[index + 1] if index < last else 0
        if following > level:
            folded[following] = False
            steps.append(Step(row, level, True, 0))
            continue
        closes = level - following
        if closes:
            closes += sum(folded[following + 1 : level + 1])
        fold = fold_at.get(index + 1, 0)
        if fold:
            folded[following] = True
        steps.append(Step(row, level, False, closes, fold))
    return steps


def folds(levels: Sequence[int], *, replies_shown: int) -> dict[int, int]:
    """Where long reply lists fold: index of the first folded row → rows in the fold.

    `levels` are the rows' visual levels in threaded order; a reply list is the run
    of rows below one comment. After `replies_shown` replies the rest of the list,
    their own replies included, goes into one fold. A fold that would hold a single
    comment is not made (it would take about the room of the comment). The top
    level is paged, not folded.
    """
    sizes: dict[int, int] = {}
    placed = [0] * (max(levels, default=0) + 2)  # replies so far in the open list per level
    open_folds: list[tuple[int, int]] = []  # (level, first folded index), innermost last
    for index, level in enumerate(levels):
        while open_folds and open_folds[-1][0] > level:
            start = open_folds.pop()[1]
            sizes[start] = index - start
        placed[level + 1] = 0
        if level:
            placed[level] += 1
            if placed[level] == replies_shown + 1:
                open_folds.append((level, index))
    for _, start in open_folds:
        sizes[start] = len(levels) - start
    return {start: size for start, size in sizes.items() if size > 1}


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
