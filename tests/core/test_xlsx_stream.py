"""The streaming .xlsx writer: files that openpyxl, calamine and an XML parser all accept."""

import datetime
import io
import math
import re
import zipfile
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from tongxin.core.xlsx.stream import XlsxWriter, column_letter, escape_text, excel_serial

D = datetime.date
DT = datetime.datetime
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def build(rows, *, name="表", styles=None, **sheet) -> bytes:
    out = io.BytesIO()
    with XlsxWriter(out) as book:
        with book.sheet(name, **sheet) as ws:
            for row in rows:
                ws.append(row, styles)
    return out.getvalue()


def calamine_rows(data: bytes, name: str) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name).to_python()


def test_openpyxl_opens_several_sheets_in_order_with_widths_a_frozen_header_and_styles():
    out = io.BytesIO()
    with XlsxWriter(out) as book:
        head = book.style(bold=True, color="C00000", fill="FFF2CC")
        text = book.style(num_fmt="@")
        assert book.style(bold=True, color="c00000", fill="#FFF2CC") == head  # shared
        with book.sheet("说明", widths=[100]) as ws:
            ws.append(["第一行"])
        with book.sheet("名册", widths=[10, 21], column_styles=[0, text], freeze_header=True) as ws:
            ws.append(["姓名", "身份证号"], styles=[head, head])
            ws.append(["张三", "11010519491231002X"], styles=[0, text])
    wb = load_workbook(io.BytesIO(out.getvalue()))
    assert wb.sheetnames == ["说明", "名册"]
    assert wb["说明"].freeze_panes is None and wb["说明"].column_dimensions["A"].width == 100
    ws = wb["名册"]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == 10 and ws.column_dimensions["B"].width == 21
    assert ws.column_dimensions["B"].number_format == "@"
    a1 = ws["A1"]
    assert a1.font.b and a1.font.color.rgb == "FFC00000"
    assert a1.fill.fill_type == "solid" and a1.fill.fgColor.rgb == "FFFFF2CC"
    assert ws["B2"].value == "11010519491231002X" and ws["B2"].number_format == "@"
    assert ws["A2"].number_format == "General" and not ws["A2"].font.b


def test_values_of_every_type_read_back_in_openpyxl_and_calamine():
    row = [
        "文字", 0, -7, 1.5, 10**15, True, False, D(2014, 7, 1), DT(2020, 1, 2, 3, 4, 5),
        D(1900, 1, 1), D(1900, 2, 28), D(1900, 3, 1), D(1850, 1, 1), None, "", "=SUM(A1)",
    ]  # fmt: skip
    data = build([row])
    ws = load_workbook(io.BytesIO(data)).active
    cells = list(ws[1])
    values = [c.value for c in cells]
    assert values[:7] == ["文字", 0, -7, 1.5, 10**15, True, False]
    assert values[7:12] == [
        DT(2014, 7, 1),
        DT(2020, 1, 2, 3, 4, 5),
        DT(1900, 1, 1),
        DT(1900, 2, 28),
        DT(1900, 3, 1),
    ]
    assert cells[7].number_format == "yyyy-mm-dd"
    assert cells[8].number_format == "yyyy-mm-dd hh:mm:ss"
    assert values[12] == "1850-01-01"  # Excel has no serial before 1900: written as text
    assert values[13:15] == [None, None]
    assert values[15] == "=SUM(A1)" and cells[15].data_type == "s"  # never a formula
    got = calamine_rows(data, "表")[0]
    assert got[7:12] == [D(2014, 7, 1), DT(2020, 1, 2, 3, 4, 5)] + [
        D(1900, 1, 1), D(1900, 2, 28), D(1900, 3, 1)
    ]  # fmt: skip
    assert got[15] == "=SUM(A1)"


def test_xml_special_and_illegal_characters_survive_or_are_dropped():
    texts = [
        "A&B <c> \"d\" 'e' >",
        "响\x07铃\x00\x1f",
        "  前后空格  ",
        "行一\r\n行二\n行三\r",
        "\t制表",
        "_x0041_ 不是 A",
        "坏\ud800代理\uffff",
    ]
    data = build([texts], name="S&<'\">")
    expected = [
        "A&B <c> \"d\" 'e' >",
        "响铃",
        "  前后空格  ",
        "行一\r\n行二\n行三\r",
        "\t制表",
        "_x0041_ 不是 A",
        "坏代理",
    ]
    assert calamine_rows(data, "S&<'\">") == [expected]
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["S&<'\">"]
    values = [c.value for c in wb.active[1]]
    # openpyxl does not undo Excel's own _xHHHH_ escape in inline strings; Excel and calamine do.
    assert values[:5] + values[6:] == expected[:5] + expected[6:]
    assert values[5] == "_x005F_x0041_ 不是 A"


