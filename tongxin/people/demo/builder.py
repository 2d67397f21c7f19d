"""The demo's five years of history, planned from a seed and written through the services.

``build_demo`` writes the tree (tree), about 300 current members with realistic attributes (names,
work) and the history of the last five years (admissions, transfers between branches, exits,
deaths, a dissolved branch), and the members' posts and political arrangements. Every write goes
through the services, so every rule is respected.

Everything is drawn from ``random.Random(seed)`` and dated relative to ``today``: the same seed and
the same ``today`` give the same data. Names, ID numbers, phones and units are synthetic.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from django.db import transaction

from tongxin.core.codes import TITLES, Gender, SpellReason
from tongxin.core.dates import age_on, years_before
from tongxin.core.idnumber import make_id_number
from tongxin.core.pinyin import name_pinyin
from tongxin.core.scope import subtree_q
from tongxin.orgs.models import Organization, OrganizationCategory
from tongxin.orgs.services import org_create, org_dissolve

from .. import services
from ..models import MembershipSpell, Person, Post
from .names import (
    _AREA_CODES,
    _FEMALE_CHARS,
    _MAIL_DOMAINS,
    _MALE_CHARS,
    _MINORITIES,
    _MOBILE_PREFIXES,
    _NATIVE_PLACES,
    _SHARED_CHARS,
    PLANTED_NAMES,
    PLANTED_SURNAMES,
    SURNAMES,
)
from .plans import Terms, _after_years, _born, _day, _Plan, _weighted
from .posts import _PostPlanning
from .summary import DemoSummary, summarize
from .tree import (
    APPROVING_BODY,
    CATEGORIES,
    CURRENT_BRANCHES,
    DISSOLVED_BRANCH,
    DISSOLVED_BRANCH_TARGETS,
    NEW_BRANCH,
    NEW_BRANCH_SOURCE,
    ORG_BY_CODE,
    ORGS,
    PARTY,
    ROOT_CODE,
    demo_root,
)
from .work import (
    _LEVEL_WEIGHTS,
    _PRIVATE,
    _SCHOOLS,
    _SENIOR_POSTS,
    _SOE,
    LADDERS,
    TEMPLATES,
)

DEFAULT_SEED = 2024
DEFAULT_MEMBERS = 300
MIN_MEMBERS = 60


class _Builder(_PostPlanning):
    def __init__(self, *, seed: int, today: date, members: int):
        self.rng = random.Random(seed)
        self.today = today
        self.members = members
        self.scale = members / DEFAULT_MEMBERS
        self.window_start = years_before(today, 5)
        self.dissolve_on = years_before(today, 2)
        self.new_branch_on = years_before(today, 3) + timedelta(days=40)
        self.terms = Terms.on(today)
        self.orgs: dict[str, Organization] = {}
        self.plans: list[_Plan] = []
        self.names: set[str] = set()
        self.ids: set[str] = set()
        self.phones: set[str] = set()
        self.doc_counters: Counter = Counter()
        self.chair: list[_Plan] = []
        self.vices: list[_Plan] = []

    # --- helpers -------------------------------------------------------------------------

    def n(self, low: int, high: int | None = None) -> int:
        value = low if high is None else self.rng.randint(low, high)
        return max(1, round(value * self.scale))

    def established(self, code: str) -> date:
        spec = ORG_BY_CODE[code]
        return spec.established or self.new_branch_on

    def document(self, prefix: str, on: date) -> str:
        self.doc_counters[(prefix, on.year)] += 1
        return f"{prefix}〔{on.year}〕{self.doc_counters[(prefix, on.year)]}号"

    def old_admission(self, birth: date, first_org: str, before: date) -> date:
        """A long-ago admission: at 27 or older, after the branch was founded, before ``before``."""
        low = max(
            _after_years(birth, 27),
            self.established(first_org) + timedelta(days=30),
            date(1979, 1, 1),
        )
        high = before - timedelta(days=1)
        if low >= high:
            return high
        # More members joined in later decades: skew towards ``high``.
        return date.fromordinal(
            round(self.rng.triangular(low.toordinal(), high.toordinal(), high.toordinal()))
        )

    def current_age(self) -> float:
        roll = self.rng.random()
        if roll < 0.10:
            return self.rng.uniform(34, 40)
        if roll < 0.76:
            return self.rng.triangular(40, 66, 53)
        return self.rng.uniform(66, 81)

    def gender(self) -> str:
        return Gender.FEMALE.value if self.rng.random() < 0.45 else Gender.MALE.value

    def siblings(self, code: str) -> list[str]:
        families = ORG_BY_CODE[code].families
        return [
            other
            for other in CURRENT_BRANCHES
            if other not in (code, NEW_BRANCH) and set(ORG_BY_CODE[other].families) & set(families)
        ]

    # --- the tree ------------------------------------------------------------------------

    def build_tree(self) -> None:
        categories = {
            name: OrganizationCategory.objects.get_or_create(name=name)[0] for name in CATEGORIES
        }
        for spec in ORGS:
            parent = self.orgs.get(spec.parent)
            org = Organization(
                code=spec.code,
                name=spec.name,
                short_name=spec.short_name,
                kind=spec.kind,
                party=PARTY if not spec.parent else "",
                established=self.established(spec.code),
            )
            self.orgs[spec.code] = org_create(
                parent=parent, org=org, categories=[categories[c] for c in spec.categories]
            )

    # --- who joins, moves and leaves -----------------------------------------------------

    def plan_members(self) -> None:
        rng = self.rng
        today = self.today
        recent_per_year = [self.n(10, 20) for _ in range(5)]
        movers = self.n(7)
        stay = max(0, self.members - movers)

        # Seats in the current branches, shared by weight (largest remainder).
        weights = {code: ORG_BY_CODE[code].weight for code in CURRENT_BRANCHES}
        total = sum(weights.values())
        exact = {code: stay * w / total for code, w in weights.items()}
        seats = {code: int(value) for code, value in exact.items()}
        for code in sorted(exact, key=lambda c: (seats[c] - exact[c], c))[
            : stay - sum(seats.values())
        ]:
            seats[code] += 1
        slots = [code for code in CURRENT_BRANCHES for _ in range(seats[code])]
        rng.shuffle(slots)

        # Recent admissions, in two or three approval batches a year.
        recent: list[_Plan] = []
        for k, count in enumerate(recent_per_year):
            period_start = years_before(today, 5 - k)
            batches = [
                d for d in (period_start + timedelta(days=o) for o in (75, 190, 320)) if d <= today
            ] or [today]
            for _ in range(count):
                if not slots:
                    break
                code = slots.pop()
                on = rng.choice(batches)
                age = rng.triangular(30, 52, 38)
                recent.append(
                    _Plan(code, self.gender(), _born(rng, on, age), [(on, code)], as_of=today)
                )
        # Long-standing members.
        long_standing = []
        for code in slots:
            birth = _born(rng, today, self.current_age())
            plan = _Plan(code, self.gender(), birth, [], as_of=today)
            plan.moves = [(self.old_admission(birth, code, self.window_start), code)]
            long_standing.append(plan)
        # The names that must exist go to long-standing members.
        for (name, gender), plan in zip(PLANTED_NAMES, long_standing, strict=False):
            plan.name, plan.gender = name, gender.value
            self.names.add(name)
            plan.birth = _born(rng, today, rng.uniform(42, 58))
            plan.moves = [
                (self.old_admission(plan.birth, plan.branch, self.window_start), plan.branch)
            ]
        for surname, plan in zip(
            PLANTED_SURNAMES, long_standing[len(PLANTED_NAMES) :], strict=False
        ):
            plan.surname = surname

        # Members of the new branch came from its source branch when it was founded.
        for plan in recent + long_standing:
            admitted, code = plan.moves[0]
            if code == NEW_BRANCH and admitted < self.new_branch_on:
                if admitted < self.established(NEW_BRANCH_SOURCE) + timedelta(days=30):
                    admitted = self.old_admission(plan.birth, NEW_BRANCH_SOURCE, self.window_start)
                moved = self.new_branch_on + timedelta(days=rng.randint(0, 40))
                plan.moves = [(admitted, NEW_BRANCH_SOURCE), (min(moved, today), NEW_BRANCH)]

        # Transfers between branches of one family within the five years.
        movable = [
            p
            for p in long_standing
            if len(p.moves) == 1 and p.branch != NEW_BRANCH and self.siblings(p.branch)
        ]
        for plan in rng.sample(movable, min(len(movable), self.n(12, 18))):
            first = rng.choice(self.siblings(plan.branch))
            admitted = self.old_admission(plan.birth, first, self.window_start)
            moved = _day(rng, self.window_start + timedelta(days=20), today - timedelta(days=15))
            plan.moves = [(admitted, first), (moved, plan.branch)]

        # The dissolved branch: its members moved to the economy branches before it closed.
        for _ in range(movers):
            birth = _born(rng, today, rng.uniform(52, 79))
            target = _weighted(rng, DISSOLVED_BRANCH_TARGETS)
            moved = self.dissolve_on - timedelta(days=rng.randint(10, 150))
            plan = _Plan(DISSOLVED_BRANCH, self.gender(), birth, [], as_of=today)
            plan.moves = [
                (self.old_admission(birth, DISSOLVED_BRANCH, self.window_start), DISSOLVED_BRANCH),
                (moved, target),
            ]
            long_standing.append(plan)

        self.plans = long_standing + recent
        self.plan_exits()
        rng.shuffle(self.plans)

    def plan_exits(self) -> None:
        rng = self.rng
        today = self.today
        pickable = [
            (code, ORG_BY_CODE[code].weight) for code in CURRENT_BRANCHES if code != NEW_BRANCH
        ]
        # (reason, count, (youngest, oldest) at the end, share admitted in the five years)
        exits = (
            (SpellReason.DIED.value, self.n(12, 16), (70, 93), 0.0),
            (SpellReason.TRANSFERRED_OUT.value, self.n(8, 12), (33, 60), 0.3),
            (SpellReason.WITHDREW.value, self.n(3, 5), (35, 72), 0.4),
            (SpellReason.REMOVED.value, self.n(2), (40, 65), 0.0),
            (SpellReason.EXPELLED.value, 1, (45, 60), 0.0),
        )
        for reason, count, (youngest, oldest), recent_share in exits:
            for _ in range(count):
                code = _weighted(rng, pickable)
                on = _day(rng, self.window_start + timedelta(days=30), today - timedelta(days=5))
                age = rng.triangular(youngest, oldest, (youngest + oldest) / 2)
                birth = _born(rng, on, age)
                if rng.random() < recent_share and on > self.window_start + timedelta(days=260):
                    admitted = _day(rng, self.window_start, on - timedelta(days=200))
                else:
                    admitted = self.old_admission(birth, code, self.window_start)
                self.plans.append(
                    _Plan(code, self.gender(), birth, [(admitted, code)], (on, reason), as_of=on)
                )
        # One old member of the dissolved branch died before it closed.
        on = _day(
            rng, self.window_start + timedelta(days=60), self.dissolve_on - timedelta(days=200)
        )
        birth = _born(rng, on, rng.uniform(76, 90))
        admitted = self.old_admission(birth, DISSOLVED_BRANCH, self.window_start)
        self.plans.append(
            _Plan(
                DISSOLVED_BRANCH,
                Gender.MALE.value,
                birth,
                [(admitted, DISSOLVED_BRANCH)],
                (on, SpellReason.DIED.value),
                as_of=on,
            )
        )

    # --- attributes ----------------------------------------------------------------------

    def name_for(self, gender: str, surname: str = "") -> str:
        rng = self.rng
        own = _FEMALE_CHARS if gender == Gender.FEMALE.value else _MALE_CHARS
        for _ in range(200):
            family = surname or _weighted(rng, SURNAMES)
            if rng.random() < 0.3:
                given = rng.choice(own)
            else:
                given = rng.choice(own + _SHARED_CHARS) + rng.choice(own)
            name = family + given
            if name not in self.names and name_pinyin(name)[1] != "zm":
                self.names.add(name)
                return name
        raise RuntimeError("could not find a new name")

    def id_number_for(self, birth: date, gender: str) -> str:
        rng = self.rng
        for _ in range(200):
            area = _weighted(rng, _AREA_CODES)
            sequence = rng.randrange(0, 999)
            if (sequence % 2 == 1) != (gender == Gender.MALE.value):
                sequence += 1
            number = make_id_number(area, birth, sequence)
            if number not in self.ids:
                self.ids.add(number)
                return number
        raise RuntimeError("could not find a new ID number")

    def phone(self) -> str:
        while True:
            number = self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def describe(self, plan: _Plan) -> None:
        """Fill ``plan.person`` from the plan's branch profile, as of ``plan.as_of``."""
        rng = self.rng
        spec = ORG_BY_CODE[plan.profile]
        template = TEMPLATES[_weighted(rng, spec.templates)]
        district = spec.district or rng.choice(("江南区", "江北区"))
        unit = _weighted(rng, ((u, u.weight) for u in template.units))
        unit_name = unit.name.format(d=district)
        age = age_on(plan.birth, plan.as_of)
        female = plan.gender == Gender.FEMALE.value

        retire_at = 56 if female and template.nature in (_SOE, _PRIVATE) else 60
        retired = age >= retire_at + 1 and rng.random() < 0.93 or age >= 70

        education = _weighted(rng, template.education)
        if education == "11" and age >= 68 and rng.random() < 0.5:
            education = "21"
        degree = {"11": "2", "14": "3", "21": "4"}.get(education, "")
        if education == "21" and age >= 62 and rng.random() < 0.3:
            degree = ""
        school = rng.choice(template.schools or _SCHOOLS)
        major = rng.choice(template.majors)

        title, level = "", ""
        ladder = LADDERS[unit.ladder]
        if ladder and rng.random() < template.title_rate:
            weights = next(w for limit, w in _LEVEL_WEIGHTS if age <= limit)
            wanted = _weighted(rng, weights.items())
            level = min(ladder, key=lambda lv: (abs(int(lv) - int(wanted)), lv))
            title = rng.choice(ladder[level])
            level = TITLES[title][1]

        job_post, rank = "", ""
        if not retired:
            posts = [
                (p, p[2])
                for p in template.posts
                if p[3] in unit_name
                and not (age < 38 and (p[0] in _SENIOR_POSTS or p[1]))
                and not (age < 30 and p[0] == "合伙人")
            ]
            if posts:
                job_post, rank, _, _ = _weighted(rng, posts)
        plan.rank = rank

        ethnicity = "01" if rng.random() < 0.93 else _weighted(rng, _MINORITIES)
        plan.name = plan.name or self.name_for(plan.gender, plan.surname)
        pinyin = name_pinyin(plan.name)[0]
        email = ""
        if rng.random() < 0.45:
            if template.email_domain and not retired and rng.random() < 0.6:
                email = f"{pinyin}@{template.email_domain}"
            elif rng.random() < 0.4:
                email = f"{rng.randint(10**7, 3 * 10**9)}@qq.com"
            else:
                email = f"{pinyin}{plan.birth.year % 100:02d}@{_weighted(rng, _MAIL_DOMAINS)}"
        phone = self.phone() if rng.random() < 0.93 else ""

        plan.person = Person(
            name=plan.name,
            id_number=self.id_number_for(plan.birth, plan.gender),
            gender=plan.gender,
            birth_date=plan.birth,
            ethnicity=ethnicity,
            native_place=_weighted(rng, _NATIVE_PLACES),
            education=education,
            degree=degree,
            school_major=f"{school}{major}专业",
            title=title,
            title_level=level,
            work_unit=unit_name,
            unit_nature=unit.nature or template.nature,
            job_post=job_post,
            sector=unit.sector or template.sector,
            is_retired=retired,
            is_cross_member=rng.random() < 0.03,
            phone=phone,
            email=email,
        )

    # --- writing ---------------------------------------------------------------------------

    def write_people(self) -> None:
        for plan in self.plans:
            (admitted, first), *transfers = plan.moves
            person = services.person_create(
                person=plan.person,
                org=self.orgs[first],
                start=admitted,
                document_no=self.document("江盟组", admitted),
            )
            for on, code in transfers:
                services.membership_transfer(
                    person=person,
                    to_org=self.orgs[code],
                    on=on,
                    document_no=self.document("江盟组函", on),
                )
            if plan.end:
                on, reason = plan.end
                document = {
                    SpellReason.DIED.value: "",
                    SpellReason.TRANSFERRED_OUT.value: self.document("江盟组函", on),
                }.get(reason, self.document("江盟发", on))
                services.membership_end(
                    person=person,
                    on=on,
                    reason=reason,
                    document_no=document,
                    approved_by="" if reason == SpellReason.DIED.value else APPROVING_BODY,
                )
            for post in plan.posts:
                post.person = person
                # History from before the training records, which the training demo adds after
                # the roster: the rules for taking a post are not put to it.
                services.post_record(post=post, rules_checked=True)

    def run(self) -> None:
        self.build_tree()
        self.plan_members()
        for plan in self.plans:
            self.describe(plan)
        self.plan_party_posts()
        self.plan_government_posts()
        self.plan_political_posts()
        self.write_people()
        org_dissolve(org=self.orgs[DISSOLVED_BRANCH], on=self.dissolve_on)


