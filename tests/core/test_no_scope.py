"""A user whose account has no organization yet is told so, on every app's lists alike."""

import pytest
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

NO_SCOPE = "您的账号还没有分配管理范围，请联系安全管理员为您指定所属组织。"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("people:roster", "组织机构"),
        ("orgs:tree", "组织机构"),
        ("cadres:index", "组织机构"),
        ("recruitment:index", "组织机构"),
        ("training:index", "组织机构"),
        ("stats:dashboard", "组织机构"),
        ("branchwork:liaison", "基层建设"),
        ("branchwork:activities", "基层建设"),
    ],
)
def test_a_user_without_an_organization_is_told_to_ask_for_one(client, world, name, title):
    client.force_login(make_user("无范围"))
    page = client.get(reverse(name)).content.decode()
    assert NO_SCOPE in page
    assert f"<title>{title}" in page
