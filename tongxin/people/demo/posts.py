"""The demo's posts: the committee's and branches' party posts, government posts and political
arrangements, planned before anything is written."""

from __future__ import annotations

from datetime import timedelta

from tongxin.core.codes import AdminRank, PoliticalBody, PoliticalLevel, PostKind
from tongxin.core.dates import age_on, years_before

from ..models import Post
from .plans import _Plan
from .tree import _B, _C, _G, DISSOLVED_BRANCH, NEW_BRANCH, ORG_BY_CODE, ORGS, ROOT_CODE
from .work import _GOV


class _PostPlanning:
    """The builder's post planning, on its ``rng``, ``today``, ``terms``, ``orgs`` and ``plans``
    once every plan is described."""

    def score(self, plan: _Plan) -> float:
        person = plan.person
        age = age_on(plan.birth, self.today)
        value = {"1": 3, "2": 2, "3": 1}.get(person.title_level, 0)
        value += 2 if not person.is_retired else -3
        value += 1 if 45 <= age <= 62 else 0
        return value + self.rng.random() * 2

    def pick(self, candidates: list[_Plan], count: int, used: set[int]) -> list[_Plan]:
        ranked = sorted(
            ((self.score(p), i, p) for i, p in enumerate(candidates) if id(p) not in used),
            key=lambda t: (-t[0], t[1]),
        )
        chosen = [p for _, _, p in ranked[:count]]
        used.update(id(p) for p in chosen)
        return chosen

    def party_post(self, plan: _Plan, title: str, org: str, term: str, start, end=None) -> None:
        plan.posts.append(
            Post(
                kind=PostKind.PARTY,
                title=title,
                org=self.orgs[org],
                term=term,
                start=start,
                end=end,
            )
        )

    def plan_party_posts(self) -> None:
        rng = self.rng
        today = self.today
        current = [p for p in self.plans if p.current]
        t14 = self.terms.party
        t13 = years_before(t14, 5)
        used: set[int] = set()

        def serving(plans, on, *, active=True, ages=(40, 64)):
            return [
                p
                for p in plans
                if p.since <= on
                and ages[0] <= age_on(p.birth, today) <= ages[1]
                and (not active or not p.person.is_retired)
            ]

        # The city committee: 主委, 副主委, 秘书长 of the 14th term; the former 主委 retired.
        chair = self.pick(serving(current, t14, ages=(52, 62)), 1, used)
        vices = self.pick(serving(current, t14, ages=(45, 63)), 4, used)
        secretary = self.pick(serving(current, t14, ages=(40, 56)), 1, used)
        self.chair, self.vices = chair, vices
        for plan in chair:
            self.party_post(plan, "主委", ROOT_CODE, "第十四届", t14)
            self.party_post(plan, "副主委", ROOT_CODE, "第十三届", t13, t14)
        for plan in vices:
            self.party_post(plan, "副主委", ROOT_CODE, "第十四届", t14)
        for plan in secretary:
            self.party_post(plan, "秘书长", ROOT_CODE, "第十四届", t14)
        former = self.pick(serving(current, t13, active=False, ages=(66, 85)), 2, used)
        for plan, title in zip(former, ("主委", "副主委"), strict=False):
            self.party_post(plan, title, ROOT_CODE, "第十三届", t13, t14)

        # The top of the committee holds leading posts in the city.
        for plan, (unit, job) in zip(
            chair + vices[:1],
            (("江城市人大常委会", "副主任"), ("江城市人民政府", "副市长")),
            strict=False,
        ):
            plan.person.work_unit, plan.person.job_post = unit, job
            plan.person.unit_nature = _GOV
            plan.rank = AdminRank.BUREAU_DEPUTY.value

        # Grassroots committees and branches.
        for spec in ORGS:
            if spec.kind == _C or spec.code == DISSOLVED_BRANCH:
                continue
            if spec.kind == _G:
                members = [p for p in current if ORG_BY_CODE[p.branch].parent == spec.code]
                titles = (("主委", 1), ("副主委", 1), ("委员", 1))
            else:
                members = [p for p in current if p.branch == spec.code]
                titles = (
                    ("支部主委", 1),
                    ("副主委", rng.randint(1, 2)),
                    ("支委", rng.randint(2, 3)),
                )
            if spec.code == NEW_BRANCH:
                start, term = self.new_branch_on + timedelta(days=45), "第一届"
            else:
                start, term = min(t14 + timedelta(days=rng.randint(20, 75)), today), "第十四届"
            for title, count in titles:
                chosen = self.pick(serving(members, start, ages=(33, 66)), count, used)
                if len(chosen) < count:  # a small or older branch: retired members serve too
                    more = serving(members, start, active=False, ages=(33, 75))
                    chosen += self.pick(more, count - len(chosen), used)
                for plan in chosen:
                    self.party_post(plan, title, spec.code, term, start)
            if spec.kind == _B and spec.code != NEW_BRANCH and rng.random() < 0.6:
                before = t13 + timedelta(days=rng.randint(20, 75))
                for plan in self.pick(
                    serving(members, before, active=False, ages=(55, 90)), 1, used
                ):
                    self.party_post(plan, "支部主委", spec.code, "第十三届", before, start)

        # The last chair of the dissolved branch, until he or she moved.
        movers = [p for p in self.plans if p.moves[0][1] == DISSOLVED_BRANCH and len(p.moves) > 1]
        if movers:
            plan = movers[0]
            start = max(t13 + timedelta(days=40), plan.moves[0][0] + timedelta(days=30))
            self.party_post(plan, "支部主委", DISSOLVED_BRANCH, "第十三届", start, plan.moves[1][0])

    def plan_government_posts(self) -> None:
        rng = self.rng
        lower = {
            AdminRank.BUREAU_DEPUTY.value: ("局长", AdminRank.DIVISION_PRINCIPAL.value),
            AdminRank.DIVISION_PRINCIPAL.value: ("副局长", AdminRank.DIVISION_DEPUTY.value),
            AdminRank.DIVISION_DEPUTY.value: ("科长", AdminRank.SECTION_PRINCIPAL.value),
            AdminRank.SECTION_PRINCIPAL.value: ("副科长", AdminRank.SECTION_DEPUTY.value),
        }
        for plan in self.plans:
            if not plan.current or not plan.rank or plan.person.is_retired:
                continue
            person = plan.person
            if plan.rank == AdminRank.BUREAU_DEPUTY.value:
                start = self.terms.city
            else:
                start = self.today - timedelta(days=rng.randint(120, 8 * 365))
            plan.posts.append(
                Post(
                    kind=PostKind.GOVERNMENT,
                    title=person.job_post,
                    unit=person.work_unit,
                    rank=plan.rank,
                    start=start,
                )
            )
            if plan.rank in lower and rng.random() < 0.5:
                title, rank = lower[plan.rank]
                before = years_before(start, rng.randint(3, 6))
                unit = person.work_unit
                if plan.rank == AdminRank.BUREAU_DEPUTY.value:
                    unit = "江城市教育局"
                plan.posts.append(
                    Post(
                        kind=PostKind.GOVERNMENT,
                        title=title,
                        unit=unit,
                        rank=rank,
                        start=before,
                        end=start,
                    )
                )

    def plan_political_posts(self) -> None:
        rng = self.rng
        terms = self.terms
        city_prev = years_before(terms.city, 5)
        county_prev = years_before(terms.county, 5)
        current = [p for p in self.plans if p.current]
        holders: set[int] = set()

        def district(plan: _Plan) -> str:
            return (
                ORG_BY_CODE[plan.branch].district or ORG_BY_CODE[plan.profile].district or "江南区"
            )

        def seat(plan, body, level, *, previous=False):
            if level == PoliticalLevel.CITY:
                where, start, term = "江城市", terms.city, "第十五届"
                prev_start, prev_term = city_prev, "第十四届"
                unit = "政协江城市委员会" if body.startswith("cppcc") else "江城市人民代表大会"
            elif level == PoliticalLevel.PROVINCIAL:
                where, start, term = "湖北省", terms.province, "第十三届"
                prev_start, prev_term = years_before(terms.province, 5), "第十二届"
                unit = "政协湖北省委员会"
            else:
                d = district(plan)
                where, start, term = d, terms.county, "第十届"
                prev_start, prev_term = county_prev, "第九届"
                unit = (
                    f"政协江城市{d}委员会" if body.startswith("cppcc") else f"江城市{d}人民代表大会"
                )
            title = where + PoliticalBody(body).label
            if not previous:
                plan.posts.append(
                    Post(
                        kind=PostKind.POLITICAL,
                        title=title,
                        unit=unit,
                        body=body,
                        level=level,
                        term=term,
                        start=start,
                    )
                )
            if previous or rng.random() < 0.4:
                earlier = PoliticalBody.CPPCC_MEMBER.value if body.startswith("cppcc") else body
                plan.posts.append(
                    Post(
                        kind=PostKind.POLITICAL,
                        title=where + PoliticalBody(earlier).label,
                        unit=unit,
                        body=earlier,
                        level=level,
                        term=prev_term,
                        start=prev_start,
                        end=start,
                    )
                )
            holders.add(id(plan))

        for plan in self.chair:
            seat(plan, PoliticalBody.NPC_STANDING.value, PoliticalLevel.CITY)
        # The first 副主委 is a vice mayor (a government post); the others sit in the CPPCC.
        for plan, (body, level) in zip(
            self.vices[1:],
            (
                (PoliticalBody.CPPCC_STANDING.value, PoliticalLevel.CITY),
                (PoliticalBody.CPPCC_STANDING.value, PoliticalLevel.CITY),
                (PoliticalBody.CPPCC_MEMBER.value, PoliticalLevel.PROVINCIAL),
            ),
            strict=False,
        ):
            seat(plan, body, level)

        def candidates(plans):
            return [
                p
                for p in plans
                if id(p) not in holders
                and not p.person.is_retired
                and 38 <= age_on(p.birth, self.today) <= 64
                and (p.person.title_level in ("1", "2") or p.person.job_post or p.rank)
            ]

        def choose(plans, count):
            pool = candidates(plans)
            return rng.sample(pool, min(count, len(pool)))

        county = [p for p in current if ORG_BY_CODE[p.branch].district]
        for plan in choose(county, self.n(7, 9)):
            seat(plan, PoliticalBody.CPPCC_MEMBER.value, PoliticalLevel.COUNTY)
        for plan in choose(county, self.n(2, 4)):
            seat(plan, PoliticalBody.NPC_DEPUTY.value, PoliticalLevel.COUNTY)
        for plan in choose(current, self.n(14, 18)):
            seat(plan, PoliticalBody.CPPCC_MEMBER.value, PoliticalLevel.CITY)
        for plan in choose(current, self.n(3, 4)):
            seat(plan, PoliticalBody.NPC_DEPUTY.value, PoliticalLevel.CITY)
        for plan in choose(current, 1):
            seat(plan, PoliticalBody.CPPCC_MEMBER.value, PoliticalLevel.PROVINCIAL)
        # Retired members who served in the previous term.
        retired = [
            p
            for p in current
            if id(p) not in holders and p.person.is_retired and p.person.title_level in ("1", "2")
        ]
        for plan in rng.sample(retired, min(len(retired), self.n(5, 7))):
            level = (
                PoliticalLevel.COUNTY if ORG_BY_CODE[plan.branch].district else PoliticalLevel.CITY
            )
            seat(plan, PoliticalBody.CPPCC_MEMBER.value, level, previous=True)
