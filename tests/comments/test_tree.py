"""comments/tree.py on plain objects: no database, no Django models."""

import random
import time
from types import SimpleNamespace

from comments import tree


def _rows(parents: dict[int, int | None], *, hidden=(), refs=None) -> dict[int, SimpleNamespace]:
    """Rows by number from {number: parent number}; depth follows the parent links."""
    rows = {}
    for number in sorted(parents):
        parent = parents[number]
        rows[number] = SimpleNamespace(
            number=number,
            parent_number=parent,
            depth=0 if parent is None else rows[parent].depth + 1,
            root_number=number if parent is None else rows[parent].root_number,
            visible=number not in hidden,
            referenced_numbers=(refs or {}).get(number, []),
        )
    return rows


def _thread_order(rows: dict[int, SimpleNamespace]) -> list[SimpleNamespace]:
    """Depth-first order, children by number: what ORDER BY (root, position) yields."""
    children: dict[int | None, list[int]] = {}
    for number in sorted(rows):
        children.setdefault(rows[number].parent_number, []).append(number)
    ordered, stack = [], list(reversed(children.get(None, [])))
    while stack:
        number = stack.pop()
        ordered.append(rows[number])
        stack.extend(reversed(children.get(number, [])))
    return ordered


def _number_order(rows):
    return [rows[number] for number in sorted(rows)]


def _chain(length: int) -> list[SimpleNamespace]:
    """1 ← 2 ← 3 … each comment replying to the one before."""
    return [
        SimpleNamespace(number=n, parent_number=n - 1 if n > 1 else None, depth=n - 1)
        for n in range(1, length + 1)
    ]


def _is_visible(row) -> bool:
    return row.visible


# A mixed tree:  1 ─ 2 ─ 3        6 ─ 7
#                │   └ 5          8
#                └ 4 ─ 9 ─ 10
TREE = {1: None, 2: 1, 3: 2, 4: 1, 5: 2, 6: None, 7: 6, 8: None, 9: 4, 10: 9}


# ─── prune_hidden ────────────────────────────────────────────────────────────


def test_prune_hidden_keeps_all_visible_rows_in_input_order():
    rows = _thread_order(_rows(TREE))
    shown = tree.prune_hidden(rows, _is_visible)
    assert [(row.number, placeholder) for row, placeholder in shown] == [
        (row.number, False) for row in rows
    ]


def test_hidden_comment_with_a_visible_reply_becomes_a_placeholder():
    rows = _thread_order(_rows(TREE, hidden={6}))
    shown = {row.number: placeholder for row, placeholder in tree.prune_hidden(rows, _is_visible)}
    assert shown[6] is True
    assert shown[7] is False


def test_hidden_leaf_vanishes():
    rows = _thread_order(_rows(TREE, hidden={8}))
    numbers = [row.number for row, _ in tree.prune_hidden(rows, _is_visible)]
    assert 8 not in numbers


def test_hidden_subtree_without_visible_replies_vanishes_whole():
    rows = _thread_order(_rows(TREE, hidden={4, 9, 10}))
    numbers = [row.number for row, _ in tree.prune_hidden(rows, _is_visible)]
    assert numbers == [1, 2, 3, 5, 6, 7, 8]


def test_every_hidden_ancestor_of_a_visible_deep_reply_becomes_a_placeholder():
    rows = _thread_order(_rows(TREE, hidden={1, 4, 9}))
    placeholders = {
        row.number for row, placeholder in tree.prune_hidden(rows, _is_visible) if placeholder
    }
    assert placeholders == {1, 4, 9}


def test_prune_hidden_gives_the_same_choice_in_number_order_and_thread_order():
    parents = _rows(TREE, hidden={2, 4, 8, 10})
    by_thread = tree.prune_hidden(_thread_order(parents), _is_visible)
    by_number = tree.prune_hidden(_number_order(parents), _is_visible)
    assert [row.number for row, _ in by_number] == [1, 2, 3, 4, 5, 6, 7, 9]
    assert sorted((row.number, p) for row, p in by_thread) == [
        (row.number, p) for row, p in by_number
    ]


