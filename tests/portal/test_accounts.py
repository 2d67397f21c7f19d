"""Member accounts: a one-time code from the chair or staff, the staff password rules, and a
login that reaches the members' pages only."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.factories import make_member
from tongxin.accounts.models import User
from tongxin.core.scope import Scope
from tongxin.portal import services
from tongxin.portal.models import MemberAccount

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _issue(client, user, person):
    client.force_login(user)
    response = client.post(reverse("portal:account_issue", args=[person.pk]))
    assert response.status_code == 200
    code = re.search(r'data-testid="code">([A-Z0-9-]+)<', response.content.decode()).group(1)
    client.logout()
    return code


def test_a_branch_chair_issues_a_code_that_the_member_activates_once(client, world, chair_a):
    person = make_member(world.branch_a, name="周启明")
    code = _issue(client, chair_a, person)
    form = {
        "code": code.lower(),
        "username": "zhouqm",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    response = client.post(reverse("member:activate"), form)
    assert response.status_code == 302
    account = MemberAccount.objects.get(person=person)
    assert account.user.username == "zhouqm" and account.code_hash == ""
    assert not account.user.groups.exists() and not account.user.scope_nodes.exists()
    assert Scope.for_user(account.user).caps == frozenset()
    # Logging in lands on the members' home page.
    response = client.post(
        reverse("login"), {"username": "zhouqm", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("member:home")
    assert "周启明" in response.content.decode()
    # The code cannot be used twice.
    client.logout()
    form["username"] = "zhouqm2"
    response = client.post(reverse("member:activate"), form)
    assert "激活码不正确或已使用" in response.content.decode()
    assert not User.objects.filter(username="zhouqm2").exists()


def test_activation_applies_the_staff_password_rules(client, world, chair_a):
    person = make_member(world.branch_a, name="赵简")
    code = _issue(client, chair_a, person)
    response = client.post(
        reverse("member:activate"),
        {"code": code, "username": "zhaojian", "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    assert 'data-testid="error-password1"' in response.content.decode()
    assert MemberAccount.objects.get(person=person).user is None


def test_an_expired_code_is_refused(world, chair_a):
    person = make_member(world.branch_a, name="钱远")
    code = services.account_issue(person=person, by=chair_a, on=timezone.localdate())
    MemberAccount.objects.filter(person=person).update(
        code_expires_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    with pytest.raises(Exception, match="激活码已过期"):
        services.account_activate(
            code=code, username="qianyuan", password=PASSWORD, on=timezone.localdate()
        )


def test_a_chair_cannot_issue_a_code_for_another_branch(client, world, chair_a):
    person = make_member(world.branch_b, name="孙乙")
    client.force_login(chair_a)
    assert client.post(reverse("portal:account_issue", args=[person.pk])).status_code == 404
    assert not MemberAccount.objects.exists()


def test_a_reader_cannot_issue_codes(client, world):
    from tests.factories import make_user
    from tongxin.accounts.roles import Role

    reader = make_user("reader_a", world.branch_a, roles=(Role.READER,))
    person = make_member(world.branch_a, name="李读")
    client.force_login(reader)
    assert client.post(reverse("portal:account_issue", args=[person.pk])).status_code == 403


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield (namespace, entry.name or ""), prefix + str(entry.pattern)


OPEN = {("", "login"), ("", "logout"), ("", "healthz"), ("", "workbench")}


def test_a_member_reaches_no_staff_page(client, world, member_a, member_b):
    """Every URL pattern of the project but the members' own and the login's answers 404 to a
    member (with a record id where the pattern takes one), by GET and by POST."""
    walked = 0
    for (namespace, name), route in _patterns():
        if route.startswith("static") or namespace == "member":
            continue
        if namespace == "accounts" and name.startswith("otp") or name == "password_change":
            continue
        if (namespace, name) in OPEN:
            continue
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", "1", route).lstrip("^").rstrip("$")
        url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", url).replace("\\", "")
        for method in ("get", "post"):
            client.force_login(member_a.user)
            response = getattr(client, method)(url)
            assert response.status_code == 404, f"{method.upper()} {url} ({namespace}:{name})"
            walked += 1
    assert walked > 100
    # The front page sends a member to the members' home.
    client.force_login(member_a.user)
    assert client.get("/")["Location"] == reverse("member:home")


def test_staff_get_404_on_the_members_pages(client, city_staff):
    client.force_login(city_staff)
    for name in ("member:home", "member:notices", "member:record", "member:drafts"):
        assert client.get(reverse(name)).status_code == 404


def test_a_member_is_locked_out_as_staff_are_and_may_add_a_second_factor(client, member_a):
    from tests.accounts.conftest import confirmed_device, totp_code

    for _ in range(5):
        response = client.post(
            "/login/", {"username": "linxm", "password": "wrong"}, REMOTE_ADDR="10.0.0.7"
        )
    assert response.status_code == 429
    response = client.post(
        "/login/", {"username": "linxm", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 429
    # From elsewhere, with a TOTP device: the code is asked before any member page.
    device = confirmed_device(member_a.user)
    client.post("/login/", {"username": "linxm", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8")
    response = client.get(reverse("member:home"))
    assert response.status_code == 302 and reverse("accounts:otp_verify") in response["Location"]
    client.post(reverse("accounts:otp_verify"), {"code": totp_code(device)})
    assert client.get(reverse("member:home")).status_code == 200
    assert client.get(reverse("accounts:otp")).status_code == 200


def test_the_audit_log_never_holds_the_codes_hash(world, chair_a):
    from auditlog.models import LogEntry

    person = make_member(world.branch_a, name="吴审")
    services.account_issue(person=person, by=chair_a, on=timezone.localdate())
    account = MemberAccount.objects.get(person=person)
    entries = LogEntry.objects.get_for_object(account)
    assert entries.exists()
    assert all("code_hash" not in entry.changes_dict for entry in entries)
