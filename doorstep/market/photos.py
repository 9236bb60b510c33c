"""Photos checked by their bytes and re-encoded, so that nothing in an upload but its pixels is kept.

A camera or phone writes where (GPS), when, and with what a picture was taken into EXIF, XMP, IPTC
and ICC comments; a product photo taken at a producer's home would point at her. Pillow opens the
bytes (the name and the declared type are ignored), ``verify()`` checks them whole, and the pixels are
copied into a new image (``Image.new`` + ``paste``: no ``info``, no EXIF, no ICC profile travels with
them), turned upright by the EXIF orientation first, resized and saved as a plain JPEG.
"""

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from doorstep.core.errors import ValidationError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
LARGE = 720  # the longer side, for a phone's screen
THUMB = 240
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


@dataclass(frozen=True)
class Clean:
    large: bytes
    thumb: bytes
    width: int
    height: int


def _jpeg(image: Image.Image, side: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    bare = Image.new("RGB", copy.size)
    bare.paste(copy)
    out = io.BytesIO()
    bare.save(out, format="JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


def clean(data: bytes, field: str = "file") -> Clean:
    """The photo re-encoded without metadata, or ``ValidationError`` on ``field``."""
    if not data:
        raise ValidationError.for_field(field, _("Choose a photo to upload."), code="not_an_image")
    if len(data) > MAX_BYTES:
        raise ValidationError.for_field(
            field,
            _("The photo is too large: at most %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    not_image = _("This file is not a photo Doorstep can read: send a JPEG, PNG, WebP or GIF.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS:
                raise ValidationError.for_field(field, not_image, code="not_an_image")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError.for_field(
                    field, _("The photo has too many pixels; send a smaller one."), code="too_large"
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            upright = ImageOps.exif_transpose(opened).convert("RGB")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError.for_field(field, not_image, code="not_an_image") from None
    large = _jpeg(upright, LARGE)
    with Image.open(io.BytesIO(large)) as sized:
        width, height = sized.size
    return Clean(large=large, thumb=_jpeg(upright, THUMB), width=width, height=height)
