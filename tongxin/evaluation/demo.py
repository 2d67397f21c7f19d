"""Demo records of 考评表彰 on top of the demo roster (tongxin.people.demo).

Honours members received from outside bodies over the last four years; the example rubric of
CODES.md; last year's round scored, closed and with its awards (the best three branches as
先进支部, some of their members as 优秀会员 and 优秀会务工作者); this year's round open, with
part of the reviewers' scores and self-assessments entered. Every write goes through the
services. Drawn from the ``rng`` given and dated from ``today``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from tongxin.core.dates import years_before
from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs.models import Organization
from tongxin.people.models import Honor, HonorLevel
from tongxin.people.selectors import members_on

from . import selectors, services
from .models import Award, AwardKind, EvaluationRound, OrgHonor, Rubric

EVERYTHING = Scope(everything=True)

# (level, weight, [(title, conferred by)])
HONOURS = (
    (HonorLevel.NATIONAL, 3, [("全国三八红旗手", "全国妇女联合会"),
                             ("全国优秀教师", "教育部"),
                             ("民盟中央社会服务工作先进个人", "民盟中央")]),
    (HonorLevel.PROVINCIAL, 12, [("湖北省劳动模范", "湖北省人民政府"),
                                 ("湖北省优秀政协委员", "政协湖北省委员会"),
                                 ("湖北省五一劳动奖章", "湖北省总工会")]),
    (HonorLevel.CITY, 25, [("江城市劳动模范", "江城市人民政府"),
                           ("江城市优秀政协委员", "政协江城市委员会"),
                           ("江城市三八红旗手", "江城市妇女联合会"),
                           ("江城市优秀教师", "江城市教育局")]),
    (HonorLevel.COUNTY, 15, [("区优秀政协委员", "区政协"), ("区先进工作者", "区人民政府")]),
    (HonorLevel.OTHER, 5, [("优秀志愿者", "江城市志愿服务联合会")]),
)  # fmt: skip


def _honours(rng: random.Random, root: Organization, today: date) -> int:
    start = years_before(today, 4)
    members = list(members_on(scope=EVERYTHING, org=root, on=today).order_by("pk"))
    count = 0
    for person in rng.sample(members, min(len(members), max(3, len(members) // 8))):
        level, _, titles = rng.choices(HONOURS, weights=[w for _, w, _ in HONOURS])[0]
        title, body = rng.choice(titles)
        since = max(start, person.admitted_on or start)
        on = since + timedelta(days=rng.randint(0, max(0, (today - since).days - 1)))
        services.honor_save(
            honor=Honor(
                person=person,
                title=title,
                level=level,
                conferred_by=body,
                conferred_on=on,
                document_no=f"{body}〔{on.year}〕{rng.randint(1, 40)}号",
            ),
            today=today,
        )
        count += 1
    return count


def _score(rng: random.Random, round_: EvaluationRound, *, reviewed: float, assessed: float):
    """Reviewers' points for a share of the branches' manual items, and the branches' own."""
    by = None
    for standing in selectors.standings(round_=round_):
        review = rng.random() < reviewed
        assess = rng.random() < assessed
        for line in standing.items.values():
            cap = line.item.max_points or Decimal(20)
            if line.item.is_manual and review:
                points = Decimal(rng.randint(int(cap * 6 // 10), int(cap)))
                note = "计划和总结按时报送，内容具体" if points >= cap - 1 else "总结不够具体"
                services.score_review(score=line.score, points=points, note=note, by=by)
            if assess:
                base = line.points if line.points is not None else cap * Decimal("0.8")
                own = min(cap, base + rng.randint(0, 3))
                services.score_self(
                    score=line.score, points=own, evidence="见支部年度工作总结及活动台账"
                )


def _awards(rng: random.Random, round_: EvaluationRound, today: date) -> int:
    decided = min(today, date(round_.year + 1, 1, 15))
    ranking = selectors.standings(round_=round_)
    count = 0
    for standing in ranking[:3]:
        services.award_decide(
            award=Award(
                round=round_,
                kind=AwardKind.ADVANCED_BRANCH,
                org=standing.org,
                decided_on=decided,
                document_no=f"江盟发〔{decided.year}〕2号",
            )
        )
        count += 1
    for standing in ranking[:5]:
        members = list(members_on(scope=EVERYTHING, org=standing.org, on=decided).order_by("pk"))
        for kind, number in ((AwardKind.EXCELLENT_MEMBER, 2), (AwardKind.EXCELLENT_WORKER, 1)):
            for person in rng.sample(members, min(number, len(members))):
                if Award.objects.filter(round=round_, person=person).exists():
                    continue
                services.award_decide(
                    award=Award(
                        round=round_,
                        kind=kind,
                        person=person,
                        decided_on=decided,
                        document_no=f"江盟发〔{decided.year}〕2号",
                    )
                )
                count += 1
    return count


def _org_honours(root: Organization, today: date) -> int:
    """The committee's own honours (seeds 000 and 001): no draw from ``rng``, so that the
    records seeded after them stay as they were."""
    for title, level, body, years in (
        ("全国基层组织建设先进单位", HonorLevel.NATIONAL, "民盟中央", 3),
        ("先进界别活动组", HonorLevel.CITY, "政协江城市委员会", 1),
    ):
        on = years_before(today, years)
        services.org_honor_save(
            honor=OrgHonor(org=root, title=title, level=level, conferred_by=body,
                           conferred_on=on, document_no=f"{body}〔{on.year}〕3号"),
            today=today,
        )  # fmt: skip
    return 2


def seed(*, root: Organization, today: date, rng: random.Random) -> list[str]:
    honours = _honours(rng, root, today)
    org_honours = _org_honours(root, today)
    rubric = services.rubric_create_default(org=root)
    last = services.round_open(org=root, year=today.year - 1, rubric=rubric, today=today)
    _score(rng, last, reviewed=1.0, assessed=0.8)
    services.round_close(round_=last, by=None)
    awards = _awards(rng, last, today)
    current = services.round_open(org=root, year=today.year, rubric=rubric, today=today)
    _score(rng, current, reviewed=0.6, assessed=0.5)
    branches = current.scores.values("org").distinct().count()
    return [
        f"考评表彰：细则「{rubric}」{rubric.items.count()} 项；{last.year}年度考评已定稿，"
        f"评定表彰 {awards} 项；{current.year}年度考评评分中（{branches} 个支部）；"
        f"成员获表彰荣誉 {honours} 项，委员会获荣誉 {org_honours} 项"
    ]


def reset(*, root: Organization) -> None:
    rounds = EvaluationRound.objects.filter(subtree_q(root.path, "org__path"))
    Award.objects.filter(round__in=rounds).delete()
    for round_ in rounds:
        round_.scores.all().delete()
    rounds.delete()
    Rubric.objects.filter(subtree_q(root.path, "org__path")).delete()
    # Honours go with their people.
