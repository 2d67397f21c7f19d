"""Read a workbook (.xlsx) or a CSV file into raw rows, and report what is wrong with its shape:
wrong file type, missing sheets or columns, a header in the wrong place, formulas.

Values are passed on as the file holds them (None, str, int, float, bool, date, datetime); turning
them into model values, and checking them against the database, is the caller's job (for the
roster, tongxin.io.columns and the importer). Every failure of the libraries underneath becomes
a ReadError with a Chinese message: what staff upload is anything a browser lets them pick.

How the cost is kept bounded:

* python-calamine reads only cells that hold a value, so a million rows that are merely formatted
  (a fill or border dragged down the sheet) cost nothing. A stray value far below or to the right
  of the data makes calamine allocate the whole rectangle up to it, so before calamine is asked,
  the sheet's XML is scanned (streamed, in chunks, with byte searches) for the last row and the
  widest column holding a value, and a sheet whose rectangle is too large is refused.
* The same scan finds formula cells (``<f>`` elements). calamine returns a formula's cached
  value, which is what Excel showed, but a file written by another program may have none (the
  cell reads as empty); either way staff are asked to paste values.
* Rows are streamed; reading stops after MAX_BLANK_RUN blank rows in a row and at MAX_ROWS.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import os
import posixpath
import re
import shutil
import struct
import tempfile
import threading
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol
from xml.etree import ElementTree


class Column(Protocol):
    """What the reader needs of an expected column (tongxin.io.columns.Column is one)."""

    header: str  # exact header, without any "*"
    required: bool


MAX_ROWS = 200_000
MAX_BLANK_RUN = 10_000
HEADER_SEARCH_ROWS = 20
MAX_FORMULA_PROBLEMS = 50
# calamine holds a sheet as a dense rectangle of ~32-byte cells: 10 million cells is ~320 MB.
MAX_CELLS = 10_000_000
MAX_SHEET_XML = 2 << 30  # uncompressed bytes; a bigger sheet is a zip bomb or not a roster

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


class ReadError(Exception):
    """The file cannot be read at all; str(e) is the Chinese message."""


@dataclass
class RawSheet:
    name: str  # as in the file (staff find it under this name)
    header_row: int  # Excel row number of the header
    headers: list[str]  # normalised: no spaces, no "*" — equal to Column.header when known
    rows: list[tuple[int, list]] = field(default_factory=list)  # (Excel row, values by header)

    def index(self, column: Column) -> int | None:
        """Position of ``column`` in ``headers`` (its first occurrence), None if absent."""
        try:
            return self.headers.index(column.header)
        except ValueError:
            return None


@dataclass
class SheetProblem:
    sheet: str
    row: int | None
    column: str | None
    value: str
    reason: str
    warning: bool = False  # True: reported, but the file can still be imported


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def read_workbook(
    data: bytes,
    filename: str,
    expected: dict[str, tuple[Column, ...]],
    *,
    csv_sheet: str | None = None,
    skip_sheets: Iterable[str] = (),
) -> tuple[dict[str, RawSheet], list[SheetProblem]]:
    """Read the sheets named in ``expected`` (name → its columns) from an .xlsx or .csv file.

    A CSV holds one table: ``csv_sheet`` if it is expected, else the first expected sheet.
    ``skip_sheets`` are never taken for a renamed data sheet (a guide, a hidden list of options).

    Returns the sheets found (keyed by the expected name) and the structural problems. Raises
    ReadError when nothing can be read.
    """
    kind = _sniff(data, filename)
    try:
        if kind == "csv":
            return _read_csv(data, expected, csv_sheet)
        return _read_xlsx(data, expected, frozenset(skip_sheets))
    except ReadError:
        raise
    except Exception as exc:  # a library's failure on a malformed file
        raise ReadError("文件已损坏或不是 Excel 工作簿，无法读取") from exc


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


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError("无法识别 CSV 文件的文字编码，请另存为 UTF-8 编码的 CSV") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Chinese Excel saves CSV in the ANSI code page (GBK), which GB18030 contains.
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ReadError("无法识别 CSV 文件的文字编码，请另存为 UTF-8 编码的 CSV") from exc


def _read_csv(data: bytes, expected: dict[str, tuple[Column, ...]], csv_sheet: str | None):
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)
    name = csv_sheet if csv_sheet in expected else next(iter(expected))
    problems: list[SheetProblem] = []
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        sheet = _read_rows(name, rows, expected[name], problems, empty_is_problem=True)
    except csv.Error as exc:
        raise ReadError(f"CSV 文件格式有误：{_csv_reason(exc, rows.line_num)}") from exc
    return ({name: sheet} if sheet else {}), problems


# The csv module's reasons (English) told in Chinese, with the line where it stopped.
_CSV_REASONS = (
    ("field larger than field limit", "第 {line} 行有一个格子的内容过长"),
    ("line contains nul", "第 {line} 行含有空字符（NUL），文件可能不是文本"),
    ("new-line character seen in unquoted field", "第 {line} 行有未加引号的换行"),
)


def _csv_reason(exc: csv.Error, line: int) -> str:
    text, where = str(exc).lower(), line or "某"
    for english, chinese in _CSV_REASONS:
        if english in text:
            return chinese.format(line=where)
    return f"第 {where} 行的引号或分隔符不成对，请在 Excel 中另存为 CSV 后重试"


# ---------------------------------------------------------------------------------------------
# xlsx
# ---------------------------------------------------------------------------------------------


def _read_xlsx(data: bytes, expected: dict[str, tuple[Column, ...]], skip: frozenset[str]):
    from python_calamine import CalamineWorkbook

    archive = zipfile.ZipFile(io.BytesIO(data))
    paths = _sheet_paths(archive)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:
        raise ReadError("文件已损坏或不是 Excel 工作簿，无法读取") from exc
    problems: list[SheetProblem] = []
    sheets: dict[str, RawSheet] = {}
    by_clean_name = {name.strip(): name for name in workbook.sheet_names}

    def load(actual: str, wanted: tuple[Column, ...], quiet: bool) -> RawSheet | None:
        scan = _scan_sheet(archive, paths.get(actual), halves=True)
        try:
            return read(actual, wanted, quiet, scan)
        finally:
            if scan.halves is not None:
                scan.halves.remove()

    def read(actual, wanted, quiet, scan) -> RawSheet | None:
        if scan.cells > MAX_CELLS:
            problems.append(
                SheetProblem(
                    actual, scan.last_row, None, "",
                    f"工作表有内容的区域太大（到第{scan.last_row}行、第{scan.last_col}列），"
                    "请删除表格下方和右侧多余的内容（可能是空格或空白公式），或分批导入",
                )
            )  # fmt: skip
            return None
        halves = _read_halves(scan.halves.paths, actual) if scan.halves else None
        if halves is not None:
            rows, start_col, last_row = halves
        else:
            sheet = workbook.get_sheet_by_name(actual)
            rows, start_col = _calamine_rows(sheet), sheet.start[1] if sheet.start else 0
            last_row = (sheet.end[0] + 1) if sheet.end else 0
        found: list[SheetProblem] = []
        raw = _read_rows(
            actual, rows, wanted, found, start_col=start_col, last_row=last_row,
            empty_is_problem=True,
        )  # fmt: skip
        if quiet and (raw is None or not _has_required(raw, wanted)):
            return None  # not this table: say nothing about it
        problems.extend(found)
        if raw is not None:
            problems.extend(_formula_problems(raw, scan, start_col, wanted))
        return raw

    for name, wanted in expected.items():
        actual = by_clean_name.get(name)
        if actual is not None:
            raw = load(actual, wanted, quiet=False)
            if raw is not None:
                sheets[name] = raw
    if any(name in by_clean_name for name in expected):
        return sheets, problems

    # No sheet has an expected name. Staff rename sheets ("Sheet1", "2024年名册"): a sheet whose
    # header matches one table is read as that table, as long as only one does.
    candidates = [n for n in workbook.sheet_names if n.strip() not in skip]
    for name, wanted in expected.items():
        matches = []
        for actual in candidates:
            raw = load(actual, wanted, quiet=True)
            if raw is not None:
                matches.append(raw)
        if len(matches) == 1:
            sheets[name] = matches[0]
            candidates.remove(matches[0].name)
            problems.append(
                SheetProblem(
                    matches[0].name, None, None, "",
                    f"没有名为“{name}”的工作表，已将“{matches[0].name}”按“{name}”读取",
                    warning=True,
                )
            )  # fmt: skip
        elif len(matches) > 1:
            listed = "、".join(f"“{m.name}”" for m in matches)
            problems.append(
                SheetProblem(
                    "", None, None, "",
                    f"找不到“{name}”工作表，而{listed}都像是{name}；"
                    f"请把要导入的工作表命名为“{name}”",
                )
            )  # fmt: skip
    if not sheets:
        wanted_names = "或".join(f"“{n}”" for n in expected)
        present = "、".join(workbook.sheet_names) or "无"
        problems.append(
            SheetProblem(
                "", None, None, "",
                f"找不到{wanted_names}工作表（文件中的工作表：{present}）；请使用导入模板",
            )
        )  # fmt: skip
    return sheets, problems


def _has_required(sheet: RawSheet, columns: tuple[Column, ...]) -> bool:
    return all(c.header in sheet.headers for c in columns if c.required)


def _calamine_rows(sheet) -> Iterator[list]:
    # iter_rows starts at row 1 (rows above the data come as empty lists' worth of "") but at
    # the first column holding data, hence start_col.
    yield from sheet.iter_rows()


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part, from workbook.xml and its relationships. Empty when
    the parts are unusual: the scan is then skipped, never the import."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(path)
    paths = {}
    for element in workbook.iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
        if element.get("name") and rel_id in targets:
            paths[element.get("name")] = targets[rel_id]
    return paths


# ---------------------------------------------------------------------------------------------
# The XML scan: formulas and the extent of the values
# ---------------------------------------------------------------------------------------------

_FORMULA = re.compile(rb"<f[ >/]")
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]+)"')
# An open (not self-closing) cell tag beyond column Z; ours end at Y, so these are rare.
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})[0-9]+"(?:[^>]*[^/>])?>')
_CHUNK = 1 << 20
_MAX_FORMULAS_KEPT = 10_000


@dataclass
class _Scan:
    formulas: list[tuple[int, int]] = field(default_factory=list)  # (row, 1-based column)
    formula_count: int = 0
    last_row: int = 0  # of the last cell holding a value
    last_col: int = 26
    halves: _Halves | None = None  # two workbook files holding the sheet's two halves

    @property
    def cells(self) -> int:
        return self.last_row * self.last_col


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _scan_sheet(archive: zipfile.ZipFile, path: str | None, halves: bool = False) -> _Scan:
    """Stream the sheet XML once with byte searches (C speed; Python work only per formula and
    per cell beyond column Z). Cells are located by their r="B5" attribute, which Excel, WPS
    and openpyxl always write; a writer that omits it (or prefixes the tags) gets no scan.

    With ``halves``, a large sheet's XML is also written, as it streams by, into two
    workbooks each with half of its rows (``_Halves``; the caller removes them)."""
    scan = _Scan()
    if not path:
        return scan
    writer = None
    try:
        info = archive.getinfo(path)
        if info.file_size > MAX_SHEET_XML:
            raise ReadError("工作表过大，请分批导入")
        if halves and info.file_size >= SPLIT_XML:
            writer = _Halves.start(archive, path, info.file_size)
        with archive.open(info) as stream:
            carry = b""
            while True:
                chunk = stream.read(_CHUNK)
                buffer = carry + chunk
                if chunk:
                    # Cut before the last cell or row start, so that a formula is always seen
                    # together with the cell tag it belongs to.
                    cut = max(buffer.rfind(b"<c "), buffer.rfind(b"<row"))
                    if cut <= 0:
                        cut = max(buffer.rfind(b"<"), 0)
                    segment, carry = buffer[:cut], buffer[cut:]
                else:
                    segment, carry = buffer, b""
                _scan_segment(segment, scan)
                if writer is not None:
                    writer = writer.write(segment)
                if not chunk:
                    break
        if writer is not None:
            scan.halves = writer.finish()
    except ReadError:
        if writer is not None:
            writer.remove()
        raise
    except Exception:
        if writer is not None:
            writer.remove()
        return _Scan()  # the scan is a courtesy; calamine decides whether the file is readable
    return scan


def _scan_segment(segment: bytes, scan: _Scan) -> None:
    for match in _FORMULA.finditer(segment):
        start = segment.rfind(b"<c ", 0, match.start())
        ref = _CELL_REF.search(segment, start, match.start()) if start >= 0 else None
        if ref:
            scan.formula_count += 1
            if len(scan.formulas) < _MAX_FORMULAS_KEPT:
                scan.formulas.append((int(ref.group(2)), _column_number(ref.group(1))))
    value_at = max(segment.rfind(b"<v>"), segment.rfind(b"<v "), segment.rfind(b"<is>"))
    if value_at >= 0:
        start = segment.rfind(b"<c ", 0, value_at)
        ref = _CELL_REF.search(segment, start, value_at) if start >= 0 else None
        if ref:
            scan.last_row = max(scan.last_row, int(ref.group(2)))
    if b'<c r="' in segment:
        for match in _WIDE_CELL.finditer(segment):
            scan.last_col = max(scan.last_col, _column_number(match.group(1)))


# ---------------------------------------------------------------------------------------------
# Large sheets: calamine on two threads
# ---------------------------------------------------------------------------------------------

# A sheet whose XML is at least this large is read in two halves at once: calamine works
# without Python's lock, so two threads read them on two cores, and a large roster is read in
# little more than half the time.
SPLIT_XML = 16 << 20
# What calamine reads besides the sheet (it looks these names up regardless of case): the
# workbook, its relations, number formats (which tell dates) and shared strings. The other
# sheets, pictures and the rest are left out. A part larger than the limit is not copied
# twice to disk: such a workbook is read whole.
_WORKBOOK_PARTS = frozenset(
    name.lower()
    for name in (
        "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "xl/styles.xml", "xl/sharedStrings.xml",
    )
)  # fmt: skip
_MAX_PART = 256 << 20
_ROW_AT = re.compile(rb'<row r="[0-9]+"')
_OPENING, _CLOSING = b"<sheetData>", b"</sheetData>"


class _Halves:
    """Two workbook files written while the scan streams the sheet: the first holds its rows
    up to a row tag past the middle of the XML, the second the rest, each with the sheet's
    opening and closing parts and the workbook parts calamine needs. They are cut at a row
    tag that carries its row number, so calamine places every cell where the whole sheet has
    it. Written to files, not memory, so that the halves add nothing to the read's memory.

    Anything unexpected (no ``<sheetData>``, no row tag past the middle, a failed write)
    gives up on the halves, and the sheet is read whole as before."""

    @classmethod
    def start(cls, archive: zipfile.ZipFile, path: str, size: int) -> _Halves | None:
        parts = [i for i in archive.infolist() if i.filename.lower() in _WORKBOOK_PARTS]
        if any(i.file_size > _MAX_PART for i in parts):
            return None
        halves = cls(path, size)
        try:
            for book in halves.books:
                for part in parts:
                    with archive.open(part) as source, book.open(part.filename, "w") as target:
                        shutil.copyfileobj(source, target, _CHUNK)
        except Exception:
            halves.remove()
            return None
        return halves

    def __init__(self, path: str, size: int):
        self.directory = tempfile.TemporaryDirectory(prefix="tongxin-sheet-")
        self.path, self.middle, self.read = path, size // 2, 0
        self.paths = [os.path.join(self.directory.name, f"{i}.xlsx") for i in (0, 1)]
        self.books = [
            zipfile.ZipFile(name, "w", zipfile.ZIP_STORED, allowZip64=True) for name in self.paths
        ]
        self.head = b""  # the sheet's XML up to and with <sheetData>
        self.tail: list[bytes] | None = None  # from </sheetData> on
        self.streams: list = []  # the sheet in the first book, then in the second

    def write(self, segment: bytes) -> _Halves | None:
        """Take the next piece of the XML; None when the halves were given up."""
        try:
            self._write(segment)
        except Exception:
            self.remove()
            return None
        return self

    def _write(self, segment: bytes) -> None:
        if not self.streams:
            self.head += segment
            at = self.head.find(_OPENING)
            if at < 0:
                if len(self.head) > 4 * _CHUNK:
                    raise ValueError("no <sheetData> near the start of the sheet")
                return
            at += len(_OPENING)
            segment, self.head = self.head[at:], self.head[:at]
            self._open(0)
        if self.tail is not None:
            self.tail.append(segment)
            return
        closing = segment.find(_CLOSING)
        if closing >= 0:
            segment, self.tail = segment[:closing], [segment[closing:]]
        if len(self.streams) == 1 and self.read + len(segment) > self.middle:
            found = _ROW_AT.search(segment, max(0, self.middle - self.read))
            if found is not None:
                self.streams[0].write(segment[: found.start()])
                self.read += found.start()
                segment = segment[found.start() :]
                self._open(1)
        self.streams[-1].write(segment)
        self.read += len(segment)

    def _open(self, i: int) -> None:
        stream = self.books[i].open(self.path, "w", force_zip64=True)
        stream.write(self.head)
        self.streams.append(stream)

    def finish(self) -> _Halves | None:
        if len(self.streams) < 2 or self.tail is None:
            self.remove()
            return None
        try:
            tail = b"".join(self.tail)
            for stream in self.streams:
                stream.write(tail)
                stream.close()
            for book in self.books:
                book.close()
        except Exception:
            self.remove()
            return None
        return self

    def remove(self) -> None:
        for stream in self.streams:
            try:
                stream.close()
            except Exception:
                pass  # the files go with their directory
        for book in self.books:
            try:
                book.close()
            except Exception:
                pass
        self.directory.cleanup()


def _read_halves(paths: list[str], name: str):
    """(rows from row 1, first column, last row) of the sheet whose halves are the workbooks
    at ``paths``, read on two threads; None when they cannot be (no second thread, or
    calamine fails on a half), and the caller reads the whole sheet, which reports the
    file's own fault."""
    from python_calamine import CalamineWorkbook

    sheets: list = [None, None]
    failures: list[BaseException] = []

    def read(i: int) -> None:
        try:
            sheets[i] = CalamineWorkbook.from_path(paths[i]).get_sheet_by_name(name)
        except BaseException as exc:  # noqa: BLE001 - reported by reading the sheet whole
            failures.append(exc)

    second = threading.Thread(target=read, args=(1,), name="calamine-half", daemon=True)
    try:
        second.start()
    except RuntimeError:
        return None
    read(0)
    second.join()
    if failures:
        return None
    parts = [s for s in sheets if s.start is not None]
    if not parts:
        return iter(()), 0, 0
    start_col = min(s.start[1] for s in parts)
    return _rows_of(parts, start_col), start_col, max(s.end[0] for s in parts) + 1


