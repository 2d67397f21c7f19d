"""Demo records of 干部人才 on top of the demo committee (hooks.seed_demo): pools with members
(some entered through the whole selection, some already past the age limit), candidates still
being considered, two years of assessments, practice postings, recommendations at every step
and contacts. Every write goes through the services, so every rule holds — the training rule
included: an appointment goes to someone the training app's records let through.

Everything is drawn from the given ``rng`` and dated relative to ``today``."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.exceptions import ValidationError

from tongxin.core.codes import (
    AdminRank,
    AffiliationKind,
    AssessmentGrade,
    PoliticalBody,
    PoliticalLevel,
    PostKind,
    UnitNature,
)
from tongxin.core.dated import not_ended_q
from tongxin.core.dates import age_on, years_before
from tongxin.core.idnumber import make_id_number
from tongxin.core.scope import Scope, subtree_q
from tongxin.people.models import Affiliation, Person

from . import selectors, services, training_rule
from .models import (
    AnnualAssessment,
    Contact,
    GradeSet,
    Horizon,
    PoolCandidate,
    PoolEntry,
    PoolKind,
    PoolLevel,
    Position,
    PracticeAssignment,
    RankGroup,
    Recommendation,
    TalentPool,
)

EVERYTHING = Scope(everything=True)
MEETING = "主委会议"
NON_PARTY = (
    ("蒋文博", "1", date(1979, 4, 12), "江城市水务局", "总工程师", "高级工程师", "2"),
    ("韩雪梅", "2", date(1983, 9, 3), "江城市第二人民医院", "副院长", "主任医师", "1"),
    ("袁立新", "1", date(1976, 1, 20), "江城市审计局", "副局长", "高级审计师", "2"),
)


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


class _Demo:
    def __init__(self, *, root, today: date, rng: random.Random):
        self.root = root
        self.today = today
        self.rng = rng
        self.lines: list[str] = []
        self.people = list(
            selectors.population(scope=EVERYTHING, org=root, on=today).order_by("pk")
        )

    # --- pools ---------------------------------------------------------------------------

    def pools(self) -> None:
        def pool(name, kind, **fields):
            return services.pool_save(
                pool=TalentPool(owner=self.root, name=name, kind=kind, **fields)
            )

        self.reserve = pool(
            "后备干部",
            PoolKind.RESERVE,
            max_age=45,
            min_title_level="3",
            capacity=40,
            note="四十五周岁以下、中级及以上职称的盟员，分县处级、乡科级培养",
        )
        self.levels = [
            services.pool_level_save(
                level=PoolLevel(
                    pool=self.reserve, rank_group=rank, position=position, horizon=horizon, order=i
                )
            )
            for i, (rank, position, horizon) in enumerate(
                (
                    (RankGroup.DIVISION, Position.PRINCIPAL, Horizon.NEAR),
                    (RankGroup.DIVISION, Position.DEPUTY, Horizon.NEAR),
                    (RankGroup.DIVISION, Position.DEPUTY, Horizon.LONG),
                    (RankGroup.SECTION, Position.PRINCIPAL, Horizon.LONG),
                )
            )
        ]
        self.young = pool(
            "优秀青年干部",
            PoolKind.YOUNG,
            max_age=40,
            min_education="2",
            capacity=20,
        )
        services.pool_save(pool=self.young, excludes=[self.reserve])
        self.talent = pool("专业人才库", PoolKind.TALENT, min_title_level="2")
        self.non_party = pool("党外干部", PoolKind.NON_PARTY, max_age=60)

    def _member_since(self, person, on: date) -> date | None:
        """The first day of the unbroken membership that holds ``person`` on ``on`` (a transfer
        between branches ends one spell the day the next starts), or None if not a member then."""
        spells = list(person.spells.order_by("-start").values_list("start", "end"))
        since = None
        for start, end in spells:
            if since is None:
                if start <= on and (end is None or end > on):
                    since = start
            elif end == since:
                since = start
        return since

    def _member_by(self, people, last: date) -> list:
        """Those of ``people`` who have been members without a break from ``last`` or earlier
        until today: only they can be dated into a pool on a day up to ``last``."""
        return [p for p in people if (self._member_since(p, self.today) or self.today) <= last]

    def _day_for(self, person, first: date, last: date) -> date:
        """A day in ``[first, last]`` from which ``person`` has been a member until today
        (``person`` is one of ``_member_by(…, last)``)."""
        since = self._member_since(person, self.today)
        return _day(self.rng, max(first, since), last)

    def _enter(self, pool, person, on, *, level=None, source="organization") -> PoolEntry | None:
        try:
            return services.pool_entry_start(
                pool=pool,
                person=person,
                on=on,
                source=source,
                decision_meeting=MEETING,
                decision_date=on,
                level=level,
                document_no=f"盟江委〔{on.year}〕{self.rng.randint(10, 60)}号",
            )
        except ValidationError:
            return None  # not a member on that day, a full level …: the demo picks another

    def _selected(self, pool, person, on, *, level=None) -> PoolEntry | None:
        """The whole selection: found in the survey, talked to, the unit's opinion, a vote,
        the initial list and the meeting's decision."""
        rng = self.rng
        try:
            candidate = services.candidate_start(
                pool=pool, person=person, on=on, source=rng.choice(["survey", "double_hundred"])
            )
            services.talk_record(
                candidate=candidate,
                on=on + timedelta(days=7),
                talkers="市委会副主委、组织处处长",
                summary="本人愿意接受组织培养，表示将加强学习、积极参加盟内工作",
            )
            services.opinion_record(
                candidate=candidate,
                on=on + timedelta(days=15),
                body=f"{person.work_unit or '所在单位'}党委",
                conclusion="agree",
                text="政治立场坚定，业务能力强，同意列为后备人选",
            )
            participants = rng.randint(18, 40)
            services.vote_record(
                candidate=candidate,
                on=on + timedelta(days=20),
                meeting="支部全体盟员大会",
                participants=participants,
                votes_for=participants - rng.randint(0, 4),
            )
            services.candidate_list(candidate=candidate, on=on + timedelta(days=25))
            return services.candidate_decide(
                candidate=candidate, on=on + timedelta(days=35), meeting=MEETING, level=level
            )
        except ValidationError:
            PoolCandidate.objects.filter(pool=pool, person=person).delete()
            return None

    def entries(self) -> None:
        rng, today = self.rng, self.today
        eligible = list(
            selectors.eligible(scope=EVERYTHING, pool=self.reserve, on=today).order_by("pk")
        )
        last = today - timedelta(days=120)
        settled = self._member_by(eligible, last)
        chosen = rng.sample(settled, min(18, len(settled)))
        self.candidates_left = [p for p in eligible if p not in chosen]
        for index, person in enumerate(chosen):
            on = self._day_for(person, years_before(today, 3), last)
            level = self.levels[index % len(self.levels)]
            if index < 6:
                self._selected(self.reserve, person, on, level=level)
            else:
                self._enter(
                    self.reserve,
                    person,
                    on,
                    level=level,
                    source=rng.choice(["unit", "organization"]),
                )
        # Entered while 45 or younger, past the age limit now: the year-end review lists them.
        over = [
            p
            for p in self.people
            if p.birth_date
            and 46 <= (age_on(p.birth_date, today) or 0) <= 50
            and p.title_level in ("1", "2", "3")
            and not PoolEntry.objects.filter(person=p).exists()
        ]
        entered = 0
        for person in self._member_by(over, today):
            on = max(years_before(today, 4), self._member_since(person, today))
            if entered < 3 and age_on(person.birth_date, on) <= 45:
                entered += self._enter(self.reserve, person, on, level=self.levels[2]) is not None
        young = list(selectors.eligible(scope=EVERYTHING, pool=self.young, on=today).order_by("pk"))
        young = self._member_by(young, today - timedelta(days=90))
        for person in rng.sample(young, min(8, len(young))):
            self._enter(
                self.young,
                person,
                self._day_for(person, years_before(today, 2), today - timedelta(days=90)),
            )
        talent = list(
            selectors.eligible(scope=EVERYTHING, pool=self.talent, on=today).order_by("pk")
        )
        talent = self._member_by(talent, today - timedelta(days=60))
        for person in rng.sample(talent, min(12, len(talent))):
            self._enter(
                self.talent, person,
                self._day_for(person, years_before(today, 3), today - timedelta(days=60)),
                source="unit",
            )  # fmt: skip
        self.non_party_people()
        # Two left the reserve this year or last: one moved away, one by their own wish.
        active = list(PoolEntry.objects.filter(pool=self.reserve, end__isnull=True).order_by("pk"))
        for entry, reason in zip(rng.sample(active, 2), ("transferred", "personal"), strict=False):
            end = _day(rng, entry.start + timedelta(days=30), today - timedelta(days=10))
            services.pool_entry_end(entry=entry, on=end, reason=reason, note="按程序办理")

    def non_party_people(self) -> None:
        for sequence, (name, gender, born, unit, post, title, level) in enumerate(NON_PARTY):
            number = make_id_number(
                "420102", born, 900 + sequence * 2 + (1 if gender == "1" else 0)
            )
            if Person.objects.with_id_number(number).exists():
                continue
            person = Person(
                name=name,
                gender=gender,
                birth_date=born,
                id_number=number,
                ethnicity="01",
                education="14",
                degree="3",
                title=title,
                title_level=level,
                work_unit=unit,
                job_post=post,
                unit_nature=UnitNature.PARTY_GOVERNMENT
                if "局" in unit
                else UnitNature.PUBLIC_INSTITUTION,
            )
            on = years_before(self.today, 2) + timedelta(days=30 * sequence)
            services.pool_person_register(
                person=person,
                org=self.root,
                pool=self.non_party,
                on=on,
                source="unit",
                decision_meeting="统战工作联席会议",
                decision_date=on,
            )

    def open_candidates(self) -> None:
        """Two people still being considered: one just talked to, one on the initial list."""
        rng, today = self.rng, self.today
        first_found = today - timedelta(days=40)
        people = [
            p
            for p in self._member_by(self.candidates_left, first_found)
            if not PoolEntry.objects.filter(person=p).exists()
        ][:2]
        for index, person in enumerate(people):
            found = first_found + timedelta(days=index * 10)
            candidate = services.candidate_start(
                pool=self.reserve, person=person, on=found, source="survey"
            )
            services.talk_record(
                candidate=candidate,
                on=found + timedelta(days=5),
                talkers="组织处处长",
                summary="了解本人工作和思想情况，本人愿意接受组织培养",
            )
            if index == 1:
                services.opinion_record(
                    candidate=candidate,
                    on=found + timedelta(days=10),
                    body=f"{person.work_unit or '所在单位'}党委",
                    conclusion=rng.choice(["agree", "agree_basically"]),
                )
                services.candidate_list(candidate=candidate, on=found + timedelta(days=20))

    # --- assessments, practice -------------------------------------------------------------

    def assessments(self) -> None:
        rng, today = self.rng, self.today
        last = selectors.assessment_year(today)
        people = list(
            Person.objects.filter(
                pk__in=PoolEntry.objects.filter(subtree_q(self.root.path, "pool__owner__path"))
                .filter(not_ended_q("", today))
                .values("person_id")
            ).order_by("pk")
        )
        missing = set(p.pk for p in rng.sample(people, min(3, len(people))))
        below_done = False
        count = 0
        for person in people:
            civil = person.unit_nature == UnitNature.PARTY_GOVERNMENT
            grade_set = GradeSet.CIVIL_SERVICE if civil else GradeSet.PUBLIC_INSTITUTION
            good = AssessmentGrade.COMPETENT if civil else AssessmentGrade.QUALIFIED
            below = (
                AssessmentGrade.BASICALLY_COMPETENT
                if civil
                else AssessmentGrade.BASICALLY_QUALIFIED
            )
            for year in (last - 1, last):
                if year == last and person.pk in missing:
                    continue
                roll = rng.random()
                grade, reason = good, ""
                if roll < 0.22:
                    grade = AssessmentGrade.EXCELLENT
                elif year == last and (not below_done or roll > 0.97):
                    grade, below_done = below, True
                elif roll < 0.24:
                    grade, reason = AssessmentGrade.UNGRADED, "病休超过半年"
                services.assessment_save(
                    assessment=AnnualAssessment(
                        person=person,
                        year=year,
                        grade=grade,
                        grade_set=grade_set if grade not in (
                            AssessmentGrade.UNGRADED, AssessmentGrade.EXCELLENT
                        ) else "",
                        reason=reason,
                        unit=person.work_unit,
                    )
                )  # fmt: skip
                count += 1
        self.lines.append(
            f"年度考核 {count} 条（{last - 1}、{last} 两个年度；{len(missing)} 人{last}年度未录入）"
        )

    def practice(self) -> None:
        rng, today = self.rng, self.today
        people = list(
            Person.objects.filter(pool_entries__pool=self.reserve).distinct().order_by("pk")
        )
        places = (
            ("secondment", "江城市江南区人民政府", "区长助理"),
            ("secondment", "江城市发展和改革委员会", "副主任（挂职）"),
            ("exchange", "江城市教育局", "基础教育处副处长"),
            ("rotation", "民盟江城市委会组织处", "副处长"),
            ("dispatch", "江城市江北区仙山街道", "党工委副书记（挂职）"),
            ("research", "民盟江城市委会", ""),
            ("seminar", "民盟湖北省委会", ""),
            ("secondment", "江城市卫生健康委员会", "主任助理"),
        )
        for person, (kind, place, post) in zip(
            rng.sample(people, min(8, len(people))), places, strict=False
        ):
            start = _day(rng, years_before(today, 3), today - timedelta(days=200))
            finished = rng.random() < 0.6
            end = start + timedelta(days=365) if finished else None
            task = {
                "research": "主持“民营经济高质量发展”专题调研，形成调研报告",
                "seminar": "参加“基层社会治理”专题研讨并作交流发言",
            }.get(kind, "协助分管领导开展工作，参与重点项目推进")
            services.practice_save(
                assignment=PracticeAssignment(
                    person=person,
                    kind=kind,
                    place=place,
                    from_unit=f"{person.work_unit}{person.job_post}",
                    to_post=post,
                    task=task,
                    start=start,
                    end=end if end and end <= today else None,
                    result=rng.choice(["excellent", "good", "pass"])
                    if finished and end <= today
                    else "",
                    evaluation="工作认真负责，完成锻炼任务" if finished and end <= today else "",
                    evaluated_on=end if finished and end <= today else None,
                )
            )
        self.lines.append(f"实践锻炼 {min(8, len(people))} 人次")

    # --- recommendations, contacts --------------------------------------------------------

    def _recommend(self, person, *, started, **fields) -> Recommendation:
        # Recommended from the reserve: not before the person entered it (a member then).
        entered = (
            PoolEntry.objects.filter(pool=self.reserve, person=person)
            .order_by("start")
            .values_list("start", flat=True)
            .first()
        )
        started = max(started, entered or started)
        return services.recommendation_create(
            recommendation=Recommendation(
                owner=self.root, person=person, started_on=started, **fields
            )
        )

    def _advance(self, recommendation, steps: int, start: date) -> bool:
        on = start
        for _ in range(steps):
            on = on + timedelta(days=self.rng.randint(7, 20))
            on = min(on, self.today)
            step = recommendation.current_step
            breaches = services.rule_breaches(recommendation=recommendation, on=on)
            if any(b.blocking for b in breaches):
                return False
            try:
                services.recommendation_advance(
                    recommendation=recommendation,
                    on=on,
                    opinion=f"{step.name}：同意",
                    participants=30 if step.role == "vote" else None,
                    votes_for=27 if step.role == "vote" else None,
                    document_no=f"盟江委〔{on.year}〕{self.rng.randint(61, 99)}号",
                    warning_reason="已安排参加近期培训班，先行办理" if breaches else "",
                )
            except ValidationError:
                return False
            recommendation.refresh_from_db()
        return True

    def _branch(self, person):
        spell = person.spells.filter(end__isnull=True).select_related("org").first()
        return spell.org if spell else self.root

    def recommendations(self) -> None:
        rng, today = self.rng, self.today
        steps = selectors.steps_for(org=self.root)
        reserve = list(
            Person.objects.filter(
                pk__in=PoolEntry.objects.filter(pool=self.reserve, end__isnull=True).values(
                    "person_id"
                )
            ).order_by("pk")
        )
        rng.shuffle(reserve)
        # The appointment goes first to those the training app's records let through: the
        # demo shows a completed path, and the refusals on the steps still waiting.
        cleared = [
            p
            for p in reserve
            if not any(
                b.blocking
                for b in training_rule.breaches(
                    person=p, post_kind=PostKind.GOVERNMENT, title="副区长", on=today
                )
            )
        ]
        people = iter(cleared + [p for p in reserve if p not in cleared])
        plans = [
            dict(direction="external", post_kind=PostKind.GOVERNMENT, title="副区长",
                 unit="江城市江南区人民政府", rank=AdminRank.DIVISION_DEPUTY),
            dict(direction="external", post_kind=PostKind.POLITICAL, title="政协委员",
                 body=PoliticalBody.CPPCC_MEMBER, level=PoliticalLevel.CITY, term="第十五届"),
            dict(direction="external", post_kind=PostKind.GOVERNMENT, title="副局长",
                 unit="江城市科学技术局", rank=AdminRank.DIVISION_DEPUTY),
            dict(direction="internal", post_kind=PostKind.PARTY, title="支部副主委"),
            dict(direction="external", post_kind=PostKind.POLITICAL, title="人大代表",
                 body=PoliticalBody.NPC_DEPUTY, level=PoliticalLevel.COUNTY, term="第十届"),
        ]  # fmt: skip
        # Done steps of each: appointed, then waiting at 公示, 讨论决定, 组织考察, 民主推荐.
        stages = [len(steps), 3, 2, 1, 0]
        appointed = 0
        for plan, stage in zip(plans, stages, strict=True):
            # An appointment the training rule refuses stays waiting at 任用 (a refusal staff
            # can see); the next person in the reserve is tried, up to five.
            for _attempt in range(5 if stage == len(steps) else 1):
                person = next(people, None)
                if person is None:
                    break
                started = today - timedelta(
                    days=rng.randint(110, 150) if stage else rng.randint(5, 20)
                )
                fields = dict(plan)
                if fields["post_kind"] == PostKind.PARTY:
                    fields["target_org"] = self._branch(person)
                recommendation = self._recommend(person, started=started, **fields)
                done = self._advance(recommendation, stage, recommendation.started_on)
                if done and stage == len(steps):
                    appointed += 1
                    entry = PoolEntry.objects.filter(
                        pool=self.reserve, person=person, end__isnull=True
                    ).first()
                    services.pool_entry_end(
                        entry=entry,
                        on=recommendation.post.start,
                        reason="promoted",
                        note=f"任{recommendation.title}",
                    )
                    break
        stopped = next(people, None)
        if stopped is not None:
            recommendation = self._recommend(
                stopped, started=today - timedelta(days=200), **plans[2]
            )
            self._advance(recommendation, 1, recommendation.started_on)
            services.recommendation_stop(
                recommendation=recommendation,
                on=min(recommendation.started_on + timedelta(days=50), today),
                reason="考察中本人因工作调动，不再推荐",
            )
        total = Recommendation.objects.filter(owner=self.root).count()
        self.lines.append(f"推荐使用 {total} 件（各步骤均有，已任用 {appointed} 件，终止 1 件）")

    def contacts(self) -> None:
        today = self.today
        non_party = list(
            Person.objects.filter(
                affiliations__org=self.root, affiliations__kind=AffiliationKind.NON_PARTY_CADRE
            ).order_by("pk")
        )
        if len(non_party) >= 2:
            services.contact_save(
                contact=Contact(
                    owner=self.root,
                    kind="pairing",
                    on=years_before(today, 1),
                    leader="王建国",
                    leader_post="市委统战部副部长",
                    subject="结对联系党外干部",
                    summary="每季度谈心一次，了解思想和工作情况",
                ),
                people=non_party[:2],
            )
        reserve = list(
            Person.objects.filter(pool_entries__pool=self.reserve, pool_entries__end__isnull=True)
            .distinct()
            .order_by("pk")[:6]
        )
        services.contact_save(
            contact=Contact(
                owner=self.root,
                kind="symposium",
                on=today - timedelta(days=60),
                leader="李明华",
                leader_post="市委常委、统战部部长",
                subject="党外干部座谈会",
                summary="听取对全市经济社会发展的意见建议",
            ),
            people=reserve + non_party,
        )

    def run(self) -> list[str]:
        self.pools()
        self.entries()
        self.open_candidates()
        self.assessments()
        self.practice()
        self.recommendations()
        self.contacts()
        on_today = PoolEntry.objects.filter(pool__owner=self.root).active_on(self.today)
        over = selectors.entry_list(
            scope=EVERYTHING,
            org=self.root,
            filters=selectors.EntryFilter(on=self.today, over_age=True),
        ).count()
        considered = PoolCandidate.objects.filter(
            pool__owner=self.root, status__in=["surveying", "listed"]
        ).count()
        self.lines.insert(
            0,
            f"人才库 4 个，在库 {on_today.count()} 人次（其中超过入库年龄 {over} 人），"
            f"考察中的人选 {considered} 人",
        )
        return self.lines


