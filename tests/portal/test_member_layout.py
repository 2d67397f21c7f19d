"""A member's own login pages (修改密码、双重验证) in the members' phone frame, never with
staff's navigation; staff keep theirs."""

import pytest
from django.urls import reverse

from tests.accounts.conftest import confirmed_device, totp_code

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

MEMBER_FRAME = "同心·成员服务"
STAFF_FRAME = 'aria-label="主菜单"'
ACCOUNT_PAGES = ("member:account", "accounts:password_change", "accounts:otp", "accounts:otp_setup")


def test_a_members_account_pages_are_in_the_members_frame(client, member_a):
    client.force_login(member_a.user)
    for name in ACCOUNT_PAGES:
        page = client.get(reverse(name)).content.decode()
        assert MEMBER_FRAME in page and STAFF_FRAME not in page, name
        assert 'aria-label="全局搜索"' not in page, name
        assert 'class="active">账号</a>' in page, name


def test_staff_keep_their_frame_on_the_same_pages(client, city_staff):
    client.force_login(city_staff)
    for name in ACCOUNT_PAGES[1:]:
        page = client.get(reverse(name)).content.decode()
        assert STAFF_FRAME in page and MEMBER_FRAME not in page, name


def test_a_member_changes_the_password_in_the_members_frame(client, member_a):
    client.force_login(member_a.user)
    new = "Tongxin-Changed-2026!"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    page = response.content.decode()
    assert MEMBER_FRAME in page and STAFF_FRAME not in page
    member_a.user.refresh_from_db()
    assert member_a.user.check_password(new)


def test_a_member_with_a_second_factor_verifies_in_the_members_frame(client, member_a):
    device = confirmed_device(member_a.user)
    client.post("/login/", {"username": "linxm", "password": PASSWORD})
    page = client.get(reverse("accounts:otp_verify")).content.decode()
    assert MEMBER_FRAME in page and STAFF_FRAME not in page
    client.post(reverse("accounts:otp_verify"), {"code": totp_code(device)})
    page = client.get(reverse("accounts:otp")).content.decode()
    assert MEMBER_FRAME in page and "双重验证已开启" in page
