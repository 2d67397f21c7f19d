"""Study materials, checked by their content whatever their names say: a PDF, a Word document
(.docx, read by python-docx) or an image (re-encoded by branchwork's photo check, which drops
EXIF and anything appended)."""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import docx
from django.conf import settings
from django.core.exceptions import ValidationError

from tongxin.branchwork import photos

FOLDER = "portal/materials"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACCEPT_ATTRIBUTE = f".pdf,.docx,application/pdf,{DOCX},{photos.ACCEPT_ATTRIBUTE}"


@dataclass(frozen=True)
class PreparedMaterial:
    original_name: str
    content: bytes
    content_type: str
    extension: str

    @property
    def storage_name(self) -> str:
        return f"{FOLDER}/{uuid.uuid4().hex}.{self.extension}"


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                return False
        docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - whatever python-docx cannot read is not a .docx
        return False
    return True


def prepare(upload) -> PreparedMaterial:
    """Check one uploaded material; a ValidationError names the file and what is wrong."""
    name = PurePosixPath(str(upload.name or "未命名文件").replace("\\", "/")).name[:200]
    suffix = PurePosixPath(name).suffix.lower()
    limit = settings.TONGXIN_MATERIAL_MAX_MB
    if upload.size == 0:
        raise ValidationError({"upload": f"「{name}」是空文件"})
    if upload.size > limit * 1024 * 1024:
        raise ValidationError({"upload": f"「{name}」超过学习资料 {limit} MB 的上限"})
    if suffix in photos.EXTENSIONS:
        try:
            photo = photos.prepare(upload)
        except ValidationError as exc:
            raise ValidationError({"upload": exc.messages}) from None
        return PreparedMaterial(name, photo.content, photo.content_type, photo.extension)
    data = upload.read()
    if suffix == ".pdf":
        if not _is_pdf(data):
            raise ValidationError(
                {"upload": f"「{name}」的内容不是 PDF 文件（文件已损坏，或只是改了扩展名）"}
            )
        return PreparedMaterial(name, data, "application/pdf", "pdf")
    if suffix == ".docx":
        if not _is_docx(data):
            raise ValidationError(
                {"upload": f"「{name}」的内容不是 Word 文档（.docx），可能已损坏或只是改了扩展名"}
            )
        return PreparedMaterial(name, data, DOCX, "docx")
    raise ValidationError(
        {
            "upload": f"「{name}」的类型不能作为学习资料："
            "只接受 PDF、Word（.docx）或 JPG/PNG/WebP 图片"
        }
    )