def test_prune_hidden_keeps_number_order_input_in_number_order():
    rows = _number_order(_rows(TREE, hidden={3}))
    numbers = [row.number for row, _ in tree.prune_hidden(rows, _is_visible)]
    assert numbers == sorted(numbers)


def test_prune_hidden_handles_a_10000_deep_chain_with_hidden_links():
    rows = _chain(10_000)
    shown = tree.prune_hidden(rows, lambda row: row.number % 2 == 0 or row.number == 10_000)
    placeholders = [row.number for row, placeholder in shown if placeholder]
    assert len(shown) == 10_000
    assert placeholders == list(range(1, 10_000, 2))


# ─── nesting ─────────────────────────────────────────────────────────────────


def _balance(steps) -> tuple[int, int]:
    """Reply lists and folds opened, and closed."""
    opened = sum(step.opens_replies + bool(step.fold) for step in steps)
    closed = sum(step.closes for step in steps)
    return opened, closed


def test_nesting_opens_as_many_reply_lists_as_it_closes():
    steps = tree.nesting(_thread_order(_rows(TREE)), max_visual_depth=6)
    opened, closed = _balance(steps)
    assert opened == closed == 5


def test_nesting_marks_each_comment_with_replies_as_opening_a_list():
    steps = tree.nesting(_thread_order(_rows(TREE)), max_visual_depth=6)
    assert {step.row.number for step in steps if step.opens_replies} == {1, 2, 4, 6, 9}


def test_nesting_levels_follow_the_stored_depth():
    steps = tree.nesting(_thread_order(_rows(TREE)), max_visual_depth=6)
    assert [(step.row.number, step.level) for step in steps] == [
        (1, 0), (2, 1), (3, 2), (5, 2), (4, 1), (9, 2), (10, 3), (6, 0), (7, 1), (8, 0),
    ]  # fmt: skip


def test_nesting_never_has_more_lists_open_than_the_visual_depth_cap():
    steps = tree.nesting(_chain(50), max_visual_depth=3)
    open_lists, deepest = 0, 0
    for step in steps:
        open_lists += step.opens_replies
        deepest = max(deepest, open_lists)
        open_lists -= step.closes
    assert deepest == 3
    assert open_lists == 0


def test_replies_past_the_visual_depth_cap_follow_each_other_at_the_deepest_level():
    steps = tree.nesting(_chain(10), max_visual_depth=3)
    assert [step.level for step in steps] == [0, 1, 2, 3, 3, 3, 3, 3, 3, 3]
    assert [step.opens_replies for step in steps[3:]] == [False] * 7


def test_nesting_of_no_comments_is_empty():
    assert tree.nesting([], max_visual_depth=6) == []


def test_nesting_of_a_10000_deep_chain_balances_and_is_quick():
    rows = _chain(10_000)
    started = time.perf_counter()
    steps = tree.nesting(rows, max_visual_depth=6)
    elapsed = time.perf_counter() - started
    assert len(steps) == 10_000
    assert _balance(steps) == (6, 6)
    assert elapsed < 1.0


# ─── folds (issue 11: long threads) ──────────────────────────────────────────

# 1 ─ 2, 3, 4, 5, 6 (five replies); 6 ─ 7, 8
WIDE = {1: None, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 6, 8: 6}


def test_a_reply_list_folds_after_the_replies_shown_counting_their_replies_too():
    """#5, #6 and #6's two replies: four comments in the fold, which starts at #5."""
    levels = [0, 1, 1, 1, 1, 1, 2, 2]
    assert tree.folds(levels, replies_shown=3) == {4: 4}


def test_a_fold_that_would_hold_one_comment_is_not_made():
    assert tree.folds([0, 1, 1, 1, 1], replies_shown=3) == {}
    assert tree.folds([0, 1, 1, 1, 1, 1], replies_shown=3) == {4: 2}