def _rows_of(parts, start_col: int) -> Iterator[list]:
    """The rows of consecutive parts of one sheet from row 1, as calamine yields the rows of
    the whole sheet: each part's rows from the row after the last one of the part before
    (calamine yields a part's rows from row 1, those above it empty), each starting at
    ``start_col``."""
    after = 0  # rows yielded so far
    for part in parts:
        pad = [""] * (part.start[1] - start_col)
        for row in itertools.islice(part.iter_rows(), after, None):
            yield pad + row if pad else row
        after = max(after, part.end[0] + 1)


def _formula_problems(
    sheet: RawSheet, scan: _Scan, start_col: int, columns: tuple[Column, ...]
) -> list[SheetProblem]:
    """One problem per formula cell in a known column of a data row (a formula copied down into
    rows nobody filled in is harmless), at most MAX_FORMULA_PROBLEMS."""
    if not scan.formulas:
        return []
    known = {c.header for c in columns}
    header_at = {start_col + i + 1: (i, h) for i, h in enumerate(sheet.headers) if h in known}
    rows = dict(sheet.rows)
    problems = []
    found = 0
    for row, col in sorted(scan.formulas):
        if row not in rows or col not in header_at:
            continue
        found += 1
        if len(problems) < MAX_FORMULA_PROBLEMS:
            index, header = header_at[col]
            value = rows[row][index]
            problems.append(
                SheetProblem(
                    sheet.name, row, header, _shown(value),
                    f"第{row}行“{header}”列是公式，请复制后“选择性粘贴→数值”，再导入",
                )
            )  # fmt: skip
    if found > MAX_FORMULA_PROBLEMS or scan.formula_count > _MAX_FORMULAS_KEPT:
        problems.append(
            SheetProblem(
                sheet.name, None, None, "",
                f"公式单元格较多，只列出了前{MAX_FORMULA_PROBLEMS}个；"
                "请把整张表复制后粘贴为数值再导入",
            )
        )  # fmt: skip
    return problems


