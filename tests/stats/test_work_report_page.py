"""年度工作总结 under 统计分析: the same draft as the command, every number a link to its list;
the Word download and the 年报 workbook are audited exports; another subtree is not found."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.factories import make_member, make_user
from tongxin.audit.models import Event
from tongxin.core.scope import Scope
from tongxin.stats.report import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    make_member(world.branch_a, name="张敏", gender="2", start=date(2015, 1, 1), title_level="2")
    make_member(world.branch_a, name="周明", start=date(2023, 5, 1))
    make_member(world.branch_b, name="王芳", gender="2", start=date(2024, 3, 1), degree="3")
    make_member(world.other_branch, name="曾强", start=date(2015, 1, 1))
    return world


def test_the_page_tells_the_year_with_every_number_a_link(client, records, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("stats:work_report"), {"org": records.city.pk, "year": "2024"})
    assert response.status_code == 200
    body = response.content.decode()
    written = response.context["draft"]
    assert written.year == 2024 and written.org == records.city
    assert "民盟江城市委员会2024年度工作总结" in body
    assert "一、基本情况" in body and "（一）组织建设。" in body and "（二）成员队伍。" in body
    numbers = [p for s in written.sentences for p in s.pieces if p.key]
    assert numbers and all(p.url for p in numbers)
    for piece in numbers:
        assert f'href="{piece.url.replace("&", "&amp;")}" data-figure="{piece.key}"' in body
    # The number links to the list it counts: the roster of the city's members at year end.
    members = next(p for p in numbers if p.key == "members.total" and not p.modifier)
    listed = client.get(members.url)
    assert listed.status_code == 200 and "共 3 人" in listed.content.decode()
    assert "河城" not in "".join(s.text for s in written.sentences)
    assert 'data-testid="tab-work-report"' in body


def test_a_bad_year_is_named_and_nothing_is_drafted(client, records, city_staff):
    client.force_login(city_staff)
    response = client.get(
        reverse("stats:work_report"), {"org": records.city.pk, "year": "二〇二四"}
    )
    assert response.status_code == 200
    assert "年度「二〇二四」无效" in response.content.decode()
    assert response.context["draft"] is None
    refused = client.get(reverse("stats:work_report_docx"), {"org": records.city.pk, "year": "x"})
    assert refused.status_code == 400 and "年度「x」无效" in refused.content.decode()
    assert not Event.objects.filter(kind=Event.Kind.EXPORT).exists()


def test_another_subtree_is_not_found(client, records):
    other = make_user("other_staff", records.other_city)
    client.force_login(other)
    for name in ("stats:work_report", "stats:work_report_docx", "stats:work_report_xlsx"):
        response = client.get(reverse(name), {"org": records.city.pk, "year": "2024"})
        assert response.status_code == 404, name
    assert not Event.objects.filter(kind=Event.Kind.EXPORT).exists()


def test_a_branch_chair_reads_the_own_branch_only(client, records, chair_a):
    client.force_login(chair_a)
    own = client.get(reverse("stats:work_report"), {"org": records.branch_a.pk, "year": "2024"})
    assert own.status_code == 200
    other = client.get(reverse("stats:work_report"), {"org": records.branch_b.pk, "year": "2024"})
    assert other.status_code == 404


def test_the_word_download_is_the_commands_document_and_is_audited(client, records, city_staff):
    client.force_login(city_staff)
    response = client.get(
        reverse("stats:work_report_docx"), {"org": records.city.pk, "year": "2024"}
    )
    assert response.status_code == 200
    assert 'filename="work-report-C1-2024.docx"' in response["Content-Disposition"]
    text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
    written = draft.build(scope=Scope(everything=True), org=records.city, year=2024)
    assert all(s.text in text for s in written.sentences)
    event = Event.objects.get(kind=Event.Kind.EXPORT)
    assert event.user == city_staff
    assert "导出年度工作总结（Word）：民盟江城市委员会（C1），2024年度" in event.summary
    assert event.detail["年度"] == 2024


def test_the_annual_workbook_has_the_reports_tables_with_the_year_before(
    client, records, city_staff
):
    client.force_login(city_staff)
    response = client.get(
        reverse("stats:work_report_xlsx"), {"org": records.city.pk, "year": "2024"}
    )
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    written = draft.build(scope=Scope(everything=True), org=records.city, year=2024)
    assert len(book.sheetnames) == len(written.annual_tables)
    members = next(book[name] for name in book.sheetnames if name.startswith("成员及结构"))
    labels = [members.cell(row=r, column=1).value for r in range(1, 12)]
    assert "2024-12-31" in labels and "上年同期 2023-12-31" in labels and "增减" in labels
    first = labels.index("2024-12-31") + 1
    assert (
        members.cell(row=first, column=2).value
        == written.report.figures["members"]["total"].value
        == 3
    )
    assert Event.objects.get(kind=Event.Kind.EXPORT).summary.startswith("导出年度工作总结年报")


def test_a_user_without_export_sees_the_page_but_no_download(client, records, chair_a):
    client.force_login(chair_a)
    response = client.get(
        reverse("stats:work_report"), {"org": records.branch_a.pk, "year": "2024"}
    )
    assert response.status_code == 200
    can = response.context["can_export"]
    assert ('data-testid="export-docx"' in response.content.decode()) == can
