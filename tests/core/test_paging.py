import pytest

from tests.factories import make_member
from tongxin.core import paging
from tongxin.people.models import MembershipSpell, Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("limit", [100, 3])
def test_pages_keep_the_order_and_the_total_whichever_way_they_are_read(world, monkeypatch, limit):
    monkeypatch.setattr(paging, "KEY_LIST_LIMIT", limit)
    for name in ("王芳", "李华", "张敏", "周明", "赵刚"):
        make_member(world.branch_a, name=name)
    people = Person.objects.order_by("name_pinyin")
    first = paging.paginate(people, page_number=1, per_page=2)
    last = paging.paginate(people, page_number=3, per_page=2)
    assert first.paginator.count == 5 and first.paginator.num_pages == 3
    assert [p.name for p in first.object_list] == ["李华", "王芳"]
    assert [p.name for p in last.object_list] == ["周明"]
    assert [p.name for p in paging.paginate(people, page_number="x", per_page=2)] == [
        "李华",
        "王芳",
    ]


@pytest.mark.parametrize("limit", [100, 3])
def test_a_page_reads_the_records_its_list_joins_without_a_query_per_row(
    world, monkeypatch, limit, django_assert_num_queries
):
    monkeypatch.setattr(paging, "KEY_LIST_LIMIT", limit)
    for name in ("王芳", "李华", "张敏", "周明", "赵刚"):
        make_member(world.branch_a, name=name)
    spells = MembershipSpell.objects.select_related("person", "org").prefetch_related(
        "person__spells"
    )
    page = paging.paginate(spells.order_by("person__name_pinyin"), page_number=1, per_page=4)
    rows = list(page.object_list)
    with django_assert_num_queries(0):
        shown = [(s.person.name, s.org.name, len(s.person.spells.all())) for s in rows]
    assert shown == [(name, world.branch_a.name, 1) for name in ("李华", "王芳", "张敏", "赵刚")]
