"""A member's own account on a phone (375×667): the login's pages (修改密码、双重验证) in the
members' frame without staff's navigation, a forgotten password reset with the chair's code,
and no page scrolling sideways."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role
from tongxin.portal import services

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Tongxin-Member-2026"
NEW_PASSWORD = "Tongxin-Changed-2026"
RESET_PASSWORD = "Tongxin-Reset-2026"
WIDTH = 375


def fits(page):
    # A click that navigates returns before the new page has loaded; measure the loaded one.
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} scrolls sideways on a phone ({width}px)"


def no_staff_frame(page):
    expect(page.get_by_role("navigation", name="成员菜单")).to_be_visible()
    expect(page.get_by_role("navigation", name="主菜单")).to_have_count(0)
    expect(page.get_by_role("searchbox", name="全局搜索")).to_have_count(0)


def login(page, username, password):
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_a_member_changes_the_password_and_opens_totp_on_a_phone(page, world):
    chair = make_user("chair_a", world.branch_a, roles=(Role.BRANCH_CHAIR,))
    person = make_member(world.branch_a, name="林小满", work_unit="江城大学")
    code = services.account_issue(person=person, by=chair, on=timezone.localdate())
    services.account_activate(
        code=code, username="linxm", password=PASSWORD, on=timezone.localdate()
    )

    page.set_viewport_size({"width": WIDTH, "height": 667})
    login(page, "linxm", PASSWORD)
    expect(page.get_by_role("heading", name="林小满")).to_be_visible()
    page.get_by_role("navigation", name="成员菜单").get_by_role("link", name="账号").click()
    expect(page.get_by_role("heading", name="账号与安全")).to_be_visible()
    fits(page)

    page.get_by_role("link", name="修改密码").click()
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    no_staff_frame(page)
    fits(page)
    page.get_by_label("旧密码").fill(PASSWORD)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.get_by_label("新密码确认").fill(NEW_PASSWORD)
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_role("heading", name="林小满")).to_be_visible()
    fits(page)

    page.get_by_role("navigation", name="成员菜单").get_by_role("link", name="账号").click()
    page.get_by_role("link", name="双重验证").click()
    expect(page.get_by_test_id("otp-status")).to_contain_text("未开启")
    no_staff_frame(page)
    fits(page)
    page.get_by_role("link", name="开启双重验证").click()
    expect(page.get_by_test_id("otp-qr")).to_be_visible()
    no_staff_frame(page)
    fits(page)

    page.get_by_role("button", name="退出").click()
    login(page, "linxm", NEW_PASSWORD)
    expect(page.get_by_role("heading", name="林小满")).to_be_visible()
    page.get_by_role("button", name="退出").click()

    # Forgotten: the chair hands out a reset code, the member sets a new password with it.
    code = services.account_reset_issue(person=person, by=chair, on=timezone.localdate())
    page.goto("/login/")
    page.get_by_role("link", name="成员忘记密码：用重置码设置新密码").click()
    expect(page.get_by_role("heading", name="重置密码")).to_be_visible()
    fits(page)
    page.get_by_label("重置码").fill(code)
    page.locator("#id_password1").fill(RESET_PASSWORD)
    page.get_by_label("再次输入新密码").fill(RESET_PASSWORD)
    page.get_by_role("button", name="设置新密码").click()
    expect(page.get_by_text("密码已重新设置，请用用户名 linxm")).to_be_visible()
    fits(page)
    login(page, "linxm", RESET_PASSWORD)
    expect(page.get_by_role("heading", name="林小满")).to_be_visible()
