"""Storing what a reader produced: one source post, its comments and their threads.

`import_post` writes one `SourcePost` in its own transaction: a post that fails
leaves nothing behind and the next one goes on. A post is found again by its
source identity (`ImportedPost`), a comment by (post, author name, date, body
hash) (`ImportedComment`), so a re-run changes nothing and a newer export adds
only what is new, numbered after what the post already has. Comments already
imported are never touched again, which is also why a moderator's review of an
inferred link survives every re-import.

Pingbacks and trackbacks are not comments: they are skipped and counted (the
report lists them), never stored as comments.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import Resolver404, resolve
from django.utils import timezone

from accounts.models import User
from accounts.names import canonical_name
from blog.models import Category, Post, Tag
from comments.importing import CommentDraft, comments_import, copy_rows
from comments.models import Comment
from imports.convert import (
    body_hash,
    clean_ip,
    comment_html,
    html_to_plain,
    plain_title,
    post_html,
    slug_base,
)
from imports.models import (
    ImpersonationSuspect,
    ImportedComment,
    ImportedPost,
    ImportRun,
    OldUrl,
    normalise_path,
)
from imports.records import (
    CommentKind,
    CommentsMode,
    CommentStatus,
    PostStatus,
    SourceComment,
    SourcePost,
    ThreadInference,
)

logger = logging.getLogger(__name__)

AUTHORS_GROUP = "Authors"
UNKNOWN_AUTHOR = "Unknown author"
REMOVED_REASON = "Removed on the old blog, before the import."
# Rules that are not inference: the export itself said which comment was answered.
EXPLICIT_RULES = {"", "explicit"}


class AuthorMapError(ValueError):
    """The --authors CSV can't be used; the message says why."""


class AuthorMap:
    """Who wrote the posts (staff users, created or mapped) and which commenters have accounts.

    `mapping` (from --authors map.csv) sends a source author, by email or by name
    (any case), to an existing username. Authors it does not name are found by
    email, then by display name, then by username, and otherwise created as staff
    in the Authors group (listed in `created`).
    """

    def __init__(self, mapping: dict[str, str] | None = None) -> None:
        self.mapping = {key.casefold(): username for key, username in (mapping or {}).items()}
        self.created: list[str] = []
        self._authors: dict[tuple[str, str], User] = {}
        self._commenters: dict[str, int | None] = {}
        # Categories and tags met earlier in the run, by slug (one lookup each per run).
        self.categories: dict[str, Category] = {}
        self.tags: dict[str, Tag] = {}

    @classmethod
    def from_csv(cls, path: Path) -> AuthorMap:
        """Read `name,email,username` columns (name or email may be empty)."""
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise AuthorMapError(f"Can't read the authors map {path}: {error}") from error
        if not rows or "username" not in rows[0] or not {"name", "email"} & set(rows[0]):
            raise AuthorMapError(
                f"The authors map {path} needs a header with `username` and `name` and/or "
                "`email` columns, and at least one row."
            )
        mapping = {}
        for line, row in enumerate(rows, start=2):
            username = (row.get("username") or "").strip()
            keys = [(row.get(column) or "").strip() for column in ("name", "email")]
            if not username or not any(keys):
                raise AuthorMapError(f"{path}, line {line}: give a username and a name or email.")
            for key in keys:
                if key:
                    mapping[key] = username
        known = set(
            User.objects.filter(username__in=set(mapping.values())).values_list(
                "username", flat=True
            )
        )
        unknown = sorted(set(mapping.values()) - known)
        if unknown:
            raise AuthorMapError(
                f"The authors map {path} names users that don't exist: {', '.join(unknown)}."
            )
        return cls(mapping)

    def forget(self) -> None:
        """Drop what was looked up: a rolled-back post may have created some of it."""
        self._authors.clear()
        self._commenters.clear()
        self.categories.clear()
        self.tags.clear()

    def author_for(self, name: str, email: str) -> User:
        """The staff user who wrote a post under `name` / `email` in the source."""
        name, email = " ".join((name or "").split()) or UNKNOWN_AUTHOR, (email or "").strip()
        key = (name.casefold(), email.casefold())
        if key not in self._authors:
            self._authors[key] = self._find_or_create(name, email)
        return self._authors[key]

    def _find_or_create(self, name: str, email: str) -> User:
        mapped = self.mapping.get(email.casefold()) or self.mapping.get(name.casefold())
        if mapped:
            return User.objects.get(username=mapped)
        base = slug_base(name, max_length=140)
        staff = User.objects.filter(is_staff=True)
        found = (
            (email and User.objects.filter(email__iexact=email).first())
            or staff.filter(name_key=canonical_name(name)).first()
            or staff.filter(username=base).first()
        )
        if found:
            return found
        # A reader may already use this name: the new author then shows its username.
        name_is_free = not User.objects.filter(name_key=canonical_name(name[:60])).exists()
        user = User(
            username=_free_username(base),
            display_name=name[:60] if name_is_free else "",
            email=email,
            is_staff=True,
        )
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=AUTHORS_GROUP))
        self.created.append(f"{name} <{email}>" if email else name)
        return user

    def commenters(self, emails: set[str]) -> dict[str, int | None]:
        """Registered, confirmed, active accounts by lower-cased email, for linking comments."""
        wanted = {email.lower() for email in emails if email} - set(self._commenters)
        if wanted:
            found = dict(
                User.objects.confirmed()
                .filter(is_active=True)
                .annotate(email_key=Lower("email"))
                .filter(email_key__in=wanted)
                .values_list("email_key", "pk")
            )
            self._commenters.update({email: found.get(email) for email in wanted})
        return self._commenters


