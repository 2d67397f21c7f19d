"""Demo records of the members' portal (``manage.py seed_demo``): three members of the demo
branch with accounts (two active, one waiting for its activation code), notices, a study
material, an activity to sign up for, a class to sign up for, a pending correction and a draft."""

from __future__ import annotations

import io
import os
import string
from datetime import timedelta
from decimal import Decimal

import docx
from django.core.files.uploadedfile import SimpleUploadedFile

from tongxin.accounts.models import User
from tongxin.core.caps import Cap
from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs.models import Organization
from tongxin.people.demo.tree import DEMO_BRANCH_CODE
from tongxin.people.models import MembershipSpell, Person
from tongxin.training import services as training_services
from tongxin.training.models import ClassLevel, ClassType, TrainingClass

from . import services
from .models import CorrectionRequest, Draft, MemberAccount, Notice, NoticeKind

EVERYTHING = Scope(everything=True, caps=frozenset({Cap.CHANGE}))
MEMBER_USERNAMES = ("chengyuan1", "chengyuan2")
PASSWORD_ENV = "TONGXIN_DEMO_PASSWORD"


def _password(rng) -> str:
    given = os.environ.get(PASSWORD_ENV)
    if given:
        return given
    letters = "".join(rng.choice(string.ascii_lowercase) for _ in range(6))
    return f"Hy-{letters}-{rng.randint(1000, 9999)}"


def _publisher(username: str, name: str) -> User:
    # The demo users are finished (roles, scope, password) by ensure_demo_users after the seeds.
    user, _ = User.objects.get_or_create(username=username, defaults={"name": name})
    return user


def _material() -> SimpleUploadedFile:
    doc = docx.Document()
    doc.add_heading("学习资料：新时代多党合作制度要点", level=1)
    doc.add_paragraph("本资料供支部学习使用，请结合本职工作学习领会。")
    out = io.BytesIO()
    doc.save(out)
    return SimpleUploadedFile("多党合作学习资料.docx", out.getvalue())


def seed(*, root, today, rng) -> list[str]:
    branch = Organization.objects.filter(subtree_q(root.path), code=DEMO_BRANCH_CODE).first()
    if branch is None:
        return []
    spells = (
        MembershipSpell.objects.filter(org=branch)
        .active_on(today)
        .select_related("person")
        # The longest-standing members first: their 履职档案 has years of records to show.
        .order_by("start", "person__name_pinyin", "person_id")
    )
    people = [s.person for s in spells[:3]]
    if len(people) < 3:
        return []
    staff = _publisher("zuzhi", "组织部工作人员示例")
    chair = _publisher("zhibu", "支部主委示例")
    password = _password(rng)
    logins = []
    for person, username in zip(people, MEMBER_USERNAMES, strict=False):
        code = services.account_issue(person=person, by=chair, on=today)
        services.account_activate(code=code, username=username, password=password, on=today)
        logins.append(f"{username}（{person.name}）")
    waiting = people[2]
    code = services.account_issue(person=waiting, by=chair, on=today)

    services.notice_publish(
        notice=Notice(
            org=root,
            kind=NoticeKind.NOTICE,
            title="关于开展年度成员信息核对的通知",
            body="请各位成员登录后核对本人信息，如有变动，在「信息更正」中提出，"
            "经支部和组织部审核后更新。",
        ),
        scope=EVERYTHING,
        by=staff,
    )
    services.notice_publish(
        notice=Notice(org=root, kind=NoticeKind.MATERIAL, title="多党合作学习资料"),
        scope=EVERYTHING,
        by=staff,
        upload=_material(),
    )
    announced = services.notice_publish(
        notice=Notice(
            org=branch,
            kind=NoticeKind.ACTIVITY,
            title="支部主题学习活动",
            body="学习交流，欢迎报名。",
            event_date=today + timedelta(days=7),
            place="市委会三楼会议室",
        ),
        scope=EVERYTHING,
        by=chair,
    )
    services.signup_activity(notice=announced, person=people[1], on=today)
    start = today + timedelta(days=14)
    training_services.class_create(
        training_class=TrainingClass(
            name=f"{start.year}年成员履职能力培训班",
            org=root,
            level=ClassLevel.OWN,
            class_type=ClassType.OTHER,
            start=start,
            end=start + timedelta(days=1),
            hours=Decimal("8"),
            place="市委会培训室",
        ),
        daily_sessions=True,
    )
    first = people[0]
    # A plausible correction: the school and major the record lacks or has wrong.
    school = "江城大学 光学工程"
    if first.school_major == school:
        school = "江城理工大学 光学工程"
    services.correction_propose(
        person=first, changes={"school_major": school}, note="补充毕业院校及专业"
    )
    services.draft_submit(
        draft=Draft(
            person=people[1],
            kind="social_report",
            title="关于老旧小区加装电梯的建议",
            body="调查发现，部分老旧小区加装电梯协调难……建议由街道统一组织协商。",
        )
    )
    return [
        f"成员服务：成员账号 {'、'.join(logins)}，密码均为 {password}，从 /m/ 登录；"
        f"{waiting.name} 的激活码 {code}（在 /m/activate/ 激活）；"
        "通知 2 条、活动预告 1 条、可报名培训班 1 个、待审核的信息更正 1 份、稿件 1 份"
    ]


def reset(*, root) -> None:
    within = subtree_q(root.path, "org__path")
    Notice.objects.filter(within).delete()
    people = Person.objects.filter(
        pk__in=MembershipSpell.objects.filter(within).values("person_id")
    )
    accounts = MemberAccount.objects.filter(person__in=people)
    users = list(accounts.exclude(user=None).values_list("user_id", flat=True))
    CorrectionRequest.objects.filter(person__in=people).delete()
    Draft.objects.filter(person__in=people).delete()
    accounts.delete()
    User.objects.filter(pk__in=users).delete()
