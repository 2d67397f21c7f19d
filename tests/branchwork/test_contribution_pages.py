"""Political participation pages: the list and its filters, the ladder, the forms, the points,
the person-file tab and the exports."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_member
from tongxin.audit.models import Event
from tongxin.branchwork import services
from tongxin.branchwork.models import Adoption, AdoptionRung, Contribution, ContributionKind
from tongxin.core.scope import Scope

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules")]

EVERYTHING = Scope(everything=True)


def _contribution(
    authors=(), orgs=(), *, title, kind=ContributionKind.SOCIAL_REPORT, on, ladder=()
):
    c = services.contribution_save(
        contribution=Contribution(kind=kind, title=title, submitted_on=on, reference="2025-001"),
        authors=authors,
        author_orgs=orgs,
        scope=EVERYTHING,
    )
    for rung, day in ladder:
        services.adoption_save(
            adoption=Adoption(contribution=c, rung=rung, on=day, document=f"{rung}第3期")
        )
    return c


@pytest.fixture
def outputs(world):
    zhang = make_member(world.branch_a, name="张敏")
    wang = make_member(world.branch_b, name="王芳")
    return {
        "zhang": zhang,
        "wang": wang,
        "national": _contribution(
            [zhang],
            title="关于基层医疗人才的建议",
            on=date(2025, 2, 1),
            ladder=[
                (AdoptionRung.PROVINCE, date(2025, 3, 1)),
                (AdoptionRung.NATIONAL_CPPCC, date(2025, 6, 1)),
            ],
        ),
        "article": _contribution(
            [zhang], title="多党合作的思考", kind=ContributionKind.ARTICLE, on=date(2024, 9, 1)
        ),
        "b": _contribution([wang], title="医药卫生支部的建议", on=date(2025, 4, 1)),
    }


def _titles(response):
    return [c.title for c in response.context["page"].object_list]


def test_the_list_filters_by_kind_rung_year_and_branch(client, world, city_staff, outputs):
    client.force_login(city_staff)
    url = reverse("branchwork:contributions")
    assert len(_titles(client.get(url, {"org": world.city.pk}))) == 3
    assert _titles(client.get(url, {"org": world.branch_b.pk})) == ["医药卫生支部的建议"]
    assert _titles(client.get(url, {"org": world.city.pk, "kind": "article"})) == ["多党合作的思考"]
    assert _titles(client.get(url, {"org": world.city.pk, "year": 2024})) == ["多党合作的思考"]
    reached = client.get(url, {"org": world.city.pk, "rung": "national_cppcc", "year": 2025})
    assert _titles(reached) == ["关于基层医疗人才的建议"]
    assert "按“全国政协采用”的日期" in reached.content.decode()
    assert (
        _titles(client.get(url, {"org": world.city.pk, "rung": "national_cppcc", "year": 2024}))
        == []
    )


def test_a_branch_chair_sees_only_the_own_branch(client, world, chair_a, outputs):
    client.force_login(chair_a)
    response = client.get(reverse("branchwork:contributions"))
    assert sorted(_titles(response)) == ["关于基层医疗人才的建议", "多党合作的思考"]
    b = outputs["b"]
    assert client.get(reverse("branchwork:contribution_detail", args=[b.pk])).status_code == 404
    assert (
        client.get(reverse("branchwork:contributions"), {"org": world.branch_b.pk}).status_code
        == 404
    )


def test_the_detail_shows_the_ladder_with_the_points_of_each_rung(client, world, chair_a, outputs):
    client.force_login(chair_a)
    page = client.get(reverse("branchwork:contribution_detail", args=[outputs["national"].pk]))
    ladder = {step["rung"]: step for step in page.context["ladder"]}
    assert ladder["province"]["adoption"].document == "province第3期"
    assert ladder["province"]["points"] == 3
    assert ladder["national_cppcc"]["points"] == 10
    assert ladder["centre"]["adoption"] is None
    assert page.context["total_points"] == 15
    assert page.context["form"] is None  # a chair reads; staff record


def test_staff_record_a_contribution_and_climb_a_rung(client, world, city_staff, outputs):
    zhang, wang = outputs["zhang"], outputs["wang"]
    client.force_login(city_staff)
    response = client.post(
        reverse("branchwork:contribution_create"),
        {
            "kind": ContributionKind.PROPOSAL,
            "title": "关于加强社区养老的提案",
            "submitted_on": "2025-03-01",
            "channel": "江城市政协提案",
            "authors": [zhang.pk],
            "co_signers": [wang.pk],
        },
        follow=True,
    )
    assert "已登记提案「关于加强社区养老的提案」" in response.content.decode()
    proposal = Contribution.objects.get(title="关于加强社区养老的提案")
    response = client.post(
        reverse("branchwork:adoption_create", args=[proposal.pk]),
        {"rung": "key", "on": "2025-04-01", "document": "市政协重点提案第5号"},
        follow=True,
    )
    assert "已记录「关于加强社区养老的提案」列为重点提案或大会发言" in response.content.decode()
    assert response.context["total_points"] == 14
    refused = client.post(
        reverse("branchwork:adoption_create", args=[proposal.pk]),
        {"rung": "centre", "on": "2025-01-01", "document": "x"},
        follow=True,
    )
    assert "未记录采用：" in refused.content.decode()
    assert "不能早于报送日期（2025-03-01）" in refused.content.decode()
    assert proposal.adoptions.count() == 1


def test_a_contribution_with_an_author_outside_the_scope_is_not_changed_from_inside(
    client, world, staff_a, outputs
):
    zhang, wang = outputs["zhang"], outputs["wang"]
    shared = _contribution([zhang, wang], title="两个支部合写的建议", on=date(2025, 5, 1))
    client.force_login(staff_a)
    assert (
        client.get(reverse("branchwork:contribution_detail", args=[shared.pk])).status_code == 200
    )
    assert client.get(reverse("branchwork:contribution_edit", args=[shared.pk])).status_code == 403
    response = client.post(reverse("branchwork:contribution_delete", args=[shared.pk]))
    assert response.status_code == 403
    assert Contribution.objects.filter(pk=shared.pk).exists()


def test_the_points_page_lists_what_earned_the_total(client, world, city_staff, outputs):
    client.force_login(city_staff)
    page = client.get(reverse("branchwork:points"), {"org": world.branch_a.pk, "year": 2025})
    assert page.context["points"].total == 15
    assert [row.label for row in page.context["points"].rows] == [
        "全国政协采用",
        "省委会或统战部采用",
        "报送",
    ]
    person = client.get(reverse("branchwork:points"), {"person": outputs["zhang"].pk, "year": 2024})
    assert person.context["points"].total == 3  # the article


def test_the_person_file_has_a_political_participation_tab(client, world, city_staff, outputs):
    client.force_login(city_staff)
    page = client.get(
        reverse("people:detail", args=[outputs["zhang"].pk]), {"tab": "contributions"}
    )
    assert [c.title for c in page.context["tab_contributions"]] == [
        "关于基层医疗人才的建议",
        "多党合作的思考",
    ]
    assert page.context["tab_points_by_year"] == [(2025, 15), (2024, 3)]
    assert page.context["tab_points_total"] == 18


def test_the_list_exports_to_xlsx_and_the_export_is_audited(client, world, city_staff, outputs):
    client.force_login(city_staff)
    response = client.get(
        reverse("branchwork:contributions_export"), {"org": world.city.pk, "year": 2025}
    )
    assert response.status_code == 200
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    sheet = book["参政议政成果"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["报送日期", "类别", "标题"]
    rows = {
        r[2]: dict(zip(header, r, strict=False))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert set(rows) == {"关于基层医疗人才的建议", "医药卫生支部的建议"}
    national = rows["关于基层医疗人才的建议"]
    assert national["作者"] == "张敏"
    assert national["作者所在组织"] == "江城大学第一支部"
    assert national["全国政协采用"] == "2025-06-01 national_cppcc第3期"
    event = Event.objects.get(kind="export")
    assert (event.user, event.rows) == (city_staff, 2)
    assert "参政议政成果 2 项" in event.summary


def test_a_branchs_points_export_to_xlsx(client, world, city_staff, outputs):
    client.force_login(city_staff)
    response = client.get(
        reverse("branchwork:points_export"), {"org": world.branch_a.pk, "year": 2025}
    )
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    rows = list(book["积分明细"].iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in rows[:-1]] == ["全国政协采用", "省委会或统战部采用", "报送"]
    assert rows[-1][0] == "合计" and rows[-1][5] == 15
    assert Event.objects.get(kind="export").rows == 3


def test_a_reader_cannot_export(client, world, outputs):
    from tests.factories import make_user
    from tongxin.accounts.roles import Role

    reader = make_user("reader_a", world.branch_a, roles=(Role.READER,))
    client.force_login(reader)
    assert client.get(reverse("branchwork:contributions_export")).status_code == 403
    assert client.get(reverse("branchwork:points_export")).status_code == 403
    assert not Event.objects.filter(kind="export").exists()
