"""Staff record an organization's facts one at a time: each form goes through the services the
registry import uses, says what is wrong in Chinese and then writes nothing, is audited, and
shows in the figures of the ``coverage`` section."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from tests.coverage.helpers import make_district, make_new_org
from tests.factories import make_member, make_org, make_user
from tongxin.core.scope import Scope
from tongxin.coverage import services
from tongxin.coverage.models import (
    InstructorAssignment,
    InstructorVisit,
    MassKind,
    MassOrganization,
    NewOrganization,
    PartyForm,
    PartyMemberCount,
    PartyOrgForm,
    make_credit_code,
)
from tongxin.coverage.selectors import Gap
from tongxin.coverage.stats import compute

pytestmark = pytest.mark.django_db

FOUNDED = date(2018, 5, 1)


@pytest.fixture
def district():
    root, east, west, communities = make_district()
    home = communities["TQ0101"]
    there = communities["TQ0201"]
    mine = make_new_org(home, name="东一社区某科技有限公司", founded=FOUNDED)
    theirs = make_new_org(there, name="西一社区某物流有限公司", founded=FOUNDED)
    return {
        "root": root,
        "east": east,
        "west": west,
        "home": home,
        "there": there,
        "mine": mine,
        "theirs": theirs,
    }


@pytest.fixture
def staff(client, district):
    user = make_user("east_staff", district["east"])
    client.force_login(user)
    return user


def figures(district, on, org=None):
    return compute(
        scope=Scope(everything=True),
        org=org or district["east"],
        as_of=on,
        period_start=on.replace(month=1, day=1),
    )


def errors_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def facts(new_org):
    """Everything the forms may write about ``new_org``."""
    return (
        list(NewOrganization.objects.filter(pk=new_org.pk).values()),
        list(PartyOrgForm.objects.filter(new_org=new_org).values()),
        list(MassOrganization.objects.filter(new_org=new_org).values()),
        list(PartyMemberCount.objects.filter(new_org=new_org).values()),
        list(InstructorAssignment.objects.filter(new_org=new_org).values()),
        list(InstructorVisit.objects.filter(new_org=new_org).values()),
    )


# --- registering by hand -------------------------------------------------------------------


def registration(area, code, **extra):
    return {
        "credit_code": code,
        "name": "东一社区新登记餐饮有限公司",
        "kind": "enterprise",
        "area": area.pk,
        "industry": "餐饮",
        "employees": "120",
        "above_size": "on",
        "founded": "2021-03-01",
        **extra,
    }


def test_a_bad_credit_code_is_refused_naming_the_field(client, district, staff):
    url = reverse("coverage:create") + f"?org={district['east'].pk}"
    before = NewOrganization.objects.count()
    good = make_credit_code(777001)
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    body = errors_of(client.post(url, registration(district["home"], wrong_check)))
    assert 'data-testid="error-credit_code"' in body
    assert "统一社会信用代码" in body and "校验码不对" in body
    # Told beside the other fields' errors, each on its field.
    body = errors_of(client.post(url, {"credit_code": "9131010112345", "kind": "shop"}))
    assert "应为18位，现为13位" in body
    assert "请填写名称" in body and "类型“shop”不是可选项" in body and "请选择所在组织" in body
    # The code of an organization already registered, even in another street's area.
    taken = district["theirs"].credit_code
    body = errors_of(client.post(url, registration(district["home"], taken)))
    assert "已经登记过，不能重复登记" in body and "西一社区" not in body
    assert NewOrganization.objects.count() == before


def test_registering_by_hand_counts_and_is_audited(client, district, staff):
    on = date(2022, 1, 1)
    before = figures(district, on)
    earlier = figures(district, date(2020, 12, 31))["registered"].value
    code = make_credit_code(777002)
    url = reverse("coverage:create") + f"?org={district['east'].pk}"
    response = client.post(url, registration(district["home"], code))
    new_org = NewOrganization.objects.get(credit_code=code)
    assert response.status_code == 302
    assert response["Location"] == reverse("coverage:detail", args=[new_org.pk])
    assert (new_org.area, new_org.employees, new_org.above_size) == (district["home"], 120, True)
    entry = LogEntry.objects.get_for_object(new_org).get(action=LogEntry.Action.CREATE)
    assert entry.actor == staff
    after = figures(district, on)
    assert after["registered"].value == before["registered"].value + 1
    assert after["above_size"].value == before["above_size"].value + 1
    # Founded 2021-03-01: not yet there at the end of 2020.
    assert figures(district, date(2020, 12, 31))["registered"].value == earlier


def test_a_street_cannot_register_into_another_streets_community(client, district, staff):
    url = reverse("coverage:create") + f"?org={district['east'].pk}"
    code = make_credit_code(777003)
    body = errors_of(client.post(url, registration(district["there"], code)))
    assert "不在您的管理范围内" in body
    assert not NewOrganization.objects.filter(credit_code=code).exists()
    assert client.get(reverse("coverage:create") + f"?org={district['west'].pk}").status_code == 404


def test_base_data_is_edited_through_the_same_rules(client, district, staff):
    mine = district["mine"]
    url = reverse("coverage:edit", args=[mine.pk])
    data = {
        "name": "东一社区某科技股份有限公司",
        "kind": "enterprise",
        "area": district["home"].pk,
        "industry": "软件",
        "employees": "300",
        "above_size": "on",
        "founded": "2018-05-01",
        "note": "",
    }
    unchanged = facts(mine)
    body = errors_of(client.post(url, {**data, "employees": "-3"}))
    assert "从业人员数不能为负数" in body
    body = errors_of(client.post(url, {**data, "area": district["there"].pk}))
    assert "不在您的管理范围内" in body
    body = errors_of(client.post(url, {**data, "name": "  "}))
    assert "请填写名称" in body or "名称不能为空" in body
    assert facts(mine) == unchanged
    on = date(2024, 6, 30)
    before = figures(district, on)["above_size"].value
    assert client.post(url, data).status_code == 302
    mine.refresh_from_db()
    assert (mine.name, mine.industry, mine.employees, mine.above_size) == (
        "东一社区某科技股份有限公司",
        "软件",
        300,
        True,
    )
    assert figures(district, on)["above_size"].value == before + 1
    # Moved to the other community of the same street.
    other = make_org(
        district["east"], code="TQ0103", name="东三社区", kind="community_general_branch"
    )
    assert client.post(url, {**data, "area": other.pk}).status_code == 302
    mine.refresh_from_db()
    assert mine.area == other


# --- the party organization's form ---------------------------------------------------------


def test_a_form_change_keeps_the_old_form_with_its_dates(client, district, staff):
    mine = district["mine"]
    branch = make_org(district["home"], code="TQ010101", name="某科技有限公司党支部")
    far_branch = make_org(district["there"], code="TQ020101", name="某物流有限公司党支部")
    url = reverse("coverage:party_form", args=[mine.pk])
    ok = client.post(url, {"form": PartyForm.JOINT, "start": "2020-01-01", "party_org": ""})
    assert ok.status_code == 302
    unchanged = facts(mine)
    # A party organization of its own only for 单独组建, and only of the user's scope.
    body = errors_of(
        client.post(url, {"form": PartyForm.JOINT, "start": "2023-01-01", "party_org": branch.pk})
    )
    assert "只有单独组建的两新组织才能指定本单位党组织" in body
    body = errors_of(
        client.post(
            url, {"form": PartyForm.SINGLE, "start": "2023-01-01", "party_org": far_branch.pk}
        )
    )
    assert "不在您的管理范围内" in body
    # Not before the form it replaces, not before the organization was founded.
    body = errors_of(client.post(url, {"form": PartyForm.SINGLE, "start": "2019-06-01"}))
    assert "应晚于现有的" in body
    body = errors_of(client.post(url, {"form": PartyForm.SINGLE, "start": "2010-01-01"}))
    assert "早于" in body and "成立日期" in body
    body = errors_of(client.post(url, {"form": "other", "start": "2023-01-01"}))
    assert 'data-testid="error-form"' in body
    assert facts(mine) == unchanged
    ok = client.post(url, {"form": PartyForm.SINGLE, "start": "2023-01-01", "party_org": branch.pk})
    assert ok.status_code == 302
    history = list(mine.forms.order_by("start").values_list("form", "start", "end", "party_org"))
    assert history == [
        (PartyForm.JOINT, date(2020, 1, 1), date(2023, 1, 1), None),
        (PartyForm.SINGLE, date(2023, 1, 1), None, branch.pk),
    ]
    page = client.get(reverse("coverage:detail", args=[mine.pk])).content.decode()
    assert "联合组建" in page and "2020-01-01" in page and "2023-01-01" in page
    assert "某科技有限公司党支部" in page
    # The figures count the form in force on each day.
    early, late = figures(district, date(2021, 6, 30)), figures(district, date(2024, 6, 30))
    assert early["party"]["联合组建"].value == 1 and early["party"]["单独组建"].value == 0
    assert late["party"]["联合组建"].value == 0 and late["party"]["单独组建"].value == 1
    assert early["party_covered"].value == late["party_covered"].value == 1


# --- mass organizations and the union chair ------------------------------------------------


def mass(kind, action, on):
    return {"kind": kind, "action": action, "on": on}


def test_mass_organizations_are_established_and_dissolved(client, district, staff):
    mine = district["mine"]
    url = reverse("coverage:mass", args=[mine.pk])
    body = errors_of(
        client.post(url, {"kind": MassKind.UNION, "action": "dissolve", "on": "2022-01-01"})
    )
    assert "没有在建的工会，无需撤销" in body
    body = errors_of(
        client.post(url, {"kind": MassKind.UNION, "action": "establish", "on": "2017-01-01"})
    )
    assert "工会建立日期 2017-01-01 早于" in body
    assert facts(mine)[2] == []
    ok = client.post(url, {"kind": MassKind.UNION, "action": "establish", "on": "2020-03-01"})
    assert ok.status_code == 302
    ok = client.post(url, {"kind": MassKind.WOMEN, "action": "establish", "on": "2020-04-01"})
    assert ok.status_code == 302
    body = errors_of(
        client.post(url, {"kind": MassKind.UNION, "action": "dissolve", "on": "2020-03-01"})
    )
    assert "撤销日期 2020-03-01 应晚于工会的建立日期 2020-03-01" in body
    ok = client.post(url, {"kind": MassKind.UNION, "action": "dissolve", "on": "2023-07-01"})
    assert ok.status_code == 302
    unions = list(mine.mass.filter(kind=MassKind.UNION).values_list("start", "end"))
    assert unions == [(date(2020, 3, 1), date(2023, 7, 1))]
    # Established again: not overlapping the one dissolved.
    body = errors_of(
        client.post(url, {"kind": MassKind.UNION, "action": "establish", "on": "2023-01-01"})
    )
    assert "不能早于撤销日期" in body
    assert figures(district, date(2023, 6, 30))["union"].value == 1
    assert figures(district, date(2023, 7, 1))["union"].value == 0
    assert figures(district, date(2023, 7, 1))["women"].value == 1
    assert "2023-07-01" in client.get(reverse("coverage:detail", args=[mine.pk])).content.decode()


def test_the_union_chair_cross_post_needs_a_party_member(client, district, staff):
    mine = district["mine"]
    url = reverse("coverage:union_chair", args=[mine.pk])
    body = errors_of(client.post(url, {"party_member": "no", "cross_post": "yes"}))
    assert "工会主席不是党员，不能在党组织交叉任职" in body
    mine.refresh_from_db()
    assert (mine.union_chair_party_member, mine.union_chair_cross_post) == (None, None)
    assert client.post(url, {"party_member": "yes", "cross_post": "yes"}).status_code == 302
    mine.refresh_from_db()
    assert (mine.union_chair_party_member, mine.union_chair_cross_post) == (True, True)
    entries = LogEntry.objects.get_for_object(mine).filter(action=LogEntry.Action.UPDATE)
    assert entries.filter(changes__has_key="union_chair_cross_post").exists()


# --- party members, instructors and visits -------------------------------------------------


def test_party_members_are_counted_at_a_date(client, district, staff):
    mine = district["mine"]
    url = reverse("coverage:members", args=[mine.pk])
    body = errors_of(client.post(url, {"on": "2024-01-01", "count": "-1"}))
    assert "党员人数不能为负数" in body
    body = errors_of(client.post(url, {"on": "2024-13-01", "count": "4"}))
    assert "日期格式应为" in body
    assert facts(mine)[3] == []
    assert client.post(url, {"on": "2024-01-01", "count": "4"}).status_code == 302
    assert figures(district, date(2023, 12, 31))["party_members"].value == 0
    assert figures(district, date(2024, 1, 1))["party_members"].value == 4
    # Three or more members and no party organization of its own: it qualifies.
    gap = f"?org={district['east'].pk}&gap={Gap.QUALIFIES_SINGLE}"
    listed = client.get(reverse("coverage:index") + gap + "&as_of=2024-06-30").content.decode()
    assert mine.name in listed
    listed = client.get(reverse("coverage:index") + gap + "&as_of=2023-06-30").content.decode()
    assert mine.name not in listed


def test_an_instructor_of_the_scope_is_sent_and_visits(client, district, staff):
    mine = district["mine"]
    near = make_member(district["east"], name="郑晓明")
    later = make_member(district["home"], name="刘芳")
    far = make_member(district["west"], name="孙远")
    url = reverse("coverage:instructor", args=[mine.pk])
    body = errors_of(client.post(url, {"person": far.pk, "start": "2022-01-01"}))
    assert "不在您的管理范围内" in body
    body = errors_of(client.post(url, {"person": near.pk, "start": "2017-01-01"}))
    assert "选派日期 2017-01-01 早于成立日期" in body
    assert facts(mine)[4] == []
    assert client.post(url, {"person": near.pk, "start": "2022-01-01"}).status_code == 302
    body = errors_of(client.post(url, {"person": later.pk, "start": "2021-01-01"}))
    assert "应晚于现任指导员的选派日期" in body
    assert client.post(url, {"person": later.pk, "start": "2024-01-01"}).status_code == 302
    spells = list(mine.instructors.order_by("start").values_list("person", "start", "end"))
    assert spells == [
        (near.pk, date(2022, 1, 1), date(2024, 1, 1)),
        (later.pk, date(2024, 1, 1), None),
    ]
    visit = reverse("coverage:visit", args=[mine.pk])
    form = client.get(visit).content.decode()
    assert f'<option value="{later.pk}" selected>' in form
    assert "孙远" not in form
    body = errors_of(client.post(visit, {"on": "2010-01-01", "person": later.pk}))
    assert "早于成立日期" in body
    assert facts(mine)[5] == []
    ok = client.post(visit, {"on": "2024-03-05", "person": later.pk, "note": "指导召开党员大会"})
    assert ok.status_code == 302
    page = client.get(reverse("coverage:detail", args=[mine.pk])).content.decode()
    assert "指导召开党员大会" in page and "刘芳" in page and "郑晓明" in page


# --- deregistering ---------------------------------------------------------------------------


def test_a_deregistered_organization_leaves_the_counts_on_its_date(client, district, staff):
    mine = district["mine"]
    services.party_form_set(new_org=mine, form=PartyForm.JOINT, start=date(2020, 1, 1))
    url = reverse("coverage:deregister", args=[mine.pk])
    body = errors_of(client.post(url, {"on": "2017-12-31"}))
    assert "注销日期 2017-12-31 早于成立日期 2018-05-01" in body
    body = errors_of(client.post(url, {"on": ""}))
    assert "请填写注销日期" in body
    mine.refresh_from_db()
    assert mine.deregistered is None
    done = client.post(url, {"on": "2024-09-01"}, follow=True)
    assert done.redirect_chain == [(reverse("coverage:detail", args=[mine.pk]), 302)]
    assert "已记录「东一社区某科技有限公司」于 2024-09-01 注销" in done.content.decode()
    before, on_the_day = figures(district, date(2024, 8, 31)), figures(district, date(2024, 9, 1))
    assert before["registered"].value - on_the_day["registered"].value == 1
    assert before["party_covered"].value - on_the_day["party_covered"].value == 1
    listed = client.get(
        reverse("coverage:index") + f"?org={district['east'].pk}&as_of=2024-09-01"
    ).content.decode()
    assert mine.name not in listed
    listed = client.get(
        reverse("coverage:index") + f"?org={district['east'].pk}&as_of=2024-08-31"
    ).content.decode()
    assert mine.name in listed


# --- scope and capabilities ------------------------------------------------------------------

FACT_PAGES = [
    "coverage:edit",
    "coverage:party_form",
    "coverage:mass",
    "coverage:union_chair",
    "coverage:members",
    "coverage:instructor",
    "coverage:visit",
    "coverage:deregister",
]


def test_another_streets_organization_is_404_on_every_new_page(client, district, staff):
    theirs = district["theirs"]
    unchanged = facts(theirs)
    post = {
        "name": "改名",
        "kind": "enterprise",
        "area": district["home"].pk,
        "form": PartyForm.JOINT,
        "start": "2024-01-01",
        "on": "2024-01-01",
        "count": "9",
        "action": "establish",
        "party_member": "yes",
    }
    for name in FACT_PAGES:
        url = reverse(name, args=[theirs.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, post).status_code == 404, name
        mine = reverse(name, args=[district["mine"].pk])
        assert client.get(mine).status_code == 200, name
    assert facts(theirs) == unchanged
    page = client.get(reverse("coverage:detail", args=[district["mine"].pk])).content.decode()
    assert 'data-testid="neworg-actions"' in page


def test_a_reader_sees_no_forms_and_may_not_post(client, district):
    from tongxin.accounts.roles import Role

    client.force_login(make_user("east_reader", district["east"], roles=(Role.READER,)))
    mine = district["mine"]
    page = client.get(reverse("coverage:detail", args=[mine.pk])).content.decode()
    assert 'data-testid="neworg-actions"' not in page
    unchanged = facts(mine)
    for name in FACT_PAGES:
        assert client.post(reverse(name, args=[mine.pk]), {"on": "2024-01-01"}).status_code == 403
    assert client.get(reverse("coverage:create")).status_code == 403
    assert facts(mine) == unchanged


def test_the_back_office_shows_the_facts_and_leaves_recording_them_to_the_pages(client, district):
    mine = district["mine"]
    services.party_form_set(new_org=mine, form=PartyForm.JOINT, start=date(2020, 1, 1))
    client.force_login(make_user("root_admin", superuser=True))
    page = client.get(reverse("admin:coverage_neworganization_change", args=[mine.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "联合组建" in body
    # No editable start date for the form in force, and no blank form to add one.
    assert 'name="forms-0-start"' not in body and 'name="forms-__prefix__-start"' not in body


def test_an_organization_of_a_dissolved_community_is_moved_to_a_current_one(
    client, district, staff
):
    from tongxin.orgs import services as org_services

    old = make_org(
        district["east"], code="TQ0109", name="东九社区", kind="community_general_branch"
    )
    moved = make_new_org(old, name="东九社区某商贸有限公司", founded=date(2015, 1, 1))
    org_services.org_dissolve(org=old, on=date(2019, 1, 1))
    url = reverse("coverage:edit", args=[moved.pk])
    form = client.get(url).content.decode()
    assert f'<option value="{old.pk}" selected>' in form
    data = {"name": moved.name, "kind": "enterprise", "area": old.pk, "founded": "2015-01-01"}
    body = errors_of(client.post(url, data))
    assert "所在组织「东九社区」已于 2019-01-01 撤销" in body
    assert client.post(url, {**data, "area": district["home"].pk}).status_code == 302
    moved.refresh_from_db()
    assert moved.area == district["home"]


def test_a_fact_recorded_by_hand_after_an_import_blocks_its_undo(client, district, staff):
    from tongxin.coverage import export, registry

    mine = district["mine"]
    scope = Scope.for_user(staff)
    on = date(2025, 6, 30)
    data = export.workbook(scope=scope, org=district["east"], on=on)
    mine.employees = 40
    services.new_org_save(new_org=mine)
    batch = registry.import_file(data=data, filename="东街道.xlsx", scope=scope, on=on, by=staff)
    assert batch.status == batch.Status.DONE and batch.changed == 1
    assert registry.undo_blockers(batch) == []
    url = reverse("coverage:members", args=[mine.pk])
    assert client.post(url, {"on": "2025-07-01", "count": "6"}).status_code == 302
    assert registry.undo_blockers(batch) == [f"“{mine.name}”在导入后又被修改过"]
