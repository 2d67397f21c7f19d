import pytest

from tests.factories import make_member
from tongxin.core import paging
from tongxin.people.models import Person

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
