"""A reset of an administrator's password takes two administrators or the owner's second factor,
and no one resets the password of an account that oversees theirs."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.accounts.conftest import confirmed_device, log_in, totp_code
from tests.factories import make_user
from tongxin.accounts import services
from tongxin.accounts.models import PasswordReset
from tongxin.accounts.roles import Role
from tongxin.audit.models import Event

pytestmark = pytest.mark.django_db

NEW = "Neu-Passwort-7"
RESETS = reverse("accounts:password_resets")


@pytest.fixture(autouse=True)
def admin_otp_required(settings):
    """The pages here are the back office's: its administrators are let in without a code."""
    settings.TONGXIN_ADMIN_OTP_REQUIRED = False


@pytest.fixture
def admins(world):
    return {
        "xitong": make_user("xitong", roles=[Role.SYSTEM_ADMIN]),
        "anquan": make_user("anquan", roles=[Role.SECURITY_ADMIN]),
        "shenji": make_user("shenji", roles=[Role.AUDIT_ADMIN]),
        "root": make_user("root", superuser=True),
    }


def reset_page(client, user, **data):
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    return client.post(url, {"password1": NEW, "password2": NEW, **data})


def password_is_new(user) -> bool:
    user.refresh_from_db()
    return user.check_password(NEW)


def test_a_staff_password_is_reset_at_once_and_must_be_changed(client, world, admins):
    staff = make_user("staff", world.branch_a)
    client.force_login(admins["xitong"])
    assert reset_page(client, staff).status_code == 302
    assert password_is_new(staff) and staff.must_change_password
    event = Event.objects.get(kind=Event.Kind.PASSWORD_RESET)
    assert (event.username, event.detail["account"], event.detail["how"]) == (
        "xitong",
        "staff",
        "direct",
    )


def test_the_security_administrators_password_waits_for_a_second_administrator(
    client, world, admins
):
    anquan = admins["anquan"]
    client.force_login(admins["xitong"])
    response = reset_page(client, anquan)
    assert response.status_code == 200
    assert "请填写重置原因" in response.content.decode()
    assert not PasswordReset.objects.exists()

    response = reset_page(client, anquan, reason="本人忘记密码，电话核实")
    assert response.status_code == 302
    assert not password_is_new(anquan)
    reset = PasswordReset.objects.get(user=anquan, state=PasswordReset.State.PENDING)

    # The one who asked cannot approve.
    response = client.post(reverse("accounts:password_reset_approve", args=[reset.pk]))
    assert "不能批准自己提出的申请" in client.get(response.url).content.decode()
    assert not password_is_new(anquan)

    # Nor can an auditor: the system administrator grants that role, so could have made one.
    client.force_login(admins["shenji"])
    page = client.get(RESETS).content.decode()
    assert "本人忘记密码，电话核实" in page and "您的角色可由申请人授予" in page
    client.post(reverse("accounts:password_reset_approve", args=[reset.pk]))
    assert not password_is_new(anquan)

    client.force_login(admins["root"])
    assert "批准" in client.get(RESETS).content.decode()
    client.post(reverse("accounts:password_reset_approve", args=[reset.pk]))
    assert password_is_new(anquan) and anquan.must_change_password
    reset.refresh_from_db()
    assert (reset.state, reset.decided_by) == (PasswordReset.State.APPROVED, admins["root"])
    assert list(
        Event.objects.filter(kind=Event.Kind.PASSWORD_RESET)
        .order_by("pk")
        .values_list("username", "detail__how")
    ) == [("xitong", "requested"), ("root", "approved")]

    client.logout()
    assert log_in(client, "anquan", NEW).status_code == 302


def test_the_owners_current_code_lets_the_reset_through_at_once(client, world, admins):
    anquan = admins["anquan"]
    device = confirmed_device(anquan)
    client.force_login(admins["xitong"])
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = reset_page(client, anquan, owner_code=wrong)
    assert "账户本人的验证码不正确" in response.content.decode()
    assert not password_is_new(anquan)
    device.refresh_from_db()
    device.throttle_reset()

    assert reset_page(client, anquan, owner_code=totp_code(device)).status_code == 302
    assert password_is_new(anquan)
    assert not PasswordReset.objects.exists()
    assert Event.objects.get(kind=Event.Kind.PASSWORD_RESET).detail["how"] == "owner_code"


