"""The demo's branch work: liaison with a few branches not yet visited, two years of activities
with attendance, contributions climbing the ladder (one report to the national CPPCC); the same
for the same seed, and gone after a reset."""

import random
from datetime import date

import pytest
from django.db import transaction
from django.test import override_settings

from tongxin.branchwork import demo as branch_demo
from tongxin.branchwork import points, selectors
from tongxin.branchwork.models import (
    Activity,
    ActivityPhoto,
    Adoption,
    Attendance,
    Contribution,
    ContributionAuthor,
    LiaisonAssignment,
    LiaisonVisit,
)
from tongxin.core.scope import Scope
from tongxin.orgs.models import Organization
from tongxin.people import demo

TODAY = date(2025, 6, 30)
SEED = 7
EVERYTHING = Scope(everything=True)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        demo.build_demo(seed=SEED, today=TODAY)
        root = demo.demo_root()
        lines = branch_demo.seed_demo(root=root, today=TODAY, rng=random.Random(SEED))
        yield {"root": root, "lines": lines, "media": media}
        transaction.set_rollback(True)


def _snapshot():
    return [
        sorted(Activity.objects.values_list("org__code", "date", "kind", "title")),
        sorted(
            Attendance.objects.values_list("activity__date", "person__name", "expected", "present")
        ),
        sorted(LiaisonVisit.objects.values_list("org__code", "date", "topics")),
        sorted(Contribution.objects.values_list("kind", "title", "submitted_on")),
        sorted(Adoption.objects.values_list("contribution__title", "rung", "on")),
    ]


@pytest.mark.django_db
def test_a_report_of_the_chairs_branch_reached_the_national_cppcc(seeded):
    national = Contribution.objects.filter(adoptions__rung="national_cppcc")
    flagship = national.get(authors__org__code=branch_demo.FLAGSHIP_BRANCH)
    assert flagship.kind == "social_report"
    assert [a.rung for a in flagship.adoptions.order_by("on")] == [
        "city",
        "province",
        "centre",
        "national_cppcc",
    ]
    branch = Organization.objects.get(code=branch_demo.FLAGSHIP_BRANCH)
    earned = points.branch_points(scope=EVERYTHING, org=branch, year=TODAY.year)
    assert any(row.rung == "national_cppcc" for row in earned.rows)


@pytest.mark.django_db
def test_every_current_branch_holds_activities_in_each_of_two_years(seeded):
    branches = branch_demo._current_branches(seeded["root"], TODAY)
    assert len(branches) == 18
    for branch in branches:
        years = set(Activity.objects.filter(org=branch).dates("date", "year"))
        assert {d.year for d in years} >= {TODAY.year - 1, TODAY.year}, branch.name
    # Attendance is from the roster on the day: nobody listed who was not a member then.
    sample = Activity.objects.order_by("pk")[:20]
    for activity in sample:
        roster = set(selectors.roster_on(scope=EVERYTHING, org=activity.org, on=activity.date))
        assert {a.person for a in activity.attendance.all()} <= roster
    assert Attendance.objects.filter(present=True).exists()
    assert ActivityPhoto.objects.exists()
    for photo in ActivityPhoto.objects.all():
        assert (seeded["media"] / photo.file).is_file()


@pytest.mark.django_db
def test_a_few_branches_are_not_yet_visited_this_half_year(seeded):
    grassroots = selectors.branches(scope=EVERYTHING, org=seeded["root"], on=TODAY)
    unvisited = selectors.unvisited_branches(scope=EVERYTHING, org=seeded["root"], on=TODAY)
    assert unvisited.count() == branch_demo.UNVISITED_THIS_HALF
    # Every grassroots organization has its liaison.
    assert LiaisonAssignment.objects.count() == grassroots.count() == 20
    assert "本半年未走访的基层组织 3 个" in seeded["lines"][0]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_records_and_reset_removes_them(seeded):
    before = _snapshot()
    with override_settings(MEDIA_ROOT=seeded["media"]):
        names = list(ActivityPhoto.objects.values_list("file", flat=True))
        branch_demo.reset_demo(root=seeded["root"])
        assert not Activity.objects.exists()
        assert not Contribution.objects.exists()
        assert not ContributionAuthor.objects.exists()
        assert not LiaisonVisit.objects.exists()
        assert not any((seeded["media"] / name).exists() for name in names)
        branch_demo.seed_demo(root=seeded["root"], today=TODAY, rng=random.Random(SEED))
    assert _snapshot() == before
