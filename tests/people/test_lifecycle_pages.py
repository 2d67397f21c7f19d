"""The lifecycle pages of the 成员关系 tab: each records its event and says so; outside the
scope they do not exist."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role
from tongxin.people.models import MembershipSpell, Suspension

pytestmark = pytest.mark.django_db


def test_a_transfer_out_and_back_in_through_the_pages_keeps_both_spells(client, world, city_staff):
    person = make_member(world.branch_a, name="李华", start=date(2015, 1, 1))
    client.force_login(city_staff)
    response = client.post(
        reverse("people:transfer_out", args=[person.pk]),
        {
            "on": "2022-03-01",
            "to_name": "民盟北京市委员会",
            "letter_no": "江盟转〔2022〕7号",
            "approved_by": "民盟江城市委员会",
        },
        follow=True,
    )
    assert "已记录 李华 于 2022-03-01 转往「民盟北京市委员会」" in response.content.decode()
    response = client.post(
        reverse("people:receipt", args=[person.pk]),
        {"spell": MembershipSpell.objects.get(person=person).pk, "on": "2022-04-01"},
        follow=True,
    )
    assert "已登记 李华 转出的回执（2022-04-01）" in response.content.decode()
    response = client.post(
        reverse("people:transfer_in", args=[person.pk]),
        {
            "on": "2024-09-01",
            "org": world.branch_b.pk,
            "from_name": "民盟北京市委员会",
            "letter_no": "京盟转〔2024〕31号",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "已记录 李华 于 2024-09-01 转入「医药卫生支部」" in page
    assert "转往 民盟北京市委员会（介绍信 江盟转〔2022〕7号），回执 2022-04-01" in page
    assert "转自 民盟北京市委员会（介绍信 京盟转〔2024〕31号）" in page
    assert MembershipSpell.objects.filter(person=person).count() == 2


def test_a_transfer_out_names_either_an_organization_inside_or_one_outside(
    client, world, city_staff
):
    person = make_member(world.branch_a, name="王芳")
    client.force_login(city_staff)
    response = client.post(
        reverse("people:transfer_out", args=[person.pk]),
        {"on": "2022-03-01", "letter_no": "7", "to_org": world.branch_b.pk, "to_name": "民盟北京"},
    )
    assert "请选择转往的系统内组织，或填写系统外组织的名称（二选一）" in response.content.decode()
    response = client.post(
        reverse("people:transfer_out", args=[person.pk]),
        {"on": "2022-03-01", "letter_no": "7", "to_org": world.branch_b.pk},
        follow=True,
    )
    assert "转往「医药卫生支部」" in response.content.decode()
    old, new = MembershipSpell.objects.filter(person=person).order_by("start")
    assert (old.end_letter_no, new.org) == ("7", world.branch_b)


def test_an_expulsion_without_a_decision_number_is_refused_on_the_page(client, world, city_staff):
    person = make_member(world.branch_a, name="冯力")
    client.force_login(city_staff)
    response = client.post(
        reverse("people:exit", args=[person.pk]),
        {"reason": "expelled", "on": "2024-05-01", "approved_by": "民盟江城市委员会"},
    )
    assert "开除须填写决定的文号" in response.content.decode()
    assert MembershipSpell.objects.get(person=person).end is None


def test_suspension_and_restoration_through_the_pages(client, world, city_staff):
    person = make_member(world.branch_a, name="褚红")
    client.force_login(city_staff)
    client.post(
        reverse("people:suspend", args=[person.pk]),
        {"on": "2023-01-01", "reason": "长期不参加组织生活"},
    )
    tab = client.get(reverse("people:detail", args=[person.pk]), {"tab": "membership"})
    assert "长期不参加组织生活" in tab.content.decode() and "恢复组织生活" in tab.content.decode()
    response = client.post(
        reverse("people:restore", args=[person.pk]), {"on": "2024-01-01"}, follow=True
    )
    assert "已记录 褚红 于 2024-01-01 恢复组织生活" in response.content.decode()
    assert Suspension.objects.get(person=person).end == date(2024, 1, 1)


def test_the_lifecycle_pages_are_404_in_another_subtree_and_403_without_the_right(client, world):
    person = make_member(world.branch_b, name="欧阳青")
    client.force_login(make_user("staff_a", world.branch_a))
    for name in ("transfer_out", "transfer_in", "exit", "suspend"):
        assert client.get(reverse(f"people:{name}", args=[person.pk])).status_code == 404
    client.force_login(make_user("chair_b", world.branch_b, roles=(Role.BRANCH_CHAIR,)))
    assert client.get(reverse("people:exit", args=[person.pk])).status_code == 403


def test_a_new_member_from_outside_comes_with_the_letter(client, world, city_staff):
    client.force_login(city_staff)
    data = {
        "name": "吴远",
        "org": world.branch_a.pk,
        "start": "2024-09-01",
        "start_reason": "transferred_in",
        "came_from": "民盟北京市委员会",
        "gender": "1",
    }
    response = client.post(reverse("people:create"), data)
    assert "从系统外转入须填写转入介绍信编号" in response.content.decode()
    client.post(reverse("people:create"), {**data, "letter_no": "京盟转〔2024〕8号"})
    spell = MembershipSpell.objects.get(person__name="吴远")
    assert (spell.start_reason, spell.came_from, spell.start_letter_no) == (
        "transferred_in",
        "民盟北京市委员会",
        "京盟转〔2024〕8号",
    )