def test_the_top_level_never_folds():
    assert tree.folds([0] * 20, replies_shown=3) == {}


def test_a_long_list_inside_a_fold_folds_on_its_own():
    """#5 (in the outer fold) has five replies: its list folds too, inside the outer fold."""
    levels = [0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 1]
    assert tree.folds(levels, replies_shown=3) == {4: 7, 8: 2}


def test_the_list_past_the_visual_depth_cap_folds_after_the_replies_shown():
    steps = tree.nesting(_chain(20), max_visual_depth=3, replies_shown=3)
    assert [step.fold for step in steps] == [0] * 5 + [14] + [0] * 14
    assert _balance(steps) == (4, 4)


def test_nesting_announces_a_fold_on_the_comment_before_it_and_closes_it_with_its_list():
    steps = tree.nesting(_thread_order(_rows(WIDE)), max_visual_depth=6, replies_shown=3)
    assert [(step.row.number, step.fold) for step in steps if step.fold] == [(4, 4)]
    # #8 closes #6's reply list, the fold and #1's reply list.
    assert steps[-1].closes == 3
    assert _balance(steps) == (3, 3)


def test_nested_folds_balance():
    parents = {1: None, 2: 1, 3: 1, 4: 1, 5: 1, **dict.fromkeys(range(6, 11), 5), 11: 1, 12: None}
    steps = tree.nesting(_thread_order(_rows(parents)), max_visual_depth=6, replies_shown=3)
    assert [(step.row.number, step.fold) for step in steps if step.fold] == [(4, 7), (8, 2)]
    opened, closed = _balance(steps)
    assert opened == closed == 4


def test_without_replies_shown_nothing_folds():
    steps = tree.nesting(_thread_order(_rows(WIDE)), max_visual_depth=6)
    assert not any(step.fold for step in steps)


def test_folding_a_10000_long_reply_list_is_quick():
    rows = _rows({1: None, **dict.fromkeys(range(2, 10002), 1)})
    started = time.perf_counter()
    steps = tree.nesting(_thread_order(rows), max_visual_depth=6, replies_shown=3)
    assert time.perf_counter() - started < 1.0
    assert steps[3].fold == 9_997
    assert _balance(steps) == (2, 2)


# ─── descendant_counts ───────────────────────────────────────────────────────


def test_descendant_counts_count_replies_at_every_depth():
    counts = tree.descendant_counts(_rows(TREE).values())
    assert counts == {1: 6, 2: 2, 4: 2, 9: 1, 6: 1}


def test_descendant_counts_count_only_the_given_rows():
    rows = _rows(TREE)
    counts = tree.descendant_counts(row for row in rows.values() if row.number != 10)
    assert counts[1] == 5
    assert 9 not in counts


def test_descendant_counts_of_a_10000_deep_chain():
    counts = tree.descendant_counts(_chain(10_000))
    assert counts[1] == 9_999
    assert counts[9_999] == 1


# ─── backlinks ───────────────────────────────────────────────────────────────


def test_backlinks_list_direct_replies():
    links = tree.backlinks(_rows(TREE).values(), counts=_is_visible)
    assert links[1] == [2, 4]
    assert links[2] == [3, 5]


def test_backlinks_include_at_references_from_other_threads():
    rows = _rows(TREE, refs={8: [3], 7: [3, 1]})
    links = tree.backlinks(rows.values(), counts=_is_visible)
    assert links[3] == [7, 8]
    assert links[1] == [2, 4, 7]


def test_backlinks_never_point_a_comment_at_itself():
    rows = _rows(TREE, refs={5: [5]})
    links = tree.backlinks(rows.values(), counts=_is_visible)
    assert 5 not in links


def test_a_reply_that_also_cites_its_parent_is_listed_once():
    rows = _rows(TREE, refs={3: [2, 2]})
    links = tree.backlinks(rows.values(), counts=_is_visible)
    assert links[2] == [3, 5]


