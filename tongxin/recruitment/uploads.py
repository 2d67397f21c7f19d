"""Attachments staff upload with a step: scanned forms, letters, opinions.

A file is taken only if its name's suffix is one of the kinds below *and* its first bytes are
that kind's (a renamed program is refused), and only up to TONGXIN_ATTACHMENT_MAX_MB.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError

# suffix -> (content type, what the file starts with)
KINDS = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
}
ACCEPTED = "、".join(sorted({s.lstrip(".").upper() for s in KINDS}))


def _is_word_package(upload) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            return "word/document.xml" in package.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def check_upload(upload) -> str:
    """The content type of an acceptable upload; else a ValidationError naming the file."""
    name = upload.name
    suffix = PurePath(name).suffix.lower()
    if suffix not in KINDS:
        raise ValidationError(f"附件“{name}”的类型不能上传，只接受 {ACCEPTED} 文件")
    limit = settings.TONGXIN_ATTACHMENT_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(f"附件“{name}”超过 {limit} MB")
    if upload.size == 0:
        raise ValidationError(f"附件“{name}”是空文件")
    content_type, heads = KINDS[suffix]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(h) for h in heads) or (
        suffix == ".docx" and not _is_word_package(upload)
    ):
        raise ValidationError(f"附件“{name}”的内容不是 {suffix.lstrip('.').upper()} 文件")
    return content_type
