"""Branch B's records for the scope walk (tests/test_scope_walk.py): a member with an account,
a notice and an activity announcement with a sign-up, a correction request and a draft."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import make_member, make_user
from tongxin.portal import services
from tongxin.portal.models import (
    CorrectionRequest,
    Draft,
    MemberAccount,
    Notice,
    NoticeKind,
    SignUp,
)

NOTICE_TITLE = "乙支部专属通知"
DRAFT_TITLE = "乙支部成员的提案稿"

EXPECTED = [
    "portal:account_issue",
    "portal:notice",
    "portal:notice_file",
    "portal:notice_record",
    "portal:correction_chair",
    "portal:correction_staff",
    "portal:identity",
    "portal:draft_take",
    "portal:draft_return",
    "member:notice",
    "member:draft",
    "member:signup_cancel",
]


def b_records(world) -> dict:
    today = timezone.localdate()
    publisher = make_user("portal_staff_b", world.branch_b)
    member = make_member(world.branch_b, name="乙支部成员甲", work_unit="乙单位")
    code = services.account_issue(person=member, by=publisher, on=today)
    services.account_activate(
        code=code, username="b_member", password="Tongxin-Member-2026", on=today
    )
    notice = Notice.objects.create(
        org=world.branch_b,
        kind=NoticeKind.ACTIVITY,
        title=NOTICE_TITLE,
        event_date=today + timedelta(days=3),
        published_by=publisher,
    )
    signup = services.signup_activity(notice=notice, person=member, on=today)
    correction = services.correction_propose(person=member, changes={"work_unit": "乙新单位"})
    draft = Draft.objects.create(person=member, kind="proposal", title=DRAFT_TITLE, body="内容")
    return {
        "member": member,
        "notice": notice,
        "signup": signup,
        "correction": correction,
        "draft": draft,
    }


def argument(name: str, arg: str, records: dict) -> str | None:
    if arg != "pk" or not (name.startswith("portal:") or name.startswith("member:")):
        return None
    short = name.split(":", 1)[1]
    if short in ("account_issue", "account_reset", "identity"):
        record = records["member"]
    elif short.startswith("notice"):
        record = records["notice"]
    elif short.startswith("correction"):
        record = records["correction"]
    elif short.startswith("draft"):
        record = records["draft"]
    elif short.startswith("signup"):
        record = records["signup"]
    elif short == "class_signup":
        record = records["notice"]  # no class of B is open to anyone here: any id answers 404
    else:
        return None
    return str(record.pk)


def markers(records) -> list[str]:
    return [NOTICE_TITLE, DRAFT_TITLE, "乙新单位", "乙支部成员甲"]


def snapshot():
    return (
        sorted(CorrectionRequest.objects.values_list("pk", "state", "reason")),
        sorted(Draft.objects.values_list("pk", "state", "contribution_id")),
        sorted(Notice.objects.values_list("pk", "title", "activity_id")),
        sorted(SignUp.objects.values_list("pk", "person_id")),
        sorted(MemberAccount.objects.values_list("pk", "user_id", "code_hash")),
    )
