"""Argon2, the complexity rule, the first login's password change and password expiry."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import log_in
from tests.factories import make_org, make_user
from tongxin import settings as project_settings
from tongxin.accounts.models import User
from tongxin.accounts.passwords import ComplexityValidator
from tongxin.core.codes import OrgKind
from tongxin.people import demo

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Jiangcheng-2024"


def change_password(client, old="correct-horse-9", new=NEW_PASSWORD, next_url=""):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new, "next": next_url},
    )


def test_new_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = project_settings.PRODUCTION_PASSWORD_HASHERS
    user = User.objects.create_user("zhang", password=NEW_PASSWORD)
    assert user.password.startswith("argon2$")
    assert user.check_password(NEW_PASSWORD)


def test_an_old_hash_is_upgraded_at_login_without_counting_as_a_password_change(
    client, settings, world
):
    settings.PASSWORD_HASHERS = project_settings.PRODUCTION_PASSWORD_HASHERS
    user = make_user("zhang", world.city)
    changed_at = timezone.now() - timedelta(days=10)
    User.objects.filter(pk=user.pk).update(
        password=make_password("correct-horse-9", hasher="pbkdf2_sha256"),
        password_changed_at=changed_at,
    )
    assert log_in(client, "zhang").status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert user.password_changed_at == changed_at


@pytest.mark.parametrize("password", ["abcdefgh", "Abcdefgh", "12345678", "Ab1!"])
def test_the_complexity_rule_refuses_weak_passwords(password):
    with pytest.raises(ValidationError) as error:
        ComplexityValidator().validate(password)
    assert any("密码" in message for message in error.value.messages)


@pytest.mark.parametrize("password", ["Abcdefg1", "abcdefg1!", "ABCD-1234", "同心同心ab1!"])
def test_the_complexity_rule_accepts_three_classes_of_eight_characters(password):
    ComplexityValidator().validate(password)


def test_the_validators_in_use_apply_the_rule_with_a_chinese_message():
    validate_password("Jiangcheng-2024")
    with pytest.raises(ValidationError) as error:
        validate_password("Abcdefgh")
    assert "大写字母、小写字母、数字、符号中的至少 3 类，现在只有 2 类" in " ".join(
        error.value.messages
    )


def test_the_rule_follows_the_settings(settings):
    settings.TONGXIN_PASSWORD_MIN_LENGTH = 12
    settings.TONGXIN_PASSWORD_MIN_CLASSES = 4
    validator = ComplexityValidator()
    with pytest.raises(ValidationError, match="至少 12 个字符"):
        validator.validate("Abcdefg1!")
    with pytest.raises(ValidationError, match="至少 4 类"):
        validator.validate("Abcdefghijk1")
    validator.validate("Abcdefghij1!")
    assert validator.get_help_text() == (
        "至少 12 个字符，包含大写字母、小写字母、数字、符号中的至少 4 类。"
    )


def test_a_created_account_must_change_its_password_at_first_login(client, world):
    user = User.objects.create_user("zhang", password="correct-horse-9")
    assert user.must_change_password and user.password_changed_at is not None
    log_in(client, "zhang")

    response = client.get(reverse("people:roster"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change") + "?next=%2Fpeople%2F"
    page = client.get(response.url)
    assert "首次登录" in page.content.decode()
    # Only the password page, logging out and static files are reachable.
    assert client.get(reverse("workbench")).status_code == 302
    assert client.get("/static/css/tongxin.css").status_code == 200

    before = timezone.now()
    response = change_password(client, next_url="/people/")
    assert response.status_code == 302 and response.url == "/people/"
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.password_changed_at >= before
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("workbench")).status_code == 200  # still logged in


def test_createsuperuser_makes_an_account_that_must_change_its_password(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Initial-Passw0rd")
    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "r@example.org")
    assert User.objects.get(username="root").must_change_password


def test_a_weak_new_password_is_refused_and_nothing_changes(client, world):
    User.objects.create_user("zhang", password="correct-horse-9")
    log_in(client, "zhang")
    response = change_password(client, new="abcdefgh")
    assert response.status_code == 200
    assert "现在只有 1 类" in response.content.decode()
    response = change_password(client, new="correct-horse-9")
    assert "新密码不能与当前密码相同" in response.content.decode()
    user = User.objects.get(username="zhang")
    assert user.must_change_password and user.check_password("correct-horse-9")


def test_an_expired_password_must_be_changed(client, world):
    user = make_user("zhang", world.city)
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - timedelta(days=92, hours=1)
    )
    client.force_login(user)
    response = client.get(reverse("workbench"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:password_change"))
    assert "密码已过期 3 天" in client.get(response.url).content.decode()

    change_password(client)
    assert client.get(reverse("workbench")).status_code == 200


def test_a_password_within_its_age_or_without_an_age_limit_does_not_expire(client, world, settings):
    user = make_user("zhang", world.city)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=89))
    client.force_login(user)
    assert client.get(reverse("workbench")).status_code == 200
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=900))
    settings.TONGXIN_PASSWORD_MAX_AGE_DAYS = 0
    assert client.get(reverse("workbench")).status_code == 200


def test_an_htmx_request_is_redirected_by_header(client, world):
    User.objects.create_user("zhang", password="correct-horse-9")
    log_in(client, "zhang")
    response = client.get(reverse("people:roster"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("accounts:password_change")


def test_any_user_can_change_the_password_from_the_menu(client, world):
    user = make_user("zhang", world.city)
    client.force_login(user)
    assert "修改密码" in client.get(reverse("workbench")).content.decode()
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "首次登录" not in page and "已过期" not in page
    assert change_password(client).url == reverse("workbench")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("force", [True, False])
def test_the_demo_accounts_follow_the_first_login_setting(settings, force):
    settings.TONGXIN_FORCE_FIRST_PASSWORD_CHANGE = force
    root = make_org(code=demo.ROOT_CODE, name=demo.ROOT_NAME, kind=OrgKind.COMMITTEE, party="05")
    make_org(root, code=demo.DEMO_BRANCH_CODE, name="示例支部")
    demo.ensure_demo_users(password="Demo-Passw0rd")
    for username in (demo.ADMIN_USERNAME, demo.BRANCH_USERNAME):
        assert User.objects.get(username=username).must_change_password is force


@pytest.mark.parametrize("password", ["Zhang-Min-2024", "zhangmin#2024X", "2024!ZHANGMIN"])
def test_a_password_may_not_contain_the_user_name(password):
    user = User(username="zhangmin")
    with pytest.raises(ValidationError, match="密码不能包含用户名“zhangmin”"):
        validate_password(password, user)


def test_a_new_password_holding_the_user_name_is_refused_at_the_change(client, world):
    User.objects.create_user("zhangmin", password="correct-horse-9")
    log_in(client, "zhangmin")
    response = change_password(client, old="correct-horse-9", new="Zhangmin-2024!")
    assert "密码不能包含用户名" in response.content.decode()
    assert User.objects.get(username="zhangmin").check_password("correct-horse-9")
