"""Honours (表彰/荣誉) a person received: kept newest first, each change in the audit log."""

from datetime import date

import pytest
from auditlog.models import LogEntry

from tests.factories import make_member
from tongxin.people.models import Honor, HonorLevel

pytestmark = pytest.mark.django_db


def test_a_persons_honours_are_listed_newest_first_and_audited(world):
    person = make_member(world.branch_a, name="张敏")
    older = Honor.objects.create(
        person=person,
        title="江城市三八红旗手",
        level=HonorLevel.CITY,
        conferred_by="江城市妇女联合会",
        conferred_on=date(2019, 3, 8),
    )
    newer = Honor.objects.create(
        person=person,
        title="全国优秀政协委员",
        level=HonorLevel.NATIONAL,
        conferred_by="全国政协",
        conferred_on=date(2023, 3, 1),
    )
    assert list(person.honors.all()) == [newer, older]
    entry = LogEntry.objects.get_for_object(newer).get()
    assert entry.changes_dict["title"] == ["None", "全国优秀政协委员"]