@pytest.mark.parametrize(
    ("actor", "account", "reason"),
    [
        ("xitong", "shenji", "该账户监督您的工作"),  # the audit administrator oversees them
        ("xitong", "root", "该账户监督您的工作"),  # a superuser oversees everyone
        ("xitong", "xitong", "不能在后台重置自己的密码"),
        ("anquan", "xitong", "只有系统管理员可以重置密码"),
        ("anquan", "staff", "只有系统管理员可以重置密码"),
    ],
)
def test_no_one_resets_their_overseer_their_own_or_without_the_role(
    client, world, admins, actor, account, reason
):
    users = {**admins, "staff": make_user("staff", world.branch_a)}
    target = users[account]
    client.force_login(users[actor])
    response = reset_page(client, target, reason="试一试")
    assert response.status_code == 302
    assert reason in client.get(response.url).content.decode()
    assert not password_is_new(target)
    assert not PasswordReset.objects.exists()
    with pytest.raises(ValidationError, match=reason):
        services.reset_password(actor=users[actor], user=target, password=NEW, reason="试一试")


def test_no_one_approves_the_reset_of_their_overseer(client, world, admins):
    shenji = admins["shenji"]
    reset = services.reset_password(
        actor=admins["root"], user=shenji, password=NEW, reason="更换人员"
    )
    for overseen in ("xitong", "anquan"):
        with pytest.raises(ValidationError, match="该账户监督您的工作"):
            services.approve_password_reset(actor=admins[overseen], reset=reset)
    assert not password_is_new(shenji)
    services.approve_password_reset(actor=make_user("root2", superuser=True), reset=reset)
    assert password_is_new(shenji)


def test_the_system_administrator_cannot_approve_their_own_request_through_an_auditor_they_made(
    world, admins
):
    xitong = admins["xitong"]
    reset = services.reset_password(
        actor=xitong, user=admins["anquan"], password=NEW, reason="忘记密码"
    )
    puppet = make_user("puppet", roles=[])
    services.change_grants(actor=xitong, user=puppet, roles=[Role.AUDIT_ADMIN])
    with pytest.raises(ValidationError, match="您的角色可由申请人授予"):
        services.approve_password_reset(actor=puppet, reset=reset)
    # A second system administrator is no one's making but a superuser's: they may approve.
    services.approve_password_reset(
        actor=make_user("xitong2", roles=[Role.SYSTEM_ADMIN]), reset=reset
    )
    assert password_is_new(admins["anquan"])


def test_a_deactivated_administrator_account_still_needs_a_second_administrator(world, admins):
    anquan = admins["anquan"]
    anquan.is_active = False
    anquan.save()
    reset = services.reset_password(
        actor=admins["xitong"], user=anquan, password=NEW, reason="离岗后启用"
    )
    assert reset is not None and not password_is_new(anquan)


def test_a_request_lapses_after_a_day_and_a_refused_one_changes_nothing(world, admins):
    anquan = admins["anquan"]
    reset = services.reset_password(actor=admins["xitong"], user=anquan, password=NEW, reason="x")
    PasswordReset.objects.filter(pk=reset.pk).update(
        requested_at=reset.requested_at - timedelta(hours=25)
    )
    with pytest.raises(ValidationError, match="已失效"):
        services.approve_password_reset(actor=admins["root"], reset=reset)
    fresh = services.reset_password(actor=admins["xitong"], user=anquan, password=NEW, reason="y")
    services.refuse_password_reset(actor=admins["root"], reset=fresh)
    assert not password_is_new(anquan)
    with pytest.raises(ValidationError, match="已拒绝"):
        services.approve_password_reset(actor=admins["root"], reset=fresh)


def test_business_users_do_not_see_the_approvals(client, world, city_staff):
    client.force_login(city_staff)
    assert client.get(RESETS).status_code == 403
