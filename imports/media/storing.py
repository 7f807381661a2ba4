"""Imported images stored through the site's image pipeline, once per picture.

The pipeline is blog/images.py's, as for uploads: decoded by Pillow whatever the name
says, decompression bombs and non-images refused, EXIF stripped, re-encoded, WebP
renditions. A stored file is named by the hash of the bytes it came from
(`imports/media/<hash>.<ext>`, renditions `<hash>-<width>w.webp` beside it), so the same
picture found again, in this run or a later one, is stored once.

Which stored image each old reference became is noted beside the images
(`imports/media/refs/<hash of the reference>.json`), so a later run finds it without
the media folder or the network: a re-run downloads nothing again, and a body stays
pointed at its copy even when the run is given neither `--media-dir` nor `--fetch-media`.
The note goes with the files: storage emptied, the references are resolved afresh.
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image

from blog.images import (
    ACCEPTED_FORMATS,
    OUTPUT_FORMATS,
    clean_upload,
    encode_renditions,
    rendition_widths,
)

MEDIA_FOLDER = "imports/media"
REFERENCES_FOLDER = f"{MEDIA_FOLDER}/refs"
_REFUSALS = {
    "not_an_image": "not an image (Pillow cannot decode it)",
    "too_many_pixels": "too many pixels (a decompression bomb?)",
}


class ImageRefused(Exception):
    """The image pipeline would not take a file; the message says why."""


@dataclass(frozen=True, slots=True)
class StoredImage:
    """An imported picture in storage: the cleaned original and its renditions."""

    name: str
    width: int
    height: int
    renditions: dict[int, str]  # width -> stored name, narrowest first

    def name_for_width(self, width: int | None) -> str:
        """The narrowest rendition at least `width` wide (the widest when none is)."""
        if not self.renditions:
            return self.name
        for rendition_width, name in self.renditions.items():
            if width is not None and rendition_width >= width:
                return name
        return self.renditions[max(self.renditions)]


def store_image(
    data: bytes, *, source_name: str, storage: Storage, dry_run: bool = False
) -> tuple[StoredImage, bool]:
    """Store `data` cleaned, with renditions, unless already stored; (image, was stored before).

    Raises ImageRefused when the pipeline refuses the file. With `dry_run` the file is
    checked and named but nothing is written.
    """
    digest = hashlib.sha256(data).hexdigest()[:32]
    extension = _extension(data)
    if extension and storage.exists(name := f"{MEDIA_FOLDER}/{digest}.{extension}"):
        # Stored from these very bytes before, so it passed the pipeline then.
        with storage.open(name, "rb") as handle, Image.open(handle) as image:
            size = image.size
        return _with_renditions(storage, name, size, image=None, dry_run=dry_run), True
    try:
        cleaned = clean_upload(ContentFile(data, name=source_name))
    except ValidationError as error:
        reason = _REFUSALS.get(error.code) or error.messages[0].split(" Upload ")[0]
        raise ImageRefused(reason) from error
    cleaned_bytes = cleaned.read()
    image = Image.open(io.BytesIO(cleaned_bytes))
    image.load()
    name = f"{MEDIA_FOLDER}/{digest}{PurePosixPath(cleaned.name).suffix}"
    if not dry_run and not storage.exists(name):
        name = storage.save(name, ContentFile(cleaned_bytes))
    return _with_renditions(storage, name, image.size, image=image, dry_run=dry_run), False


def remembered_image(key: str, *, storage: Storage, dry_run: bool = False) -> StoredImage | None:
    """The image an earlier run stored for the reference `key`, while it is still in storage
    (renditions an interrupted run left out are written, unless `dry_run`)."""
    note = _note_name(key)
    try:
        if not storage.exists(note):
            return None
        with storage.open(note, "rb") as handle:
            data = json.loads(handle.read())
        name, width, height = data["name"], int(data["width"]), int(data["height"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # an unreadable note is as good as none: the reference is resolved afresh
    if not storage.exists(name):
        return None
    return _with_renditions(storage, name, (width, height), image=None, dry_run=dry_run)


def remember_image(key: str, *, url: str, image: StoredImage, storage: Storage) -> None:
    """Note that the reference `key` (first met as `url`) became `image`, for later runs."""
    note = _note_name(key)
    content = {
        "key": key,
        "url": url,
        "name": image.name,
        "width": image.width,
        "height": image.height,
    }
    if storage.exists(note):
        storage.delete(note)
    storage.save(note, ContentFile(json.dumps(content).encode()))


def _note_name(key: str) -> str:
    return f"{REFERENCES_FOLDER}/{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"


def _extension(data: bytes) -> str | None:
    """The extension clean_upload would give these bytes, read from the header alone."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                source_format = image.format
    except Exception:  # unreadable here means the pipeline decides
        return None
    if source_format not in ACCEPTED_FORMATS:
        return None
    return ACCEPTED_FORMATS[OUTPUT_FORMATS.get(source_format, source_format)]


def _with_renditions(
    storage: Storage,
    name: str,
    size: tuple[int, int],
    *,
    image: Image.Image | None,
    dry_run: bool,
) -> StoredImage:
    """The stored image with all its renditions, writing those missing (an interrupted run)."""
    stem = PurePosixPath(name).with_suffix("")
    renditions = {width: f"{stem}-{width}w.webp" for width in rendition_widths(size[0])}
    missing = [width for width, rendition in renditions.items() if not storage.exists(rendition)]
    if missing and not dry_run:
        if image is None:
            with storage.open(name, "rb") as handle:
                image = Image.open(handle)
                image.load()
        for width, data in encode_renditions(image, missing):
            renditions[width] = storage.save(renditions[width], ContentFile(data))
    return StoredImage(name=name, width=size[0], height=size[1], renditions=renditions)
