"""Uploaded images: validation by decoding, EXIF stripping and resized renditions.

A file is judged by what Pillow decodes, never by its name. The stored original
is re-encoded without metadata (no GPS leaks), and renditions are written next
to it for `srcset`.
"""

import io
import warnings
from collections.abc import Iterator
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image, ImageOps, UnidentifiedImageError

# MPO is how Pillow names the JPEGs many phones write (an extra embedded frame).
ACCEPTED_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# What clean_upload re-encodes each format as: GIF keeps no animation, MPO its first frame.
OUTPUT_FORMATS = {"GIF": "PNG", "MPO": "JPEG"}
RENDITION_WIDTHS = (480, 960, 1600)


def _decode(uploaded) -> Image.Image:
    """Fully decode an upload, turning every way it can be bad into a ValidationError."""
    max_bytes = settings.IMAGE_MAX_BYTES
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise ValidationError(
            f"The image is {uploaded.size / 1_048_576:.1f} MB; the limit is "
            f"{max_bytes / 1_048_576:.0f} MB.",
            code="too_large",
        )
    uploaded.seek(0)
    data = uploaded.read()
    max_pixels = settings.IMAGE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.width * probe.height > max_pixels:
                raise Image.DecompressionBombError("too many pixels")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            f"The image is too large in pixels; the limit is {max_pixels:,} pixels.",
            code="too_many_pixels",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF.",
            code="not_an_image",
        ) from exc
    if image.format not in ACCEPTED_FORMATS:
        raise ValidationError(
            f"{image.format} images are not accepted. Upload a JPEG, PNG, WebP or GIF.",
            code="bad_format",
        )
    return image


def validate_image(uploaded) -> None:
    """Refuse anything that does not decode as an accepted, reasonably sized image."""
    _decode(uploaded)
    uploaded.seek(0)


def clean_upload(uploaded) -> ContentFile:
    """Re-encode an upload without EXIF or other metadata, upright, under a safe name."""
    image = _decode(uploaded)
    source_format = image.format
    if source_format in ("GIF", "MPO"):
        image.seek(0)
    image = ImageOps.exif_transpose(image)
    output_format = OUTPUT_FORMATS.get(source_format, source_format)
    if output_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    save_kwargs = {"quality": 90} if output_format in ("JPEG", "WEBP") else {}
    image.save(buffer, format=output_format, **save_kwargs)
    stem = PurePosixPath(uploaded.name or "image").stem[:60] or "image"
    return ContentFile(buffer.getvalue(), name=f"{stem}.{ACCEPTED_FORMATS[output_format]}")


def rendition_widths(image_width: int) -> list[int]:
    """Widths of the renditions an image this wide gets: RENDITION_WIDTHS, never upscaled."""
    widths = []
    for width in RENDITION_WIDTHS:
        # The last rendition is the image at its own width when it is narrower.
        widths.append(min(width, image_width))
        if widths[-1] == image_width:
            break
    return widths


def encode_renditions(
    image: Image.Image, widths: list[int] | None = None
) -> Iterator[tuple[int, bytes]]:
    """WebP bytes of each rendition of a decoded image (all of `rendition_widths` by default)."""
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    for target_width in rendition_widths(image.width) if widths is None else widths:
        height = round(image.height * target_width / image.width)
        resized = image.resize((target_width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        resized.save(buffer, format="WEBP", quality=82, method=4)
        yield target_width, buffer.getvalue()


def make_renditions(storage: Storage, name: str) -> dict[str, str]:
    """Write WebP renditions of a stored image, never upscaled; return {width: stored name}."""
    with storage.open(name, "rb") as handle:
        image = Image.open(handle)
        image.load()
    stem = PurePosixPath(name).with_suffix("")
    return {
        str(width): storage.save(f"{stem}-{width}w.webp", ContentFile(data))
        for width, data in encode_renditions(image)
    }
