"""Liaison pages: assignments, visits, the branches not visited this half-year and the workbench
card that counts them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_member
from tongxin.branchwork import services
from tongxin.branchwork.models import LiaisonAssignment, LiaisonVisit
from tongxin.branchwork.selectors import half_year_start

pytestmark = pytest.mark.django_db


def _visit(org, on, **fields):
    return services.visit_save(visit=LiaisonVisit(org=org, date=on, topics="座谈", **fields))


def test_half_years_start_in_january_and_july():
    assert half_year_start(date(2025, 6, 30)) == date(2025, 1, 1)
    assert half_year_start(date(2025, 7, 1)) == date(2025, 7, 1)
    assert half_year_start(date(2025, 12, 31)) == date(2025, 7, 1)


def test_branches_without_a_visit_this_half_year_are_listed_and_on_the_workbench(
    client, world, city_staff
):
    today = timezone.localdate()
    _visit(world.branch_a, today)
    _visit(world.branch_b, half_year_start(today) - timedelta(days=1))  # the half-year before
    client.force_login(city_staff)
    page = client.get(reverse("branchwork:unvisited"), {"org": world.city.pk})
    names = [branch.name for branch, _last, _assigned in page.context["rows"]]
    # B's last visit was before this half-year; the general branch and G1 were never visited.
    assert names == ["医药卫生支部", "江城大学总支", "江城大学第二支部"]
    body = client.get(reverse("workbench")).content.decode()
    assert "本半年未走访的基层组织" in body
    card_url = f"{reverse('branchwork:unvisited')}?org={world.city.pk}"
    assert f'href="{card_url}"' in body


def test_a_branch_chair_sees_no_liaison_card(client, world, chair_a):
    client.force_login(chair_a)
    assert "本半年未走访" not in client.get(reverse("workbench")).content.decode()


def test_staff_assign_a_liaison_and_record_a_visit(client, world, city_staff):
    leader = make_member(world.city, name="张主委")
    client.force_login(city_staff)
    response = client.post(
        f"{reverse('branchwork:assign')}?org={world.city.pk}",
        {
            "orgs": [world.branch_a.pk, world.branch_b.pk],
            "person": leader.pk,
            "title": "副主委",
            "start": "2025-01-01",
        },
        follow=True,
    )
    assert "已安排 张主委 联系 江城大学第一支部、医药卫生支部" in response.content.decode()
    assignment = LiaisonAssignment.objects.get(org=world.branch_a)
    today = timezone.localdate()
    response = client.post(
        f"{reverse('branchwork:visit_create')}?org={world.branch_a.pk}",
        {
            "org": world.branch_a.pk,
            "assignment": assignment.pk,
            "date": today.isoformat(),
            "topics": "了解班子建设",
            "problems": "活动场地不固定",
            "follow_up": "协调场地",
        },
        follow=True,
    )
    assert f"已记录 {today:%Y-%m-%d} 走访「江城大学第一支部」" in response.content.decode()
    visit = LiaisonVisit.objects.get()
    assert (visit.assignment, visit.recorded_by) == (assignment, city_staff)
    listing = client.get(reverse("branchwork:liaison"), {"org": world.city.pk})
    assert "活动场地不固定" in listing.content.decode()


def test_an_assignment_without_a_liaison_is_refused_on_the_form(client, world, city_staff):
    client.force_login(city_staff)
    response = client.post(
        reverse("branchwork:assign"), {"orgs": [world.branch_a.pk], "start": "2025-01-01"}
    )
    assert "请选择联系人：名册中的人员或系统用户" in response.content.decode()
    assert not LiaisonAssignment.objects.exists()


def test_the_visit_list_filters_by_period(client, world, city_staff):
    _visit(world.branch_a, date(2024, 5, 1))
    _visit(world.branch_a, date(2025, 5, 1))
    client.force_login(city_staff)
    page = client.get(
        reverse("branchwork:liaison"),
        {"org": world.city.pk, "from": "2025-01-01", "to": "2025-12-31"},
    )
    assert [v.date for v in page.context["page"].object_list] == [date(2025, 5, 1)]


def test_a_branch_chair_reads_liaison_but_records_nothing(client, world, chair_a):
    client.force_login(chair_a)
    assert client.get(reverse("branchwork:liaison")).status_code == 200
    assert client.get(reverse("branchwork:visit_create")).status_code == 403
    assert client.get(reverse("branchwork:assign")).status_code == 403


def test_liaison_records_of_another_subtree_answer_404(client, world, staff_a):
    leader = make_member(world.city, name="张主委")
    (assignment,) = services.liaison_assign(
        orgs=[world.branch_b], person=leader, start=date(2025, 1, 1)
    )
    visit = _visit(world.branch_b, date(2025, 5, 1), assignment=assignment)
    client.force_login(staff_a)
    assert (
        client.get(reverse("branchwork:assignment_edit", args=[assignment.pk])).status_code == 404
    )
    assert client.get(reverse("branchwork:visit_edit", args=[visit.pk])).status_code == 404
    assert client.post(reverse("branchwork:visit_delete", args=[visit.pk])).status_code == 404
    assert (
        client.get(reverse("branchwork:unvisited"), {"org": world.branch_b.pk}).status_code == 404
    )
    assert LiaisonVisit.objects.filter(pk=visit.pk).exists()


def test_the_organization_page_has_a_liaison_tab(client, world, city_staff):
    leader = make_member(world.city, name="张主委")
    services.liaison_assign(
        orgs=[world.branch_a], person=leader, title="副主委", start=date(2025, 1, 1)
    )
    _visit(world.branch_a, date(2025, 5, 1), problems="活动场地不固定")
    client.force_login(city_staff)
    page = client.get(reverse("orgs:detail", args=[world.branch_a.pk]), {"tab": "liaison"})
    body = page.content.decode()
    assert ">联系人</a>" in body
    assert "张主委" in body and "活动场地不固定" in body
