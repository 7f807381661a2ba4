"""One source post in one transaction: the post itself, its old address, then its comments."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from urllib.parse import unquote

from django.db import transaction
from django.db.models import F, Q
from django.urls import Resolver404, resolve
from django.utils import timezone

from blog.cache_keys import comments_changed
from blog.models import Category, Post, Tag
from comments.models import Comment
from imports.convert import html_to_plain, plain_title, post_html, slug_base, without_nul
from imports.models import ImportedPost, ImportRun, OldUrl, normalise_path
from imports.records import CommentsMode, PostStatus, SourceComment, SourcePost, ThreadInference
from imports.writing.authors import AuthorMap
from imports.writing.comments import HIDDEN_REASON, write_comments
from imports.writing.outcome import PostOutcome

logger = logging.getLogger(__name__)


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
    imported = _imported_record(source, outcome.source_id, run)
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
        elif imported.source_hash != source_hash:
            ImportedPost.objects.filter(pk=imported.pk).update(
                source_hash=source_hash, last_run=run, written_at=timezone.now()
            )
        # Only what the source newly says: a re-run leaves a post a moderator reopened open.
        if (imported is None or imported.source_hash != source_hash) and (
            source.comments_mode != CommentsMode.OPEN
        ):
            _close_comments(post, dry_run=dry_run)
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
            _note_comments_turned_on(post, source, outcome)
            ImportedPost.objects.filter(pk=imported.pk).update(
                source_hash=source_hash, last_run=run, written_at=timezone.now()
            )
            outcome.action = "updated"
    outcome.post_id = post.pk
    if not source.is_comments_only:
        _remember_old_url(post, source, outcome)
    write_comments(post, source, inference, run, authors, dry_run, outcome)
    outcome.url = post.get_absolute_url()


def _imported_record(source: SourcePost, identity: str, run: ImportRun) -> ImportedPost | None:
    """The record of the post `source` was imported as: found by its identity, else, when the
    blog's addresses were renamed between two exports, by its old address's path (another
    domain, or https) or by its date and basename (another folder). A record found so takes
    the new identity, so later runs find it at once."""
    imported = ImportedPost.objects.select_related("post").filter(source_id=identity).first()
    if imported is not None or source.is_comments_only:
        return imported
    # Not a record this run wrote: that one belongs to another entry of the same file.
    earlier = ImportedPost.objects.select_related("post").filter(is_comments_only=False)
    earlier = earlier.exclude(last_run=run)
    path = old_path(source)
    renamed = earlier.filter(post__old_urls__path=path).first() if path else None
    if renamed is None and source.basename and source.published_at:
        base = slug_base(source.basename)
        same_day = earlier.filter(post__published_at=source.published_at).filter(
            Q(post__slug=base) | Q(post__slug__startswith=f"{base}-")
        )
        found = [
            record
            for record in same_day[:3]
            if re.fullmatch(rf"{re.escape(base)}(?:-\d+)?", record.post.slug)
        ]
        renamed = found[0] if len(found) == 1 else None
    if renamed is not None:
        ImportedPost.objects.filter(pk=renamed.pk).update(
            source_id=identity, old_url=source.old_url
        )
        renamed.source_id, renamed.old_url = identity, source.old_url
    return renamed


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
        "body": without_nul(post_html(source.body_html, source.convert_breaks)),
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


def _close_comments(post: Post, *, dry_run: bool) -> None:
    """The source closed the post's comments (a closed Disqus thread): it takes no more.

    Written without `save()`, so the post does not count as edited on the site."""
    closed = Post.objects.filter(pk=post.pk, allow_comments=True).update(
        allow_comments=False, comments_version=F("comments_version") + 1
    )
    if closed:
        post.allow_comments = False
        if not dry_run:
            comments_changed(post.pk)


def _note_comments_turned_on(post: Post, source: SourcePost, outcome: PostOutcome) -> None:
    """Comments hidden because the old blog had them turned off stay hidden when a newer
    export turns them on: imported comments are never touched again. Say so."""
    if source.comments_mode == CommentsMode.OFF:
        return
    hidden = Comment.objects.filter(
        post=post, status=Comment.Status.REMOVED, moderation_reason=HIDDEN_REASON
    ).count()
    if hidden:
        outcome.problems.append(
            (
                source.line,
                f"The export now shows the comments of “{outcome.title}”; the {hidden} comments "
                "an earlier import hid stay hidden: restore them in admin (Comments, filtered by "
                "this post) if they should show.",
            )
        )


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
    name = " ".join(
        without_nul(source.primary_category or next(iter(source.categories), "")).split()
    )
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
    """The source's tags, and its other categories: a post here has one category, and the
    rest of what the old blog filed it under must not be lost."""
    chosen = (source.primary_category or next(iter(source.categories), "")).casefold()
    others = [name for name in source.categories if name.casefold() != chosen]
    tags = {}
    for raw in [*source.tags, *others]:
        name = " ".join(without_nul(raw).split()).strip("\"'")[:60]
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


def stored_thread(
    source: SourcePost, post_map: dict[str, str] | None = None
) -> tuple[list[tuple[int, SourceComment]], int]:
    """For a comments-only record (Disqus thread, MT NO ENTRY): the comments its post
    already has, as (number, comment), and the number the next one gets, so inference
    resolves `@N` against the numbers readers saw. Empty, 1 for other records."""
    if not source.is_comments_only:
        return [], 1
    imported = ImportedPost.objects.filter(source_id=source_identity(source)).first()
    post = imported.post if imported else _find_target_post(source, post_map or {})
    if post is None:
        return [], 1
    stored = [
        (
            comment.number,
            SourceComment(
                author_name=comment.display_name,
                author_email=comment.guest_email,
                created_at=comment.created_at,
                body_html=comment.body_html,
                number=comment.number,
            ),
        )
        for comment in Comment.objects.filter(post=post).with_authors().in_number_order()
    ]
    return stored, post.last_comment_number + 1


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
