"""The ranking and the award list as real .xlsx and Word files, each export audited."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.evaluation.helpers import rubric_with
from tests.factories import make_member
from tongxin.audit.models import Event
from tongxin.evaluation import services
from tongxin.evaluation.models import Award

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_round(world, city_staff):
    rubric = rubric_with(
        world.city,
        ("年度工作计划和总结", "", {}, 10),
        ("发展新成员", "new_members", {"per": 4, "bonus": 2}, 20),
    )
    round_ = services.round_open(org=world.city, year=2024, rubric=rubric, today=date(2025, 3, 1))
    make_member(world.branch_b, name="新人", start=date(2024, 5, 1), title_level="1")
    points = {world.branch_a: 9, world.branch_b: 7, world.branch_g1: "8.5", world.general: 5}
    for org, value in points.items():
        score = round_.scores.get(org=org, item__calculator="")
        services.score_review(score=score, points=Decimal(value), by=city_staff)
    services.round_close(round_=round_, by=city_staff)
    services.award_decide(
        award=Award(
            round=round_,
            kind="advanced_branch",
            org=world.branch_b,
            decided_on=date(2025, 1, 20),
            document_no="江盟发〔2025〕3号",
        )  # fmt: skip
    )
    return round_


def _get(client, round_, what, fmt):
    return client.get(reverse("evaluation:export", args=[round_.pk]), {"what": what, "format": fmt})


def test_the_ranking_workbook_lists_every_branch_with_its_points(client, city_staff, closed_round):
    client.force_login(city_staff)
    response = _get(client, closed_round, "ranking", "xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="2024-ranking.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "民盟江城市委员会2024年度支部考评排名"
    assert rows[2] == ("名次", "支部", "其他", "总分", "自评总分")
    assert rows[3:] == [
        (1, "医药卫生支部", 13, 13, None),
        (2, "江城大学第一支部", 9, 9, None),
        (3, "江城大学第二支部", 8.5, 8.5, None),
        (4, "江城大学总支", 5, 5, None),
    ]
    detail = list(book["得分明细"].iter_rows(values_only=True))
    assert ("医药卫生支部", None, "发展新成员", 6, None, None) in detail
    event = Event.objects.get(kind=Event.Kind.EXPORT)
    assert event.summary == "导出「民盟江城市委员会2024年度支部考评」考评排名（Excel）"
    assert event.rows == 4 and event.user == city_staff


def test_the_award_list_is_a_word_document(client, city_staff, closed_round):
    client.force_login(city_staff)
    response = _get(client, closed_round, "awards", "docx")
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "民盟江城市委员会2024年度支部考评表彰名单"
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "表彰名称",
        "类别",
        "受表彰组织或人员",
        "决定日期",
        "文号",
    ]
    assert [c.text for c in table.rows[1].cells] == [
        "先进支部",
        "集体",
        "医药卫生支部",
        "2025年1月20日",
        "江盟发〔2025〕3号",
    ]
    assert Event.objects.get(kind=Event.Kind.EXPORT).summary.endswith("表彰名单（Word）")


def test_the_ranking_in_word_has_the_places(client, city_staff, closed_round):
    client.force_login(city_staff)
    document = Document(io.BytesIO(_get(client, closed_round, "ranking", "docx").content))
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells[1] == ["1", "医药卫生支部", "13", "13", ""]
    assert cells[3] == ["3", "江城大学第二支部", "8.5", "8.5", ""]


def test_an_unknown_export_or_a_reader_without_export_gets_nothing(client, world, closed_round):
    from tests.factories import make_user
    from tongxin.accounts.roles import Role

    reader = make_user("reader", world.city, roles=(Role.READER,))
    client.force_login(reader)
    assert _get(client, closed_round, "ranking", "xlsx").status_code == 403
    staff = make_user("staff", world.city)
    client.force_login(staff)
    assert _get(client, closed_round, "secrets", "xlsx").status_code == 404
    assert not Event.objects.filter(kind=Event.Kind.EXPORT).exists()
