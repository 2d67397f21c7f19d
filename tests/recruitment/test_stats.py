"""The recruitment section of the statistics: each figure counts exactly the records of the list
it links to, and a plan's progress is the same figures."""

import json
import re
from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_member, make_user
from tests.recruitment.helpers import apply, candidate, introducers, walk
from tongxin.core.figures import Figure, leaves, values
from tongxin.core.scope import Scope
from tongxin.recruitment import selectors, services
from tongxin.recruitment.models import DevelopmentPlan, PlanTarget, Programme, Rule
from tongxin.recruitment.stats import plans_section, recruitment_section

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 12, 31)
PERIOD = date(2025, 1, 1)


@pytest.fixture
def data(world):
    staff = make_user("city_staff", world.city)
    sponsors = introducers(world.branch_a)
    programme = Programme.objects.create(
        org=world.city, name="百名优才入会工程", start_year=2025, end_year=2029
    )
    walk(apply(candidate(name="林新"), world.branch_a, staff, programme=programme), staff, sponsors)
    walk(
        apply(
            candidate(
                name="韩雪",
                title="助理工程师",
                title_level="4",
                degree="4",
                education="21",
                sector="science",
                birth_date=date(1990, 3, 1),
            ),
            world.branch_g1,
            staff,
            reasons={Rule.objects.get(name="一般应具有中级及以上职称").pk: "青年骨干"},
        ),
        staff,
        sponsors,
    )
    walk(apply(candidate(name="周立"), world.branch_b, staff), staff, sponsors, until="介绍人")
    # Admitted through the roster, without an application: a new member all the same.
    make_member(
        world.branch_b,
        name="钱进",
        start=date(2025, 3, 1),
        title_level="1",
        degree="2",
        sector="education",
        upper_middle=True,
    )
    # Outside the period and outside the city: not counted.
    make_member(world.branch_a, name="旧成员", start=date(2024, 6, 1))
    make_member(world.other_branch, name="河城新人", start=date(2025, 5, 1))
    return {"staff": staff, "programme": programme}


def section(world, key="recruitment"):
    [found] = [s for s in (recruitment_section, plans_section) if s.key == key]
    return found.compute(
        scope=Scope(everything=True), org=world.city, as_of=AS_OF, period_start=PERIOD
    )


def test_the_section_counts_applications_and_new_members_with_their_quality(world, data, settings):
    settings.TONGXIN_UPPER_MIDDLE_TITLE_LEVEL = "副高级"
    settings.TONGXIN_UPPER_MIDDLE_RANK = ""
    settings.TONGXIN_UPPER_MIDDLE_DEGREE = ""
    admitted = values(section(world))
    json.dumps(admitted, ensure_ascii=False)  # the JSON form of manage.py stats
    assert admitted["in_progress"] == 1
    assert admitted["by_step"]["介绍人"] == 1
    assert admitted["admitted"] == 3
    assert admitted["title_level"] == {"正高级": 1, "副高级": 1, "中级": 0, "初级": 1, "无": 0}
    assert (admitted["mid_title_or_above"], admitted["senior_title"]) == (2, 2)
    assert admitted["degree"] == {"博士": 1, "硕士": 1, "学士": 1}
    assert admitted["postgraduate"] == 2
    assert admitted["sector"]["教育"] == 2 and admitted["sector"]["科学技术"] == 1
    assert admitted["programmes"] == {"百名优才入会工程": 1}
    # 钱进 is set as 中上层人士; 林新 (副教授) is one by the rule, 韩雪 (助理级) is not.
    assert admitted["upper_middle"] == 2
    # Ages at admission: 林新 39 (2025-08-24), 韩雪 35, 钱进 49 (2025-03-01).
    assert admitted["average_age"] == round((39 + 35 + 49) / 3, 1)


def test_every_count_drills_down_to_a_list_of_exactly_its_records(client, world, data):
    client.force_login(data["staff"])
    checked = 0
    both = {**section(world), **section(world, "recruitment_plans")}
    for path, figure in leaves(both):
        if not (isinstance(figure, Figure) and figure.is_count and figure.url):
            continue
        response = client.get(figure.url)
        assert response.status_code == 200, path
        (shown,) = re.findall(r'data-count="(\d+)"', response.content.decode())
        assert int(shown) == figure.value == figure.records.count(), path
        page = response.context.get("page")
        if page is not None and figure.records.model.__name__ == "Person":
            listed = {row.pk for row in page.object_list}
            assert listed == set(figure.records.values_list("pk", flat=True)), path
        checked += 1
    assert checked > 20


