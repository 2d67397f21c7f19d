"""统计分析 as users see it: the report tables with the year-earlier figures, the dashboard, the
exports, and the scope of each."""

import json
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role
from tongxin.audit.models import Event

pytestmark = pytest.mark.django_db
AS_OF = "2024-12-31"


@pytest.fixture
def members(world):
    make_member(world.branch_a, name="张敏", gender="2", start=date(2020, 1, 1), title_level="3")
    make_member(world.branch_a, name="周明", start=date(2024, 3, 1))
    make_member(world.branch_b, name="王芳", gender="2", start=date(2015, 1, 1))
    make_member(world.other_branch, name="曾强", start=date(2015, 1, 1))
    return world


def test_the_report_shows_every_table_with_last_year_and_the_change(client, members, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("stats:report"), {"org": members.city.pk, "as_of": AS_OF})
    assert response.status_code == 200
    body = response.content.decode()
    report = response.context["report"]
    keys = {table.section.key for table in report.tables}
    core = {"organizations", "members", "flows", "new_members", "political_arrangements"}
    assert core <= keys  # and the sections other apps register
    first = next(t for t in report.tables if t.section.key == "members")
    rows = {row.kind: row for row in first.rows}
    assert [c.text for c in rows["current"].cells][:2] == ["3", "2"]  # members, women
    assert [c.text for c in rows["previous"].cells][:2] == ["2", "2"]
    assert [c.text for c in rows["change"].cells][:2] == ["+1", "0"]
    assert rows["share"].cells[1].text == "66.7"  # 女性占比
    upper = next(t for t in report.tables if ("upper_middle",) in [c.path for c in t.columns])
    position = [c.path for c in upper.columns].index(("upper_middle",))
    assert {r.kind: r for r in upper.rows}["share"].cells[position].text == "33.3"  # 中上层人士占比
    assert "上年同期 2023-12-31" in body and "增减" in body and "占比（%）" in body
    # Multi-level header: a breakdown's label spans its categories.
    assert 'colspan="5">年龄结构</th>' in body
    assert "民盟河城市委员会" not in body  # another city is not counted, nor offered


def test_the_report_of_a_branch_counts_the_branch_only(client, members, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("stats:report"), {"org": members.branch_a.pk, "as_of": AS_OF})
    assert response.context["report"].figures["members"]["total"].value == 2


def test_a_branch_chair_sees_the_own_branch_and_no_other(client, members, chair_a):
    client.force_login(chair_a)
    response = client.get(reverse("stats:report"), {"as_of": AS_OF})
    assert response.status_code == 200
    assert response.context["org"] == members.branch_a
    assert response.context["report"].figures["members"]["total"].value == 2
    options = [node["label"].strip() for node in response.context["nodes"]]
    assert options == ["江城大学第一支部"]
    for name in ("stats:report", "stats:dashboard", "stats:export_xlsx", "stats:export_json"):
        for org in (members.city, members.branch_b, members.other_city):
            answer = client.get(reverse(name), {"org": org.pk, "as_of": AS_OF})
            assert answer.status_code == 404, (name, org)


def test_a_user_of_another_subtree_gets_404_for_a_node_outside_it(client, members):
    other = make_user("other_staff", members.other_city)
    client.force_login(other)
    for name in ("stats:report", "stats:dashboard", "stats:export_xlsx", "stats:export_json"):
        assert client.get(reverse(name), {"org": members.city.pk}).status_code == 404
    mine = client.get(reverse("stats:report"), {"org": members.other_city.pk, "as_of": AS_OF})
    assert mine.context["report"].figures["members"]["total"].value == 1


def test_a_reader_sees_the_report_but_may_not_export(client, members):
    reader = make_user("reader", members.city, roles=(Role.READER,))
    client.force_login(reader)
    assert client.get(reverse("stats:report")).status_code == 200
    assert "导出 Excel" not in client.get(reverse("stats:report")).content.decode()
    assert client.get(reverse("stats:export_xlsx")).status_code == 403


def test_bad_dates_are_named_in_chinese_and_nothing_is_counted(client, members, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("stats:report"), {"as_of": "2024-02-30"})
    assert response.context["report"] is None
    assert "统计截止日期：请填写有效的日期" in response.content.decode()
    response = client.get(
        reverse("stats:report"), {"as_of": "2024-06-30", "period_start": "2024-07-01"}
    )
    assert "变动期间的开始日期（2024-07-01）不能晚于统计截止日期（2024-06-30）" in (
        response.content.decode()
    )
    refused = client.get(reverse("stats:export_xlsx"), {"as_of": "x"})
    assert refused.status_code == 400 and "导出条件有误" in refused.content.decode()
    assert not Event.objects.filter(kind=Event.Kind.EXPORT).exists()


def test_the_workbook_has_a_sheet_a_table_with_merged_headers(client, members, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("stats:export_xlsx"), {"org": members.city.pk, "as_of": AS_OF})
    assert response.status_code == 200
    assert 'filename="stats-C1-20241231.xlsx"' in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    titles = book.sheetnames
    assert titles[0] == "组织" and "成员变动" in titles and len(titles) >= 8
    sheet = book["成员变动"]
    assert sheet["A1"].value == "成员变动"
    assert "民盟江城市委员会（C1）" in sheet["A2"].value and "2024年12月31日" in sheet["A2"].value
    assert [sheet.cell(row=3, column=c).value for c in range(1, 4)] == ["项目", "入会", "转入"]
    assert sheet["A4"].value == "2024-12-31" and sheet["B4"].value == 1
    assert sheet["A6"].value == "增减"
    structure = book[next(t for t in titles if "年龄结构" in t)]
    merged = {str(r) for r in structure.merged_cells.ranges}
    assert "A3:A4" in merged  # 项目 spans both header rows
    assert any(r.startswith("F3:") for r in merged)  # 年龄结构 spans its bands
    assert structure["B5"].value == 3
    event = Event.objects.get(kind=Event.Kind.EXPORT)
    assert event.user == city_staff and "导出统计报表（Excel）：民盟江城市委员会" in event.summary


def test_the_json_export_is_the_object_of_stats_md(client, members, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("stats:export_json"), {"org": members.city.pk, "as_of": AS_OF})
    data = json.loads(response.content)
    assert data["org"] == "C1" and data["members"]["total"] == 3
    assert data["flows"]["admitted"] == 1
    assert Event.objects.get(kind=Event.Kind.EXPORT).detail["组织编码"] == "C1"


def test_the_dashboard_draws_each_chart_with_its_table(client, members, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("stats:dashboard"), {"org": members.city.pk, "as_of": AS_OF})
    keys = [chart.key for chart in response.context["charts"]]
    assert keys == [
        "members-trend", "age-pyramid", "education", "title-level", "sector", "branches",
        "new-members",
    ]  # fmt: skip
    trend = dict(response.context["charts"][0].rows)
    assert trend["2024"][0].value == 3 and trend["2023"][0].value == 2
    assert trend["2015"][0].value == 1
    body = response.content.decode()
    assert body.count('data-testid="chart"') == 7 and "数据" in body
    assert "echarts.min.js" in body and "<script>" not in body


def test_the_workbench_shows_charts_to_those_who_see_dashboards(
    client, members, city_staff, chair_a
):
    client.force_login(city_staff)
    body = client.get(reverse("workbench")).content.decode()
    assert 'data-testid="workbench-charts"' in body and "近十年年末成员数" in body
    client.force_login(chair_a)
    body = client.get(reverse("workbench")).content.decode()
    assert "workbench-charts" not in body and "echarts" not in body
