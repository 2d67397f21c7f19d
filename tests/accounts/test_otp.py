"""The TOTP second factor: required of administrators, optional for everyone else."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import confirmed_device, log_in, totp_code
from tests.factories import make_user
from tongxin.accounts.models import User
from tongxin.accounts.roles import Role
from tongxin.accounts.services import grant_roles

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:otp_setup")
VERIFY = reverse("accounts:otp_verify")


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_an_administrator_without_totp_cannot_open_the_workbench(client, world, role):
    log_in(client, make_user("admin", world.city, roles=[role]).username)
    response = client.get(reverse("workbench"))
    assert response.status_code == 302
    assert response.url == SETUP + "?next=%2F"
    assert client.get(reverse("people:roster")).url.startswith(SETUP)
    assert client.get("/admin/").url.startswith(SETUP)


def test_a_superuser_without_totp_is_sent_to_the_setup(client, world):
    client.force_login(make_user("root", superuser=True))
    assert client.get(reverse("workbench")).url.startswith(SETUP)


def test_a_staff_user_without_totp_opens_the_workbench(client, world):
    log_in(client, make_user("zhang", world.city).username)
    assert client.get(reverse("workbench")).status_code == 200


def test_the_requirement_can_be_switched_off(client, world, settings):
    settings.TONGXIN_ADMIN_OTP_REQUIRED = False
    client.force_login(make_user("admin", roles=[Role.SYSTEM_ADMIN]))
    assert client.get(reverse("workbench")).status_code == 200


def test_an_administrator_sets_up_totp_and_continues(client, world):
    admin = make_user("admin", roles=[Role.SECURITY_ADMIN])
    log_in(client, "admin")
    page = client.get(SETUP, {"next": "/people/"}).content.decode()
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    assert 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert b32decode(secret) == device.bin_key
    assert client.get(SETUP).content.decode().count(secret) >= 1  # the same key on reload

    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong, "next": "/people/"})
    assert "验证码不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()

    response = client.post(SETUP, {"code": totp_code(device), "next": "/people/"})
    assert response.status_code == 302 and response.url == "/people/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("workbench")).status_code == 200


def test_a_user_with_totp_must_enter_a_code_after_the_password_and_cannot_reuse_one(client, world):
    admin = make_user("admin", roles=[Role.SYSTEM_ADMIN])
    device = confirmed_device(admin)
    log_in(client, "admin")
    response = client.get(reverse("workbench"))
    assert response.url == VERIFY + "?next=%2F"
    assert client.get(SETUP).url.startswith(VERIFY)  # its key is not shown again

    response = client.post(VERIFY, {"code": "12ab", "next": "/"})
    assert "验证码是 6 位数字" in response.content.decode()
    code = totp_code(device)
    response = client.post(VERIFY, {"code": code, "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert client.get(reverse("workbench")).status_code == 200

    client.post(reverse("logout"))
    log_in(client, "admin")
    response = client.post(VERIFY, {"code": code, "next": "/"})
    assert response.status_code == 200
    assert "验证码不正确或已使用过" in response.content.decode()
    assert client.get(reverse("workbench")).status_code == 302


def test_the_password_change_comes_before_the_second_factor(client, world):
    admin = User.objects.create_user("admin", password="correct-horse-9")
    grant_roles(admin, [Role.AUDIT_ADMIN])
    log_in(client, "admin")
    assert client.get(reverse("workbench")).url.startswith(reverse("accounts:password_change"))
    assert client.get(SETUP).status_code == 302
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "correct-horse-9",
            "new_password1": "Jiangcheng-2024",
            "new_password2": "Jiangcheng-2024",
        },
    )
    assert client.get(reverse("workbench")).url.startswith(SETUP)


def test_a_staff_user_turns_totp_on_must_then_verify_and_can_turn_it_off(client, world):
    staff = make_user("zhang", world.city)
    log_in(client, "zhang")
    page = client.get(reverse("accounts:otp")).content.decode()
    assert "双重验证未开启" in page
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=staff)
    client.post(SETUP, {"code": totp_code(device)})
    assert "双重验证已开启" in client.get(reverse("accounts:otp")).content.decode()

    client.post(reverse("logout"))
    log_in(client, "zhang")
    assert client.get(reverse("workbench")).url.startswith(VERIFY)
    client.post(VERIFY, {"code": totp_code(device, steps_ahead=1)})
    assert client.get(reverse("workbench")).status_code == 200

    response = client.post(reverse("accounts:otp_disable"), {"code": "12345x"})
    assert response.status_code == 400 and TOTPDevice.objects.filter(user=staff).exists()
    device.refresh_from_db()
    client.post(reverse("accounts:otp_disable"), {"code": totp_code(device, steps_ahead=1)})
    assert not TOTPDevice.objects.filter(user=staff).exists()
    client.post(reverse("logout"))
    log_in(client, "zhang")
    assert client.get(reverse("workbench")).status_code == 200


def test_an_administrator_cannot_turn_totp_off(client, world):
    admin = make_user("admin", roles=[Role.SYSTEM_ADMIN])
    device = confirmed_device(admin)
    log_in(client, "admin")
    client.post(VERIFY, {"code": totp_code(device)})
    assert "不能关闭" in client.get(reverse("accounts:otp")).content.decode()
    client.post(reverse("accounts:otp_disable"), {"code": totp_code(device, steps_ahead=1)})
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
