"""A small streaming .xlsx (Office Open XML SpreadsheetML) writer, standard library only.

It writes what the roster export needs and nothing more: sheets in order, column widths and
column formats, a frozen header row, cells holding text (inline strings, so no shared-strings
table has to be held in memory), numbers, booleans and dates, and a handful of cell styles (bold,
font colour, solid fill, number format). Each sheet's XML goes into its zip entry as rows arrive,
so memory stays flat whatever the number of rows::

    with XlsxWriter(fp) as book:
        bold = book.style(bold=True)
        text = book.style(num_fmt="@")
        with book.sheet("名册", widths=[10, 21], freeze_header=True) as sheet:
            sheet.append(["姓名", "身份证号"], styles=[bold, bold])
            sheet.append(["张三", "11010519491231002X"], styles=[0, text])

Text is escaped for XML, characters XML 1.0 forbids (control characters other than tab, line
feed and carriage return; lone surrogates; U+FFFE/U+FFFF) are dropped, and text that looks like
Excel's own escape (``_x0041_``) is protected so that it reads back as written. A string starting
with "=" is text like any other: this writer never writes formulas.
"""

from __future__ import annotations

import datetime
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import BinaryIO

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
TEXT_FORMAT = "@"
MAX_COLUMNS = 16_384
MAX_ROWS = 1_048_576
_FLUSH_ROWS = 256  # rows gathered before a write to the zip entry

# numFmt codes Excel knows by number; anything else gets an id from 164 on.
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "@": 49}

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL_DOC = _NS_REL + "/officeDocument"
_REL_SHEET = _NS_REL + "/worksheet"
_REL_STYLES = _NS_REL + "/styles"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# One search decides whether a string needs any work (the usual cell needs none).
_SPECIAL = re.compile(
    "[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_x[0-9A-Fa-f]{4}_"
)
_XML_SPACE = frozenset(" \t\n\r")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel reads "_xHHHH_" in a string as the character U+HHHH; "_x005F_" is a literal "_".
_EXCEL_ESCAPE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")

_EPOCH_ORDINAL = datetime.date(1899, 12, 30).toordinal()
_DATE = datetime.date


def strip_illegal(text: str) -> str:
    """``text`` without the characters XML 1.0 does not allow."""
    return _ILLEGAL.sub("", text)


