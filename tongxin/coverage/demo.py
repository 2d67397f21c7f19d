"""The demo's district: 东区党工委, a second top-level organization beside the demo committee,
with three streets, ten communities and a few hundred 两新组织 whose coverage grows over the
three years before ``today`` (forms changing 联合 → 单独, unions and leagues founded, party
members counted each year, some organizations deregistered), the own party branches of those
with 单独组建 and elections in some of them, and the instructors sent to others. Drawn from
the ``rng`` given; every write goes through the services."""

from __future__ import annotations

import random
from datetime import date, timedelta

from auditlog.context import disable_auditlog

from tongxin.core.codes import Gender, OrgKind
from tongxin.core.dates import years_before
from tongxin.core.idnumber import make_id_number
from tongxin.core.scope import subtree_q
from tongxin.orgs import services as org_services
from tongxin.orgs.models import Organization
from tongxin.people import services as people_services
from tongxin.people.models import MembershipSpell, Person, Post

from . import services
from .models import MassKind, NewOrganization, NewOrgKind, PartyForm, make_credit_code

DISTRICT_CODE = "DQ"
DISTRICT_NAME = "东区党工委"
NEW_ORGS = 300
STREETS = (
    ("DQ01", "东湖街道党工委", ("湖滨社区", "望湖社区", "东湖花园社区", "新港社区")),
    ("DQ02", "城南街道党工委", ("南苑社区", "长青社区", "书院社区")),
    ("DQ03", "科技园街道党工委", ("创业社区", "园区社区", "星光社区")),
)
INDUSTRIES = (
    "制造业", "批发和零售业", "信息技术服务业", "建筑业", "住宿和餐饮业",
    "租赁和商务服务业", "科学研究和技术服务业", "交通运输业",
)  # fmt: skip
SOCIAL_INDUSTRIES = ("社会服务", "教育培训", "文化体育", "行业协会")
_WORDS = "鑫源华信达恒瑞丰泰安博远宏盛嘉禾新创锦程天润佳和晨光聚力启明"
_ENTERPRISE_SUFFIXES = (
    "科技有限公司", "贸易有限公司", "建设工程有限公司", "餐饮管理有限公司", "物流有限公司",
    "电子有限公司", "信息技术有限公司", "实业有限公司",
)  # fmt: skip
_SOCIAL_SUFFIXES = ("协会", "社会工作服务中心", "商会", "培训学校", "志愿服务中心")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
_GIVEN = "伟芳敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国文斌"
# The people the demo's district makes get ID numbers of this area (上海市黄浦区).
_ID_AREA = "310101"


def district_root() -> Organization | None:
    return Organization.objects.filter(code=DISTRICT_CODE).first()


