"""Thread inference: rebuild the threads of a flat comment section from what readers typed.

`infer_threads(post)` reads each comment of a `SourcePost` (oldest first) and finds the
earlier comment it answers. Comment numbers are `comment.number` when the source shows
them, else `first_number` + the position among the comments readers saw (pingbacks,
spam and held comments are not counted). A reference resolves only to an EARLIER comment of
the same post (or to one of `known`, the post's comments already stored), never to
itself or a later one, so the links form a forest. Rules and their confidences:

- ``explicit`` 1.0: the source's own parent (`parent_source_id`, `parent_number`); kept,
  never inferred.
- ``footer``: a pasted footer `Ann Lee | Mar 14, 2019 9:07:13 AM | 16` (often after `>>>>`,
  quoted or not) whose author and time match a comment to the precision written (second
  or minute; a missing AM/PM allows either) in zone `tz`: 0.99 with its number agreeing,
  0.95 to the second, 0.9 to the minute; 0.8 when the number and author agree but the
  time does not, or author and time (to the second) agree but the number does not;
  0.9 for `Name | 16` pasted without its date when #16 is by Name.
- ``name_date``: `Carl | Mar 14, 2019 9:14` without number: 0.9 (0.95 with seconds,
  0.75 for a day alone), only when one comment fits; 0.7 (0.8 with seconds) when only
  the hour is off by whole hours (the footer was read in another zone than `tz`).
- ``number``: `@16`, `@ 16`, `#16`, `# 16`, `comment 16`: opening the comment 0.95
  (`@`) or 0.9, mid-text 0.65/0.6/0.7; `(16)` opening the comment 0.7 (not when `(17)`
  follows: that is a list). +0.1 when the target's author is named beside it
  (`as carl said in #2`). Times, amounts, counts, ranks (`#1 priority`), arithmetic, numbers in
  URLs or quoted text and numbers naming no earlier comment are not references.
- ``at_name``: `@Mary Ann` (longest earlier commenter's name first, case-insensitive):
  0.85 opening, 0.6 mid-text; `Carl:` 0.8, `Carl,` 0.75, `Dear Carl`/`Carl` alone on
  the first line 0.75/0.7. The latest earlier comment by that name; 0.05 less when the
  name wrote several. The post author's names (`post_author_names` and
  `post.author_name`) and generic names (`Anonymous`, `Guest`) never count.
- ``quote``: a passage of at least 8 words and 40 characters of an earlier comment's own
  text (case, punctuation and spacing aside): 0.7, 0.8 from 16 words. Passages of the
  post itself link nothing; numbers and names inside any quotation are ignored.

`footers.py`, `references.py` and `quotes.py` find a comment's references; `resolve.py`
combines them (agreement, conflict, lists). A comment left unlinked because its
references conflict or are ambiguous is listed in `unresolved` with the reason.
`suspects` lists impersonation suspects (see `suspects.py`); both indexes of a suspect
pair are positions in `post.comments`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import tzinfo

from imports.inference.footers import find_footers
from imports.inference.quotes import QuotedRun, QuoteIndex, words_of
from imports.inference.references import find_names, find_numbers
from imports.inference.resolve import Decision, mark_openings, resolve
from imports.inference.state import Entry, Ref, ThreadState, name_key
from imports.inference.suspects import NameIdentities, disowned
from imports.inference.text import CommentText, comment_text, plain_text
from imports.records import (
    CommentKind,
    CommentStatus,
    InferredLink,
    SourceComment,
    SourcePost,
    ThreadInference,
)

__all__ = ["infer_threads"]

# Names many different people post under: a reference to one of them names nobody.
GENERIC_NAMES = frozenset(
    ("anonymous", "anon", "anonymous coward", "guest", "unknown", "reader", "a reader", "visitor")
)


def infer_threads(
    post: SourcePost,
    *,
    post_author_names: Iterable[str] = (),
    first_number: int = 1,
    known: Sequence[tuple[int, SourceComment]] = (),
    tz: tzinfo | None = None,
) -> ThreadInference:
    """Parents for the flat comments of a post, found from the references readers typed.

    `known` holds the post's comments already stored, as (number, comment), when a newer
    export continues it: references may resolve to them (the link's `parent` is then None
    and `parent_number` names it). Footer times are compared in `tz`; None compares in
    the zone each comment's `created_at` carries (the reader's zone, UTC when it gave UTC).
    """
    authors = {key for key in map(name_key, (*post_author_names, post.author_name)) if key}
    excluded = GENERIC_NAMES.union(authors)
    entries = [Entry(c, n, None, name_key(c.author_name)) for n, c in sorted(known, key=_number)]
    entries.extend(
        Entry(c, number, i, name_key(c.author_name))
        for i, (c, number) in enumerate(
            zip(post.comments, _numbers(post, first_number), strict=True)
        )
    )
    state = ThreadState(entries, tz, excluded)
    # "Dear b, @5 …": the post author's name may stand before an opening reference.
    allowed_before = frozenset(word for key in authors for word in key.split())
    quotes = QuoteIndex()
    quotes.add_post(plain_text(post.body_html) + "\n" + plain_text(post.excerpt))
    by_source_id = {e.comment.source_id: i for i, e in enumerate(entries) if e.comment.source_id}
    identities = NameIdentities()
    result = ThreadInference()
    parents: dict[int, int] = {}

    for entry_id, entry in enumerate(entries):
        is_post_comment = entry.index is not None
        explicit = _explicit_parent(state, by_source_id, entry) if is_post_comment else None
        if explicit is not None:
            _link_explicit(result, parents, entries, entry_id, explicit)
        if not _takes_part(entry.comment):
            continue
        text = comment_text(entry.comment.body_html)
        footers = find_footers(state, entry_id, text)
        words = words_of(text.scan)
        quoted, hashes, fresh = quotes.find(text, words)
        text.quoted.extend((run.start, run.end) for run in quoted)
        if is_post_comment:
            refs = _references(state, entry_id, text, footers, quoted)
            if refs and explicit is None:
                mark_openings(refs, text, allowed_before)
                decision = resolve(refs, lambda target: entries[target].number)
                if decision.target is not None:
                    parents[entry_id] = decision.target
                    result.links.append(_link(entries, entry_id, decision))
                else:
                    result.unresolved.append((entry.index, decision.why_not))
            namesakes = state.names.get(entry.key, ())
            for target, why in disowned(entries, entry_id, text.scan, words, refs, namesakes):
                if entries[target].index is not None:
                    result.suspects.append((entries[target].index, entry.index, why))
        for other, why in identities.check(entries, entry_id):
            if is_post_comment and entries[other].index is not None:
                result.suspects.append((entry.index, entries[other].index, why))
        quotes.add(entry_id, text, hashes, fresh)
        state.remember_name(entry_id)

    _break_cycles(result, parents, entries)
    return result


# Statuses of comments readers never saw: spam, and (from our own export) a shadow-banned
# author's comments. Compared by value, so a status added to CommentStatus later still counts.
UNSEEN_STATUSES = frozenset((CommentStatus.SPAM.value, "shadowed"))


def _takes_part(comment: SourceComment) -> bool:
    """Pingbacks, trackbacks and comments readers never saw neither answer anyone nor are
    answered by name or quotation (a number may still name them: numbers are explicit)."""
    return comment.kind == CommentKind.COMMENT and comment.status not in UNSEEN_STATUSES


def _numbers(post: SourcePost, first_number: int) -> list[int | None]:
    """The number readers saw on each comment: the source's own, else its position among
    the comments shown (pingbacks, spam and held comments are not counted)."""
    numbers: list[int | None] = []
    shown = first_number
    for comment in post.comments:
        if comment.number is not None:
            numbers.append(comment.number)
        elif _takes_part(comment) and comment.status != CommentStatus.PENDING:
            numbers.append(shown)
            shown += 1
        else:
            numbers.append(None)
    return numbers


def _number(pair: tuple[int, SourceComment]) -> int:
    """Sort key: a stored comment's number."""
    return pair[0]


