import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture(autouse=True)
def admin_otp_required(settings):
    """The production default, which the root conftest turns off for the other tests."""
    settings.TONGXIN_ADMIN_OTP_REQUIRED = True


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for ``device`` now (or ``steps_ahead`` steps later;
    the device accepts one step ahead, so that a second login need not wait 30 seconds)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="验证器应用", confirmed=True)


def log_in(client, username, password="correct-horse-9"):
    return client.post("/login/", {"username": username, "password": password})
