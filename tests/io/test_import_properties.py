"""Property: a workbook with any bad cell is rejected and leaves the database exactly as it was."""

from datetime import date

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_member
from tests.io.helpers import member, workbook_bytes
from tongxin.core.scope import Scope
from tongxin.io import importer
from tongxin.io.models import BatchChange, ImportBatch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sheet_reading")]

BAD_CELLS = {
    "身份证号": st.sampled_from(
        [
            "360426199101010072",
            "1101051949123100",
            "11010519491332002X",
            "110105194912310021",
            "ABCDEFGHIJKLMNOPQR",
        ]
    )
    | st.integers(min_value=10**17, max_value=10**18 - 1)
    | st.floats(1e17, 9e17),
    "入会日期": st.sampled_from(["2015-02-30", "明年", "1800-01-01", "2014/13/1", "32/1/2014"]),
    "性别": st.sampled_from(["M", "未知的", "3"]),
    "学历": st.sampled_from(["博士后", "本本科", "小学肄业了"]),
    "学位": st.sampled_from(["硕土", "博土", "学位"]),
    "所在组织编码": st.sampled_from(["NOPE", "C2-A", "ZZZ"]),
    "手机": st.sampled_from(["12345", "1381234567", "23812345678"]),
    "在职状态": st.sampled_from(["在岗了", "半退"]),
    "职称级别": st.sampled_from(["高级", "特级"]),
    "电子邮箱": st.sampled_from(["zhang@", "不是邮箱"]),
}


def snapshot():
    with connection.cursor() as cursor:
        tables = ["people_person", "people_membershipspell", "people_post", "orgs_organization"]
        return {t: cursor.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in tables}


@pytest.fixture
def populated(world):
    make_member(world.branch_a, name="张敏", start=date(2010, 1, 1))
    make_member(world.branch_b, name="周明", start=date(2012, 1, 1))
    return world


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    bad=st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from(sorted(BAD_CELLS))).flatmap(
            lambda rc: st.tuples(st.just(rc[0]), st.just(rc[1]), BAD_CELLS[rc[1]])
        ),
        min_size=1,
        max_size=4,
    )
)
def test_a_workbook_with_bad_cells_changes_nothing(populated, city_staff, bad):
    rows = [member(f"新成员{i}", "C1-A", 学历="本科") for i in range(4)]
    for row, header, value in bad:
        rows[row][header] = value
    before = snapshot()
    plan = importer.check(
        data=workbook_bytes(members=rows),
        filename="x.xlsx",
        scope=Scope.for_user(city_staff),
        effective_date=date(2025, 1, 1),
    )
    assert plan.errors, f"bad cells {bad} were accepted"
    bad_rows = {row + 2 for row, _h, _v in bad}
    assert bad_rows <= {e["row"] for e in plan.errors}
    assert snapshot() == before
    assert not ImportBatch.objects.exists() and not BatchChange.objects.exists()