def _references(
    state: ThreadState,
    entry_id: int,
    text: CommentText,
    footers: list[Ref],
    quoted: list[QuotedRun],
) -> list[Ref]:
    """Every reference a comment makes, in the order they stand in its text."""
    refs = [
        *footers,
        *find_numbers(state, entry_id, text),
        *find_names(state, entry_id, text),
        *(_quote_ref(text, run) for run in quoted if 0 <= run.owner < entry_id),
    ]
    refs.sort(key=_position)
    return _one_per_rule_and_target(refs)


def _position(ref: Ref) -> int:
    """Sort key: where a reference starts."""
    return ref.position


def _quote_ref(text: CommentText, run: QuotedRun) -> Ref:
    """A quotation of an earlier comment, surer the longer it is."""
    excerpt = " ".join(text.text[run.start : run.end].split())
    excerpt = excerpt if len(excerpt) <= 80 else excerpt[:77] + "..."
    confidence = 0.8 if run.words >= 16 else 0.7
    return Ref("quote", run.start, run.end, (run.owner,), confidence, f'"{excerpt}"')


def _one_per_rule_and_target(refs: list[Ref]) -> list[Ref]:
    """Repeats (`@Carl … @Carl`) say nothing new: the first of each rule and target speaks."""
    seen = set()
    kept = []
    for ref in refs:
        key = (ref.rule, ref.targets)
        if key not in seen:
            seen.add(key)
            kept.append(ref)
    return kept


