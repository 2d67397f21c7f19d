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

import io
import zipfile
from collections.abc import Iterable, Iterator

from .csvfile import _read_csv
from .filetype import _sniff, check_expansion
from .scan import MAX_CELLS, _formula_problems, _read_halves, _scan_sheet, _sheet_paths
from .sheets import Column, RawSheet, ReadError, SheetProblem, _read_rows, header_name

# What callers use: the entry point, its result and error types, and the upload's safety check.
__all__ = [
    "Column",
    "RawSheet",
    "ReadError",
    "SheetProblem",
    "check_expansion",
    "header_name",
    "read_workbook",
]

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
