"""The activity pages: a branch chair records the own branch's activities with attendance; staff
anywhere in scope; nobody outside it."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role
from tongxin.branchwork import services
from tongxin.branchwork.models import Activity, ActivityKind
from tongxin.core.scope import Scope

pytestmark = pytest.mark.django_db

DAY = date(2025, 4, 10)


def _post(client, org, expected, present, **fields):
    data = {
        "org": org.pk,
        "date": DAY.isoformat(),
        "kind": ActivityKind.SOCIAL_SERVICE,
        "title": "义诊进社区",
        "place": "红星社区",
        "partners": "江城市第一人民医院",
        "summary": "为居民义诊",
        "expected": [p.pk for p in expected],
        "present": [p.pk for p in present],
        **fields,
    }
    return client.post(reverse("branchwork:activity_create"), data)


def test_a_branch_chair_records_an_activity_with_attendance(client, world, chair_a):
    zhang = make_member(world.branch_a, name="张敏")
    wang = make_member(world.branch_a, name="王芳")
    client.force_login(chair_a)
    page = client.get(reverse("branchwork:activity_create"))
    assert page.status_code == 200
    # The roster of the own branch, everyone expected to begin with.
    assert [p.name for p in page.context["roster"]] == ["王芳", "张敏"]
    assert page.context["expected"] == {zhang.pk, wang.pk}
    response = _post(client, world.branch_a, [zhang, wang], [zhang])
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("branchwork:activity_detail", args=[activity.pk])
    assert activity.recorded_by == chair_a
    detail = client.get(response["Location"])
    assert "已保存活动「义诊进社区」：应到 2 人，实到 1 人" in detail.content.decode()
    assert [p.name for p in detail.context["present"]] == ["张敏"]
    assert [p.name for p in detail.context["absent"]] == ["王芳"]


def test_a_branch_chair_cannot_record_for_another_branch(client, world, chair_a):
    other = make_member(world.branch_b, name="王芳")
    client.force_login(chair_a)
    response = _post(client, world.branch_b, [other], [other])
    assert response.status_code == 200
    assert "org" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_someone_not_on_the_roster_is_named_and_nothing_is_saved(client, world, city_staff):
    zhang = make_member(world.branch_a, name="张敏")
    stranger = make_member(world.branch_g1, name="周明")
    client.force_login(city_staff)
    response = _post(client, world.branch_a, [zhang, stranger], [stranger])
    assert response.status_code == 200
    assert "周明 在 2025-04-10 不在「江城大学第一支部」的名册中" in response.content.decode()
    # The ticks survive the error.
    assert response.context["present"] == {stranger.pk}
    assert not Activity.objects.exists()


def test_a_reader_may_look_but_not_record(client, world):
    reader = make_user("reader_a", world.branch_a, roles=(Role.READER,))
    client.force_login(reader)
    assert client.get(reverse("branchwork:activities")).status_code == 200
    assert client.get(reverse("branchwork:activity_create")).status_code == 403


def test_the_roster_partial_follows_the_date_and_keeps_the_ticks(client, world, chair_a):
    early = make_member(world.branch_a, name="张敏", start=date(2020, 1, 1))
    late = make_member(world.branch_a, name="李新", start=date(2025, 5, 1))
    client.force_login(chair_a)
    url = reverse("branchwork:activity_roster")
    before = client.get(url, {"org": world.branch_a.pk, "date": "2025-04-10"})
    assert [p.name for p in before.context["roster"]] == ["张敏"]
    after = client.get(
        url,
        {"org": world.branch_a.pk, "date": "2025-06-01", "expected": [early.pk], "present": []},
    )
    assert [p.name for p in after.context["roster"]] == ["李新", "张敏"]
    assert after.context["expected"] == {early.pk}
    # Another organization keeps none of the ticks: everyone expected afresh.
    assert (
        late.pk
        in client.get(
            url, {"org": world.branch_a.pk, "date": "2025-06-01", "expected": [99999]}
        ).context["expected"]
    )
    assert client.get(url, {"org": world.branch_b.pk, "date": "2025-06-01"}).status_code == 404


def test_editing_changes_the_list(client, world, chair_a):
    zhang = make_member(world.branch_a, name="张敏")
    wang = make_member(world.branch_a, name="王芳")
    activity = services.activity_save(
        activity=Activity(org=world.branch_a, date=DAY, kind=ActivityKind.STUDY, title="学习会"),
        expected=[zhang.pk, wang.pk],
        present=[zhang.pk],
        scope=Scope(everything=True),
    )
    client.force_login(chair_a)
    page = client.get(reverse("branchwork:activity_edit", args=[activity.pk]))
    assert (page.context["expected"], page.context["present"]) == ({zhang.pk, wang.pk}, {zhang.pk})
    response = client.post(
        reverse("branchwork:activity_edit", args=[activity.pk]),
        {
            "org": world.branch_a.pk,
            "date": DAY.isoformat(),
            "kind": ActivityKind.STUDY,
            "title": "学习会",
            "expected": [zhang.pk, wang.pk],
            "present": [zhang.pk, wang.pk],
        },
    )
    assert response.status_code == 302
    assert activity.attendance.filter(present=True).count() == 2


def test_the_list_filters_by_kind_and_period_and_counts_attendance(client, world, city_staff):
    zhang = make_member(world.branch_a, name="张敏")
    everything = Scope(everything=True)
    for day, kind, title in (
        (date(2024, 11, 1), ActivityKind.STUDY, "去年的学习"),
        (date(2025, 3, 1), ActivityKind.STUDY, "今年的学习"),
        (date(2025, 5, 1), ActivityKind.FORUM, "座谈会"),
    ):
        services.activity_save(
            activity=Activity(org=world.branch_a, date=day, kind=kind, title=title),
            expected=[zhang.pk],
            present=[zhang.pk],
            scope=everything,
        )
    client.force_login(city_staff)
    url = reverse("branchwork:activities")
    found = client.get(url, {"org": world.city.pk, "kind": "study", "year": 2025})
    assert [a.title for a, *_ in found.context["rows"]] == ["今年的学习"]
    assert found.context["rows"][0][1:] == (1, 1)
    period = client.get(url, {"org": world.city.pk, "from": "2025-01-01", "to": "2025-12-31"})
    assert period.context["page"].paginator.count == 2
    bad = client.get(url, {"org": world.city.pk, "from": "2025-13-01"})
    assert "以下筛选条件无效" in bad.content.decode()
    assert bad.context["page"].paginator.count == 3


def test_pages_of_another_subtree_answer_404(client, world, chair_a):
    zhang = make_member(world.branch_b, name="王芳")
    activity = services.activity_save(
        activity=Activity(org=world.branch_b, date=DAY, kind=ActivityKind.STUDY, title="B的学习"),
        expected=[zhang.pk],
        present=[],
        scope=Scope(everything=True),
    )
    client.force_login(chair_a)
    for name in ("activity_detail", "activity_edit"):
        assert client.get(reverse(f"branchwork:{name}", args=[activity.pk])).status_code == 404
    assert client.post(reverse("branchwork:activity_delete", args=[activity.pk])).status_code == 404
    assert (
        client.get(reverse("branchwork:activities"), {"org": world.branch_b.pk}).status_code == 404
    )
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_the_organization_page_has_an_activities_tab(client, world, chair_a):
    zhang = make_member(world.branch_a, name="张敏")
    services.activity_save(
        activity=Activity(org=world.branch_a, date=DAY, kind=ActivityKind.STUDY, title="读书会"),
        expected=[zhang.pk],
        present=[zhang.pk],
        scope=Scope(everything=True),
    )
    client.force_login(chair_a)
    page = client.get(reverse("orgs:detail", args=[world.branch_a.pk]), {"tab": "activities"})
    body = page.content.decode()
    assert "读书会" in body
    assert "记录活动" in body
