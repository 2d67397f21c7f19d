import pytest
from django.db.models import Q
from django.http import Http404

from tongxin.core.scope import Scope, get_in_scope_or_404, path_upper_bound
from tongxin.orgs.models import Organization


def test_the_upper_bound_of_a_path_is_above_every_path_below_it():
    assert path_upper_bound("00010002") == "00010003"
    assert path_upper_bound("0001000Z") == "0001000["
    assert "00010002ZZZZ" < path_upper_bound("00010002")
    assert not ("00010003" < path_upper_bound("00010002"))


def test_a_scope_keeps_only_the_outermost_paths():
    assert Scope.of(["00010002", "000100020001", "0002"]).paths == ("00010002", "0002")


def test_a_scope_contains_its_subtrees_and_nothing_else():
    scope = Scope.of(["00010002"])
    assert scope.contains_path("00010002")
    assert scope.contains_path("000100020005")
    assert not scope.contains_path("00010003")
    assert not scope.contains_path("0001")


def test_an_empty_scope_is_falsy_and_the_superuser_scope_contains_everything():
    assert not Scope()
    assert Scope(everything=True).contains_path("0001")


@pytest.mark.django_db
def test_a_scope_filters_organizations_to_its_subtrees(world, chair_a, city_staff):
    assert list(Scope.for_user(chair_a).filter(Organization.objects.all())) == [world.branch_a]
    city_codes = {o.code for o in Scope.for_user(city_staff).filter(Organization.objects.all())}
    assert city_codes == {"C1", "C1-A", "C1-B", "C1-G", "C1-G1"}


@pytest.mark.django_db
def test_the_whole_tree_stays_whole_inside_an_or(world, chair_a):
    """`scope.q() | Q(...)` for the superuser's scope keeps every row: an empty Q() would drop
    out of the OR and leave only the other side's rows."""
    everything = Scope(everything=True)
    only_b = Q(code="C1-B")
    assert Organization.objects.filter(everything.q() | only_b).count() == (
        Organization.objects.count()
    )
    assert list(Organization.objects.filter(everything.q() & only_b)) == [world.branch_b]
    chair = Scope.for_user(chair_a)
    assert set(Organization.objects.filter(chair.q() | only_b)) == {world.branch_a, world.branch_b}


@pytest.mark.django_db
def test_a_record_outside_the_scope_is_not_found(world, chair_a):
    scope = Scope.for_user(chair_a)
    assert get_in_scope_or_404(Organization.objects, scope, "path", pk=world.branch_a.pk)
    with pytest.raises(Http404):
        get_in_scope_or_404(Organization.objects, scope, "path", pk=world.branch_b.pk)


@pytest.mark.django_db
def test_a_user_without_scope_nodes_sees_nothing(world, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    assert not Scope.for_user(user).filter(Organization.objects.all()).exists()


@pytest.mark.django_db
def test_subtrees_of_nodes_whose_path_ends_in_9_or_z_are_found(world):
    """The upper bound of a path ending in 9 is ':' — only a byte-wise collation orders it
    after the digits and letters (PostgreSQL's locale collations do not)."""
    from datetime import date

    from tests.factories import make_member, make_org
    from tongxin.people.selectors import members_on

    kids = [
        make_org(world.branch_a, code=f"K{i}", name=f"小组{i}", kind="group") for i in range(1, 36)
    ]
    ninth, last = kids[8], kids[34]
    assert ninth.path.endswith("9") and last.path.endswith("Z")
    for kid in (ninth, last):
        make_member(kid, name=f"组员{kid.code}", start=date(2020, 1, 1))
        scope = Scope.of([kid.path])
        assert [o.code for o in scope.filter(Organization.objects.all())] == [kid.code]
        found = members_on(scope=scope, org=kid, on=date(2024, 1, 1))
        assert [p.name for p in found] == [f"组员{kid.code}"]
