"""The united-front demo (issue 19): a district 区委统战部 as a second top-level organization,
beside the democratic-party demo, with 8 streets, 12 industry party committees and 17
departments as units, about fifty non-party cadres and talents whose files the units keep, with
their posts, pools, entries recommended by the units, and assessments.

Every write goes through the services; everything is drawn from ``rng`` and dated relative to
``today``, so that its figures read like a department's report on any day."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db.models import Q

from tongxin.core.codes import (
    AffiliationKind,
    AssessmentGrade,
    PoliticalBody,
    PoliticalLevel,
    PostKind,
    UnitNature,
)
from tongxin.core.dates import years_before
from tongxin.core.idnumber import make_id_number
from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs import services as org_services
from tongxin.orgs.models import Organization
from tongxin.people import services as people_services
from tongxin.people.demo.users import UNITED_FRONT_CODE
from tongxin.people.models import Affiliation, MembershipSpell, Person, Post

from . import services
from .models import (
    AnnualAssessment,
    EntrySource,
    NonPartyPlan,
    PoolEntry,
    PoolKind,
    PoolLevel,
    RankGroup,
    Recommendation,
    TalentPool,
)

EVERYTHING = Scope(everything=True)
ROOT_CODE = UNITED_FRONT_CODE  # the demo user tongzhan's scope (people.demo.users)
ROOT_NAME = "江城市东湖区委统战部"
MEETING = "统战部部务会"
STREETS = ("东湖", "水果湖", "中南", "珞南", "卓刀泉", "关山", "洪山", "狮子山")
INDUSTRIES = (
    "教育", "卫生健康", "科技", "金融", "商贸", "建筑", "交通物流", "文化旅游",
    "非公经济", "社会组织", "律师行业", "互联网",
)  # fmt: skip
BUREAUS = (
    "发展和改革局", "教育局", "科学技术局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
    "自然资源和规划局", "住房和城市更新局", "交通运输局", "水务局", "商务局", "文化和旅游局",
    "卫生健康委员会", "审计局", "市场监督管理局", "统计局",
)  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "文华明建国志红晓丽军平伟静敏强磊洋艳勇杰涛娟超霞秀英刚峰鹏辉玲"
TITLES = (("高级工程师", "2"), ("副主任医师", "2"), ("副教授", "2"), ("经济师", "3"),
          ("主任医师", "1"), ("律师", "3"), ("高级会计师", "2"), ("讲师", "3"))  # fmt: skip


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def department_root() -> Organization | None:
    return Organization.objects.filter(code=ROOT_CODE, depth=1).first()


class _Demo:
    def __init__(self, *, party_root, today: date, rng: random.Random):
        self.party_root = party_root
        self.today = today
        self.rng = rng
        self.year_start = today.replace(month=1, day=1)
        self.founded = years_before(today, 8)

    def tree(self) -> None:
        def child(parent, code, name, kind):
            return org_services.org_create(
                parent=parent,
                org=Organization(code=code, name=name, kind=kind, established=self.founded),
            )

        self.root = org_services.org_create(
            parent=None,
            org=Organization(
                code=ROOT_CODE,
                name=ROOT_NAME,
                kind="department",
                party="01",
                established=self.founded,
            ),
        )
        self.streets = [
            child(self.root, f"TZ-JD{i:02d}", f"{n}街道党工委", "street_committee")
            for i, n in enumerate(STREETS, 1)
        ]
        self.industries = [
            child(self.root, f"TZ-HY{i:02d}", f"{n}行业党委", "industry_committee")
            for i, n in enumerate(INDUSTRIES, 1)
        ]
        self.bureaus = [
            child(self.root, f"TZ-BJ{i:02d}", f"东湖区{n}", "bureau")
            for i, n in enumerate(BUREAUS, 1)
        ]
        self.units = [*self.streets, *self.industries, *self.bureaus]

    def pools(self) -> None:
        def pool(name, kind, **fields):
            return services.pool_save(
                pool=TalentPool(owner=self.root, name=name, kind=kind, **fields)
            )

        self.cadres = pool("党外干部队伍", PoolKind.NON_PARTY)
        self.reserve = pool("党外后备干部", PoolKind.NON_PARTY_RESERVE)
        self.levels = {
            group: services.pool_level_save(
                level=PoolLevel(pool=self.reserve, rank_group=group, order=order)
            )
            for order, group in enumerate((RankGroup.DIVISION, RankGroup.SECTION))
        }
        self.young = pool("党外优秀青年干部", PoolKind.YOUNG, max_age=40)
        self.talent = pool("党外专业人才库", PoolKind.TALENT)

    def person(self, sequence: int, *, age: int, unit: Organization, kind: str) -> Person:
        rng = self.rng
        gender = rng.choice("1122" if age < 40 else "112")
        born = years_before(self.today, age) - timedelta(days=rng.randint(20, 340))
        title, level = rng.choice(TITLES)
        person = people_services.person_update(
            person=Person(
                name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                gender=gender,
                birth_date=born,
                id_number=make_id_number("420111", born, 500 + sequence * 2 + (gender == "1")),
                ethnicity="01",
                education=rng.choice(("11", "14", "21", "21")),
                degree=rng.choice(("2", "3", "4")),
                title=title,
                title_level=level,
                work_unit=unit.name.replace("党工委", "办事处").replace("行业党委", "行业单位"),
                unit_nature=UnitNature.PARTY_GOVERNMENT
                if unit.kind != "industry_committee"
                else UnitNature.PUBLIC_INSTITUTION,
                political_status=rng.choice(("12", "13", "13", "05", "07")),
            )
        )
        people_services.affiliation_start(
            person=person,
            org=unit,
            kind=kind,
            on=_day(rng, self.founded, years_before(self.today, 2)),
        )
        return person

    def government(self, person, rank, start, *, title, end=None) -> Post:
        return people_services.post_record(
            post=Post(
                person=person,
                kind=PostKind.GOVERNMENT,
                title=title,
                unit=person.work_unit,
                rank=rank,
                start=start,
                end=end,
            ),
            rules_checked=True,
        )

    def people(self) -> None:
        """Leaders (5 县处级正职, 7 副职), section-level cadres (some taken up this year, one
        promoted), young cadres and talents: fifty files kept by the units."""
        rng, today = self.rng, self.today
        this_year = (self.year_start, today)
        self.leaders, self.section, self.youth, self.talents = [], [], [], []
        sequence = 0

        def make(age, kind=AffiliationKind.NON_PARTY_CADRE):
            nonlocal sequence
            sequence += 1
            unit = self.units[(sequence * 7) % len(self.units)]
            return self.person(sequence, age=age, unit=unit, kind=kind), unit

        for index in range(12):
            person, unit = make(rng.randint(45, 56))
            rank = "131" if index < 5 else "132"
            title = "局长" if rank == "131" else "副局长"
            start = years_before(today, rng.randint(2, 6))
            if index in (4, 11):  # taken up this year: one new 正职, one promoted 副职
                self.government(person, "142", years_before(today, 6), title="科长",
                                end=self.year_start)  # fmt: skip
                start = _day(rng, *this_year)
            self.government(person, rank, start, title=title)
            self.leaders.append((person, unit))
        for index in range(15):
            person, unit = make(rng.randint(33, 48))
            rank = "141" if index < 6 else "142"
            start = _day(rng, *this_year) if index % 5 == 0 else years_before(today, 3)
            self.government(person, rank, start, title="科长" if rank == "141" else "副科长")
            self.section.append((person, unit))
        for _index in range(13):
            self.youth.append(make(rng.randint(28, 38)))
        for _index in range(10):
            self.talents.append(make(rng.randint(35, 58), AffiliationKind.TALENT))
        # Two political seats, one co-opted inside the term.
        term_start = years_before(today, 2)
        for (person, _unit), start in zip(
            self.leaders[:2], (term_start, _day(rng, *this_year)), strict=True
        ):
            people_services.post_record(
                post=Post(person=person, kind=PostKind.POLITICAL, title="区政协委员",
                          body=PoliticalBody.CPPCC_MEMBER, level=PoliticalLevel.COUNTY,
                          unit="东湖区政协", term="第十届", start=start),
                rules_checked=True,
            )  # fmt: skip

    def shared_members(self) -> None:
        """Members of the democratic-party demo whose file a unit keeps as well: one person,
        two links (counted once)."""
        members = (
            Person.objects.filter(
                spells__org__path__startswith=self.party_root.path,
                spells__end__isnull=True,
                birth_date__gte=years_before(self.today, 38),
            )
            .distinct()
            .order_by("pk")[:3]
        )
        for index, person in enumerate(members):
            unit = self.bureaus[index]
            people_services.affiliation_start(
                person=person,
                org=unit,
                kind=AffiliationKind.NON_PARTY_CADRE,
                on=years_before(self.today, 1),
            )
            self.youth.append((person, unit))

    def entries(self) -> None:
        """The units' recommendations of the year: 乡科级 reserves and young cadres; earlier
        entries for the 县处级 reserves; every file in the cadres' pool."""
        rng, today = self.rng, self.today

        def enter(pool, person, unit, on, level=None):
            services.pool_entry_start(
                pool=pool, person=person, on=on, source=EntrySource.UNIT,
                decision_meeting=MEETING, decision_date=on, level=level,
                recommending_unit=unit,
            )  # fmt: skip

        every = [*self.leaders, *self.section, *self.youth, *self.talents]
        for person, unit in every:
            kept = Affiliation.objects.filter(person=person, kind=AffiliationKind.NON_PARTY_CADRE)
            if kept.exists():
                enter(self.cadres, person, unit, years_before(today, 1))
        for person, unit in self.leaders[5:9]:
            enter(self.reserve, person, unit, years_before(today, 2), self.levels["division"])
        for person, unit in self.section:
            on = _day(rng, self.year_start, today)
            enter(self.reserve, person, unit, on, self.levels["section"])
        for person, unit in self.youth:
            enter(self.young, person, unit, _day(rng, self.year_start, today))
        for person, unit in self.talents:
            enter(self.talent, person, unit, years_before(today, 1))

    def assessments(self) -> None:
        year = self.today.year - 1
        grades = (AssessmentGrade.EXCELLENT, AssessmentGrade.COMPETENT, AssessmentGrade.COMPETENT)
        for person, _unit in [*self.leaders, *self.section]:
            services.assessment_save(
                assessment=AnnualAssessment(person=person, year=year, grade=self.rng.choice(grades))
            )

    def plan(self) -> None:
        """The department's three-year plan, from 1 January of this year."""
        from .plans import plan_save

        start = self.year_start
        plan_save(
            plan=NonPartyPlan(
                owner=self.root,
                title=f"{start.year}—{start.year + 2}年党外干部队伍建设规划",
                start=start,
                end=start.replace(year=start.year + 2, month=12, day=31),
            ),
            targets={"files": 60, "principal.县处级": 6, "reserves.乡科级": 20, "young": 25,
                     "entered": 40, "appointed.县处级": 3},
        )  # fmt: skip

    def run(self) -> list[str]:
        self.tree()
        self.pools()
        self.people()
        self.shared_members()
        self.entries()
        self.assessments()
        self.plan()
        files = len(self.leaders) + len(self.section) + len(self.youth) + len(self.talents)
        return [
            f"统战部演示：{ROOT_NAME}（{len(self.streets)}个街道党工委、{len(self.industries)}个"
            f"行业党委、{len(self.bureaus)}个部委办局），党外干部和人才档案 {files} 份，"
            f"演示用户 tongzhan"
        ]


