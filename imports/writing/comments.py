"""A source post's comments: identities, numbers, parents, the bulk write, suspects."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from blog.models import Post
from comments.importing import CommentDraft, comments_import, copy_rows
from comments.models import Comment
from imports.convert import body_hash, clean_ip, comment_html, html_to_plain, without_nul
from imports.models import ImpersonationSuspect, ImportedComment
from imports.records import CommentKind, CommentsMode, CommentStatus, SourceComment
from imports.writing.outcome import confidence_band

REMOVED_REASON = "Removed on the old blog, before the import."
# Comments turned off (`CommentsMode.OFF`: MT's old "none"): the old blog showed none of the
# post's comments. They are kept, hidden from readers as a removal hides them, and a
# moderator shows them again with the Restore action.
HIDDEN_REASON = "Hidden on the old blog: comments were turned off for this post."
# Rules that are not inference: the export itself said which comment was answered.
EXPLICIT_RULES = {"", "explicit"}


@dataclass(slots=True)
class _Known:
    """A comment of the source already stored: its number and id."""

    number: int
    comment_id: int


def write_comments(post, source, inference, run, authors, dry_run, outcome) -> None:
    """Store the comments of `source` the post lacks; the ones it has are left alone."""
    comments: list[tuple[int, SourceComment]] = []
    for index, comment in enumerate(source.comments):
        if comment.kind == CommentKind.COMMENT:
            comments.append((index, comment))
        else:
            outcome.pings_skipped += 1
    if not comments:
        return
    identities = _identities(comments)
    # A post created just now has no imported comments yet.
    known = {} if outcome.action == "created" else _known_comments(post, identities)
    number_of: dict[int, int] = {}
    new: list[tuple[int, SourceComment]] = []
    for index, comment in comments:
        if identities[index] in known:
            number_of[index] = known[identities[index]].number
        else:
            new.append((index, comment))
    outcome.comments_unchanged = len(comments) - len(new)
    if new:
        number_of.update(_numbers_for(post, new, fresh=outcome.action == "created"))
        parents = _parents(post, comments, new, number_of, inference, outcome)
        email_of = {index: without_nul(comment.author_email).strip() for index, comment in new}
        users = authors.commenters(set(email_of.values()))
        drafts = []
        for index, comment in new:
            user_id = users.get(email_of[index].lower()) if email_of[index] else None
            outcome.linked_users += user_id is not None
            status, reason = _stored_status(comment, source.comments_mode)
            outcome.statuses["hidden" if reason == HIDDEN_REASON else comment.status] += 1
            html_body = comment_html(without_nul(comment.body_html))
            drafts.append(
                CommentDraft(
                    number=number_of[index],
                    parent_number=parents.get(index, (None,))[0],
                    html=html_body,
                    body=html_to_plain(html_body),
                    created_at=comment.created_at,
                    status=status,
                    author_id=user_id,
                    guest_name=_display_name(comment),
                    guest_email=email_of[index],
                    ip_address=clean_ip(comment.ip_address),
                    moderation_reason=reason,
                )
            )
        ids = comments_import(post=post, drafts=drafts, bump_caches=not dry_run)
        rows = []
        for (index, comment), comment_id in zip(new, ids, strict=True):
            parent_number, rule, confidence, evidence = parents.get(index, (None, "", None, ""))
            name, _, hashed = identities[index]
            known[identities[index]] = _Known(number_of[index], comment_id)
            rows.append(
                {
                    "comment": comment_id,
                    "post": post.pk,
                    "author_name": name,
                    "author_url": without_nul(comment.author_url)[:2000],
                    "created_at": comment.created_at,
                    "body_hash": hashed,
                    "source_id": without_nul(comment.source_id)[:200],
                    "source_line": comment.line,
                    "run": run.pk,
                    "rule": rule,
                    "confidence": confidence,
                    "evidence": without_nul(evidence)[:2000],
                    "inferred_parent_number": parent_number if rule else None,
                }
            )
        copy_rows(ImportedComment, rows)
        outcome.comments_added = len(new)
    if inference is not None:
        _record_suspects(post, run, comments, identities, known, inference, outcome)


def _stored_status(comment: SourceComment, mode: CommentsMode) -> tuple[str, str]:
    """The status a new comment is stored with and the reason shown for it: the source's,
    except that a post whose comments were turned off shows none of them."""
    status = Comment.Status(comment.status)
    if status == Comment.Status.REMOVED:
        return status, REMOVED_REASON
    if mode == CommentsMode.OFF and status == Comment.Status.PUBLISHED:
        return Comment.Status.REMOVED, HIDDEN_REASON
    return status, ""


def _display_name(comment: SourceComment) -> str:
    return " ".join(without_nul(comment.author_name).split()) or "Anonymous"


def _identities(comments) -> dict[int, tuple]:
    """(author name, date, body hash) per source index; identical copies hash apart."""
    seen: Counter = Counter()
    identities = {}
    for index, comment in comments:
        name = _display_name(comment)[:200]
        first = (name, comment.created_at, body_hash(comment.body_html))
        seen[first] += 1
        identities[index] = (name, comment.created_at, body_hash(comment.body_html, seen[first]))
    return identities


def _known_comments(post: Post, identities: dict[int, tuple]) -> dict[tuple, _Known]:
    hashes = {identity[2] for identity in identities.values()}
    rows = ImportedComment.objects.filter(post=post, body_hash__in=hashes).values_list(
        "author_name", "created_at", "body_hash", "comment__number", "comment_id"
    )
    return {(name, at, hashed): _Known(number, pk) for name, at, hashed, number, pk in rows}


# Comments readers of the old blog never saw: they did not count in the numbers readers
# typed (`@16`), so they are numbered after the others.
UNSEEN_STATUSES = {CommentStatus.SPAM, CommentStatus.PENDING}


def _numbers_for(post: Post, new, *, fresh: bool) -> dict[int, int]:
    """Numbers for new comments: the source's own when a post created just now has a full
    distinct set; else chronological positions after the post's last number, the comments
    readers saw first (so `@16` names the comment they saw as 16), unseen ones after."""
    given = [comment.number for _, comment in new]
    if fresh and all(number and number > 0 for number in given) and len(set(given)) == len(given):
        return {index: comment.number for index, comment in new}
    last = (
        0
        if fresh
        else Post.objects.filter(pk=post.pk).values_list("last_comment_number", flat=True).get()
    )
    ordered = sorted(
        new, key=lambda item: (item[1].status in UNSEEN_STATUSES, item[1].created_at, item[0])
    )
    return {index: last + position for position, (index, _) in enumerate(ordered, start=1)}


def _parents(post, comments, new, number_of, inference, outcome) -> dict[int, tuple]:
    """Parent of each new comment: (number, rule, confidence, evidence).

    The export's own parents win (our export's X-RIPOSTE-PARENT, WXR and Disqus
    parent ids); inferred links fill in the rest. A parent must be older (a lower
    number) than its reply, or the link is refused and reported.
    """
    by_source_id = {c.source_id: number_of[i] for i, c in comments if c.source_id}
    # Our export's parent numbers are the source's numbers; a continued post renumbers.
    by_source_number = {c.number: number_of[i] for i, c in comments if c.number}
    numbers = set(number_of.values())
    inferred = {}
    if inference is not None:
        for link in inference.links:
            inferred.setdefault(link.child, link)
        # Links to comments stored before this export (not in it) name them by number.
        stored = {
            link.parent_number
            for link in inferred.values()
            if link.parent is None and getattr(link, "parent_number", None)
        }
        if stored:
            numbers.update(
                Comment.objects.filter(post=post, number__in=stored).values_list(
                    "number", flat=True
                )
            )
    parents = {}
    for index, comment in new:
        own = number_of[index]
        candidate = None
        if comment.parent_number is not None:
            parent = by_source_number.get(comment.parent_number, comment.parent_number)
            candidate = (parent, "", None, "")
        elif comment.parent_source_id:
            parent = by_source_id.get(comment.parent_source_id)
            if parent is None:
                outcome.unresolved.append(
                    (own, f"parent {comment.parent_source_id!r} is not in the export")
                )
            else:
                candidate = (parent, "", None, "")
        elif index in inferred:
            link = inferred[index]
            rule = "" if link.rule in EXPLICIT_RULES else link.rule
            if link.parent is None and getattr(link, "parent_number", None):
                candidate = (link.parent_number, rule, link.confidence, link.evidence)
            elif link.parent not in number_of:
                outcome.unresolved.append((own, "inferred parent is not a stored comment"))
            else:
                candidate = (number_of[link.parent], rule, link.confidence, link.evidence)
        if candidate is None:
            continue
        if candidate[0] not in numbers or candidate[0] >= own:
            outcome.unresolved.append((own, f"parent #{candidate[0]} is not an older comment"))
            continue
        parents[index] = candidate
        if candidate[1]:
            outcome.links_by_rule[candidate[1]] += 1
            outcome.links_by_confidence[confidence_band(candidate[2])] += 1
            outcome.links.append((comment.line, own, *candidate))
    if inference is not None:
        new_indexes = {index for index, _ in new}
        for index, why in inference.unresolved:
            if index in new_indexes:
                outcome.unresolved.append((number_of[index], why))
    return parents


def _record_suspects(post, run, comments, identities, known, inference, outcome) -> None:
    rows = []
    for index, other, why in inference.suspects:
        first = known.get(identities.get(index))
        second = known.get(identities.get(other))
        if first is None or second is None or first.comment_id == second.comment_id:
            continue
        rows.append(
            ImpersonationSuspect(
                post_id=post.pk,
                comment_id=first.comment_id,
                other_comment_id=second.comment_id,
                why=why[:500],
                run_id=run.pk if run.pk else None,
            )
        )
    if not rows:
        return
    # A re-run finds the same pairs again; the first record (and its decision) stays, and
    # only the pairs new to the post count in the report.
    known_pairs = set(
        ImpersonationSuspect.objects.filter(post_id=post.pk).values_list(
            "comment_id", "other_comment_id"
        )
    )
    new_pairs = {(row.comment_id, row.other_comment_id) for row in rows} - known_pairs
    ImpersonationSuspect.objects.bulk_create(rows, ignore_conflicts=True)
    outcome.suspects = len(new_pairs)
