"""Hostile files through the whole import: each gets a Chinese reason and writes nothing."""

import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from tests.io.helpers import MEMBER_HEADERS, member, workbook_bytes
from tongxin.core.scope import Scope
from tongxin.io import importer
from tongxin.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sheet_reading")]


def xlsx(build) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "成员名册"
    build(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cells(**by_header) -> list:
    """A member row in header order, with the given cells filled."""
    return [by_header.get(h) for h in MEMBER_HEADERS]


def header_on_row_three(ws):
    ws.append(["江城市民盟成员名册"])
    ws.append([])
    ws.append(MEMBER_HEADERS)
    ws.append(cells(姓名="张敏", 入会日期="2015-01-01", 所在组织编码="C1-A"))


def merged_header(ws):
    ws.append(MEMBER_HEADERS)
    ws.merge_cells("A1:B1")


def formulas(ws):
    ws.append(MEMBER_HEADERS)
    ws.append(cells(姓名="张敏", 入会日期="=DATE(2015,1,1)", 所在组织编码="C1-A"))


def id_as_number(ws):
    ws.append(MEMBER_HEADERS)
    ws.append(
        cells(姓名="张敏", 身份证号=110105194912310000, 入会日期="2015-01-01", 所在组织编码="C1-A")
    )


def broken_zip() -> bytes:
    return workbook_bytes(members=[member("张敏", "C1-A")])[:400]


def encrypted() -> bytes:
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 2000


def zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return out.getvalue()


CASES = {
    "not a workbook": (b"%PDF-1.7 not a workbook", "名册.xlsx", "不是"),
    "password protected": (encrypted(), "名册.xlsx", "密码"),
    "corrupt": (broken_zip(), "名册.xlsx", "损坏"),
    "a zip that is no workbook": (zip_without_workbook(), "名册.xlsx", ""),
    "empty sheet": (xlsx(lambda ws: None), "名册.xlsx", "空"),
    "missing required column": (
        workbook_bytes(members=[{"姓名": "张敏"}], member_headers=["姓名", "入会日期"]),
        "名册.xlsx",
        "所在组织编码",
    ),
    "header on the wrong row": (xlsx(header_on_row_three), "名册.xlsx", "第3行"),
    "merged header cells": (xlsx(merged_header), "名册.xlsx", "合并"),
    "formulas": (xlsx(formulas), "名册.xlsx", "公式"),
    "ID number typed as a number": (xlsx(id_as_number), "名册.xlsx", "数字"),
    "CSV in an unknown encoding": ("姓名,入会日期\n".encode("utf-16"), "名册.csv", ""),
    "CSV with a cell too long for the reader": (
        ("姓名,入会日期,所在组织编码\n张敏," + "x" * 200_000 + ",C1-A\n").encode(),
        "名册.csv",
        "第 2 行有一个格子的内容过长",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_file_is_refused_with_a_chinese_reason_and_writes_nothing(world, case):
    data, name, word = CASES[case]
    plan = importer.check(
        data=data, filename=name, scope=Scope(everything=True), effective_date=date(2025, 1, 1)
    )
    assert plan.errors, case
    reasons = " ".join(e["reason"] for e in plan.errors)
    assert word in reasons, reasons
    assert any("\u4e00" <= ch <= "\u9fff" for ch in reasons)
    assert not Person.objects.exists()


def test_a_gb18030_csv_imports(world):
    text = "姓名,入会日期,所在组织编码,工作单位\n张敏,2015/1/1,C1-A,江城大学\n"
    plan = importer.check(
        data=text.encode("gb18030"),
        filename="名册.csv",
        scope=Scope(everything=True),
        effective_date=date(2025, 1, 1),
    )
    assert plan.errors == []
    assert plan.members[0].values["work_unit"] == "江城大学"


def test_a_utf8_csv_with_bom_imports(world):
    text = "\ufeff姓名,入会日期,所在组织编码\n张敏,2015-01-01,C1-A\n"
    plan = importer.check(
        data=text.encode("utf-8"),
        filename="名册.csv",
        scope=Scope(everything=True),
        effective_date=date(2025, 1, 1),
    )
    assert plan.errors == [] and plan.created == 1


def test_full_width_digits_and_spaces_are_read(world):
    data = workbook_bytes(
        members=[member("张　敏 ", "Ｃ1-A".replace("Ｃ", "C"), 入会日期="２０１５年１月１日")],
        org_sheet=False,
    )
    plan = importer.check(
        data=data, filename="x.xlsx", scope=Scope(everything=True), effective_date=date(2025, 1, 1)
    )
    assert plan.errors == []
    assert plan.members[0].values["admitted_on"] == date(2015, 1, 1)
