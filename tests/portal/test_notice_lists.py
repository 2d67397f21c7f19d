"""A notice to a filtered roster list: the roster page's link carries its filter, the notice
form names the list, and the members it showed at publication are its recipients."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role
from tongxin.portal.models import Notice, NoticeRecipient

from .conftest import make_member_user

pytestmark = pytest.mark.django_db


def roster_action(client, **query) -> str | None:
    """The roster's 向这些成员发通知 link for ``query``, as the page shows it."""
    page = client.get(reverse("people:roster"), query).content.decode()
    found = re.search(r'<a [^>]*href="([^"]+)" data-testid="roster-action"', page)
    return unescape(found.group(1)) if found else None


@pytest.fixture
def colleague_a(world, chair_a):
    """A member of branch A whose work unit the filter below does not match."""
    person = make_member(world.branch_a, name="王同事", work_unit="江城第一中学")
    person.user = make_member_user(person, "wangts", chair_a)
    return person


def test_a_notice_reaches_exactly_the_members_the_roster_filter_shows(
    client, world, city_staff, member_a, member_b, colleague_a
):
    client.force_login(city_staff)
    link = roster_action(client, org=world.city.pk, q="江城大学")
    assert link is not None and "q=" in link
    form = client.get(link).content.decode()
    assert "发布对象：名册筛选（1 人）" in form
    assert "组织：民盟江城市委员会（含下级组织）" in form and "搜索：「江城大学」" in form

    response = client.post(link, {"kind": "notice", "title": "江城大学盟员座谈", "body": "请参加"})
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.audience == "list" and notice.org == world.city
    assert [r.person for r in NoticeRecipient.objects.filter(notice=notice)] == [member_a]
    assert "搜索：「江城大学」" in notice.audience_note

    client.force_login(member_a.user)
    assert "江城大学盟员座谈" in client.get(reverse("member:notices")).content.decode()
    assert client.get(reverse("member:notice", args=[notice.pk])).status_code == 200
    # A member of the same branch, and one of another, outside the list: 404.
    for other in (colleague_a, member_b):
        client.force_login(other.user)
        assert "江城大学盟员座谈" not in client.get(reverse("member:notices")).content.decode()
        assert client.get(reverse("member:notice", args=[notice.pk])).status_code == 404


def test_the_list_is_fixed_at_publication_and_receipts_count_its_recipients(
    client, world, city_staff, member_a, colleague_a
):
    client.force_login(city_staff)
    link = roster_action(client, org=world.branch_a.pk, q="江城大学")
    client.post(link, {"kind": "notice", "title": "座谈通知"})
    notice = Notice.objects.get()
    # Someone the filter would match now joins later: the notice was not sent to them.
    late = make_member(world.branch_a, name="赵后来", work_unit="江城大学医学院")
    late.user = make_member_user(late, "zhaohl", city_staff)
    client.force_login(late.user)
    assert client.get(reverse("member:notice", args=[notice.pk])).status_code == 404

    client.force_login(member_a.user)
    client.get(reverse("member:notice", args=[notice.pk]))
    client.force_login(city_staff)
    page = client.get(reverse("portal:notice", args=[notice.pk])).content.decode()
    assert "名册筛选（1 人）" in page
    assert "已读 1 人：林小满" in page and "未读 0 人" in page
    assert "王同事" not in page and "赵后来" not in page
    listing = client.get(reverse("portal:notices")).content.decode()
    assert "名册筛选（1 人）" in listing


def test_a_list_of_past_dates_or_flows_or_nobody_is_refused_and_nothing_is_published(
    client, world, city_staff, member_a
):
    client.force_login(city_staff)
    base = f"{reverse('portal:notice_new')}?roster=1&org={world.city.pk}"
    data = {"kind": "notice", "title": "不应发布"}
    page = client.post(f"{base}&as_of=2020-01-01", data).content.decode()
    assert "发布对象须是当前在册的成员" in page
    page = client.post(f"{base}&flow=transferred_out", data).content.decode()
    assert "发布对象须是当前在册的成员" in page
    page = client.post(f"{base}&q=查无此人", data).content.decode()
    assert "名册筛选的结果没有成员，不能发布" in page
    page = client.post(f"{base}&gender=9", data).content.decode()
    assert "名册筛选条件有误：性别" in page
    assert not Notice.objects.exists()


def test_the_filter_applies_inside_the_publishers_scope(client, world, chair_a, member_a, member_b):
    client.force_login(chair_a)
    # The city is outside the chair's branch: the link's list is refused as the roster is.
    outside = f"{reverse('portal:notice_new')}?roster=1&org={world.city.pk}"
    assert client.get(outside).status_code == 404
    # A branch filter naming branch B, outside the chair's scope, is refused.
    base = f"{reverse('portal:notice_new')}?roster=1&org={world.branch_a.pk}"
    page = client.post(f"{base}&branch={world.branch_b.pk}", {"kind": "notice", "title": "越权"})
    assert "名册筛选条件有误：所在组织" in page.content.decode()
    assert not Notice.objects.exists()
    link = roster_action(client, org=world.branch_a.pk)
    client.post(link, {"kind": "notice", "title": "支部通知"})
    notice = Notice.objects.get()
    assert list(notice.recipients.values_list("person", flat=True)) == [member_a.pk]
    far = make_user("far_staff", world.other_city)
    client.force_login(far)
    assert client.get(reverse("portal:notice", args=[notice.pk])).status_code == 404


def test_a_reader_sees_no_link_and_cannot_publish(client, world, member_a):
    reader = make_user("reader", world.city, roles=(Role.READER,))
    client.force_login(reader)
    assert roster_action(client, org=world.city.pk) is None
    url = f"{reverse('portal:notice_new')}?roster=1&org={world.city.pk}"
    assert client.get(url).status_code == 403
