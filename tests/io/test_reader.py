"""Reading uploaded files: what is accepted, what is refused, and what is reported."""

import datetime
import io
import re
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from tongxin.core.xlsx import reader, scan
from tongxin.core.xlsx import sheets as table_shape
from tongxin.core.xlsx.reader import RawSheet, ReadError
from tongxin.io.columns import (
    GUIDE_SHEET,
    MEMBER_COLUMNS,
    MEMBER_SHEET,
    ORG_COLUMNS,
    ORG_SHEET,
)
from tongxin.io.reading import read_roster

pytestmark = pytest.mark.usefixtures("sheet_reading")
EXPECTED = {ORG_SHEET: ORG_COLUMNS, MEMBER_SHEET: MEMBER_COLUMNS}
HEADERS = ["姓名", "身份证号", "入会日期", "所在组织编码"]
ROW = ["张三", "11010519491231002X", "2014-07-01", "0101"]


def xlsx(*sheets: tuple[str, list[list]]) -> bytes:
    """A workbook with the given sheets, each a list of rows written from row 1."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def members(*rows: list) -> bytes:
    return xlsx((MEMBER_SHEET, [HEADERS, *rows]))


def read(data: bytes, filename: str = "名册.xlsx"):
    return read_roster(data, filename, EXPECTED)


def reasons(problems) -> list[str]:
    return [p.reason for p in problems]


def cell(sheet: RawSheet, row_index: int, header: str):
    return sheet.rows[row_index][1][sheet.headers.index(header)]


def with_sheet_xml(data: bytes, edit) -> bytes:
    """The workbook with its first worksheet's XML passed through ``edit`` (bytes → bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = edit(content)
            target.writestr(info.filename, content)
    return out.getvalue()


# --- what is accepted --------------------------------------------------------------------------


def test_a_filled_in_workbook_gives_its_rows_with_excel_row_numbers():
    data = xlsx(
        (GUIDE_SHEET, [["说明"]]),
        (ORG_SHEET, [[c.header for c in ORG_COLUMNS], ["0101", "一支部", "01", "支部"]]),
        (MEMBER_SHEET, [HEADERS, ROW, [None] * 4, ["李四", None, datetime.date(2015, 1, 2), 101]]),
    )
    sheets, problems = read(data)
    assert problems == []
    roster = sheets[MEMBER_SHEET]
    assert roster.header_row == 1 and roster.headers == HEADERS
    assert [number for number, _values in roster.rows] == [2, 4]
    assert roster.rows[0][1] == ROW
    assert cell(roster, 1, "入会日期") == datetime.date(2015, 1, 2)
    assert cell(roster, 1, "所在组织编码") == 101  # numbers are the columns' business
    assert cell(roster, 1, "身份证号") is None
    assert roster.index(MEMBER_COLUMNS[0]) == 0
    assert sheets[ORG_SHEET].rows[0] == (2, ["0101", "一支部", "01", "支部", None, None, None])


def test_headers_are_matched_without_spaces_and_required_marks():
    sheets, problems = read(members(["姓 名*", " 身份证号", "入会日期＊", "所在组织编码"], ROW))
    assert problems == []
    assert sheets[MEMBER_SHEET].headers == HEADERS


def test_column_order_does_not_matter():
    sheets, problems = read(xlsx((MEMBER_SHEET, [HEADERS[::-1], ROW[::-1]])))
    assert problems == []
    assert cell(sheets[MEMBER_SHEET], 0, "姓名") == "张三"


def test_a_member_sheet_alone_is_enough():
    sheets, problems = read(members(ROW))
    assert problems == [] and list(sheets) == [MEMBER_SHEET]


def test_rows_with_only_a_serial_number_column_filled_are_blank():
    data = xlsx((MEMBER_SHEET, [["序号", *HEADERS], [1, *ROW], [2], [3]]))
    sheets, problems = read(data)
    assert [r for r, _ in sheets[MEMBER_SHEET].rows] == [2]
    assert reasons(problems) == ["未知的列，已忽略（第1列（A列））"]


def test_a_csv_in_utf8_with_a_bom_is_read_as_the_member_sheet():
    text = "姓名,身份证号,入会日期,所在组织编码\r\n张三,11010519491231002X,2014-07-01,0101\r\n"
    sheets, problems = read(text.encode("utf-8-sig"), "名册.csv")
    assert problems == []
    assert sheets[MEMBER_SHEET].headers == HEADERS
    assert sheets[MEMBER_SHEET].rows == [(2, ROW)]


def test_a_csv_in_utf8_without_a_bom_skips_blank_lines():
    text = "姓名,入会日期,所在组织编码\n\n张三,2014-07-01,0101\n,,\n李四,2015-01-01,0102\n"
    sheets, _problems = read(text.encode("utf-8"), "名册.CSV")
    assert [r for r, _ in sheets[MEMBER_SHEET].rows] == [3, 5]


