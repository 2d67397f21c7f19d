"""The sheet's XML streamed once before calamine reads it: the extent of the values, formula
cells, and for a large sheet its two halves written as two small workbooks read on two threads."""

from __future__ import annotations

import itertools
import os
import posixpath
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree

from .sheets import Column, RawSheet, ReadError, SheetProblem, _shown

MAX_FORMULA_PROBLEMS = 50
# calamine holds a sheet as a dense rectangle of ~32-byte cells: 10 million cells is ~320 MB.
MAX_CELLS = 10_000_000


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
MAX_SHEET_XML = 2 << 30  # uncompressed bytes; a bigger sheet is a zip bomb or not a roster
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