def seed_demo(*, root, today: date, rng: random.Random) -> list[str]:
    if department_root() is not None:
        return []
    # Its own generator: drawing from the shared one would change the apps seeded after it.
    return _Demo(party_root=root, today=today, rng=random.Random(f"tongzhan-{today}")).run()


def reset_demo(*, root=None) -> None:
    """Remove the department's subtree, the records of its pools, and the people whose only
    link was a file it kept; members of other organizations keep their membership."""
    top = department_root()
    if top is None:
        return
    orgs = Organization.objects.filter(subtree_q(top.path))
    pools = TalentPool.objects.filter(owner__in=orgs)
    people = set(
        Affiliation.objects.filter(org__in=orgs).values_list("person_id", flat=True)
    ) | set(PoolEntry.objects.filter(pool__in=pools).values_list("person_id", flat=True))
    NonPartyPlan.objects.filter(owner__in=orgs).delete()
    Recommendation.objects.filter(Q(owner__in=orgs) | Q(recommending_unit__in=orgs)).delete()
    PoolEntry.objects.filter(Q(pool__in=pools) | Q(recommending_unit__in=orgs)).delete()
    PoolLevel.objects.filter(pool__in=pools).delete()
    pools.delete()
    Affiliation.objects.filter(org__in=orgs).delete()
    members = set(
        MembershipSpell.objects.filter(person_id__in=people).values_list("person_id", flat=True)
    )
    others = set(
        Affiliation.objects.filter(person_id__in=people).values_list("person_id", flat=True)
    )
    only_here = people - members - others
    AnnualAssessment.objects.filter(person_id__in=only_here).delete()
    Person.objects.filter(pk__in=only_here).delete()
    Organization.objects.get(pk=top.pk).delete()