# ---------------------------------------------------------------------------------------------
# Rows (shared by CSV and xlsx)
# ---------------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_DISTINCT = 2000  # values a column may share before it counts as mostly distinct


def header_name(value: object) -> str:
    """A header cell as matched against Column.header: NFKC (full-width ＊ → *), no whitespace
    (also inside: "姓  名"), no leading or trailing "*" (the usual mark of a required column)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))
    return text.strip("*")


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    return str(value)


def _cell(value: object) -> object:
    if value == "" or value is None:
        return None
    if isinstance(value, str | bool | int | float | datetime.date | datetime.time):
        return value
    if isinstance(value, datetime.timedelta):
        return value
    return str(value)  # anything else a library may hand over (error values …)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _find_header(head: list[list], columns: tuple[Column, ...]) -> int | None:
    """Index (0-based) of the header row among the first rows: row 1 if it holds any known
    header; otherwise the first row that holds all required headers, or at least three known
    ones (a title row above the header is the usual reason)."""
    known = {c.header for c in columns}
    required = {c.header for c in columns if c.required}
    for index, row in enumerate(head):
        names = {header_name(v) for v in row}
        if index == 0 and names & known:
            return 0
        if index > 0 and (required <= names or len(names & known) >= 3):
            return index
    return None


def _read_rows(
    name: str,
    rows: Iterable[list],
    columns: tuple[Column, ...],
    problems: list[SheetProblem],
    *,
    start_col: int = 0,
    last_row: int = 0,
    empty_is_problem: bool = False,
) -> RawSheet | None:
    """Header checks and data rows of one sheet. ``rows`` yields rows from Excel row 1;
    ``start_col`` is the 0-based column of their first cell (for messages)."""
    iterator = iter(rows)
    head: list[list] = []
    for row in iterator:
        head.append(list(row))
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    header_index = _find_header(head, columns)
    if header_index is None:
        if not any(not _is_blank(_cell(v)) for row in head for v in row) and not last_row:
            if empty_is_problem:
                # An untouched sheet imports nothing; the other sheet may still hold data.
                problems.append(SheetProblem(name, None, None, "", "工作表为空", warning=True))
            return None
        wanted = "、".join(f"“{c.header}”" for c in columns if c.required)
        problems.append(
            SheetProblem(
                name, 1, None, "",
                f"找不到表头：第1行应为列名，且包含{wanted}等列；请使用导入模板的表头",
            )
        )  # fmt: skip
        return None
    header_row = header_index + 1
    if header_index > 0:
        problems.append(
            SheetProblem(
                name, header_row, None, "",
                f"表头应在第1行，却在第{header_row}行；请删除表头上方的标题行",
            )
        )  # fmt: skip

    raw_headers = [header_name(v) for v in head[header_index]]
    while raw_headers and not raw_headers[-1]:
        raw_headers.pop()
    headers = _check_headers(name, header_row, raw_headers, columns, start_col, problems)

    known = {c.header for c in columns}
    seen: set[str] = set()
    indexes = []
    for i, h in enumerate(headers):
        if h in known and h not in seen:
            seen.add(h)
            indexes.append(i)
    width = len(headers)
    # A row is blank when all its known cells are: most rows are told by their first one.
    first_known = indexes[0] if indexes else None

    sheet = RawSheet(name=name, header_row=header_row, headers=headers)
    blank_run = 0
    row_number = header_row
    stray_column: int | None = None

    def data_rows() -> Iterator[list]:
        yield from head[header_index + 1 :]
        yield from iterator

    # Each cell arrives as a new Python object, and a large roster's cells would fill the
    # memory. Most columns repeat a few values (性别, 学历, 所在组织编码 …), so each column
    # shares equal values through a cache — until it proves to hold mostly distinct values
    # (姓名, 身份证号), where a cache would only add memory.
    caches: list[dict | None] = [{} for _ in range(width)]

    for row in data_rows():
        row_number += 1
        # calamine and csv hand over only the types _cell passes through, except "" for an
        # empty cell: this is the one conversion every cell needs, done inline for speed.
        values = [
            None if v == "" else v if c is None else c.setdefault(v, v)
            for v, c in zip(row, caches, strict=False)  # cells past the header are dropped
        ]
        if row_number % 1000 == 0:
            caches = [None if c is None or len(c) > _DISTINCT else c for c in caches]
        if len(values) < width:
            values.extend([None] * (width - len(values)))
        if (first_known is None or _is_blank(values[first_known])) and all(
            _is_blank(values[i]) for i in indexes
        ):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                if last_row > row_number:
                    problems.append(
                        SheetProblem(
                            name, row_number + 1, None, "",
                            f"第{row_number - blank_run + 1}行起连续{blank_run}行为空，"
                            "其后的内容未读取",
                            warning=True,
                        )
                    )  # fmt: skip
                break
            continue
        blank_run = 0
        if len(sheet.rows) >= MAX_ROWS:
            problems.append(
                SheetProblem(name, row_number, None, "", f"超过 {MAX_ROWS} 行，请分批导入")
            )
            break
        if stray_column is None and len(row) > width:
            for i in range(width, len(row)):
                if not _is_blank(_cell(row[i])):
                    stray_column = start_col + i + 1
                    problems.append(
                        SheetProblem(
                            name, row_number, _column_letter(stray_column), _shown(row[i]),
                            f"第{_column_letter(stray_column)}列有内容但没有列名，已忽略",
                            warning=True,
                        )
                    )  # fmt: skip
                    break
        sheet.rows.append((row_number, values))
    return sheet


def _check_headers(
    name: str,
    header_row: int,
    headers: list[str],
    columns: tuple[Column, ...],
    start_col: int,
    problems: list[SheetProblem],
) -> list[str]:
    known = {c.header for c in columns}
    first_at: dict[str, int] = {}
    for i, header in enumerate(headers):
        number = start_col + i + 1
        place = f"第{number}列（{_column_letter(number)}列）"
        if not header:
            problems.append(
                SheetProblem(
                    name, header_row, None, "",
                    f"表头{place}为空（可能是合并单元格），请取消合并并填写列名",
                )
            )  # fmt: skip
            continue
        if header in first_at:
            if header in known:
                earlier = _column_letter(start_col + first_at[header] + 1)
                problems.append(
                    SheetProblem(
                        name, header_row, header, header,
                        f"列“{header}”出现了两次（{earlier}列和{_column_letter(number)}列），"
                        "请删除其中一列",
                    )
                )  # fmt: skip
            continue
        first_at[header] = i
        if header not in known:
            problems.append(
                SheetProblem(
                    name, header_row, header, header,
                    f"未知的列，已忽略（{place}）", warning=True,
                )
            )  # fmt: skip
    for column in columns:
        if column.required and column.header not in first_at:
            problems.append(
                SheetProblem(name, header_row, column.header, "", f"缺少必填列“{column.header}”")
            )
    return headers