def seed_demo(*, root, today: date, rng: random.Random) -> list[str]:
    return _Demo(root=root, today=today, rng=rng).run()


def reset_demo(*, root) -> None:
    """Delete the cadres records under the demo tree, and the non-members whose files it kept
    only for a pool, before the tree and its members go."""
    in_tree = subtree_q(root.path, "owner__path")
    for recommendation in Recommendation.objects.filter(in_tree):
        recommendation.delete()
    Contact.objects.filter(in_tree).delete()
    pools = TalentPool.objects.filter(in_tree)
    PoolCandidate.objects.filter(pool__in=pools).delete()
    PoolEntry.objects.filter(pool__in=pools).delete()
    pools.delete()
    demo_people = selectors.people_of_subtree(scope=EVERYTHING, org=root)
    AnnualAssessment.objects.filter(person__in=demo_people).delete()
    PracticeAssignment.objects.filter(person__in=demo_people).delete()
    kept = Affiliation.objects.filter(
        subtree_q(root.path, "org__path"),
        kind__in=[AffiliationKind.NON_PARTY_CADRE, AffiliationKind.TALENT],
    )
    people = list(kept.values_list("person_id", flat=True))
    kept.delete()
    Person.objects.filter(pk__in=people, spells__isnull=True, affiliations__isnull=True).delete()