def _free_username(base: str) -> str:
    """`base`, else base-2, base-3…: a username no account uses, as a name either."""
    suffix = 1
    candidate = base
    while User.objects.filter(
        Q(username__iexact=candidate) | Q(name_key=canonical_name(candidate))
    ).exists():
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


@dataclass
class PostOutcome:
    """What happened to one source post, for the summary and the report."""

    source_id: str
    title: str
    line: int
    action: str = "unchanged"  # created, updated, unchanged, kept_local_edits, attached, failed
    post_id: int | None = None
    url: str = ""
    comments_added: int = 0
    comments_unchanged: int = 0
    pings_skipped: int = 0
    links_by_rule: Counter = field(default_factory=Counter)
    links_by_confidence: Counter = field(default_factory=Counter)  # "high", "medium", "low"
    unresolved: list[tuple[int, str]] = field(default_factory=list)  # (comment number, why)
    suspects: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    repairs: dict[str, int] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    linked_users: int = 0


def confidence_band(confidence: float | None) -> str:
    """The band the review list filters on: high (0.8 and up), medium (0.5 to 0.8), low."""
    if confidence is not None and confidence >= 0.8:
        return "high"
    if confidence is not None and confidence >= 0.5:
        return "medium"
    return "low"


def source_identity(source: SourcePost) -> str:
    """The identity a post is found again by: the reader's, else old URL, else date + basename."""
    if source.source_id:
        return source.source_id
    if source.old_url:
        return source.old_url.strip()
    date = source.published_at.isoformat() if source.published_at else ""
    return f"{date} {source.basename or source.title}".strip()


def old_path(source: SourcePost) -> str:
    """The old address's path: UNIQUE URL, else /YYYY/MM/basename.html (Typepad's shape)."""
    if source.old_url:
        return normalise_path(source.old_url)
    if source.basename and source.published_at and not source.is_comments_only:
        local = timezone.localtime(source.published_at)
        return normalise_path(f"/{local:%Y/%m}/{source.basename}.html")
    return ""


def import_post(
    *,
    source: SourcePost,
    inference: ThreadInference | None,
    run: ImportRun,
    authors: AuthorMap,
    dry_run: bool,
    post_map: dict[str, str] | None = None,
) -> PostOutcome:
    """Write one source post and its comments in one transaction; never raises for bad data.

    A failure rolls the whole post back and is reported in the outcome
    (`action="failed"`); run again, the post is imported as if for the first time.
    `post_map` sends comments-only records (Disqus threads) to posts: normalised old
    path → a post's path, slug or id (--map).
    """
    outcome = PostOutcome(
        source_id=source_identity(source),
        title=plain_title(source.title),
        line=source.line,
        repairs=dict(source.repairs),
    )
    try:
        with transaction.atomic():
            _write_post(source, inference, run, authors, dry_run, post_map or {}, outcome)
    except Exception as error:  # one bad record must not stop the other posts
        logger.exception("Import of %r (line %s) failed", outcome.title, source.line)
        authors.forget()
        failed = PostOutcome(
            source_id=outcome.source_id,
            title=outcome.title,
            line=outcome.line,
            action="failed",
        )
        why = f"Post not imported ({type(error).__name__}: {error})"
        failed.problems.append((source.line, why))
        return failed
    return outcome


