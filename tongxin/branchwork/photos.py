"""Activity photos: checked by their content (tongxin.core.filecheck), stored re-encoded under
MEDIA_ROOT.

What is stored is a fresh encoding of the pixels: no EXIF block (phones write the place a photo
was taken), nothing appended after the image, and a photo of at most ``TONGXIN_PHOTO_MAX_SIDE``
pixels on its longer side, with a small thumbnail beside it.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageOps

from tongxin.core import filecheck

PHOTOS = filecheck.Accept(
    kinds=(filecheck.JPEG, filecheck.PNG, filecheck.WEBP),
    limit_setting="TONGXIN_PHOTO_MAX_MB",
    noun="照片",
    each="每张照片",
)
# Kind -> (stored format, content type, extension): a WebP is kept as a JPEG.
STORED = {
    filecheck.JPEG: ("JPEG", "image/jpeg", "jpg"),
    filecheck.WEBP: ("JPEG", "image/jpeg", "jpg"),
    filecheck.PNG: ("PNG", "image/png", "png"),
}
THUMBNAIL_SIDE = 480
MAX_PHOTOS_PER_ACTIVITY = 30
FOLDER = "branchwork/photos"


@dataclass(frozen=True)
class PreparedPhoto:
    original_name: str
    content: bytes
    thumbnail: bytes
    content_type: str
    extension: str
    width: int
    height: int


def prepare(upload) -> PreparedPhoto:
    """Check one uploaded file and encode what is stored; a ValidationError names the file and
    what is wrong with it."""
    return encode(filecheck.check(upload, PHOTOS))


def encode(checked: filecheck.Checked) -> PreparedPhoto:
    """The photo and thumbnail stored for an image the checker accepted."""
    stored_format, content_type, extension = STORED[checked.kind]
    try:
        with Image.open(io.BytesIO(checked.data)) as source:
            image = ImageOps.exif_transpose(source)
            image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise filecheck.image_damaged(checked.name, exc) from None
    photo = _encode(image, settings.TONGXIN_PHOTO_MAX_SIDE, stored_format)
    thumb = _encode(image, THUMBNAIL_SIDE, "JPEG")
    with Image.open(io.BytesIO(photo)) as stored:
        width, height = stored.size
    return PreparedPhoto(checked.name, photo, thumb, content_type, extension, width, height)


def _encode(image: Image.Image, side: int, fmt: str) -> bytes:
    image = image.copy()
    image.thumbnail((side, side))
    if fmt == "JPEG":
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        elif image.mode != "RGB":
            image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    out = io.BytesIO()
    options = {"quality": 85, "optimize": True} if fmt == "JPEG" else {"optimize": True}
    image.save(out, fmt, **options)
    return out.getvalue()


def store(prepared: PreparedPhoto) -> tuple[str, str]:
    """Write a prepared photo and its thumbnail; returns their storage names."""
    stem = f"{FOLDER}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"
    name = default_storage.save(f"{stem}.{prepared.extension}", ContentFile(prepared.content))
    thumb = default_storage.save(f"{stem}_thumb.jpg", ContentFile(prepared.thumbnail))
    return name, thumb


def remove(*names: str) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