def test_every_part_is_well_formed_and_every_cell_has_its_reference():
    data = build([["a", None, "c"], [None, 2, D(2000, 1, 1), "&"]], freeze_header=True)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    for required in (
        "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "xl/styles.xml", "xl/worksheets/sheet1.xml",
    ):  # fmt: skip
        assert required in names
    for name in names:
        ElementTree.fromstring(archive.read(name))
    assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in archive.infolist())
    sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    refs = [
        (row.get("r"), [c.get("r") for c in row.iter(f"{MAIN}c")])
        for row in sheet.iter(f"{MAIN}row")
    ]
    assert refs == [("1", ["A1", "C1"]), ("2", ["B2", "C2", "D2"])]
    pane = sheet.find(f"{MAIN}sheetViews/{MAIN}sheetView/{MAIN}pane")
    assert pane.attrib == {
        "ySplit": "1", "topLeftCell": "A2", "activePane": "bottomLeft", "state": "frozen"
    }  # fmt: skip
    styles = archive.read("xl/styles.xml").decode()
    assert '<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>' in styles


def test_a_non_seekable_stream_is_enough():
    class Pipe(io.RawIOBase):
        def __init__(self):
            self.chunks = []

        def writable(self):
            return True

        def write(self, b):
            self.chunks.append(bytes(b))
            return len(b)

    pipe = Pipe()
    with XlsxWriter(pipe) as book:
        with book.sheet("一") as ws:
            for n in range(3000):
                ws.append([f"行{n}", n])
    data = b"".join(pipe.chunks)
    rows = calamine_rows(data, "一")
    assert len(rows) == 3000 and rows[-1] == ["行2999", 2999.0]


def test_the_sheet_xml_is_written_as_rows_arrive():
    out = io.BytesIO()
    with XlsxWriter(out) as book:
        with book.sheet("一") as ws:
            for n in range(20_000):
                ws.append([f"成员{n}", "某某大学", "13800138000", D(2014, 7, 1)])
            assert len(ws._rows) < 1000  # buffered rows are flushed, not kept
            assert out.tell() > 20_000  # compressed data already reached the file
    assert calamine_rows(out.getvalue(), "一")[-1][0] == "成员19999"


def test_bad_input_is_refused():
    book = XlsxWriter(io.BytesIO())
    with pytest.raises(ValueError):
        book.sheet("a/b")
    with pytest.raises(ValueError):
        book.sheet("x" * 32)
    ws = book.sheet("一")
    with pytest.raises(ValueError):
        book.sheet("一")
    with pytest.raises(ValueError):
        ws.append([math.nan])
    book.close()
    with pytest.raises(ValueError):
        XlsxWriter(io.BytesIO()).close()  # no sheet


def test_a_failure_while_writing_leaves_no_open_handle():
    def rows():
        yield ["a"]
        raise RuntimeError("数据库断开")

    out = io.BytesIO()
    with pytest.raises(RuntimeError, match="数据库断开"):
        with XlsxWriter(out) as book:
            with book.sheet("一") as ws:
                for row in rows():
                    ws.append(row)


def test_helpers():
    assert [column_letter(n) for n in (1, 26, 27, 52, 702, 703, 16384)] == [
        "A", "Z", "AA", "AZ", "ZZ", "AAA", "XFD"
    ]  # fmt: skip
    assert excel_serial(D(1900, 1, 1)) == 1
    assert excel_serial(D(1900, 2, 28)) == 59
    assert excel_serial(D(1900, 3, 1)) == 61
    assert excel_serial(D(2014, 7, 1)) == 41821
    assert excel_serial(DT(2014, 7, 1, 12)) == 41821.5
    assert excel_serial(D(1899, 12, 31)) is None
    assert escape_text("普通") == "普通"
    assert escape_text("a&<b>\x01\r") == "a&amp;&lt;b&gt;&#13;"
    assert re.fullmatch(r"_x005F_x00e9_", escape_text("_x00e9_"))
