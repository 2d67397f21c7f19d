"""The demo users: one account per role, placed on the demo committee or its branch."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction

from tongxin.accounts.roles import Role
from tongxin.accounts.services import grant_roles
from tongxin.orgs.models import Organization

from .tree import DEMO_BRANCH_CODE, ROOT_CODE

ADMIN_USERNAME = "admin"
BRANCH_USERNAME = "zhibu"
AUDITOR_USERNAME = "shenji"
# The second top-level organization of the demo, a district 区委统战部 (built by the cadres
# app's seed_demo hook, issue 19); its user is made only where it exists.
UNITED_FRONT_CODE = "TZ"
UNITED_FRONT_USERNAME = "tongzhan"


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    roles: tuple = ()
    node: str | None = None  # "root", "branch" or "united_front"
    superuser: bool = False
    reveal: bool = False  # may see ID numbers, phones and e-mails unmasked, when asking


# One demo account per role, so that each can be tried (三权分立 included).
DEMO_USERS = (
    DemoUser(ADMIN_USERNAME, "超级管理员", node="root", superuser=True),
    DemoUser("zuzhi", "组织部工作人员示例", (Role.STAFF,), "root", reveal=True),
    DemoUser("lingdao", "领导示例", (Role.LEADER,), "root"),
    DemoUser(BRANCH_USERNAME, "支部主委示例", (Role.BRANCH_CHAIR,), "branch"),
    DemoUser("xitong", "系统管理员示例", (Role.SYSTEM_ADMIN,)),
    DemoUser("anquan", "安全管理员示例", (Role.SECURITY_ADMIN,)),
    DemoUser(AUDITOR_USERNAME, "审计管理员示例", (Role.AUDIT_ADMIN,)),
    # The district party committee the coverage app's demo builds beside the committee
    # (tongxin.coverage.demo); made only where that district exists.
    DemoUser("dongqu", "东区党工委工作人员示例", (Role.STAFF,), "district"),
    DemoUser(UNITED_FRONT_USERNAME, "统战部工作人员示例", (Role.STAFF,), "united_front"),
)
DISTRICT_CODE = "DQ"


@transaction.atomic
def ensure_demo_users(*, password: str | None) -> tuple[str, bool]:
    """Create or update the demo users of DEMO_USERS, all with ``password`` or, without one, a
    generated one.

    Returns the password and whether it was generated.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    generated = not password
    if generated:
        password = secrets.token_urlsafe(9)
    nodes = {
        "root": Organization.objects.get(code=ROOT_CODE),
        "branch": Organization.objects.get(code=DEMO_BRANCH_CODE),
        "district": Organization.objects.filter(code=DISTRICT_CODE).first(),
        "united_front": Organization.objects.filter(code=UNITED_FRONT_CODE, depth=1).first(),
    }
    reveal = Permission.objects.get(codename="reveal_personal_data")
    User = get_user_model()
    for demo_user in DEMO_USERS:
        if demo_user.node and nodes[demo_user.node] is None:
            continue
        user = User.objects.filter(username=demo_user.username).first()
        user = user or User(username=demo_user.username)
        user.name = demo_user.name
        user.is_superuser = user.is_staff = demo_user.superuser
        user.is_active = True
        user.set_password(password)
        # TONGXIN_FORCE_FIRST_PASSWORD_CHANGE=0 lets a demo keep the printed password.
        user.must_change_password = settings.TONGXIN_FORCE_FIRST_PASSWORD_CHANGE
        user.save()
        user.scope_nodes.set([nodes[demo_user.node]] if demo_user.node else [])
        grant_roles(user, demo_user.roles)
        if demo_user.reveal:
            user.user_permissions.add(reveal)
        else:
            user.user_permissions.remove(reveal)
    return password, generated