def test_a_csv_saved_by_chinese_excel_in_gbk_is_read():
    text = "姓名,入会日期,所在组织编码,籍贯\r\n欧阳娜娜,2014/7/1,0101,山东济南\r\n"
    sheets, problems = read(text.encode("gb18030"), "名册.csv")
    assert problems == []
    assert sheets[MEMBER_SHEET].rows[0][1] == ["欧阳娜娜", "2014/7/1", "0101", "山东济南"]


def test_a_tab_separated_utf16_export_is_read():
    text = "姓名\t入会日期\t所在组织编码\r\n张三\t2014-07-01\t0101\r\n"
    sheets, _problems = read(text.encode("utf-16"), "名册.csv")
    assert sheets[MEMBER_SHEET].rows[0][1] == ["张三", "2014-07-01", "0101"]


def test_a_single_renamed_sheet_with_member_headers_is_read_as_the_roster():
    sheets, problems = read(xlsx(("Sheet1", [HEADERS, ROW])))
    assert sheets[MEMBER_SHEET].name == "Sheet1"
    assert len(sheets[MEMBER_SHEET].rows) == 1
    assert [p.warning for p in problems] == [True]
    assert "已将“Sheet1”按“成员名册”读取" in problems[0].reason


# --- what is refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, filename",
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "名册.xlsx"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "名册.csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "名册.xlsx"),
        ("姓名,入会日期\n张三,2014-07-01\n".encode(), "名册.xlsx"),
        (b"<html><body>login</body></html>", "名册.xlsx"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(data, filename):
    with pytest.raises(ReadError, match="不是 Excel 工作簿（.xlsx）或 CSV 文件"):
        read(data, filename)


def test_an_empty_upload_is_refused():
    with pytest.raises(ReadError, match="文件是空的"):
        read(b"")


def test_an_encrypted_workbook_asks_for_the_password_to_be_removed():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    with pytest.raises(ReadError, match="工作簿设有打开密码"):
        read(ole2, "名册.xlsx")
    # Recognised by its EncryptionInfo stream even when the name says .xls
    encrypted = ole2 + "EncryptionInfo".encode("utf-16-le")
    with pytest.raises(ReadError, match="工作簿设有打开密码"):
        read(encrypted, "名册.xls")


def test_an_old_xls_workbook_asks_to_be_saved_as_xlsx():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le")
    with pytest.raises(ReadError, match=r"旧版 Excel 文件（.xls）.*另存为"):
        read(ole2, "名册.xls")


def test_a_truncated_workbook_is_reported_as_damaged():
    data = members(ROW)
    with pytest.raises(ReadError, match="文件已损坏"):
        read(data[: len(data) // 2])


def test_a_workbook_with_a_damaged_sheet_is_reported_as_damaged():
    data = with_sheet_xml(members(ROW), lambda xml: xml[: len(xml) // 2])
    with pytest.raises(ReadError, match="文件已损坏"):
        read(data)


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ReadError, match="不是 Excel 工作簿"):
        read(out.getvalue())


def test_a_csv_in_an_unknown_encoding_is_refused():
    with pytest.raises(ReadError, match="文字编码"):
        read(b"\xff\xff\xff\xfe\x81\x30", "名册.csv")


# --- the shape of the sheets -------------------------------------------------------------------


def test_a_sheet_with_only_its_header_has_no_rows_and_no_problems():
    sheets, problems = read(members())
    assert sheets[MEMBER_SHEET].rows == [] and problems == []


def test_a_totally_empty_sheet_is_reported():
    sheets, problems = read(xlsx((ORG_SHEET, []), (MEMBER_SHEET, [HEADERS, ROW])))
    assert ORG_SHEET not in sheets and len(sheets[MEMBER_SHEET].rows) == 1
    assert [(p.sheet, p.reason, p.warning) for p in problems] == [(ORG_SHEET, "工作表为空", True)]


def test_a_workbook_without_the_expected_sheets_says_which_it_wants():
    sheets, problems = read(xlsx(("统计", [["年份", "人数"], [2024, 10]])))
    assert sheets == {}
    assert "找不到“组织机构”或“成员名册”工作表" in problems[0].reason
    assert "统计" in problems[0].reason


def test_a_title_row_above_the_header_is_reported_with_its_row():
    data = xlsx((MEMBER_SHEET, [["2024年成员名册"], [], HEADERS, ROW]))
    sheets, problems = read(data)
    assert [(p.row, p.reason) for p in problems] == [
        (3, "表头应在第1行，却在第3行；请删除表头上方的标题行")
    ]
    assert sheets[MEMBER_SHEET].header_row == 3
    assert sheets[MEMBER_SHEET].rows == [(4, ROW)]


def test_a_sheet_without_a_header_is_reported():
    sheets, problems = read(xlsx((MEMBER_SHEET, [ROW])))
    assert MEMBER_SHEET not in sheets
    assert "找不到表头" in problems[0].reason


def test_each_missing_required_column_is_one_problem():
    sheets, problems = read(xlsx((MEMBER_SHEET, [["姓名", "身份证号"], ["张三", None]])))
    # 入会日期 is required of members only (人员类别): the check asks it row by row.
    assert sorted(reasons(problems)) == ["缺少必填列“所在组织编码”"]
    assert all(not p.warning for p in problems)
    assert problems[0].column == "所在组织编码"


def test_an_unknown_column_is_a_warning_and_its_values_are_still_aligned():
    data = xlsx((MEMBER_SHEET, [[*HEADERS, "宗教信仰"], [*ROW, "无"]]))
    sheets, problems = read(data)
    assert [(p.column, p.warning) for p in problems] == [("宗教信仰", True)]
    assert "未知的列，已忽略" in problems[0].reason
    assert cell(sheets[MEMBER_SHEET], 0, "宗教信仰") == "无"


def test_a_duplicated_column_is_an_error():
    sheets, problems = read(xlsx((MEMBER_SHEET, [[*HEADERS, "姓名"], [*ROW, "李四"]])))
    assert reasons(problems) == ["列“姓名”出现了两次（A列和E列），请删除其中一列"]
    assert cell(sheets[MEMBER_SHEET], 0, "姓名") == "张三"  # the first one counts


def test_a_merged_header_cell_is_reported_by_column():
    wb = Workbook()
    ws = wb.active
    ws.title = MEMBER_SHEET
    ws.append(["姓名", "入会日期", None, "所在组织编码"])
    ws.merge_cells("B1:C1")
    ws.append(["张三", "2014", "07-01", "0101"])
    out = io.BytesIO()
    wb.save(out)
    _sheets, problems = read(out.getvalue())
    assert reasons(problems) == ["表头第3列（C列）为空（可能是合并单元格），请取消合并并填写列名"]


def test_values_in_a_column_without_a_header_are_a_warning():
    _sheets, problems = read(members([*ROW, None, "多余"]))
    assert [(p.column, p.value, p.warning) for p in problems] == [("F", "多余", True)]


def test_a_header_starting_in_column_b_names_the_right_columns():
    data = xlsx((MEMBER_SHEET, [[None, "姓名", None, "入会日期", "所在组织编码"]]))
    _sheets, problems = read(data)
    assert reasons(problems) == ["表头第3列（C列）为空（可能是合并单元格），请取消合并并填写列名"]


def test_more_rows_than_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(table_shape, "MAX_ROWS", 3)
    sheets, problems = read(members(*[ROW] * 5))
    assert len(sheets[MEMBER_SHEET].rows) == 3
    assert [(p.row, p.reason) for p in problems] == [(5, "超过 3 行，请分批导入")]


def test_reading_stops_after_a_long_run_of_blank_rows_and_says_so(monkeypatch):
    monkeypatch.setattr(table_shape, "MAX_BLANK_RUN", 5)
    rows = [["序号", *HEADERS], [1, *ROW], *[[n] for n in range(2, 12)], [12, *ROW]]
    sheets, problems = read(xlsx((MEMBER_SHEET, rows)))
    assert [r for r, _ in sheets[MEMBER_SHEET].rows] == [2]
    assert "第3行起连续5行为空，其后的内容未读取" in reasons(problems)


# --- formulas ----------------------------------------------------------------------------------


def test_formula_cells_in_data_rows_are_reported_with_row_and_column():
    rows = [
        [*HEADERS, "出生日期"],
        [*ROW, "=DATE(1949,12,31)"],
        ["李四", None, "=TODAY()", "0101", None],
        [None, None, None, None, '=IF(A5="","",1)'],  # an unfilled row: harmless
    ]
    _sheets, problems = read(xlsx((MEMBER_SHEET, rows)))
    assert [(p.row, p.column) for p in problems] == [(2, "出生日期"), (3, "入会日期")]
    assert problems[0].reason.startswith("第2行“出生日期”列是公式")
    assert "粘贴" in problems[0].reason and not problems[0].warning


def test_formulas_in_ignored_columns_are_not_reported():
    _sheets, problems = read(xlsx((MEMBER_SHEET, [[*HEADERS, "年龄"], [*ROW, "=2024-1949"]])))
    assert [p.warning for p in problems] == [True]  # only the unknown column


def test_shared_formulas_are_found_in_every_cell_they_cover():
    def share(xml: bytes) -> bytes:
        xml = xml.replace(b"<f>DATE(1949,12,31)</f>", b'<f t="shared" ref="E2:E3" si="0">1</f>')
        return xml.replace(b"<f>DATE(1950,1,1)</f>", b'<f t="shared" si="0"/>')

    rows = [[*HEADERS, "出生日期"], [*ROW, "=DATE(1949,12,31)"], [*ROW, "=DATE(1950,1,1)"]]
    data = with_sheet_xml(xlsx((MEMBER_SHEET, rows)), share)
    _sheets, problems = read(data)
    assert [(p.row, p.column) for p in problems] == [(2, "出生日期"), (3, "出生日期")]


def test_the_list_of_formulas_is_capped(monkeypatch):
    monkeypatch.setattr(scan, "MAX_FORMULA_PROBLEMS", 2)
    rows = [[*HEADERS, "出生日期"], *[[*ROW, "=DATE(1949,12,31)"]] * 4]
    _sheets, problems = read(xlsx((MEMBER_SHEET, rows)))
    assert len(problems) == 3
    assert "只列出了前2个" in problems[-1].reason


# --- large sheets ------------------------------------------------------------------------------


def _append_rows(xml: bytes, rows: bytes) -> bytes:
    return xml.replace(b"</sheetData>", rows + b"</sheetData>")


def test_a_million_formatted_blank_rows_cost_nothing():
    wb = Workbook()
    ws = wb.active
    ws.title = MEMBER_SHEET
    ws.append(HEADERS)
    ws.append(ROW)
    ws["A3"].fill = PatternFill("solid", fgColor="FFFF00")  # puts a fill style at index 1
    out = io.BytesIO()
    wb.save(out)
    blank = b"".join(
        b'<row r="%d" s="1" customFormat="1"><c r="A%d" s="1"/><c r="B%d" s="1"/></row>' % (n, n, n)
        for n in range(4, 1_000_001)
    )
    data = with_sheet_xml(out.getvalue(), lambda xml: _append_rows(re_drop_row3(xml), blank))
    sheets, problems = read(data)
    assert problems == []
    assert sheets[MEMBER_SHEET].rows == [(2, ROW)]


def re_drop_row3(xml: bytes) -> bytes:
    return re.sub(rb'<row r="3".*?</row>', b"", xml)


def test_a_stray_value_far_below_the_data_is_refused_before_it_is_loaded():
    stray = b'<row r="1000000"><c r="Z1000000" t="inlineStr"><is><t>x</t></is></c></row>'
    data = with_sheet_xml(members(ROW), lambda xml: _append_rows(xml, stray))
    sheets, problems = read(data)
    assert MEMBER_SHEET not in sheets
    assert "有内容的区域太大（到第1000000行、第26列）" in problems[0].reason


def test_a_sheet_read_in_halves_gives_exactly_what_the_whole_sheet_gives(monkeypatch):
    # Formulas, a gap of blank rows, values right of the header, mixed types, a second half
    # whose first column is empty: every row and every problem the same, wherever the cut.
    wb = Workbook()
    ws = wb.active
    ws.title = MEMBER_SHEET
    ws.append(HEADERS)
    for i in range(1, 301):
        if 120 <= i < 160:
            continue  # blank rows in the middle
        name = None if i > 200 else f"成员{i}"
        row = [name, "11010519491231002X", datetime.date(2014, 7, 1) if i % 3 else 41821,
               f"01{i % 7}", "多余" if i == 250 else None]  # fmt: skip
        ws.append(row)
        if i % 50 == 0:
            ws.cell(ws.max_row, 4, value="=1+1")
    data_ = io.BytesIO()
    wb.save(data_)
    data = data_.getvalue()
    monkeypatch.setattr(scan, "SPLIT_XML", 1 << 62)
    whole = read(data)
    monkeypatch.setattr(scan, "SPLIT_XML", 0)
    read_halves, used = reader._read_halves, []

    def spy(*args):
        used.append(read_halves(*args))
        return used[-1]

    monkeypatch.setattr(reader, "_read_halves", spy)
    halves = read(data)
    assert used and used[0] is not None  # it was read in halves
    assert halves == whole
    assert len(whole[0][MEMBER_SHEET].rows) == 260 and whole[1]


def test_the_halves_are_written_beside_and_removed_after_the_read(monkeypatch, tmp_path):
    monkeypatch.setattr(scan, "SPLIT_XML", 0)
    monkeypatch.setattr(scan.tempfile, "tempdir", str(tmp_path))
    sheets, _problems = read(members(*([ROW] * 50)))
    assert len(sheets[MEMBER_SHEET].rows) == 50
    assert list(tmp_path.iterdir()) == []
