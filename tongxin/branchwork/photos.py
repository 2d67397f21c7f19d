"""Activity photos: checked by their content, stored re-encoded under MEDIA_ROOT.

A file is accepted when Pillow reads it as a JPEG, PNG or WebP image within the size and pixel
limits, whatever its name says. What is stored is a fresh encoding of the pixels: no EXIF block
(phones write the place a photo was taken), nothing appended after the image, and a photo of at
most ``TONGXIN_PHOTO_MAX_SIDE`` pixels on its longer side, with a small thumbnail beside it.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format -> (stored format, content type, extension)
ACCEPTED = {
    "JPEG": ("JPEG", "image/jpeg", "jpg"),
    "WEBP": ("JPEG", "image/jpeg", "jpg"),
    "PNG": ("PNG", "image/png", "png"),
}
EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"
# A photo of a few tens of megapixels is a real camera; beyond this a small file that unpacks to
# gigabytes of pixels (a decompression bomb) is refused before it is decoded.
MAX_PIXELS = 60_000_000
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


def _damaged(name: str, exc: Exception) -> str:
    """Pillow's reason (English) told in Chinese."""
    if "truncated" in str(exc).lower():
        return f"「{name}」不完整（文件被截断，可能没有上传或复制完），无法读取，请重新上传"
    return f"「{name}」的图片数据已损坏，无法读取，请用看图软件另存后重新上传"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def prepare(upload) -> PreparedPhoto:
    """Check one uploaded file and encode what is stored; a ValidationError names the file and
    what is wrong with it."""
    name = PurePosixPath(str(upload.name or "未命名文件").replace("\\", "/")).name[:200]
    limit = settings.TONGXIN_PHOTO_MAX_MB
    if upload.size == 0:
        raise ValidationError(f"「{name}」是空文件")
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(
            f"「{name}」有 {_megabytes(upload.size)}，超过每张照片 {limit} MB 的上限"
        )
    if PurePosixPath(name).suffix.lower() not in EXTENSIONS:
        raise ValidationError(f"「{name}」不是照片：只接受 .jpg、.png 或 .webp 文件")
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                width, height = probe.size
                if kind in ACCEPTED and width * height <= MAX_PIXELS:
                    probe.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            f"「{name}」的内容不是 JPG、PNG 或 WebP 图片（文件已损坏，或只是改了扩展名）"
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_damaged(name, exc)) from None
    if kind not in ACCEPTED:
        raise ValidationError(f"「{name}」是 {kind} 图片：只接受 JPG、PNG 或 WebP 照片")
    if width * height > MAX_PIXELS:
        raise ValidationError(
            f"「{name}」有 {width}×{height} 像素，超过 {MAX_PIXELS // 1_000_000} 百万像素的上限"
        )
    stored_format, content_type, extension = ACCEPTED[kind]
    try:
        with Image.open(io.BytesIO(data)) as source:
            image = ImageOps.exif_transpose(source)
            image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_damaged(name, exc)) from None
    photo = _encode(image, settings.TONGXIN_PHOTO_MAX_SIDE, stored_format)
    thumb = _encode(image, THUMBNAIL_SIDE, "JPEG")
    with Image.open(io.BytesIO(photo)) as stored:
        width, height = stored.size
    return PreparedPhoto(name, photo, thumb, content_type, extension, width, height)


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
