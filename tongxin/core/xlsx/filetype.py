"""What kind of file was uploaded, judged by its content, and whether it is safe to open:
an .xlsx (a zip whose parts do not inflate beyond bounds) or a text file in a known encoding."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from .sheets import ReadError

_CHUNK = 1 << 20  # bytes inflated at a time

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def _sniff(data: bytes, filename: str) -> str:
    """Return "xlsx" or "csv", judged by the content; the extension only picks CSV."""
    name = (filename or "").lower().strip()
    if not data:
        raise ReadError("文件是空的")
    if data.startswith(_OLE2_MAGIC):
        # Excel wraps an .xlsx with an opening password in an OLE2 container holding an
        # EncryptionInfo stream; a plain OLE2 workbook is the old .xls format.
        encrypted = "EncryptionInfo".encode("utf-16-le") in data
        if encrypted or name.endswith((".xlsx", ".xlsm")):
            raise ReadError(
                "工作簿设有打开密码（已加密），请在 Excel 中取消密码后另存为 .xlsx 再导入"
            )
        raise ReadError(
            "这是旧版 Excel 文件（.xls），请在 Excel 中另存为“Excel 工作簿（.xlsx）”后再导入"
        )
    if data.startswith(_ZIP_MAGICS):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except Exception as exc:  # BadZipFile, or worse on a mangled directory
            raise ReadError("文件已损坏或不是 Excel 工作簿") from exc
        if "xl/workbook.xml" in names:
            check_expansion(data)
            return "xlsx"
        if "xl/workbook.bin" in names:
            raise ReadError(
                "这是 Excel 二进制工作簿（.xlsb），请另存为“Excel 工作簿（.xlsx）”后再导入"
            )
        if "content.xml" in names and "mimetype" in names:
            raise ReadError(
                "这是 OpenDocument 表格（.ods），请另存为“Excel 工作簿（.xlsx）”后再导入"
            )
        raise ReadError("不是 Excel 工作簿（.xlsx）或 CSV 文件")
    if name.endswith(".csv") and not _looks_binary(data):
        return "csv"
    raise ReadError("不是 Excel 工作簿（.xlsx）或 CSV 文件")


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB"


def check_expansion(data: bytes) -> None:
    """Refuse a workbook that would expand beyond the limits before anything decompresses it.

    An .xlsx is a zip of XML parts: a few megabytes of upload can expand to gigabytes (one
    sharedStrings.xml repeating a string), which calamine would hold in memory. Worksheets
    are read as a stream and bounded by their cells (MAX_CELLS), so only the total bounds
    them; every other part is read whole, so each is bounded too. The declared sizes are
    checked first, then what the parts read whole really expand to is counted (a bounded
    inflate that keeps nothing), so that a part lying about its size is caught too.
    """
    from django.conf import settings

    total_cap = settings.TONGXIN_XLSX_MAX_EXPANDED_MB << 20
    part_cap = settings.TONGXIN_XLSX_MAX_PART_MB << 20
    refusal = "，可能是恶意构造的文件；请在 Excel 中打开后另存为 .xlsx 再导入"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except Exception as exc:
        raise ReadError("文件已损坏或不是 Excel 工作簿") from exc
    if len(entries) > settings.TONGXIN_XLSX_MAX_ENTRIES:
        raise ReadError(
            f"工作簿内部包含 {len(entries):,} 个部件，超过上限 "
            f"{settings.TONGXIN_XLSX_MAX_ENTRIES:,} 个{refusal}"
        )
    total = sum(info.file_size for info in entries)
    if total > total_cap:
        raise ReadError(f"文件解压后达 {_mb(total)}，超过上限 {_mb(total_cap)}{refusal}")
    whole = [info for info in entries if not info.filename.lower().startswith("xl/worksheets/")]
    for info in whole:
        if info.file_size > part_cap:
            raise ReadError(
                f"文件中的“{info.filename}”解压后达 {_mb(info.file_size)}，"
                f"超过上限 {_mb(part_cap)}{refusal}"
            )
    left = total_cap
    for info in whole:
        size = _inflated_size(data, info, min(part_cap, left))
        if size is None:
            raise ReadError(f"文件已损坏：“{info.filename}”无法解压{refusal}")
        if size != info.file_size:
            raise ReadError(f"文件已损坏：“{info.filename}”解压后的大小与文件记录的不符{refusal}")
        left -= size


def _inflated_size(data: bytes, info: zipfile.ZipInfo, cap: int) -> int | None:
    """What the part's compressed bytes expand to, counted up to just past ``cap``, whatever
    its headers say (None: not stored or deflated, or not inflatable). A reader trusting a
    declared size stops there with a matching checksum while the stream runs on."""
    try:
        name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    except struct.error:
        return None
    start = info.header_offset + 30 + name_len + extra_len
    raw = memoryview(data)[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        return len(raw)
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return None
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size, pending = 0, bytes(raw)
    try:
        while pending and size <= cap:
            size += len(inflater.decompress(pending, _CHUNK))
            pending = inflater.unconsumed_tail
        if size <= cap:
            size += len(inflater.flush())
    except zlib.error:
        return None
    return size


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text, as Excel's "Unicode text" export writes
    return b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8"))
