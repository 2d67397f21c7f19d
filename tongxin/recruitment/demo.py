"""Demo records of 组织发展 on top of the demo roster (tongxin.people.demo).

Applications at every step of the general procedure, a few admitted this year through it (one
through 百名优才入会工程), one refused by the cultivation interval, one past a deadline, one with
a warning let through with a reason, one rejected and one withdrawn; a plan for last year and
one for this year whose targets sit near what the roster's admissions actually were, and a
five-year plan. Every write goes through the services, so the rules hold for the demo too.
Drawn from the ``rng`` given and dated from ``today``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from tongxin.core.codes import TITLES, OrgKind
from tongxin.core.dates import years_before
from tongxin.core.idnumber import make_id_number
from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs.models import Organization
from tongxin.people import standing
from tongxin.people.models import Person
from tongxin.people.selectors import members_on

from . import selectors, services
from .models import (
    Application,
    DevelopmentPlan,
    PlanKind,
    PlanTarget,
    Programme,
    TargetKind,
)

EVERYTHING = Scope(everything=True)
STAFF_USERNAME = "zuzhi"  # the demo's 组织部工作人员 (tongxin.people.demo.DEMO_USERS)
PROGRAMME = "百名优才入会工程"

# Days after the application on which each step of the general procedure is done; 支部讨论
# falls more than six months after 联系培养、谈话, 备案 within a month of 市委会审批.
SCHEDULE = (
    ("申请", 0),
    ("联系培养、谈话", 15),
    ("考察", 60),
    ("征求所在单位党组织意见", 75),
    ("介绍人", 100),
    ("填写申请表", 120),
    ("支部讨论", 205),
    ("市委会审批", 235),
    ("备案", 250),
    ("入会", 260),
)
OPINIONS = {
    "申请": "提交书面入会申请和个人简历",
    "联系培养、谈话": "确定联系人，进行入会谈话",
    "考察": "思想上进，业务突出，群众评价好",
    "征求所在单位党组织意见": "所在单位党委同意其加入",
    "介绍人": "两名介绍人签署意见",
    "填写申请表": "本人填写入会申请表",
    "支部讨论": "支部大会讨论同意",
    "市委会审批": "市委会主委会议批准",
    "备案": "报省委会备案",
    "入会": "书面通知本人及所在单位，参加新成员入会仪式",
}

# (given names, gender, title, education, degree, sector, unit, post)
CANDIDATES = (
    ("晓雯", "2", "副教授", "11", "2", "education", "江城大学", "教师"),
    ("振宇", "1", "副主任医师", "14", "3", "health", "江城市第一人民医院", "心内科副主任"),
    ("静怡", "2", "高级工程师", "14", "3", "science", "江城光电研究院", "研究室主任"),
    ("立新", "1", "主任医师", "11", "2", "health", "江城市中心医院", "骨科主任"),
    ("思源", "1", "讲师", "11", "2", "education", "江城师范学院", "教师"),
    ("雅琴", "2", "一级教师", "21", "4", "education", "江城市第二中学", "语文教研组长"),
    ("浩然", "1", "研究员", "11", "2", "science", "江城农业科学院", "所长"),
    ("欣然", "2", "二级演员", "21", "4", "culture", "江城市歌剧院", "演员"),
    ("建华", "1", "高级会计师", "14", "3", "economy", "江城会计师事务所", "合伙人"),
    ("佳慧", "2", "副编审", "14", "3", "press", "江城日报社", "编辑部主任"),
    ("俊峰", "1", "二级律师", "14", "3", "law", "江城律师事务所", "律师"),
    ("丽萍", "2", "主管护师", "21", "4", "health", "江城市妇幼保健院", "护士长"),
    ("明轩", "1", "工程师", "14", "3", "science", "江城软件园", "技术总监"),
    ("婉清", "2", "教授", "11", "2", "education", "江城大学", "学院副院长"),
    ("国强", "1", "高级经济师", "21", "4", "economy", "江城城投集团", "部门经理"),
    ("瑞雪", "2", "主治医师", "14", "3", "health", "江城市第三医院", "医师"),
    ("子健", "1", "副研究员", "11", "2", "science", "江城生物研究所", "课题组长"),
    ("梦琪", "2", "讲师", "14", "3", "education", "江城职业技术学院", "教师"),
    ("文博", "1", "副教授", "11", "2", "culture", "江城美术学院", "教师"),
    ("秀兰", "2", "高级教师", "21", "4", "education", "江城市实验小学", "副校长"),
    ("天佑", "1", "主任药师", "14", "3", "health", "江城市中医院", "药剂科主任"),
    ("若溪", "2", "工程师", "14", "3", "science", "江城水务集团", "工程师"),
)
SURNAMES = "陈黄周吴郑王冯蔡许邓韩曹曾彭萧程袁潘"
AREA = "420111"


class _Seeder:
    def __init__(self, *, root: Organization, today: date, rng: random.Random):
        self.root = root
        self.today = today
        self.rng = rng
        self.by = self._staff_user()
        self.branches = list(
            Organization.objects.filter(
                subtree_q(root.path), kind=OrgKind.BRANCH, dissolved__isnull=True
            ).order_by("path")
        )
        self.candidates = list(CANDIDATES)
        self.rng.shuffle(self.candidates)
        self.sequence = 0
        self.count = 0

    def _staff_user(self):
        # ensure_demo_users sets the password and roles once the demo is built.
        user, _ = get_user_model().objects.get_or_create(
            username=STAFF_USERNAME, defaults={"name": "组织部工作人员示例"}
        )
        return user

    def candidate(self, *, age: int | None = None) -> Person:
        given, gender, title, education, degree, sector, unit, post = self.candidates.pop()
        age = age or self.rng.randint(31, 48)
        birth = self.today - timedelta(days=age * 365 + self.rng.randint(20, 300))
        while True:
            self.sequence += 1
            number = make_id_number(AREA, birth, (self.sequence * 2 + (gender == "1")) % 1000)
            if not Person.objects.with_id_number(number).exists():
                break
        return Person(
            name=self.rng.choice(SURNAMES) + given,
            id_number=number,
            gender=gender,
            birth_date=birth,
            ethnicity="01",
            education=education,
            degree=degree,
            title=title,
            title_level=TITLES[title][1],
            work_unit=unit,
            job_post=post,
            sector=sector,
            political_status="13",
            phone=f"139{self.rng.randint(10_000_000, 99_999_999)}",
        )

    def sponsors(self, branch: Organization, on: date) -> list[Person]:
        """Two members of three years' standing, of the branch if it has them."""
        senior = years_before(on, 3)
        found = []
        for org in (branch, self.root):
            for person in members_on(scope=EVERYTHING, org=org, on=on).order_by("pk")[:60]:
                since = standing.member_since(person=person, on=on)
                if person in found or not since or since > senior:
                    continue
                if standing.in_good_standing(person=person, on=on):
                    found.append(person)
                if len(found) == 2:
                    return found
        return found

    def application(self, *, reach: str, applied: date, branch=None, programme=None, **kw):
        """An application walked through the schedule up to and including ``reach``."""
        branch = branch or self.rng.choice(self.branches)
        person = self.candidate(age=kw.get("age"))
        try:
            application = services.application_create(
                person=person,
                branch=branch,
                on=applied,
                by=self.by,
                programme=programme,
                opinion=OPINIONS["申请"],
            )
        except services.ReasonsNeeded as asked:
            reason = kw.get("reason", "该同志为所在界别代表人士，经支部研究同意继续办理")
            reasons = {w.rule.pk: reason for w in asked.warnings}
            application = services.application_create(
                person=person,
                branch=branch,
                on=applied,
                by=self.by,
                programme=programme,
                opinion=OPINIONS["申请"],
                reasons=reasons,
            )
        self.count += 1
        for name, days in SCHEDULE:
            if name != "申请":
                self.step(application, name, applied + timedelta(days=days))
            if name == reach:
                return application
        return application

    def step(self, application: Application, name: str, on: date) -> None:
        step = application.procedure.steps.get(name=name)
        kwargs = {"opinion": OPINIONS[name]}
        if step.with_vote:
            expected = self.rng.randint(9, 25)
            present = expected - self.rng.randint(0, 3)
            against = self.rng.randint(0, 1)
            kwargs["meeting"] = services.Meeting(expected, present, present - against, against, 0)
        if name == "介绍人":
            kwargs["introducers"] = self.sponsors(application.branch, on)
        if name == "市委会审批":
            kwargs["document_no"] = f"江盟组〔{on.year}〕{self.count}号"
        if name == "入会":
            kwargs["notified_person_on"] = kwargs["notified_unit_on"] = on
        services.step_record(application=application, step=step, on=on, by=self.by, **kwargs)
        application.refresh_from_db()

    def run(self) -> list[str]:
        today = self.today
        programme = Programme.objects.create(
            org=self.root,
            name=PROGRAMME,
            start_year=today.year - 1,
            end_year=today.year + 3,
            note="五年内发展百名高层次人才入会",
        )
        demo_branch = Organization.objects.get(code="MM-JC-ZS01")
        # Admitted this year through the procedure.
        for index in range(4):
            self.application(
                reach="入会",
                applied=today - timedelta(days=262 + 7 * index),
                programme=programme if index < 2 else None,
                branch=demo_branch if index == 0 else None,
            )
        # One application at each step before admission.
        names = [n for n, _ in SCHEDULE[:-1]]
        for index, name in enumerate(names):
            offset = dict(SCHEDULE)[name]
            self.application(
                reach=name,
                applied=today - timedelta(days=offset + 3 + index),
                branch=demo_branch if index in (1, 6) else None,
                programme=programme if index in (4, 7) else None,
            )
        # Refused: 支部讨论 tried before six months of cultivation.
        blocked = self.application(reach="填写申请表", applied=today - timedelta(days=125))
        try:
            self.step(blocked, "支部讨论", today)
        except services.StepRefused:
            pass
        # Past the deadline: 考察 not done within twelve months of the application.
        self.application(reach="联系培养、谈话", applied=today - timedelta(days=400))
        # Older than the usual age limit, let through with a reason.
        self.application(
            reach="考察",
            applied=today - timedelta(days=70),
            age=57,
            reason="在本领域有较大影响，经市委会研究同意",
        )
        rejected = self.application(reach="考察", applied=today - timedelta(days=150))
        services.application_end(
            application=rejected,
            status="rejected",
            on=today - timedelta(days=30),
            reason="考察意见认为暂不具备入会条件",
            by=self.by,
        )
        withdrawn = self.application(reach="联系培养、谈话", applied=today - timedelta(days=90))
        services.application_end(
            application=withdrawn,
            status="withdrawn",
            on=today - timedelta(days=20),
            reason="本人因工作调动申请撤回",
            by=self.by,
        )
        plans = self.plans(programme)
        in_progress = Application.objects.filter(status="open", branch__in=self.branches)
        admitted = Application.objects.filter(status="admitted", branch__in=self.branches)
        return [
            f"组织发展：入会申请 {self.count} 件（办理中 {in_progress.count()} 件，"
            f"经入会程序入会 {admitted.count()} 名，已计入名册），发展计划 {plans} 个，"
            f"优才工程「{PROGRAMME}」"
        ]

    def busiest_branches(self, start: date, end: date) -> list[tuple[Organization, int]]:
        """The two branches with the most admissions in ``[start, end]``, with their count."""
        counts = [
            (
                selectors.admitted(
                    scope=EVERYTHING,
                    org=self.root,
                    filters=selectors.AdmissionFilter(start, end, branch=branch.pk),
                ).count(),
                index,
            )
            for index, branch in enumerate(self.branches)
        ]
        return [(self.branches[i], n) for n, i in sorted(counts, reverse=True)[:2]]

    def plans(self, programme: Programme) -> int:
        """Last year's and this year's plans with targets near the admissions actually made,
        and the five-year plan."""
        year = self.today.year
        count = 0
        for plan_year, title in (
            (year - 1, f"{year - 1}年组织发展计划"),
            (year, f"{year}年组织发展计划"),
        ):
            end = min(date(plan_year, 12, 31), self.today)
            figures = selectors.admission_figures(
                scope=EVERYTHING,
                org=self.root,
                filters=selectors.AdmissionFilter(date(plan_year, 1, 1), end),
            )
            total = figures["total"].value
            whole_year = (
                total
                if plan_year < year
                else round(total * 365 / max(1, (end - date(year, 1, 1)).days + 1))
            )
            mid = _share_floor(figures["mid_title_or_above"].value, total)
            senior = _share_floor(figures["senior_title"].value, total)
            post = _share_floor(figures["postgraduate"].value, total)
            age = int(figures["average_age"].value) + 2 if total else 45
            targets = [
                PlanTarget(
                    kind=TargetKind.TOTAL,
                    value=Decimal(max(whole_year + self.rng.randint(-1, 2), 1)),
                ),
                PlanTarget(kind=TargetKind.MID_TITLE_SHARE, value=Decimal(mid)),
                PlanTarget(kind=TargetKind.SENIOR_TITLE_SHARE, value=Decimal(senior)),
                PlanTarget(kind=TargetKind.MAX_AVERAGE_AGE, value=Decimal(age)),
                PlanTarget(kind=TargetKind.POSTGRADUATE_SHARE, value=Decimal(post)),
                PlanTarget(
                    kind=TargetKind.SECTOR_COUNT,
                    value=Decimal(
                        max(
                            1, figures["sector"]["教育"].value + figures["sector"]["医药卫生"].value
                        )
                    ),
                    sectors="education、health",
                ),
            ]
            if plan_year == year:
                targets.append(
                    PlanTarget(
                        kind=TargetKind.PROGRAMME_COUNT, value=Decimal(5), programme=programme
                    )
                )
                for branch, admitted in self.busiest_branches(date(year, 1, 1), end):
                    value = Decimal(admitted + self.rng.randint(0, 1))
                    targets.append(PlanTarget(kind=TargetKind.BRANCH, value=value, org=branch))
            services.plan_save(
                plan=DevelopmentPlan(
                    org=self.root,
                    kind=PlanKind.ANNUAL,
                    start_year=plan_year,
                    end_year=plan_year,
                    title=title,
                    document_no=f"江盟发〔{plan_year}〕3号",
                    created_by=self.by,
                ),
                targets=targets,
            )
            count += 1
        services.plan_save(
            plan=DevelopmentPlan(
                org=self.root,
                kind=PlanKind.FIVE_YEAR,
                start_year=year - 1,
                end_year=year + 3,
                title=f"{year - 1}—{year + 3}年组织发展规划",
                note="质量与数量并举、质量第一",
                created_by=self.by,
            ),
            targets=[
                PlanTarget(kind=TargetKind.TOTAL, value=Decimal(100)),
                PlanTarget(kind=TargetKind.MID_TITLE_SHARE, value=Decimal(80)),
                PlanTarget(
                    kind=TargetKind.PROGRAMME_COUNT, value=Decimal(100), programme=programme
                ),
            ],
        )
        return count + 1


def _share_floor(part: int, whole: int) -> int:
    """A target a little under the share reached: to the 5% below."""
    if not whole:
        return 50
    return max(0, int(part * 100 / whole) // 5 * 5)


def seed(*, root: Organization, today: date, rng: random.Random) -> list[str]:
    return _Seeder(root=root, today=today, rng=rng).run()


def reset(*, root: Organization) -> None:
    """Delete the demo's applications (their candidates who never became members with them),
    plans and programmes under ``root``."""
    applications = Application.objects.filter(subtree_q(root.path, "branch__path"))
    candidates = list(applications.values_list("person_id", flat=True))
    for attachment in applications.values_list("records__attachments__file", flat=True):
        if attachment:
            from django.core.files.storage import default_storage

            default_storage.delete(attachment)
    applications.delete()
    Person.objects.filter(pk__in=candidates, spells__isnull=True).delete()
    DevelopmentPlan.objects.filter(subtree_q(root.path, "org__path")).delete()
    Programme.objects.filter(subtree_q(root.path, "org__path")).delete()
