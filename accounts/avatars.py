"""Avatars: uploads judged by decoding, stored as square renditions; identicons for the rest.

An upload is accepted only when Pillow decodes it completely as JPEG, PNG, WebP
or GIF (first frame), within `AVATAR_MAX_BYTES` and `AVATAR_MAX_PIXELS`. Only
re-encoded square renditions are stored: no original, so no EXIF (GPS) survives.

Decoding costs CPU, so it is kept small: a JPEG is decoded at the smallest
scale (1/2, 1/4, 1/8) still larger than the renditions need, large pictures are
reduced cheaply before resampling, and each account may upload at most
`AVATAR_UPLOADS_PER_HOUR` pictures, counted before anything is decoded.
"""

import colorsys
import hashlib
import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.crypto import salted_hmac
from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError

from blog.counters import Limit, limits_take

ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}
SIZES = (48, 96, 192)
ACCEPTED_HELP = "Upload a JPEG, PNG, WebP or GIF picture."


def max_bytes() -> int:
    return settings.AVATAR_MAX_BYTES


# Decode and resample no larger than this: twice the largest rendition keeps it sharp.
WORKING_SIDE = 2 * max(SIZES)


def max_pixels() -> int:
    return settings.AVATAR_MAX_PIXELS


def uploads_per_hour() -> int:
    return settings.AVATAR_UPLOADS_PER_HOUR


def upload_count(*, user_pk: int) -> None:
    """Count one upload against the account's hourly limit, before decoding; refuse past it."""
    limit = uploads_per_hour()
    if not limit:
        return
    reached = limits_take([Limit(f"accounts:avatar-uploads:{user_pk}", limit, 3600)])
    if reached is not None:
        minutes = -(-reached.retry_after // 60)
        raise ValidationError(
            f"You can upload at most {limit} pictures an hour, and that limit is reached. "
            f"Try again in {minutes} minute{'' if minutes == 1 else 's'}.",
            code="too_many_uploads",
        )


def decode_avatar(uploaded) -> Image.Image:
    """The upload's first frame, fully decoded; every way it can be bad is a ValidationError."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes():
        raise ValidationError(
            f"The picture is {size / 1_048_576:.1f} MB; the limit is "
            f"{max_bytes() / 1_048_576:.0f} MB.",
            code="too_large",
        )
    uploaded.seek(0)
    data = uploaded.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise ValidationError(
            f"The picture is larger than {max_bytes() / 1_048_576:.0f} MB.", code="too_large"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    f"{probe.format} pictures are not accepted. {ACCEPTED_HELP}", code="bad_format"
                )
            if probe.width * probe.height > max_pixels():
                raise Image.DecompressionBombError("too many pixels")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.seek(0)
            # JPEG decodes at 1/2, 1/4 or 1/8 scale for a fraction of the CPU.
            image.draft(None, (WORKING_SIDE, WORKING_SIDE))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            f"The picture has too many pixels; the limit is {max_pixels():,}.",
            code="too_many_pixels",
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(
            f"This file is not a picture we can read. {ACCEPTED_HELP}", code="not_an_image"
        ) from error
    return image


def validate_avatar(uploaded) -> None:
    """Refuse anything that does not decode as an accepted, reasonably sized picture."""
    decode_avatar(uploaded)
    uploaded.seek(0)


def square_renditions(image: Image.Image) -> dict[int, bytes]:
    """WebP squares of every size in SIZES, centre-cropped and upright, without metadata."""
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    factor = min(image.size) // WORKING_SIDE
    if factor > 1:
        # Box-averaging first is cheap; resampling a full-size picture is not.
        image = image.reduce(factor)
    side = min(image.size)
    image = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
    renditions = {}
    for size in SIZES:
        buffer = io.BytesIO()
        image.resize((size, size), Image.Resampling.LANCZOS).save(
            buffer, format="WEBP", quality=85, method=4
        )
        renditions[size] = buffer.getvalue()
    return renditions


def store_avatar(uploaded, *, user_pk: int) -> dict[str, str]:
    """Decode an upload and store its renditions; returns {size: stored name}."""
    stem = f"avatars/{user_pk}-{uuid.uuid4().hex[:12]}"
    return {
        str(size): default_storage.save(f"{stem}-{size}.webp", ContentFile(data))
        for size, data in square_renditions(decode_avatar(uploaded)).items()
    }


def delete_stored(renditions: dict[str, str]) -> None:
    """Remove stored rendition files (a replaced or removed avatar)."""
    for name in renditions.values():
        default_storage.delete(name)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


# ─── Generated avatars ───────────────────────────────────────────────────────


def identicon_png(seed: str, size: int) -> bytes:
    """A symmetric 5×5 identicon, the same for the same seed, as PNG bytes."""
    digest = salted_hmac("accounts.identicon", seed).digest()
    hue = digest[0] / 255
    colour = _hsl(hue, 0.55, 0.45)
    background = (240, 240, 240)
    cells = 5
    image = Image.new("RGB", (cells, cells), background)
    draw = ImageDraw.Draw(image)
    for row in range(cells):
        for column in range(3):
            if digest[1 + row * 3 + column] % 2:
                draw.point((column, row), fill=colour)
                draw.point((cells - 1 - column, row), fill=colour)
    padded = ImageOps.expand(image, border=1, fill=background)
    buffer = io.BytesIO()
    padded.resize((size, size), Image.Resampling.NEAREST).save(buffer, format="PNG")
    return buffer.getvalue()


def identicon_etag(seed: str, size: int) -> str:
    return hashlib.sha256(salted_hmac("accounts.identicon", f"{seed}:{size}").digest()).hexdigest()


def _hsl(hue: float, saturation: float, lightness: float) -> tuple[int, int, int]:
    red, green, blue = colorsys.hls_to_rgb(hue, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)
