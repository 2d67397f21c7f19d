"""A CSV file read as one table (Excel's "save as CSV" in any of the encodings staff use)."""

from __future__ import annotations

import csv
import io

from .sheets import Column, ReadError, SheetProblem, _read_rows

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
