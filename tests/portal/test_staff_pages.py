"""Staff's pages of the portal open for staff of the subtree and show nothing to another."""

import pytest
from django.urls import reverse

from tests.factories import make_user
from tongxin.portal import services
from tongxin.portal.models import Draft, Notice, NoticeKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world, city_staff, member_a):
    notice = Notice.objects.create(
        org=world.city, kind=NoticeKind.NOTICE, title="江城全市通知", published_by=city_staff
    )
    services.correction_propose(person=member_a, changes={"work_unit": "江城新单位"})
    draft = Draft.objects.create(person=member_a, kind="proposal", title="江城提案稿", body="内容")
    return {"notice": notice, "draft": draft}


def _pages(world, records, member_a):
    return [
        (reverse("portal:index"), ""),
        (reverse("portal:accounts") + f"?org={world.branch_a.pk}", "林小满"),
        (reverse("portal:notices"), "江城全市通知"),
        (reverse("portal:notice_new"), "发布范围"),
        (reverse("portal:notice", args=[records["notice"].pk]), "江城全市通知"),
        (reverse("portal:corrections"), "江城新单位"),
        (reverse("portal:drafts"), "江城提案稿"),
        (reverse("portal:identity", args=[member_a.pk]), "林小满"),
    ]


def test_staff_open_every_page_of_their_subtree(client, world, city_staff, records, member_a):
    client.force_login(city_staff)
    for url, text in _pages(world, records, member_a):
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def test_staff_of_another_city_see_nothing_of_it(client, world, records, member_a):
    far = make_user("far_staff", world.other_city)
    client.force_login(far)
    for url, _text in _pages(world, records, member_a):
        response = client.get(url)
        if "?org=" in url or "/notices/" in url and url[-2].isdigit() or "identity" in url:
            assert response.status_code == 404, url
        else:
            assert response.status_code == 200, url
        body = response.content.decode()
        for marker in ("江城全市通知", "江城新单位", "江城提案稿", "林小满"):
            assert marker not in body, f"{url} shows {marker}"