def _explicit_parent(state: ThreadState, by_source_id: dict[str, int], entry: Entry) -> int | None:
    """The parent the source records (entry id), -1 when it names a missing one, else None."""
    comment = entry.comment
    if comment.parent_source_id:
        return by_source_id.get(comment.parent_source_id, -1)
    if comment.parent_number is not None:
        target = state.numbers.get(comment.parent_number)
        return -1 if target is None or target < 0 else target
    return None


def _link_explicit(
    result: ThreadInference,
    parents: dict[int, int],
    entries: list[Entry],
    entry_id: int,
    target: int,
) -> None:
    """Keep the source's own parent, or list it when the post does not hold it."""
    entry = entries[entry_id]
    comment = entry.comment
    if comment.parent_source_id:
        given = f"parent_source_id={comment.parent_source_id}"
    else:
        given = f"parent_number={comment.parent_number}"
    if target < 0 or target == entry_id:
        result.unresolved.append(
            (entry.index, f"the source's parent ({given}) is not in this post")
        )
        return
    parents[entry_id] = target
    parent = entries[target]
    result.links.append(
        InferredLink(entry.index, parent.index, "explicit", 1.0, given, parent.number)
    )


def _link(entries: list[Entry], entry_id: int, decision: Decision) -> InferredLink:
    """The link a decision makes, its parent named by index (None when stored) and number."""
    parent = entries[decision.target]
    return InferredLink(
        entries[entry_id].index,
        parent.index,
        decision.rule,
        round(decision.confidence, 2),
        decision.evidence,
        parent.number,
    )


def _break_cycles(result: ThreadInference, parents: dict[int, int], entries: list[Entry]) -> None:
    """Inferred parents are always earlier; only a source's explicit parents can point later
    and close a loop. Unlink one comment of each loop and list it."""
    done: dict[int, bool] = {}  # False while on the current path
    broken: set[int] = set()
    for start in parents:
        path = []
        node = start
        while node in parents and node not in done:
            done[node] = False
            path.append(node)
            node = parents[node]
        if done.get(node) is False:
            broken.add(node)
        for visited in path:
            done[visited] = True
    if not broken:
        return
    indexes = {entries[node].index for node in broken}
    result.links = [link for link in result.links if link.child not in indexes]
    for node in sorted(broken):
        result.unresolved.append((entries[node].index, "its parent links would form a loop"))