def _day_between(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


class _People:
    """Synthetic party members for branches and instructors, through the people services."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.sequence = 0

    def make(self, org: Organization, start: date) -> Person:
        rng = self.rng
        self.sequence += 1
        gender = Gender.MALE if rng.random() < 0.55 else Gender.FEMALE
        birth = date(rng.randint(1965, 1996), rng.randint(1, 12), rng.randint(1, 28))
        serial = 2 * self.sequence + (1 if gender == Gender.MALE else 0)
        person = Person(
            name=rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.randint(1, 2))),
            gender=gender,
            birth_date=birth,
            id_number=make_id_number(_ID_AREA, birth, 500 + serial % 499),
        )
        return people_services.person_create(person=person, org=org, start=start)


def _tree(today: date) -> tuple[Organization, list[Organization], dict]:
    """The district, its streets, and its communities with their street."""
    established = years_before(today, 12)
    root = org_services.org_create(
        parent=None,
        org=Organization(
            code=DISTRICT_CODE,
            name=DISTRICT_NAME,
            kind=OrgKind.COMMITTEE,
            party="01",
            established=established,
            note="演示数据：区（街道）党工委的两新组织党群共建",
        ),
    )
    streets, communities = [], {}
    for code, name, names in STREETS:
        street = org_services.org_create(
            parent=root,
            org=Organization(
                code=code, name=name, kind="street_committee", established=established
            ),
        )
        streets.append(street)
        for i, community in enumerate(names, start=1):
            node = org_services.org_create(
                parent=street,
                org=Organization(
                    code=f"{code}{i:02d}",
                    name=f"{community}党总支",
                    short_name=community,
                    kind="community_general_branch",
                    established=established,
                ),
            )
            communities[node] = street
    return root, streets, communities


def seed_demo(*, root, today: date, rng: random.Random) -> list[str]:
    """Build the district beside the demo committee ``root``; the lines of its summary."""
    if district_root() is not None:
        return []
    # Made-up records are not anybody's change: logging each one took a third of the time.
    with disable_auditlog():
        return _seed(today=today, rng=rng)


def _seed(*, today: date, rng: random.Random) -> list[str]:
    district, streets, communities = _tree(today)
    people = _People(rng)
    history = years_before(today, 3)
    instructors = {
        street.pk: [people.make(street, years_before(today, 8)) for _ in range(2)]
        for street in streets
    }
    branches: list[tuple[Organization, date]] = []
    covered = 0
    for serial in range(1, NEW_ORGS + 1):
        community = rng.choice(list(communities))
        street = communities[community]
        area = community if rng.random() < 0.92 else street
        social = rng.random() < 0.2
        word = "".join(rng.sample(_WORDS, 2))
        if social:
            name = f"东区{word}{rng.choice(_SOCIAL_SUFFIXES)}"
            industry = rng.choice(SOCIAL_INDUSTRIES)
        else:
            name = f"{community.short_name[:2]}{word}{rng.choice(_ENTERPRISE_SUFFIXES)}"
            industry = rng.choice(INDUSTRIES)
        employees = int(rng.lognormvariate(3.4, 1.0)) + 3
        founded = (
            _day_between(rng, history, today - timedelta(days=30))
            if rng.random() < 0.1
            else _day_between(rng, years_before(today, 15), history)
        )
        new_org = services.new_org_save(
            new_org=NewOrganization(
                credit_code=make_credit_code(
                    serial, division="310101", kind="53" if social else "91"
                ),
                name=f"{name}{serial}"
                if NewOrganization.objects.filter(name=name).exists()
                else name,
                kind=NewOrgKind.SOCIAL if social else NewOrgKind.ENTERPRISE,
                area=area,
                industry=industry,
                employees=employees,
                above_size=employees >= 100,
                founded=founded,
            )
        )
        covered += _facts(
            rng,
            new_org,
            today=today,
            history=history,
            branches=branches,
            instructors=instructors[street.pk],
        )
        if rng.random() < 0.04:
            services.new_org_deregister(
                new_org=new_org,
                on=_day_between(rng, max(history, founded + timedelta(days=1)), today),
            )
    elections = _elections(rng, branches, people, today=today)
    return [
        f"{DISTRICT_NAME}：街道 {len(streets)} 个、社区 {len(communities)} 个，"
        f"两新组织 {NEW_ORGS} 个（其中有党组织 {covered} 个），"
        f"两新组织党支部 {len(branches)} 个、换届选举 {elections} 次"
    ]


def _facts(rng, new_org, *, today, history, branches, instructors) -> int:
    """The organization's party and mass organizations over the years; 1 if it ends covered."""
    start_from = max(new_org.founded, years_before(today, 6))
    last = today - timedelta(days=15)
    chance = 0.85 if new_org.above_size else 0.4
    roll = rng.random()
    if roll < chance * 0.55:
        form = PartyForm.SINGLE
    elif roll < chance:
        form = PartyForm.JOINT
    elif roll < chance + 0.2:
        form = PartyForm.INSTRUCTOR
    else:
        form = PartyForm.NONE
    start = _day_between(rng, start_from, last)
    if form == PartyForm.SINGLE and rng.random() < 0.4 and start > start_from + timedelta(days=60):
        # Joint first, its own branch later (联合 → 单独).
        services.party_form_set(
            new_org=new_org,
            form=PartyForm.JOINT,
            start=_day_between(rng, start_from, start - timedelta(days=30)),
        )
    branch = None
    if form == PartyForm.SINGLE:
        area = new_org.area
        branch = org_services.org_create(
            parent=area,
            org=Organization(
                code=f"{area.code}B{new_org.pk:04d}",
                name=f"{new_org.name}党支部",
                kind=OrgKind.BRANCH,
                established=start,
            ),
        )
        branches.append((branch, start))
    if form == PartyForm.INSTRUCTOR:
        services.instructor_assign(new_org=new_org, person=rng.choice(instructors), start=start)
        for _ in range(rng.randint(0, 3)):
            visit = _day_between(rng, start, today)
            services.visit_record(
                new_org=new_org, on=visit, person=None, note="走访了解党员和职工情况"
            )
    if form != PartyForm.NONE:
        services.party_form_set(new_org=new_org, form=form, start=start, party_org=branch)
    covered = form in (PartyForm.SINGLE, PartyForm.JOINT)
    for kind, with_party, without in (
        (MassKind.UNION, 0.85, 0.25),
        (MassKind.YOUTH_LEAGUE, 0.6, 0.1),
        (MassKind.WOMEN, 0.55, 0.1),
    ):
        if rng.random() < (with_party if covered else without):
            services.mass_org_set(
                new_org=new_org, kind=kind, start=_day_between(rng, start_from, last), on=today
            )
    if covered and new_org.mass.filter(kind=MassKind.UNION).exists():
        new_org.union_chair_party_member = rng.random() < 0.6
        new_org.union_chair_cross_post = new_org.union_chair_party_member and rng.random() < 0.5
        services.new_org_save(new_org=new_org)
    members = {
        PartyForm.SINGLE: rng.randint(3, 25),
        PartyForm.JOINT: rng.randint(1, 6),
        PartyForm.INSTRUCTOR: rng.randint(0, 4),
        PartyForm.NONE: rng.randint(0, 4),
    }[form]
    for years in (3, 2, 1, 0):
        on = years_before(today, years) if years else today
        if on >= new_org.founded:
            count = max(0, members - rng.randint(0, years))
            services.party_members_record(new_org=new_org, on=on, count=count)
    return int(covered)


def _elections(rng, branches, people: _People, *, today: date) -> int:
    """Members and an election in a few of the branches (the terms app's service)."""
    from tongxin.terms import services as term_services
    from tongxin.terms.models import SeatTitle

    held = 0
    for branch, established in branches[:: max(1, len(branches) // 15)]:
        held_on = established + timedelta(days=rng.randint(5, 40))
        if held_on > today:
            continue
        members = [people.make(branch, established) for _ in range(rng.randint(3, 6))]
        seats = [term_services.Seat(members[0], SeatTitle.SECRETARY)] + [
            term_services.Seat(p, SeatTitle.MEMBER) for p in members[1:3]
        ]
        entitled = len(members)
        term_services.election_record(
            org=branch,
            number=1,
            held_on=held_on,
            entitled=entitled,
            voted=entitled - (1 if entitled > 4 else 0),
            seats=seats,
            document_no=f"{DISTRICT_NAME[:2]}两新〔{held_on.year}〕{rng.randint(1, 30)}号",
            today=today,
            rules_checked=True,
        )
        held += 1
    return held


def reset_demo(*, root) -> None:
    """Delete the district and everything of it."""
    district = district_root()
    if district is None:
        return
    from tongxin.terms.demo import reset as reset_terms

    orgs = Organization.objects.filter(subtree_q(district.path))
    NewOrganization.objects.filter(area__in=orgs).delete()
    reset_terms(root=district)
    people_ids = list(
        MembershipSpell.objects.filter(org__in=orgs).values_list("person_id", flat=True).distinct()
    )
    Post.objects.filter(org__in=orgs).delete()
    Person.objects.filter(pk__in=people_ids).delete()
    Organization.objects.get(pk=district.pk).delete()