def escape_text(text: str) -> str:
    """``text`` as the content of an element."""
    if _SPECIAL.search(text) is None:
        return text
    text = _EXCEL_ESCAPE.sub("_x005F_", strip_illegal(text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A parser turns a bare carriage return into a line feed; a character reference survives.
    return text.replace("\r", "&#13;")


def escape_attr(text: str) -> str:
    """``text`` as a double-quoted attribute value."""
    text = strip_illegal(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace('"', "&quot;").replace("'", "&apos;")
    return text.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


def column_letter(number: int) -> str:
    """1 → A, 27 → AA."""
    if not 1 <= number <= MAX_COLUMNS:
        raise ValueError(f"column {number} out of range")
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def excel_serial(value: datetime.date) -> int | float | None:
    """The 1900-system serial number of a date or datetime; None before 1900-01-01."""
    serial = value.toordinal() - _EPOCH_ORDINAL
    if serial <= 60:
        # Excel counts a 1900-02-29 that never was: serials before it are one day less.
        serial -= 1
    if serial < 1:
        return None
    if isinstance(value, datetime.datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        fraction = (seconds + value.microsecond / 1e6) / 86400
        return serial + fraction if fraction else serial
    return serial


def _color(rgb: str) -> str:
    rgb = rgb.lstrip("#").upper()
    if not re.fullmatch("[0-9A-F]{6}|[0-9A-F]{8}", rgb):
        raise ValueError(f"colour {rgb!r} is not RRGGBB")
    return rgb if len(rgb) == 8 else "FF" + rgb


class XlsxWriter:
    """A workbook written to ``fp`` (any binary file object; it need not be seekable)."""

    def __init__(self, fp: BinaryIO, *, compresslevel: int = 1):
        self._zip = zipfile.ZipFile(
            fp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
        )
        self._sheets: list[str] = []
        self._open: SheetWriter | None = None
        self._closed = False
        self._num_formats: dict[str, int] = {}
        self._fonts: list[tuple[bool, str | None]] = [(False, None)]
        self._fills: list[str | None] = [None, None]  # none and gray125 are required first
        self._xfs: list[tuple[int, int, int]] = [(0, 0, 0)]  # (numFmtId, fontId, fillId)
        self._styles: dict[tuple, int] = {}
        self.date_style = self.style(num_fmt=DATE_FORMAT)
        self.datetime_style = self.style(num_fmt=DATETIME_FORMAT)
        # Tools that recognise the format by the first entries expect these names early.
        self._write_part("_rels/.rels", _root_rels())

    # -- styles ------------------------------------------------------------------------------

    def style(
        self,
        *,
        bold: bool = False,
        color: str | None = None,
        fill: str | None = None,
        num_fmt: str | None = None,
    ) -> int:
        """The id of a cell style (0 is the default); equal arguments give the same id.
        ``color`` (font) and ``fill`` (solid background) are "RRGGBB"."""
        key = (bold, color and _color(color), fill and _color(fill), num_fmt or "General")
        if key in self._styles:
            return self._styles[key]
        bold, color, fill, num_fmt = key
        if num_fmt in _BUILTIN_FORMATS:
            fmt_id = _BUILTIN_FORMATS[num_fmt]
        else:
            fmt_id = self._num_formats.setdefault(num_fmt, 164 + len(self._num_formats))
        font = (bold, color)
        if font not in self._fonts:
            self._fonts.append(font)
        font_id = self._fonts.index(font)
        fill_id = 0
        if fill:
            if fill not in self._fills:
                self._fills.append(fill)
            fill_id = self._fills.index(fill)
        self._xfs.append((fmt_id, font_id, fill_id))
        self._styles[key] = len(self._xfs) - 1
        return self._styles[key]

    # -- sheets ------------------------------------------------------------------------------

    def sheet(
        self,
        name: str,
        *,
        widths: Sequence[float | None] = (),
        column_styles: Sequence[int] = (),
        cell_styles: Sequence[int] = (),
        freeze_header: bool = False,
    ) -> SheetWriter:
        """Start the next sheet; the previous one is finished. ``widths`` and ``column_styles``
        (the format Excel gives a newly typed cell) are per column from A; ``cell_styles`` is
        the default style of each column's cells for ``append``."""
        if self._closed:
            raise ValueError("workbook already closed")
        if self._open is not None:
            self._open.close()
        if not name or len(name) > 31 or re.search(r"[\[\]:*?/\\]", name):
            raise ValueError(f"invalid sheet name {name!r}")
        if name.lower() in (s.lower() for s in self._sheets):
            raise ValueError(f"duplicate sheet name {name!r}")
        self._sheets.append(name)
        path = f"xl/worksheets/sheet{len(self._sheets)}.xml"
        stream = self._zip.open(path, "w")
        self._open = SheetWriter(
            self,
            stream,
            widths=widths,
            column_styles=column_styles,
            cell_styles=cell_styles,
            freeze_header=freeze_header,
            selected=len(self._sheets) == 1,
        )
        return self._open

    # -- closing -----------------------------------------------------------------------------

    def close(self) -> None:
        """Finish the last sheet and write the workbook parts; ``fp`` stays open."""
        if self._closed:
            return
        if self._open is not None:
            self._open.close()
        if not self._sheets:
            raise ValueError("a workbook needs at least one sheet")
        self._write_part("xl/workbook.xml", self._workbook_xml())
        self._write_part("xl/_rels/workbook.xml.rels", self._workbook_rels())
        self._write_part("xl/styles.xml", self._styles_xml())
        self._write_part("[Content_Types].xml", self._content_types())
        self._zip.close()
        self._closed = True

    def abort(self) -> None:
        """Stop after a failure: release the zip without finishing it (``fp`` holds junk)."""
        self._closed = True
        if self._open is not None:
            self._open._abort()
        try:
            self._zip.close()
        except Exception:  # noqa: S110 — already failing; the caller's exception matters
            pass

    def __enter__(self) -> XlsxWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def _sheet_closed(self, sheet: SheetWriter) -> None:
        if self._open is sheet:
            self._open = None

    def _write_part(self, path: str, xml: str) -> None:
        self._zip.writestr(path, xml.encode("utf-8"))

    def _workbook_xml(self) -> str:
        sheets = "".join(
            f'<sheet name="{escape_attr(name)}" sheetId="{n}" r:id="rId{n}"/>'
            for n, name in enumerate(self._sheets, start=1)
        )
        return (
            f'{_XML_DECL}<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets></workbook>"
        )

    def _workbook_rels(self) -> str:
        rels = [
            f'<Relationship Id="rId{n}" Type="{_REL_SHEET}" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(self._sheets) + 1)
        ]
        n = len(self._sheets) + 1
        rels.append(f'<Relationship Id="rId{n}" Type="{_REL_STYLES}" Target="styles.xml"/>')
        return f'{_XML_DECL}<Relationships xmlns="{_NS_PKG_REL}">{"".join(rels)}</Relationships>'

    def _styles_xml(self) -> str:
        formats = "".join(
            f'<numFmt numFmtId="{i}" formatCode="{escape_attr(code)}"/>'
            for code, i in self._num_formats.items()
        )
        fonts = []
        for bold, color in self._fonts:
            inner = ("<b/>" if bold else "") + '<sz val="11"/>'
            if color:
                inner += f'<color rgb="{color}"/>'
            fonts.append(f'<font>{inner}<name val="Calibri"/><family val="2"/></font>')
        fills = ['<fill><patternFill patternType="none"/></fill>']
        fills.append('<fill><patternFill patternType="gray125"/></fill>')
        fills += [
            f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/>'
            '<bgColor indexed="64"/></patternFill></fill>'
            for rgb in self._fills[2:]
        ]
        xfs = []
        for fmt_id, font_id, fill_id in self._xfs:
            applied = (
                (' applyNumberFormat="1"' if fmt_id else "")
                + (' applyFont="1"' if font_id else "")
                + (' applyFill="1"' if fill_id else "")
            )
            xfs.append(
                f'<xf numFmtId="{fmt_id}" fontId="{font_id}" fillId="{fill_id}" borderId="0"'
                f' xfId="0"{applied}/>'
            )
        return (
            f'{_XML_DECL}<styleSheet xmlns="{_NS_MAIN}">'
            f'<numFmts count="{len(self._num_formats)}">{formats}</numFmts>'
            f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
            f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>"
        )

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT}.worksheet+xml"/>'
            for n in range(1, len(self._sheets) + 1)
        )
        return (
            f"{_XML_DECL}"
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels"'
            ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f"{sheets}</Types>"
        )


def _root_rels() -> str:
    return (
        f'{_XML_DECL}<Relationships xmlns="{_NS_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_REL_DOC}" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )


class SheetWriter:
    """Rows of one sheet, appended in order from row 1; made by XlsxWriter.sheet."""

    def __init__(
        self,
        book: XlsxWriter,
        stream,
        *,
        widths: Sequence[float | None],
        column_styles: Sequence[int],
        cell_styles: Sequence[int],
        freeze_header: bool,
        selected: bool,
    ):
        self._book = book
        self._stream = stream
        self._rows: list[str] = []
        self.row_count = 0
        self._letters: list[str] = []
        self._cell_styles = list(cell_styles)
        self._default = self._templates(self._cell_styles)
        self._closed = False
        head = [_XML_DECL, f'<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">']
        view = '<sheetView workbookViewId="0"' + (' tabSelected="1"' if selected else "")
        if freeze_header:
            head.append(
                f"<sheetViews>{view}>"
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
                "</sheetView></sheetViews>"
            )
        else:
            head.append(f"<sheetViews>{view}/></sheetViews>")
        head.append('<sheetFormatPr defaultRowHeight="15"/>')
        cols = []
        for index in range(max(len(widths), len(column_styles))):
            width = widths[index] if index < len(widths) else None
            style = column_styles[index] if index < len(column_styles) else 0
            if width is None and not style:
                continue
            n = index + 1
            attrs = f' width="{float(width)!r}" customWidth="1"' if width is not None else ""
            if width is None:
                attrs = ' width="9.140625"'
            if style:
                attrs += f' style="{int(style)}"'
            cols.append(f'<col min="{n}" max="{n}"{attrs}/>')
        if cols:
            head.append(f"<cols>{''.join(cols)}</cols>")
        head.append("<sheetData>")
        self._stream.write("".join(head).encode("utf-8"))

    def _templates(self, styles: Sequence[int]) -> list[tuple[str, ...]]:
        """Per column, what follows the row number of a cell's reference, style included: for
        text, text with leading or trailing spaces, numbers, booleans, dates and datetimes."""
        book = self._book
        out = []
        for s in styles:
            attr = f' s="{int(s)}"' if s else ""
            date_attr = attr or f' s="{book.date_style}"'
            datetime_attr = f' s="{book.datetime_style}"' if s in (0, book.date_style) else attr
            out.append(
                (
                    f'"{attr} t="inlineStr"><is><t>',
                    f'"{attr} t="inlineStr"><is><t xml:space="preserve">',
                    f'"{attr}><v>',
                    f'"{attr} t="b"><v>',
                    f'"{date_attr}><v>',
                    f'"{datetime_attr}><v>',
                )
            )
        return out

    def _grow(self, width: int) -> None:
        if width > MAX_COLUMNS:
            raise ValueError(f"more than {MAX_COLUMNS} columns")
        for n in range(len(self._letters) + 1, width + 1):
            self._letters.append('<c r="' + column_letter(n))

    def append(self, values: Iterable[object], styles: Sequence[int] | None = None) -> None:
        """Write the next row. None and "" leave the cell empty; str, bool, int, float,
        datetime.date and datetime.datetime are written as such (dates as serial numbers with
        a date format: the column's cell style when it has one); anything else as str().
        ``styles`` overrides the sheet's cell styles for this row."""
        if self._closed:
            raise ValueError("sheet already closed")
        if values.__class__ is not list:
            values = list(values)
        if self.row_count >= MAX_ROWS:
            raise ValueError(f"more than {MAX_ROWS} rows")
        self.row_count += 1
        r = str(self.row_count)
        templates = self._default if styles is None else self._templates(styles)
        if len(templates) < len(values):
            templates = templates + self._templates([0] * (len(values) - len(templates)))
        if len(self._letters) < len(values):
            self._grow(len(values))
        # A few C-speed checks over the row's text decide whether any of it needs escaping or
        # its leading or trailing spaces kept (isprintable is False for every control character,
        # surrogate and noncharacter); the usual row needs neither and takes the fast path. A
        # false alarm (a line feed, a full-width space, "_x") only sends a row the slow way.
        texts = "|".join([v for v in values if v.__class__ is str])
        if (
            texts.isprintable()
            and "&" not in texts
            and "<" not in texts
            and ">" not in texts
            and "_x" not in texts
            and "| " not in texts
            and " |" not in texts
            and texts[:1] != " "
            and texts[-1:] != " "
        ):
            cell = _cell
            cells = [
                f"{pre}{r}{t[0]}{v}</t></is></c>" if v.__class__ is str else cell(pre, r, t, v)
                for pre, t, v in zip(self._letters, templates, values, strict=False)
                if v or (v is not None and v != "")
            ]
        else:
            text_cell = _text_cell
            cell = _cell
            cells = [
                text_cell(pre, r, t, v) if v.__class__ is str else cell(pre, r, t, v)
                for pre, t, v in zip(self._letters, templates, values, strict=False)
                if v is not None
            ]
        self._rows.append(f'<row r="{r}">{"".join(cells)}</row>')
        if len(self._rows) >= _FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self._stream.write("".join(self._rows).encode("utf-8"))
            self._rows.clear()

    def close(self) -> None:
        if self._closed:
            return
        self._flush()
        self._stream.write(
            b'</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75"'
            b' header="0.3" footer="0.3"/></worksheet>'
        )
        self._closed = True
        self._stream.close()
        self._book._sheet_closed(self)

    def _abort(self) -> None:
        self._closed = True
        self._rows.clear()
        try:
            self._stream.close()
        except Exception:  # noqa: S110 — already failing; the caller's exception matters
            pass
        self._book._sheet_closed(self)

    def __enter__(self) -> SheetWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self._abort()


def _cell(pre: str, r: str, t: tuple[str, ...], value: object) -> str:
    """One cell of any value, for SheetWriter.append ("" when it stays empty)."""
    if value.__class__ is _DATE:  # the usual non-text value, the quick way
        serial = value.toordinal() - _EPOCH_ORDINAL
        if serial > 60:
            return f"{pre}{r}{t[4]}{serial}</v></c>"
    if isinstance(value, str):
        return _text_cell(pre, r, t, value)
    if isinstance(value, bool):
        return f"{pre}{r}{t[3]}{int(value)}</v></c>"
    if isinstance(value, int):
        return f"{pre}{r}{t[2]}{value}</v></c>"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value!r} to a cell")
        return f"{pre}{r}{t[2]}{value!r}</v></c>"
    if isinstance(value, datetime.date):
        serial = excel_serial(value)
        if serial is None:  # before 1900: Excel has no serial for it
            text = value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else None
            return _text_cell(pre, r, t, text or value.isoformat())
        if isinstance(serial, float):
            return f"{pre}{r}{t[5]}{serial!r}</v></c>"
        return f"{pre}{r}{t[4]}{serial}</v></c>"
    return _text_cell(pre, r, t, str(value))


def _text_cell(pre: str, r: str, t: tuple[str, ...], value: str) -> str:
    value = strip_illegal(value)
    if not value:
        return ""
    # Judged before escaping: a trailing carriage return becomes "&#13;".
    kept = t[1] if value[0] in _XML_SPACE or value[-1] in _XML_SPACE else t[0]
    return f"{pre}{r}{kept}{escape_text(value)}</t></is></c>"
