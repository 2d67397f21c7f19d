"""An administrator's first login: set up the second factor from the page, then work."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.factories import make_user
from tongxin.accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_sets_up_totp_and_reaches_the_workbench(page, world, settings):
    settings.TONGXIN_ADMIN_OTP_REQUIRED = True
    make_user("sysadmin", roles=(Role.SYSTEM_ADMIN,))

    page.goto("/login/")
    page.get_by_label("用户名").fill("sysadmin")
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="开启双重验证")).to_be_visible()
    expect(page.get_by_role("img", name="双重验证二维码")).to_be_visible()

    # What an authenticator app does with the key shown on the page.
    secret = page.get_by_test_id("otp-secret").inner_text().replace(" ", "")
    page.get_by_label("验证码").fill(f"{TOTP(b32decode(secret)).token():06d}")
    page.get_by_role("button", name="确认开启").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("双重验证已开启")