def test_a_plans_progress_is_the_sections_figures(client, world, data):
    plan = services.plan_save(
        plan=DevelopmentPlan(
            org=world.city,
            start_year=2025,
            end_year=2025,
            title="2025年发展计划",
            created_by=data["staff"],
        ),
        targets=[
            PlanTarget(kind="total", value=4),
            PlanTarget(kind="mid_title_share", value=60),
            PlanTarget(kind="max_average_age", value=40),
            PlanTarget(kind="programme_count", value=1, programme=data["programme"]),
            PlanTarget(kind="branch", value=1, org=world.branch_g1),
            PlanTarget(kind="sector_count", value=2, sectors="education、health"),
        ],
    )
    admitted = section(world)
    progress = {
        p.target.kind: p
        for p in selectors.plan_progress(scope=Scope(everything=True), plan=plan, on=AS_OF)
    }
    assert progress["total"].actual.value == admitted["admitted"].value == 3
    assert progress["mid_title_share"].actual.value == round(2 * 100 / 3, 1)
    assert progress["mid_title_share"].part.value == admitted["mid_title_or_above"].value
    assert progress["max_average_age"].actual.value == admitted["average_age"].value
    assert (
        progress["programme_count"].actual.value == admitted["programmes"]["百名优才入会工程"].value
    )
    assert progress["branch"].actual.value == 1
    assert progress["sector_count"].actual.value == 2
    assert [progress[k].status for k in ("total", "mid_title_share", "max_average_age")] == [
        "behind",
        "met",
        "behind",
    ]
    in_section = section(world, "recruitment_plans")["2025年发展计划 · 发展总数"]
    assert (in_section["target"].value, in_section["actual"].value) == (4.0, 3)
    # The plan page shows the same numbers, and each links to its list.
    client.force_login(data["staff"])
    page = client.get(reverse("recruitment:plan", args=[plan.pk]), {"as_of": AS_OF.isoformat()})
    shown = {p.target.kind: p for p in page.context["progress"]}
    assert shown["total"].actual.value == 3
    listed = client.get(shown["programme_count"].actual.url)
    assert [p.name for p in listed.context["page"].object_list] == ["林新"]


def test_a_plan_is_behind_its_schedule_only_pro_rata(world, data):
    plan = services.plan_save(
        plan=DevelopmentPlan(
            org=world.city, start_year=2025, end_year=2025, title="计划", created_by=data["staff"]
        ),
        targets=[PlanTarget(kind="total", value=12)],
    )
    scope = Scope(everything=True)
    # By the end of April a third of the year has passed: one admission (钱进) is behind 4.
    [april] = selectors.plan_progress(scope=scope, plan=plan, on=date(2025, 4, 30))
    assert (april.actual.value, april.status) == (1, "behind")
    [january] = selectors.plan_progress(scope=scope, plan=plan, on=date(2025, 1, 20))
    assert (january.actual.value, january.status) == (0, "on_track")
    assert list(selectors.plans_behind(scope=scope, org=world.city, on=date(2025, 4, 30))) == [plan]


def test_the_section_reads_through_the_scope(world, data):
    branch_a = Scope.of([world.branch_a.path])
    recruitment = recruitment_section
    figures = values(
        recruitment.compute(scope=branch_a, org=world.branch_a, as_of=AS_OF, period_start=PERIOD)
    )
    assert figures["admitted"] == 1  # 林新 only
    assert figures["in_progress"] == 0


def test_a_plan_with_a_branch_outside_its_committee_is_refused(world, data):
    with pytest.raises(Exception) as refused:
        services.plan_save(
            plan=DevelopmentPlan(
                org=world.city,
                start_year=2026,
                end_year=2026,
                title="计划",
                created_by=data["staff"],
            ),
            targets=[
                PlanTarget(kind="total", value=3),
                PlanTarget(kind="branch", value=1, org=world.other_branch),
            ],
        )
    assert "第 2 项指标：「河城直属支部」不在「民盟江城市委员会」之下" in str(refused.value)
    assert not DevelopmentPlan.objects.filter(start_year=2026).exists()
