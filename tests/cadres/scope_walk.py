"""Branch B's cadres records for the scope walk (tests/test_scope_walk.py): a pool of B with an
entry, a candidate with a talk, an assessment, a practice posting, a recommendation and a
contact; none of them may be reached or changed by the chair of branch A."""

from datetime import date

from tests.factories import make_member
from tongxin.cadres import plans, services
from tongxin.cadres.models import (
    AnnualAssessment,
    Contact,
    NonPartyPlan,
    PoolCandidate,
    PoolEntry,
    PracticeAssignment,
    Recommendation,
    TalentPool,
)

POOL = "医卫支部后备人才库"


def b_records(world):
    person = make_member(world.branch_b, name="上官霞", birth_date=date(1986, 3, 3))
    other = make_member(world.branch_b, name="诸葛明", birth_date=date(1987, 4, 4))
    pool = services.pool_save(
        pool=TalentPool(owner=world.branch_b, name=POOL, kind="reserve", max_age=50)
    )
    entry = services.pool_entry_start(
        pool=pool,
        person=person,
        on=date(2025, 1, 1),
        source="unit",
        decision_meeting="支委会",
        decision_date=date(2025, 1, 1),
    )
    candidate = services.candidate_start(
        pool=pool, person=other, on=date(2025, 2, 1), source="survey"
    )
    services.talk_record(
        candidate=candidate, on=date(2025, 2, 2), talkers="支部主委", summary="B支部谈话要点"
    )
    assessment = services.assessment_save(
        assessment=AnnualAssessment(person=person, year=2024, grade="excellent", unit="B考核单位")
    )
    practice = services.practice_save(
        assignment=PracticeAssignment(
            person=person, kind="secondment", place="B挂职单位", start=date(2024, 1, 1)
        )
    )
    recommendation = services.recommendation_create(
        recommendation=Recommendation(
            owner=world.branch_b,
            person=person,
            direction="internal",
            post_kind="party",
            title="B支部副主委",
            target_org=world.branch_b,
            started_on=date(2025, 3, 1),
        )
    )
    contact = services.contact_save(
        contact=Contact(
            owner=world.branch_b,
            kind="symposium",
            on=date(2025, 4, 1),
            leader="B领导",
            subject="B座谈会主题",
        ),
        people=[person],
    )
    plan = plans.plan_save(
        plan=NonPartyPlan(
            owner=world.branch_b,
            title="B支部党外干部规划",
            start=date(2025, 1, 1),
            end=date(2027, 12, 31),
        ),
        targets={"files": 3},
    )
    return {
        "plan": plan,
        "person": person,
        "pool": pool,
        "entry": entry,
        "candidate": candidate,
        "assessment": assessment,
        "practice": practice,
        "recommendation": recommendation,
        "contact": contact,
    }


_BY_NAME = {
    "cadres:entry_exit": "entry",
    "cadres:candidate": "candidate",
    "cadres:candidate_step": "candidate",
    "cadres:assessment_edit": "assessment",
    "cadres:practice_edit": "practice",
    "cadres:contact_edit": "contact",
    "cadres:recommendation": "recommendation",
    "cadres:recommendation_advance": "recommendation",
    "cadres:recommendation_stop": "recommendation",
    "cadres:registration_form": "person",
    "cadres:nonparty_plan": "plan",
    "cadres:nonparty_plan_edit": "plan",
}


def argument(name, arg, records):
    if not name.startswith("cadres:") or not records:
        return None
    if arg == "step":
        return "talk"
    if arg == "pk":
        return str(records[_BY_NAME.get(name, "pool")].pk)
    return None


def markers(records):
    return [
        POOL,
        "上官霞",
        "诸葛明",
        "B支部谈话要点",
        "B考核单位",
        "B挂职单位",
        "B支部副主委",
        "B座谈会主题",
        "B支部党外干部规划",
    ]


def snapshot():
    return (
        sorted(TalentPool.objects.values_list("pk", "name", "is_active")),
        sorted(PoolEntry.objects.values_list("pk", "end", "exit_reason")),
        sorted(PoolCandidate.objects.values_list("pk", "status")),
        sorted(AnnualAssessment.objects.values_list("pk", "grade", "year")),
        sorted(PracticeAssignment.objects.values_list("pk", "place", "end")),
        sorted(Recommendation.objects.values_list("pk", "status", "current_step")),
        sorted(Contact.objects.values_list("pk", "subject")),
        sorted(NonPartyPlan.objects.values_list("pk", "title", "end")),
    )


EXPECTED = [
    "cadres:pool",
    "cadres:pool_edit",
    "cadres:survey",
    "cadres:review",
    "cadres:entry_exit",
    "cadres:candidate",
    "cadres:candidate_step",
    "cadres:assessment_edit",
    "cadres:practice_edit",
    "cadres:contact_edit",
    "cadres:recommendation",
    "cadres:recommendation_advance",
    "cadres:registration_form",
    "cadres:nonparty_plan",
    "cadres:nonparty_plan_edit",
]