# ---------------------------------------------------------------------------------------------
# Public interface
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def build_demo(
    *, seed: int = DEFAULT_SEED, today: date, members: int = DEFAULT_MEMBERS
) -> DemoSummary:
    """Write the demo committee with ``members`` current members and five years of history
    ending on ``today``. Refuses to run if the demo committee exists."""
    if members < MIN_MEMBERS:
        raise ValueError(f"members must be at least {MIN_MEMBERS}, got {members}")
    if demo_root() is not None:
        raise ValueError(f"the demo committee {ROOT_CODE} already exists")
    _Builder(seed=seed, today=today, members=members).run()
    return summarize(today=today)


@transaction.atomic
def seed_all(
    *, seed: int = DEFAULT_SEED, today: date, members: int = DEFAULT_MEMBERS
) -> tuple[DemoSummary, list[str]]:
    """The whole demo as ``manage.py seed_demo`` writes it: the roster, then each domain app's
    records on top of it (tongxin.core.extensions), all dated from ``today``. Returns the
    roster's summary and the apps' summary lines."""
    from tongxin.core import extensions

    summary = build_demo(seed=seed, today=today, members=members)
    rng = random.Random(seed)
    lines: list[str] = []
    for seed_app in extensions.get("seed_demo"):
        lines += seed_app(root=demo_root(), today=today, rng=rng)
    return summary, lines


@transaction.atomic
def reset_demo() -> bool:
    """Delete the demo committee's subtree with its people, spells and posts. False if absent."""
    root = demo_root()
    if root is None:
        return False
    from tongxin.core import extensions

    for reset in reversed(extensions.get("reset_demo")):  # the later apps first
        reset(root=root)
    orgs = Organization.objects.filter(subtree_q(root.path))
    people_ids = list(
        MembershipSpell.objects.filter(org__in=orgs).values_list("person_id", flat=True).distinct()
    )
    Post.objects.filter(org__in=orgs).delete()
    Person.objects.filter(pk__in=people_ids).delete()  # their spells and posts go with them
    Organization.objects.get(pk=root.pk).delete()  # treebeard deletes the whole subtree
    return True
