"""The one check of a file a user uploads: attachments, photos, materials, workbooks.

Each way in states what it accepts (an ``Accept``: its kinds, its size limit, what the file is
called there). A file is taken only if its name's suffix is one of those kinds, it is not
empty, it is within the limit, and its content is that kind's: a program renamed .pdf is
refused, and so is a damaged or truncated file. An image's suffix says only that it is an
image: which of the accepted images it is, Pillow tells from the content (phones and chat
programs often save a PNG or WebP under .jpg).

A workbook's content is judged by its reader (tongxin.core.xlsx), whose refusals say more
than "not a workbook" (an old .xls, a password, an .ods); here it is checked by name and size.

Every refusal is one ValidationError of the shape ``「name」what is wrong``.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError

# A photo of a few tens of megapixels is a real camera; beyond this a small file that unpacks to
# gigabytes of pixels (a decompression bomb) is refused before it is decoded.
MAX_PIXELS = 60_000_000
NAMELESS = "未命名文件"
DAMAGED = "（文件已损坏，或只是改了扩展名）"


def _complete_pdf(data: bytes) -> bool:
    # A PDF ends with its trailer's %%EOF; a file cut short in copying has none.
    return b"%%EOF" in data[-2048:]


def _word_package(data: bytes) -> bool:
    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if "word/document.xml" not in package.namelist():
                return False
        docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - whatever python-docx cannot read is not a .docx
        return False
    return True


@dataclass(frozen=True)
class Kind:
    """A kind of file: the suffixes that name it, what its content starts with, and a deeper
    look where the first bytes prove little. An image kind (``pillow`` set) is judged by
    Pillow instead; a kind with neither is left to its reader."""

    short: str  # in a list of what is accepted: "PDF"
    noun: str  # in "the content is not …": "PDF 文件"
    suffixes: tuple[str, ...]
    content_type: str
    heads: tuple[bytes, ...] = ()
    deep: Callable[[bytes], bool] | None = None
    pillow: str = ""  # Pillow's name of the format

    @property
    def extension(self) -> str:
        return self.suffixes[0].lstrip(".")


PDF = Kind("PDF", "PDF 文件", (".pdf",), "application/pdf", (b"%PDF-",), _complete_pdf)
DOC = Kind(
    "DOC",
    "Word 97-2003 文档（.doc）",
    (".doc",),
    "application/msword",
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
)
DOCX = Kind(
    "DOCX",
    "Word 文档（.docx）",
    (".docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (b"PK\x03\x04",),
    _word_package,
)
JPEG = Kind("JPG", "JPG 图片", (".jpg", ".jpeg"), "image/jpeg", pillow="JPEG")
PNG = Kind("PNG", "PNG 图片", (".png",), "image/png", pillow="PNG")
WEBP = Kind("WebP", "WebP 图片", (".webp",), "image/webp", pillow="WEBP")
XLSX = Kind(
    "XLSX",
    "Excel 工作簿（.xlsx）",
    (".xlsx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
CSV = Kind("CSV", "CSV 文件", (".csv",), "text/csv")


def listed(words) -> str:
    """``PDF、JPG 或 PNG``."""
    words = list(words)
    return words[0] if len(words) == 1 else f"{'、'.join(words[:-1])} 或 {words[-1]}"


@dataclass(frozen=True)
class Accept:
    """What one way in accepts. The limit is read from settings when a file is checked."""

    kinds: tuple[Kind, ...]
    limit_setting: str  # "TONGXIN_ATTACHMENT_MAX_MB"
    noun: str  # what the file is there: "附件"
    each: str  # its limit's wording: "每个附件"
    advice: str = ""  # after a refused suffix: "；旧版 .xls 请在 Excel 中另存为 .xlsx"

    @property
    def listed(self) -> str:
        return listed(kind.short for kind in self.kinds)

    @property
    def attribute(self) -> str:
        """The file input's ``accept`` attribute."""
        suffixes = [s for kind in self.kinds for s in kind.suffixes]
        types = dict.fromkeys(kind.content_type for kind in self.kinds)
        return ",".join([*suffixes, *types])

    @property
    def limit_mb(self) -> int:
        return getattr(settings, self.limit_setting)

    def kind_named(self, suffix: str) -> Kind | None:
        return next((kind for kind in self.kinds if suffix in kind.suffixes), None)


@dataclass(frozen=True)
class Checked:
    name: str  # the file's own name, without any folder it was sent with
    kind: Kind
    data: bytes | None  # None where the kind's reader judges the content (not read here)

    @property
    def content_type(self) -> str:
        return self.kind.content_type


def file_name(upload) -> str:
    return PurePosixPath(str(upload.name or NAMELESS).replace("\\", "/")).name[:200] or NAMELESS


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def check(upload, accept: Accept) -> Checked:
    """The upload's kind and content if ``accept`` takes it; else a ValidationError naming the
    file and what is wrong. The upload is left at its start, to be saved as it is."""
    name = file_name(upload)
    named = accept.kind_named(PurePosixPath(name).suffix.lower())
    if named is None:
        raise ValidationError(
            f"「{name}」的类型不能作为{accept.noun}上传：只接受 {accept.listed} 文件{accept.advice}"
        )
    if not upload.size:
        raise ValidationError(f"「{name}」是空文件")
    limit = accept.limit_mb
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(
            f"「{name}」有 {_megabytes(upload.size)}，超过{accept.each} {limit} MB 的上限"
        )
    if not (named.heads or named.deep or named.pillow):
        return Checked(name, named, None)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if named.pillow:
        return Checked(name, _image_kind(name, data, accept), data)
    heads_fit = not named.heads or data.startswith(named.heads)
    if not heads_fit or (named.deep and not named.deep(data)):
        raise ValidationError(f"「{name}」的内容不是 {named.noun}{DAMAGED}")
    return Checked(name, named, data)


def _damaged(name: str, exc: Exception) -> str:
    """Pillow's reason (English) told in Chinese."""
    if "truncated" in str(exc).lower():
        return f"「{name}」不完整（文件被截断，可能没有上传或复制完），无法读取，请重新上传"
    return f"「{name}」的图片数据已损坏，无法读取，请用看图软件另存后重新上传"


def _image_kind(name: str, data: bytes, accept: Accept) -> Kind:
    from PIL import Image, UnidentifiedImageError

    images = {kind.pillow: kind for kind in accept.kinds if kind.pillow}
    what = f"{listed(kind.short for kind in images.values())} 图片"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                found = probe.format
                width, height = probe.size
                if found in images and width * height <= MAX_PIXELS:
                    probe.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(f"「{name}」的内容不是 {what}{DAMAGED}") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_damaged(name, exc)) from None
    if found not in images:
        raise ValidationError(f"「{name}」是 {found} 图片：只接受 {what}")
    if width * height > MAX_PIXELS:
        raise ValidationError(
            f"「{name}」有 {width}×{height} 像素，超过 {MAX_PIXELS // 1_000_000} 百万像素的上限"
        )
    return images[found]


def image_damaged(name: str, exc: Exception) -> ValidationError:
    """For a later step that decodes a checked image's pixels and finds them damaged."""
    return ValidationError(_damaged(name, exc))