def _write_post(source, inference, run, authors, dry_run, post_map, outcome) -> None:
    imported = (
        ImportedPost.objects.select_related("post").filter(source_id=outcome.source_id).first()
    )
    source_hash = _post_fingerprint(source)
    if source.is_comments_only:
        post = imported.post if imported else _find_target_post(source, post_map)
        if post is None:
            outcome.action = "skipped"
            outcome.problems.append((source.line, _no_target_message(source)))
            return
        if imported is None:
            ImportedPost.objects.create(
                source_id=outcome.source_id,
                post=post,
                old_url=source.old_url,
                source_hash=source_hash,
                is_comments_only=True,
                first_run=run,
                last_run=run,
            )
        outcome.action = "attached"
    elif imported is None:
        post = _create_post(source, authors)
        ImportedPost.objects.create(
            source_id=outcome.source_id,
            post=post,
            old_url=source.old_url,
            source_hash=source_hash,
            first_run=run,
            last_run=run,
        )
        outcome.action = "created"
    else:
        post = imported.post
        if imported.source_hash == source_hash:
            outcome.action = "unchanged"
        elif post.updated_at > imported.written_at:
            # Edited on the site since we last wrote it: the site's version wins.
            outcome.action = "kept_local_edits"
        else:
            _update_post(post, source, authors)
            ImportedPost.objects.filter(pk=imported.pk).update(
                source_hash=source_hash, last_run=run, written_at=timezone.now()
            )
            outcome.action = "updated"
    outcome.post_id = post.pk
    if not source.is_comments_only:
        _remember_old_url(post, source, outcome)
    _write_comments(post, source, inference, run, authors, dry_run, outcome)
    outcome.url = post.get_absolute_url()


def _post_fingerprint(source: SourcePost) -> str:
    fields = [
        source.title,
        source.body_html,
        source.excerpt,
        source.author_name,
        source.author_email,
        source.status,
        source.comments_mode,
        source.convert_breaks,
        source.primary_category,
        source.categories,
        source.tags,
        source.published_at.isoformat() if source.published_at else "",
    ]
    return hashlib.sha256(json.dumps(fields).encode("utf-8", "surrogatepass")).hexdigest()


def _post_fields(source: SourcePost, authors: AuthorMap) -> dict:
    published_at = source.published_at or timezone.now()
    return {
        "title": (plain_title(source.title) or "(untitled)")[:200],
        "author": authors.author_for(source.author_name, source.author_email),
        "body": post_html(source.body_html, source.convert_breaks),
        "body_format": Post.BodyFormat.HTML,
        "excerpt": html_to_plain(source.excerpt)[:600],
        "status": Post.Status.DRAFT if source.status == PostStatus.DRAFT else Post.Status.PUBLISHED,
        "published_at": published_at,
        "category": _category(source, authors.categories),
        "allow_comments": source.comments_mode == CommentsMode.OPEN,
    }


def _create_post(source: SourcePost, authors: AuthorMap) -> Post:
    post = Post(slug=_free_slug(source), **_post_fields(source, authors))
    post.save()
    post.tags.add(*_tags(source, authors.tags))
    return post


def _update_post(post: Post, source: SourcePost, authors: AuthorMap) -> None:
    for name, value in _post_fields(source, authors).items():
        setattr(post, name, value)
    post.save()
    post.tags.set(_tags(source, authors.tags))


