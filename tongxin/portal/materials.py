"""Study materials, checked by their content whatever their names say (tongxin.core.filecheck):
a PDF, a Word document (.docx) or an image, which is stored re-encoded by branchwork's photo
encoder (no EXIF, nothing appended)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from tongxin.branchwork import photos
from tongxin.core import filecheck

FOLDER = "portal/materials"
DOCX = filecheck.DOCX.content_type
MATERIALS = filecheck.Accept(
    kinds=(filecheck.PDF, filecheck.DOCX, filecheck.JPEG, filecheck.PNG, filecheck.WEBP),
    limit_setting="TONGXIN_MATERIAL_MAX_MB",
    noun="学习资料",
    each="每份学习资料",
)


@dataclass(frozen=True)
class PreparedMaterial:
    original_name: str
    content: bytes
    content_type: str
    extension: str

    @property
    def storage_name(self) -> str:
        return f"{FOLDER}/{uuid.uuid4().hex}.{self.extension}"


def prepare(upload) -> PreparedMaterial:
    """Check one uploaded material; a ValidationError on ``upload`` names the file and what is
    wrong."""
    try:
        checked = filecheck.check(upload, MATERIALS)
        if not checked.kind.pillow:
            return PreparedMaterial(
                checked.name, checked.data, checked.content_type, checked.kind.extension
            )
        photo = photos.encode(checked)
    except ValidationError as exc:
        raise ValidationError({"upload": exc.messages}) from None
    return PreparedMaterial(checked.name, photo.content, photo.content_type, photo.extension)