def test_hidden_comments_do_not_count_as_backlinks():
    rows = _rows(TREE, hidden={4, 8}, refs={8: [2]})
    links = tree.backlinks(rows.values(), counts=_is_visible)
    assert links[1] == [2]
    assert links[2] == [3, 5]


def test_backlinks_are_listed_in_number_order():
    rows = _rows({1: None, 2: None, 3: None, 4: None}, refs={4: [1], 2: [1], 3: [1]})
    assert tree.backlinks(reversed(list(rows.values())), counts=_is_visible)[1] == [2, 3, 4]


# ─── thread_pages and page_of ────────────────────────────────────────────────


def test_thread_pages_keep_whole_threads_on_one_page():
    sizes = [(1, 3), (4, 2), (6, 4), (10, 1)]
    assert tree.thread_pages(sizes, per_page=5) == [(1, 4), (6, 10)]


def test_a_thread_larger_than_a_page_gets_a_page_of_its_own():
    sizes = [(1, 1), (2, 12), (14, 1), (15, 1)]
    assert tree.thread_pages(sizes, per_page=5) == [(1, 1), (2, 2), (14, 15)]


def test_thread_pages_never_exceed_the_page_size_except_alone():
    rng = random.Random(3)
    sizes, root = [], 1
    for _ in range(200):
        size = rng.choice([1, 1, 1, 2, 3, 8, 20])
        sizes.append((root, size))
        root += size
    pages = tree.thread_pages(sizes, per_page=10)
    size_of = dict(sizes)
    covered = []
    for first, last in pages:
        threads = [r for r, _ in sizes if first <= r <= last]
        covered += threads
        assert sum(size_of[r] for r in threads) <= 10 or len(threads) == 1
    assert covered == [r for r, _ in sizes]


def test_thread_pages_of_no_comments_is_one_empty_page():
    assert tree.thread_pages([], per_page=5) == [(0, 0)]


def test_page_of_finds_the_page_holding_a_thread():
    pages = [(1, 4), (6, 10), (11, 30)]
    assert [tree.page_of(pages, root) for root in (1, 4, 6, 10, 11, 30)] == [1, 1, 2, 2, 3, 3]


def test_page_of_an_unknown_thread_is_the_first_page():
    assert tree.page_of([(1, 4), (6, 10)], 99) == 1


# ─── thread_keys (imports build a whole tree at once) ────────────────────────


def test_thread_keys_give_depth_first_positions_with_replies_in_number_order():
    rows = _rows({1: None, 2: 1, 3: None, 4: 2, 5: 1, 6: 3})
    keys = tree.thread_keys(rows.values())
    assert keys == {
        1: (1, 0, 0),
        2: (1, 1, 1),
        4: (1, 2, 2),
        5: (1, 3, 1),
        3: (3, 0, 0),
        6: (3, 1, 1),
    }


def test_thread_keys_match_the_order_replies_posted_one_by_one_get():
    rng = random.Random(7)
    parents = {n: (rng.randint(1, n - 1) if n > 1 and rng.random() < 0.6 else None)
               for n in range(1, 300)}  # fmt: skip
    rows = _rows(parents)
    keys = tree.thread_keys(rows.values())
    ordered = sorted(rows, key=lambda n: (keys[n].root_number, keys[n].thread_position))
    assert ordered == [row.number for row in _thread_order(rows)]
    assert all(keys[n].depth == rows[n].depth for n in rows)


def test_a_parent_that_is_missing_or_newer_makes_a_top_level_comment():
    rows = [
        SimpleNamespace(number=1, parent_number=3),
        SimpleNamespace(number=2, parent_number=99),
        SimpleNamespace(number=3, parent_number=None),
    ]
    keys = tree.thread_keys(rows)
    assert [keys[n].depth for n in (1, 2, 3)] == [0, 0, 0]


def test_thread_keys_handle_a_very_deep_chain():
    rows = [SimpleNamespace(number=n, parent_number=n - 1 or None) for n in range(1, 20001)]
    keys = tree.thread_keys(rows)
    assert keys[20000] == (1, 19999, 19999)
