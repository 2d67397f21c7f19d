"""The import template and exports: what staff get, and that exports import back unchanged."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from tongxin.io.columns import (
    GUIDE_SHEET,
    MEMBER_COLUMNS,
    MEMBER_SHEET,
    OPTIONS_SHEET,
    ORG_COLUMNS,
    ORG_SHEET,
    offered,
    parse_value,
)
from tongxin.io.reading import read_roster
from tongxin.io.workbook import TEMPLATE_ROWS, template_workbook, write_workbook
from tongxin.orgs.models import OrganizationKind

# The organization kinds are a table in the database.
pytestmark = pytest.mark.django_db

EXPECTED = {ORG_SHEET: ORG_COLUMNS, MEMBER_SHEET: MEMBER_COLUMNS}
D = datetime.date


def template():
    return load_workbook(io.BytesIO(template_workbook()))


def test_the_template_has_the_guide_first_then_the_two_sheets_and_a_hidden_options_sheet():
    wb = template()
    # 入库名单 is the cadres app's sheet (tongxin.core.extensions: roster_sheets).
    assert wb.sheetnames == [GUIDE_SHEET, ORG_SHEET, MEMBER_SHEET, "入库名单", OPTIONS_SHEET]
    assert wb[OPTIONS_SHEET].sheet_state == "hidden"
    assert wb.active.title == GUIDE_SHEET


def test_the_template_headers_are_exact_names_frozen_and_required_ones_stand_out():
    wb = template()
    for name, columns in EXPECTED.items():
        ws = wb[name]
        assert [c.value for c in ws[1]] == [c.header for c in columns]
        assert ws.freeze_panes == "A2"
        assert ws.max_row == 1
        for cell, column in zip(ws[1], columns, strict=True):
            assert cell.font.b
            assert (cell.font.color is not None and cell.font.color.rgb == "00C00000") is (
                column.required
            )
            assert cell.comment is not None and column.help[:4] in cell.comment.text
    assert wb[MEMBER_SHEET].column_dimensions["B"].width == 21


def test_the_guide_lists_every_column_with_required_flag_and_example():
    ws = template()[GUIDE_SHEET]
    rows = [tuple(c.value for c in row) for row in ws.iter_rows()]
    listed = {(r[0], r[1]): r for r in rows if r[0] in (ORG_SHEET, MEMBER_SHEET)}
    for name, columns in EXPECTED.items():
        for column in columns:
            row = listed[(name, column.header)]
            assert (row[2] == "必填") is column.required
            assert row[3]
    assert listed[(MEMBER_SHEET, "学位")][3].endswith(
        "博士、硕士、学士、无（也可填全称，如 工学博士）"
    )
    assert listed[(MEMBER_SHEET, "身份证号")][4] == "11010519491231002X"


def test_every_choice_column_has_a_drop_down_pointing_at_the_options_sheet():
    wb = template()
    options = wb[OPTIONS_SHEET]
    for name, columns in EXPECTED.items():
        ws = wb[name]
        by_range = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
        for index, column in enumerate(columns, start=1):
            letter = ws.cell(row=1, column=index).column_letter
            dv = by_range.get(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            if not offered(column):
                assert dv is None
                continue
            assert dv.type == "list" and dv.errorStyle == "warning"
            assert dv.formula1.startswith(f"'{OPTIONS_SHEET}'!$")
            cells = options[dv.formula1.split("!")[1].replace("$", "")]
            assert tuple(c[0].value for c in cells) == offered(column)


def kind_drop_down(wb) -> list[str]:
    ws = wb[ORG_SHEET]
    letter = next(c.column_letter for c in ws[1] if c.value == "组织类型")
    dv = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref)[0] == letter)
    return [c[0].value for c in wb[OPTIONS_SHEET][dv.formula1.split("!")[1].replace("$", "")]]


def test_the_kind_drop_down_offers_the_table_with_the_kinds_the_administrator_adds():
    assert kind_drop_down(template()) == [
        "委员会", "基层委员会", "总支", "支部", "小组",
        "部门", "街道党工委", "社区党总支", "行业党委", "部委办局", "单位",
    ]  # fmt: skip
    OrganizationKind.objects.create(code="area_committee", name="片区党委", order=200)
    wb = template()
    assert kind_drop_down(wb)[-1] == "片区党委"
    guide = {row[1]: row[3] for row in wb[GUIDE_SHEET].iter_rows(values_only=True)}
    assert guide["组织类型"].endswith("部委办局、单位、片区党委")


def test_the_ethnicity_list_on_the_options_sheet_is_complete():
    wb = template()
    ws = wb[MEMBER_SHEET]
    dv = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith("E2"))
    cells = wb[OPTIONS_SHEET][dv.formula1.split("!")[1].replace("$", "")]
    labels = [c[0].value for c in cells]
    assert len(labels) == 58 and labels[0] == "汉族" and labels[-1] == "外国血统中国籍人士"


def test_dates_are_formatted_and_numbers_that_must_stay_text_are_text_columns():
    wb = template()
    for name, columns in EXPECTED.items():
        ws = wb[name]
        for index, column in enumerate(columns, start=1):
            letter = ws.cell(row=1, column=index).column_letter
            fmt = ws.column_dimensions[letter].number_format
            if column.kind == "date":
                assert fmt == "yyyy-mm-dd", column.header
            elif column.kind in ("id_number", "phone", "code"):
                assert fmt == "@", column.header
            else:
                assert fmt == "General", column.header


def test_the_empty_template_reads_back_without_problems():
    sheets, problems = read_roster(template_workbook(), "模板.xlsx", EXPECTED)
    assert problems == []
    assert sheets[ORG_SHEET].rows == [] and sheets[MEMBER_SHEET].rows == []


# --- export ------------------------------------------------------------------------------------

ORGS = [
    {"code": "01", "name": "某某市委会", "parent_code": "", "kind": "committee",
     "categories": [], "established": D(1988, 5, 1), "party": "05"},
    {"code": "0101", "name": "第一支部", "parent_code": "01", "kind": "branch",
     "categories": ["县区支部", "直属支部"], "established": None, "party": ""},
]  # fmt: skip

FULL = {
    "name": "欧阳娜娜", "id_number": "11010519491231002X", "gender": "2",
    "birth_date": D(1949, 12, 31), "ethnicity": "01", "native_place": "山东济南",
    "education": "14", "degree": "3", "school_major": "北京大学 法学", "title": "副教授",
    "title_level": "2", "work_unit": "某某大学", "unit_nature": "20", "job_post": "系主任",
    "admin_rank": "132", "sector": "education", "is_retired": False, "is_cross_member": True,
    "upper_middle": True, "admitted_on": D(2014, 7, 1), "org_code": "0101",
    "party_posts": ["支部主委", "委员"], "phone": "13800138000", "email": "ouyang@example.com",
    "note": "=SUM(A1)不是公式\n第二行", "post_start": D(2021, 9, 1), "person_kind": "member",
    "political_status": "05",
}  # fmt: skip

SPARSE = {
    "name": "李四", "id_number": "", "gender": "", "birth_date": None, "ethnicity": "",
    "native_place": "", "education": "", "degree": "", "school_major": "", "title": "",
    "title_level": "", "work_unit": "", "unit_nature": "", "job_post": "", "admin_rank": "",
    "sector": "", "is_retired": True, "is_cross_member": False, "upper_middle": None,
    "admitted_on": D(2000, 1, 1), "org_code": "01", "party_posts": [], "phone": "",
    "email": "", "note": "", "post_start": None, "person_kind": "", "political_status": "",
}  # fmt: skip

UNKNOWN_LEVEL = {**SPARSE, "name": "王五", "title_level": None, "admin_rank": None}


def export(orgs, members) -> tuple[bytes, int]:
    out = io.BytesIO()
    count = write_workbook(out, iter(orgs), iter(members))
    return out.getvalue(), count


def parsed(sheet, columns) -> list[dict]:
    return [
        {c.key: parse_value(c, values[sheet.index(c)]) for c in columns}
        for _row, values in sheet.rows
    ]


def test_an_export_imports_back_to_the_same_values():
    data, count = export(ORGS, [FULL, SPARSE, UNKNOWN_LEVEL])
    assert count == 3
    sheets, problems = read_roster(data, "导出.xlsx", EXPECTED)
    assert problems == []
    assert parsed(sheets[ORG_SHEET], ORG_COLUMNS) == ORGS
    assert parsed(sheets[MEMBER_SHEET], MEMBER_COLUMNS) == [FULL, SPARSE, UNKNOWN_LEVEL]


def test_an_export_stores_dates_as_dates_and_codes_as_text():
    data, _count = export(ORGS, [FULL])
    wb = load_workbook(io.BytesIO(data))
    ws = wb[MEMBER_SHEET]
    assert ws.freeze_panes == "A2"
    row = {c.header: cell for c, cell in zip(MEMBER_COLUMNS, ws[2], strict=True)}
    assert row["入会日期"].value == datetime.datetime(2014, 7, 1)
    assert row["入会日期"].number_format == "yyyy-mm-dd"
    assert row["身份证号"].data_type == "s" and row["身份证号"].number_format == "@"
    assert row["手机"].value == "13800138000" and row["手机"].number_format == "@"
    assert row["性别"].value == "女" and row["学历"].value == "硕士研究生毕业"
    assert row["备注"].data_type == "s"  # a leading "=" is not turned into a formula
    assert wb[ORG_SHEET]["A3"].value == "0101"
    assert wb.sheetnames == [GUIDE_SHEET, ORG_SHEET, MEMBER_SHEET]


def test_an_export_takes_rows_from_generators_and_counts_them():
    def many():
        for n in range(2000):
            yield {**SPARSE, "name": f"成员{n}"}

    data, count = export([], many())
    assert count == 2000
    sheets, _problems = read_roster(data, "导出.xlsx", EXPECTED)
    assert len(sheets[MEMBER_SHEET].rows) == 2000
    assert sheets[ORG_SHEET].rows == []


def test_missing_keys_and_control_characters_do_not_break_an_export():
    data, _count = export([], [{"name": "赵\x07六", "admitted_on": D(2020, 1, 1)}])
    sheets, problems = read_roster(data, "导出.xlsx", EXPECTED)
    assert problems == []
    values = parsed(sheets[MEMBER_SHEET], MEMBER_COLUMNS)[0]
    assert values["name"] == "赵六" and values["is_retired"] is None


def test_an_export_opens_in_openpyxl_with_the_template_look():
    data, _count = export(ORGS, [FULL, SPARSE])
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [GUIDE_SHEET, ORG_SHEET, MEMBER_SHEET]
    assert wb[GUIDE_SHEET]["A1"].value == "同心 · 组织机构与成员名册"
    for name, columns in EXPECTED.items():
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        assert [c.value for c in ws[1]] == [c.header for c in columns]
        for cell, column in zip(ws[1], columns, strict=True):
            assert cell.font.b
            assert (cell.font.color is not None and cell.font.color.rgb == "FFC00000") is (
                column.required
            )
            assert cell.fill.fgColor.rgb == ("FFFFF2CC" if column.required else "FFE7E6E6")
            letter = cell.column_letter
            assert ws.column_dimensions[letter].width == column.width
            fmt = ws.column_dimensions[letter].number_format
            if column.kind == "date":
                assert fmt == "yyyy-mm-dd", column.header
            elif column.kind in ("id_number", "phone", "code"):
                assert fmt == "@", column.header
            else:
                assert fmt == "General", column.header
    ws = wb[MEMBER_SHEET]
    row = {c.header: cell for c, cell in zip(MEMBER_COLUMNS, ws[2], strict=True)}
    assert row["出生日期"].value == datetime.datetime(1949, 12, 31)
    assert row["出生日期"].number_format == "yyyy-mm-dd"
    assert row["身份证号"].value == "11010519491231002X"
    assert row["身份证号"].number_format == "@"
    assert wb[ORG_SHEET]["F2"].number_format == "yyyy-mm-dd"
    assert wb[ORG_SHEET]["A2"].value == "01" and wb[ORG_SHEET]["A2"].number_format == "@"


def test_xml_special_characters_survive_an_export_and_control_characters_are_dropped():
    member = {
        **SPARSE,
        "name": "A&B",
        "work_unit": "<某某> \"大学\" '分校' & 研究所",
        "note": "  前后空格  \n第二行\x01\x1f",
        "job_post": "_x0041_",
    }
    data, _count = export([{**ORGS[0], "name": "市委会 & <直属>"}], [member])
    sheets, problems = read_roster(data, "导出.xlsx", EXPECTED)
    assert problems == []
    (values,) = parsed(sheets[MEMBER_SHEET], MEMBER_COLUMNS)
    assert values["name"] == "A&B"
    assert values["work_unit"] == "<某某> \"大学\" '分校' & 研究所"
    assert values["note"] == "前后空格\n第二行"  # trimmed by the importer; \x01\x1f dropped
    assert values["job_post"] == "_x0041_"
    assert parsed(sheets[ORG_SHEET], ORG_COLUMNS)[0]["name"] == "市委会 & <直属>"
    ws = load_workbook(io.BytesIO(data))[MEMBER_SHEET]
    row = {c.header: cell.value for c, cell in zip(MEMBER_COLUMNS, ws[2], strict=True)}
    assert row["工作单位"] == "<某某> \"大学\" '分校' & 研究所"
    assert row["备注"] == "  前后空格  \n第二行"


def test_a_long_export_with_repeating_and_distinct_values_imports_back_unchanged():
    # Past the writer's cache reviews (every 2,000 rows): columns that repeat and columns that
    # do not, dates, and a list value in a column that is not a list column.
    def member(n):
        return {
            **FULL,
            "name": f"成员{n}",
            "id_number": "",
            "gender": "12"[n % 2],
            "birth_date": D(1950, 1, 1) + datetime.timedelta(days=n),
            "admitted_on": D(2000 + n % 20, 7, 1),
            "phone": f"138{n:08d}",
            "party_posts": ["支部主委"] if n % 3 else [],
            "note": [] if n == 4100 else f"备注{n % 7}",
        }

    members = [member(n) for n in range(4500)]
    data, count = export(ORGS, iter(members))
    assert count == 4500
    sheets, problems = read_roster(data, "导出.xlsx", EXPECTED)
    assert problems == []
    got = parsed(sheets[MEMBER_SHEET], MEMBER_COLUMNS)
    members[4100]["note"] = ""
    assert got == members
