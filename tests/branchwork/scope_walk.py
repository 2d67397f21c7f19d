"""Branch B's records for the scope walk (tests/test_scope_walk.py): an activity with a photo,
a liaison assignment and a visit, a contribution with a rung of its ladder."""

from datetime import date

from tests.factories import make_member
from tongxin.branchwork import services
from tongxin.branchwork.models import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    Adoption,
    AdoptionRung,
    Attendance,
    Contribution,
    ContributionAuthor,
    ContributionKind,
    LiaisonAssignment,
    LiaisonVisit,
)
from tongxin.core.scope import Scope

EVERYTHING = Scope(everything=True)

ACTIVITY_TITLE = "乙支部义诊活动"
VISIT_TOPIC = "乙支部走访座谈纪要"
CONTRIBUTION_TITLE = "乙支部社情民意建议"
LIAISON = "上官联络"


def b_records(world) -> dict:
    member = make_member(world.branch_b, name="端木乙")
    leader = make_member(world.city, name=LIAISON)
    activity = services.activity_save(
        activity=Activity(
            org=world.branch_b, date=date(2025, 4, 1), kind=ActivityKind.STUDY, title=ACTIVITY_TITLE
        ),
        expected=[member.pk],
        present=[member.pk],
        scope=EVERYTHING,
    )
    # A photo row is enough: the walk must be refused before any file is read.
    photo = ActivityPhoto.objects.create(
        activity=activity,
        file="branchwork/photos/walk.jpg",
        thumbnail="branchwork/photos/walk_thumb.jpg",
        content_type="image/jpeg",
        original_name="乙支部照片.jpg",
        size=1,
        width=1,
        height=1,
    )
    (assignment,) = services.liaison_assign(
        orgs=[world.branch_b], person=leader, start=date(2025, 1, 1)
    )
    visit = services.visit_save(
        visit=LiaisonVisit(
            org=world.branch_b, assignment=assignment, date=date(2025, 5, 1), topics=VISIT_TOPIC
        )
    )
    contribution = services.contribution_save(
        contribution=Contribution(
            kind=ContributionKind.SOCIAL_REPORT,
            title=CONTRIBUTION_TITLE,
            submitted_on=date(2025, 3, 1),
        ),
        authors=[member],
        scope=EVERYTHING,
    )
    adoption = services.adoption_save(
        adoption=Adoption(
            contribution=contribution, rung=AdoptionRung.CITY, on=date(2025, 3, 9), document="第9期"
        )
    )
    return {
        "activity": activity,
        "photo": photo,
        "assignment": assignment,
        "visit": visit,
        "contribution": contribution,
        "adoption": adoption,
    }


ARGUMENTS = {
    "branchwork:assignment_edit": {"pk": "assignment"},
    "branchwork:visit_edit": {"pk": "visit"},
    "branchwork:visit_delete": {"pk": "visit"},
    "branchwork:activity_detail": {"pk": "activity"},
    "branchwork:activity_edit": {"pk": "activity"},
    "branchwork:activity_delete": {"pk": "activity"},
    "branchwork:photo_upload": {"pk": "activity"},
    "branchwork:photo": {"pk": "photo"},
    "branchwork:photo_thumbnail": {"pk": "photo"},
    "branchwork:photo_delete": {"pk": "photo"},
    "branchwork:contribution_detail": {"pk": "contribution"},
    "branchwork:contribution_edit": {"pk": "contribution"},
    "branchwork:contribution_delete": {"pk": "contribution"},
    "branchwork:adoption_create": {"pk": "contribution"},
    "branchwork:adoption_delete": {"pk": "contribution", "adoption_pk": "adoption"},
}
EXPECTED = tuple(ARGUMENTS)


def argument(name, arg, records):
    key = ARGUMENTS.get(name, {}).get(arg)
    return str(records[key].pk) if key else None


def markers(records) -> list[str]:
    return [ACTIVITY_TITLE, VISIT_TOPIC, CONTRIBUTION_TITLE, LIAISON, "端木乙", "乙支部照片"]


def snapshot():
    return [
        sorted(Activity.objects.values_list("pk", "org_id", "date", "title", "summary")),
        sorted(Attendance.objects.values_list("pk", "person_id", "expected", "present")),
        sorted(ActivityPhoto.objects.values_list("pk", "activity_id", "file")),
        sorted(LiaisonAssignment.objects.values_list("pk", "org_id", "start", "end")),
        sorted(LiaisonVisit.objects.values_list("pk", "org_id", "date", "topics")),
        sorted(Contribution.objects.values_list("pk", "title", "submitted_on")),
        sorted(ContributionAuthor.objects.values_list("pk", "person_id", "org_id", "role")),
        sorted(Adoption.objects.values_list("pk", "rung", "on", "document")),
    ]