def _free_slug(source: SourcePost) -> str:
    """The basename as a slug, made unique with -2, -3…"""
    base = slug_base(source.basename, plain_title(source.title))
    taken = set(Post.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, suffix = base, 1
    while slug in taken:
        suffix += 1
        slug = f"{base}-{suffix}"
    return slug


def _category(source: SourcePost, known: dict[str, Category]) -> Category | None:
    """Posts have one category: the primary one, else the first."""
    name = " ".join((source.primary_category or next(iter(source.categories), "")).split())
    if not name:
        return None
    slug = slug_base(name, max_length=80)
    if slug not in known:
        known[slug] = (
            Category.objects.filter(slug=slug).first()
            or Category.objects.filter(name__iexact=name[:80]).first()
            or Category.objects.create(name=name[:80], slug=slug)
        )
    return known[slug]


def _tags(source: SourcePost, known: dict[str, Tag]) -> list[Tag]:
    tags = {}
    for raw in source.tags:
        name = " ".join(raw.split()).strip("\"'")[:60]
        slug = slug_base(name, max_length=60)
        if not name or slug in tags:
            continue
        if slug not in known:
            known[slug] = (
                Tag.objects.filter(slug=slug).first()
                or Tag.objects.filter(name__iexact=name).first()
                or Tag.objects.create(name=name, slug=slug)
            )
        tags[slug] = known[slug]
    return list(tags.values())


def _find_target_post(source: SourcePost, post_map: dict[str, str]) -> Post | None:
    """The existing post a comments-only record belongs to (see `import_post`)."""
    if source.old_url:
        path = normalise_path(source.old_url)
        if path in post_map:
            return _post_named(post_map[path])
        if source.old_url.strip() in post_map:
            return _post_named(post_map[source.old_url.strip()])
        old = OldUrl.objects.filter(path=path).select_related("post").first()
        if old is not None:
            return old.post
        found = _post_at_path(path)
        if found is not None:
            return found
    if source.published_at is not None:
        # MT NO ENTRY: the entry with the same date.
        return Post.objects.filter(published_at=source.published_at).order_by("pk").first()
    return None


def _post_named(reference: str) -> Post | None:
    """A post given in --map as its address, its slug or its id."""
    reference = reference.strip()
    if reference.isdigit():
        return Post.objects.filter(pk=int(reference)).first()
    if "/" in reference:
        return _post_at_path(normalise_path(reference))
    return Post.objects.filter(slug=reference).first()


def _post_at_path(path: str) -> Post | None:
    try:
        match = resolve(unquote(path) + "/")
    except Resolver404:
        return None
    if match.view_name != "blog:post-detail":
        return None
    return Post.objects.filter(slug=match.kwargs["slug"]).first()


def _no_target_message(source: SourcePost) -> str:
    if source.old_url:
        return (
            f"No post for the comments of {source.old_url!r} ({len(source.comments)} comments "
            "skipped): no post or old address has that path; name one with --map."
        )
    when = source.published_at.isoformat() if source.published_at else "no date"
    return (
        f"NO ENTRY: no post dated {when} to attach {len(source.comments)} comments to; "
        "import the entry first."
    )


def _remember_old_url(post: Post, source: SourcePost, outcome: PostOutcome) -> None:
    path = old_path(source)
    if not path or path == normalise_path(post.get_absolute_url()):
        return
    owner = OldUrl.objects.filter(path=path).values_list("post_id", flat=True).first()
    if owner is None:
        OldUrl.objects.create(path=path, post=post)
    elif owner != post.pk:
        outcome.problems.append(
            (source.line, f"Old address {path} already leads to another post; kept that one.")
        )


# ─── Comments ────────────────────────────────────────────────────────────────


@dataclass(slots=True)
class _Known:
    number: int
    comment_id: int


def _write_comments(post, source, inference, run, authors, dry_run, outcome) -> None:
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
        users = authors.commenters({comment.author_email for _, comment in new})
        drafts = []
        for index, comment in new:
            user_id = users.get(comment.author_email.lower()) if comment.author_email else None
            outcome.linked_users += user_id is not None
            outcome.statuses[comment.status] += 1
            html_body = comment_html(comment.body_html)
            drafts.append(
                CommentDraft(
                    number=number_of[index],
                    parent_number=parents.get(index, (None,))[0],
                    html=html_body,
                    body=html_to_plain(html_body),
                    created_at=comment.created_at,
                    status=Comment.Status(comment.status),
                    author_id=user_id,
                    guest_name=_display_name(comment),
                    guest_email=comment.author_email.strip(),
                    ip_address=clean_ip(comment.ip_address),
                    moderation_reason=REMOVED_REASON if comment.status == "removed" else "",
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
                    "author_url": comment.author_url[:2000],
                    "created_at": comment.created_at,
                    "body_hash": hashed,
                    "source_id": comment.source_id[:200],
                    "source_line": comment.line,
                    "run": run.pk,
                    "rule": rule,
                    "confidence": confidence,
                    "evidence": evidence[:2000],
                    "inferred_parent_number": parent_number if rule else None,
                }
            )
        copy_rows(ImportedComment, rows)
        outcome.comments_added = len(new)
    if inference is not None:
        _record_suspects(post, run, comments, identities, known, inference, outcome)


def _display_name(comment: SourceComment) -> str:
    return " ".join((comment.author_name or "").split()) or "Anonymous"


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
    if rows:
        # A re-run finds the same pairs again; the first record (and its decision) stays.
        ImpersonationSuspect.objects.bulk_create(rows, ignore_conflicts=True)
        outcome.suspects = len(rows)
