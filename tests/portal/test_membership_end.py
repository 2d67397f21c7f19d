"""A member account serves a member on the roster: once the membership ends (left,
transferred out, deceased) the login is refused with the reason, and an open session ends on
its next request — one rule (portal.selectors.access_refusal) for both."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import confirmed_device, totp_code
from tongxin.people import services as people_services
from tongxin.portal import services
from tongxin.portal.selectors import access_refusal

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, password=PASSWORD):
    return client.post(reverse("login"), {"username": "linxm", "password": password})


def test_a_member_who_left_is_logged_out_and_cannot_log_in_again(client, member_a):
    phone = Client()
    assert _login(phone).status_code == 302
    assert phone.get(reverse("member:home")).status_code == 200
    today = timezone.localdate()
    people_services.membership_exit(
        person=member_a, on=today, reason="withdrew", approved_by="江城市委会"
    )

    response = phone.get(reverse("member:notices"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    page = response.content.decode()
    assert f"林小满 的成员身份已于 {today:%Y-%m-%d} 结束（退出）" in page
    assert phone.get(reverse("member:home")).status_code == 302  # the session is gone

    refused = _login(client)
    assert refused.status_code == 200 and "成员账号不能再使用" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Without the password nothing is told about the membership.
    wrong = _login(client, "not-the-password").content.decode()
    assert "成员身份" not in wrong


def test_a_transfer_out_refuses_the_login_and_a_move_inside_does_not(client, world, member_a):
    today = timezone.localdate()
    people_services.membership_transfer(person=member_a, to_org=world.branch_b, on=today)
    assert _login(client).status_code == 302
    client.logout()
    tomorrow = today + timezone.timedelta(days=1)
    people_services.membership_transfer_out(
        person=member_a, on=tomorrow, to_name="民盟外省委员会", letter_no="转字001"
    )
    # The roster's own dates (start ≤ day < end): a member today, not from tomorrow on.
    assert access_refusal(person=member_a, on=today) == ""
    assert _login(client).status_code == 302
    refusal = access_refusal(person=member_a, on=tomorrow)
    assert f"已于 {tomorrow:%Y-%m-%d} 结束（转出）" in refusal


def test_a_deceased_members_login_with_a_code_is_refused_too(client, world, member_a, chair_a):
    device = confirmed_device(member_a.user)
    people_services.membership_exit(person=member_a, on=timezone.localdate(), reason="died")
    response = client.post(
        reverse("accounts:otp_login"),
        {"username": "linxm", "password": PASSWORD, "code": totp_code(device)},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "结束（去世）" in page
    assert "_auth_user_id" not in client.session
    with pytest.raises(Exception, match="结束（去世）"):
        services.account_reset_issue(person=member_a, by=chair_a, on=timezone.localdate())
