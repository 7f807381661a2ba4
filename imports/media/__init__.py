"""Typepad-hosted images in imported bodies, brought home (`--media-dir`, `--fetch-media`).

Typepad's image hosts closed with it, and its export carries no images: bodies point
at `*.typepad.com/.a/<asset id>-<size>` and `*.typepad.com/…/name.jpg`. A
`MediaResolver` finds each such image in the folder of files the owner saved (by asset
id or file name), or downloads it when asked to, stores it through the site's image
pipeline and points the body's `<img src>` / `<a href>` at the stored copy. A
reference it cannot resolve is left exactly as it was and reported, never rewritten
into a broken link. Nothing is fetched from the network unless `fetch=True`.

    resolver = MediaResolver(media_dir, fetch=False)
    body_html, problems = resolver.localise(body_html, where="post 2007/05/hello.html")
    problems = resolver.localise_post(source_post)  # body, excerpt and comments in place
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import Storage, default_storage

from imports.media.fetching import FetchFailed, fetch
from imports.media.folder import MediaFolder
from imports.media.references import (
    ASSET_ID,
    IMAGE_SUFFIXES,
    NEEDLES,
    URL_ATTRIBUTES,
    MediaRef,
    StartTag,
    bare_host,
    media_tags,
    parse_reference,
    splice,
)
from imports.media.storing import (
    MEDIA_FOLDER,
    ImageRefused,
    StoredImage,
    remember_image,
    remembered_image,
    store_image,
)
from imports.records import SourcePost

__all__ = ["MEDIA_FOLDER", "MediaProblem", "MediaResolver", "MediaStats"]

# After this many timeouts or refused connections, a host is not tried again this run:
# a dead host must not cost ten seconds per reference.
HOST_FAILURES_BEFORE_GIVING_UP = 3


@dataclass(frozen=True, slots=True)
class MediaProblem:
    """A reference left as it was, for the import report."""

    url: str
    where: str  # the caller's label: "post <source id>", "post <source id> comment 12"
    # "missing": in no folder; "refused": the file is not an acceptable image;
    # "ambiguous": several different files fit; "fetch_failed": the download failed too;
    # "unreadable": the body's markup could not be read, nothing in it was touched.
    kind: str
    reason: str  # a sentence for the owner


@dataclass(slots=True)
class MediaStats:
    """Counts for the report. References count each occurrence; images each picture once."""

    references: int = 0  # Typepad image references met in bodies
    rewritten: int = 0  # references now pointing at a stored copy
    unresolved: int = 0  # references left as they were (each one is a MediaProblem)
    found: int = 0  # images taken from the media folder
    fetched: int = 0  # images downloaded
    stored: int = 0  # images written to storage by this run (would be, in a dry run)
    reused: int = 0  # images already in storage from an earlier run
    refused: int = 0  # files the image pipeline refused (not images, bombs, too large)


@dataclass(frozen=True, slots=True)
class _Failure:
    """Why a reference stays as it was (becomes a MediaProblem where it appears)."""

    kind: str
    reason: str


class MediaResolver:
    """Rewrites Typepad image references in bodies to copies in our storage.

    One resolver serves a whole import run: it remembers what it resolved (each image
    is read, checked and stored once however often it is referenced) and counts in
    `stats`. `old_hosts` are the blog's own former domains, whose images count as
    Typepad's. `max_bytes` caps files and downloads (never above IMAGE_MAX_BYTES, the
    pipeline's own cap; `add_old_hosts` adds more, and `localise_post` adds each post's
    own old host). Downloads go to public addresses only, unless
    `allow_private_addresses` (tests, an intranet mirror). `dry_run` checks and names
    files but writes nothing. Raises ValueError when `media_dir` is not a folder.
    """

    def __init__(
        self,
        media_dir: Path | None,
        *,
        fetch: bool = False,
        timeout: float = 10.0,
        max_bytes: int | None = None,
        old_hosts: Iterable[str] = (),
        storage: Storage | None = None,
        dry_run: bool = False,
        allow_private_addresses: bool = False,
    ):
        if media_dir is not None and not Path(media_dir).is_dir():
            raise ValueError(f"The media folder {media_dir} does not exist or is not a folder.")
        self.folder = MediaFolder(Path(media_dir).absolute()) if media_dir is not None else None
        self.fetch = fetch
        self.timeout = timeout
        self.max_bytes = min(max_bytes or settings.IMAGE_MAX_BYTES, settings.IMAGE_MAX_BYTES)
        self.old_hosts: frozenset[str] = frozenset()
        self.storage = storage or default_storage
        self.dry_run = dry_run
        self.allow_private_addresses = allow_private_addresses
        self.stats = MediaStats()
        self._hosts: tuple[str, ...] = NEEDLES
        self.add_old_hosts(old_hosts)
        self._images: dict[str, StoredImage] = {}  # ref key -> stored image
        self._failures: dict[str, _Failure] = {}  # ref key (or URL when fetching) -> why
        self._host_failures: dict[str, list[str]] = {}

    def add_old_hosts(self, hosts: Iterable[str]) -> None:
        """Count the images on these hosts (the blog's former domains, or addresses on them)
        as the old blog's own."""
        named = (_host(host) if "/" in host else host for host in hosts)
        added = {bare_host(host) for host in named} - {""} - self.old_hosts
        if added:
            self.old_hosts |= added
            self._hosts = (*NEEDLES, *sorted(self.old_hosts))

    def localise(self, html: str, *, where: str) -> tuple[str, list[MediaProblem]]:
        """`html` with its Typepad image references pointing at stored copies, and the
        references left as they were. A body without any comes back as the same object."""
        if not html or not self._may_refer(html):
            return html, []
        tags = media_tags(html)
        if tags is None:
            return html, [MediaProblem("", where, "unreadable", "the markup could not be read")]
        edits: list[tuple[int, int, str]] = []
        problems: list[MediaProblem] = []
        for tag in tags:
            attribute = tag.get(URL_ATTRIBUTES[tag.name])
            if attribute is None or not attribute.value:
                continue
            ref = parse_reference(attribute.value, old_hosts=self.old_hosts)
            if ref is None:
                continue
            self.stats.references += 1
            outcome = self._resolve(ref)
            if isinstance(outcome, _Failure):
                self.stats.unresolved += 1
                problems.append(MediaProblem(ref.url, where, outcome.kind, outcome.reason))
                continue
            self.stats.rewritten += 1
            edits += self._edits(tag, ref, outcome, attribute.value_start, attribute.value_end)
        return (splice(html, edits) if edits else html), problems

    def localise_post(self, post: SourcePost) -> list[MediaProblem]:
        """Localise a post's body, excerpt and comment bodies in place; return the problems.

        The host of the post's old address is the blog's own: its images are resolved too."""
        self.add_old_hosts([_host(post.old_url)])
        label = f"post {post.source_id or post.basename or repr(post.title)}"
        if post.line:
            label += f" (line {post.line})"
        post.body_html, problems = self.localise(post.body_html, where=label)
        post.excerpt, found = self.localise(post.excerpt, where=f"{label}, excerpt")
        problems += found
        for position, comment in enumerate(post.comments, start=1):
            where = f"{label}, comment {comment.number or position}"
            if comment.line:
                where += f" (line {comment.line})"
            comment.body_html, found = self.localise(comment.body_html, where=where)
            problems += found
        return problems

    def _may_refer(self, html: str) -> bool:
        """Whether `html` can hold a reference at all: the fast path for most bodies."""
        lowered = html.lower()
        return any(host in lowered for host in self._hosts) and (
            any(suffix in lowered for suffix in IMAGE_SUFFIXES)
            or ASSET_ID.search(lowered) is not None
        )

    def _edits(
        self, tag: StartTag, ref: MediaRef, image: StoredImage, start: int, end: int
    ) -> list[tuple[int, int, str]]:
        """Point the tag at the stored copy; give an `<img>` its size when it has none."""
        if tag.name != "img":
            return [(start, end, f'"{escape(self.storage.url(image.name))}"')]
        shown = _shown_width(tag, ref, image)
        url = self.storage.url(image.name_for_width(shown))
        edits = [(start, end, f'"{escape(url)}"')]
        if tag.get("width") is None and tag.get("height") is None:
            height = round(image.height * shown / image.width)
            edits.append((tag.insert_at, tag.insert_at, f' width="{shown}" height="{height}"'))
        return edits

    def _resolve(self, ref: MediaRef) -> StoredImage | _Failure:
        """The stored copy of `ref`'s image, or why there is none (each worked out once)."""
        if ref.key in self._images:
            return self._images[ref.key]
        # Without fetching, the answer depends on the image alone; with it, another size
        # of the same asset may still download, so failures are kept per URL.
        failure_key = ref.url if self.fetch else ref.key
        if failure_key in self._failures:
            return self._failures[failure_key]
        remembered = remembered_image(ref.key, storage=self.storage, dry_run=self.dry_run)
        if remembered is not None:
            # Stored by an earlier run: neither the folder nor the network is needed again.
            self.stats.reused += 1
            self._images[ref.key] = remembered
            return remembered
        outcome = self._from_folder(ref)
        if isinstance(outcome, _Failure) and self.fetch:
            outcome = self._from_network(ref, outcome)
        if isinstance(outcome, _Failure):
            self._failures[failure_key] = outcome
            return outcome
        self._images[ref.key] = outcome
        if not self.dry_run:
            remember_image(ref.key, url=ref.url, image=outcome, storage=self.storage)
        return outcome

    def _from_folder(self, ref: MediaRef) -> StoredImage | _Failure:
        if self.folder is None:
            return _Failure("missing", "no media folder given (--media-dir)")
        candidates = self.folder.candidates(ref)
        if not candidates:
            return _Failure("missing", "not found in the media folder")
        if not ref.asset_id and len(candidates) > 1:
            if len({_digest(path) for path in candidates}) > 1:
                names = ", ".join(str(path.relative_to(self.folder.root)) for path in candidates)
                return _Failure("ambiguous", f"several different files fit: {names}")
            candidates = candidates[:1]
        refusals = []
        # Each saved size of an asset, largest first, until one passes the pipeline.
        for path in candidates:
            relative = path.relative_to(self.folder.root)
            data = self._read(path)
            if isinstance(data, str):
                self.stats.refused += 1
                refusals.append(f"{relative}: {data}")
                continue
            outcome = self._store(data, source_name=path.name)
            if isinstance(outcome, StoredImage):
                self.stats.found += 1
                return outcome
            refusals.append(f"{relative}: {outcome.reason}")
        return _Failure("refused", "; ".join(refusals))

    def _from_network(self, ref: MediaRef, earlier: _Failure) -> StoredImage | _Failure:
        host = _host(ref.url)
        previous = self._host_failures.get(host, [])
        if len(previous) >= HOST_FAILURES_BEFORE_GIVING_UP:
            why = f"{host} failed {len(previous)} times already (last: {previous[-1]})"
            return _Failure("fetch_failed", f"{earlier.reason}; not fetched: {why}")
        try:
            data, content_type = fetch(
                ref.url,
                timeout=self.timeout,
                max_bytes=self.max_bytes,
                allow_private=self.allow_private_addresses,
            )
        except FetchFailed as error:
            if error.host_unreachable:
                self._host_failures.setdefault(host, []).append(str(error))
            return _Failure("fetch_failed", f"{earlier.reason}; fetch failed: {error}")
        outcome = self._store(data, source_name=ref.file_name)
        if isinstance(outcome, _Failure):
            sent = f" (sent as {content_type})" if content_type else ""
            return _Failure(
                "fetch_failed", f"{earlier.reason}; fetch failed{sent}: {outcome.reason}"
            )
        self.stats.fetched += 1
        return outcome

    def _store(self, data: bytes, *, source_name: str) -> StoredImage | _Failure:
        try:
            image, reused = store_image(
                data, source_name=source_name, storage=self.storage, dry_run=self.dry_run
            )
        except ImageRefused as error:
            self.stats.refused += 1
            return _Failure("refused", str(error))
        if reused:
            self.stats.reused += 1
        else:
            self.stats.stored += 1
        return image

    def _read(self, path: Path) -> bytes | str:
        """The file's bytes, or why they were not read (over the size limit, unreadable)."""
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                return f"{size:,} bytes; the limit is {self.max_bytes:,}"
            return path.read_bytes()
        except OSError as error:
            return f"unreadable ({error.strerror or error})"


def _shown_width(tag: StartTag, ref: MediaRef, image: StoredImage) -> int:
    """How wide the `<img>` is shown: its width attribute, the URL's `-800wi`, or natural."""
    attribute = tag.get("width")
    if attribute and attribute.value and attribute.value.strip().isdigit():
        return max(1, int(attribute.value.strip()))
    return min(ref.width or image.width, image.width)


def _digest(path: Path) -> bytes:
    """A fingerprint of the file's content (unreadable files all look alike)."""
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return b""


def _host(url: str) -> str:
    """The URL's host name, "" when it has none or cannot be read."""
    try:
        return urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
