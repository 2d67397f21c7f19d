"""The statistics' stored results: a second report reads them instead of counting again, and
no way of changing the records — a form, a bulk import, an update over many rows, raw SQL, a
moved organization — leaves a stale figure."""

from contextlib import contextmanager
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_member
from tongxin.core.scope import Scope
from tongxin.people.models import MembershipSpell, Person
from tongxin.stats import cache, sections, tables
from tongxin.stats.models import CachedAggregate, DataVersion

pytestmark = pytest.mark.django_db
AS_OF = date(2024, 12, 31)
EVERYTHING = Scope(everything=True)


@pytest.fixture
def members(world):
    make_member(world.branch_a, name="张敏", gender="2", start=date(2020, 1, 1))
    make_member(world.branch_a, name="周明", start=date(2024, 3, 1))
    make_member(world.branch_b, name="王芳", gender="2", start=date(2015, 1, 1))
    return world


@contextmanager
def counted_members():
    """The aggregates over the members that reach the database inside the block (a query only
    compiled to find its stored row raises before it does, and is not listed)."""
    executed = []

    def record(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        executed.append(sql)
        return result

    with connection.execute_wrapper(record):
        yield executed
    executed[:] = [sql for sql in executed if 'COUNT("people_person"' in sql]


def figures(org):
    return sections.compute(scope=EVERYTHING, org=org, as_of=AS_OF)


def members_total(org) -> int:
    return figures(org)["members"]["total"].value


def test_a_second_report_reads_the_stored_rows_and_counts_nothing_again(members):
    start = date(2024, 1, 1)
    first = sections.as_json(
        org=members.city, as_of=AS_OF, period_start=start, figures=figures(members.city)
    )
    assert CachedAggregate.objects.filter(version=cache.node_version(members.city.path)).exists()
    with counted_members() as counted:
        second = sections.as_json(
            org=members.city, as_of=AS_OF, period_start=start, figures=figures(members.city)
        )
    assert second == first
    # The aggregates over the members were not run again.
    assert counted == []


def test_the_stored_figures_are_the_figures_counted_afresh(members, settings):
    stored = figures(members.city)
    stored = figures(members.city)  # the second time from the stored rows
    settings.TONGXIN_STATS_CACHE = False
    fresh = figures(members.city)
    as_json = sections.as_json
    start = date(2024, 1, 1)
    assert as_json(org=members.city, as_of=AS_OF, period_start=start, figures=stored) == as_json(
        org=members.city, as_of=AS_OF, period_start=start, figures=fresh
    )


def test_a_member_added_through_the_service_is_counted(members):
    assert members_total(members.city) == 3
    make_member(members.branch_b, name="李雷", start=date(2024, 6, 1))
    assert members_total(members.city) == 4


def test_rows_created_in_bulk_are_counted(members):
    assert members_total(members.branch_b) == 1
    spell = MembershipSpell.objects.get(org=members.branch_b)
    person = Person.objects.get(pk=spell.person_id)
    person.pk = None
    person.id_number = "420102199001011234"
    (copy,) = Person.objects.bulk_create([person])
    MembershipSpell.objects.bulk_create(
        [MembershipSpell(person=copy, org=members.branch_b, start=date(2020, 1, 1))]
    )
    assert members_total(members.branch_b) == 2


def test_an_update_over_many_rows_is_counted(members):
    assert figures(members.city)["members"]["women"].value == 2
    Person.objects.update(gender="2")
    assert figures(members.city)["members"]["women"].value == 3


def test_a_deletion_in_raw_sql_is_counted(members):
    assert members_total(members.city) == 3
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM people_membershipspell WHERE org_id = %s", [members.branch_b.pk]
        )
    assert members_total(members.city) == 2


def test_a_dissolved_branch_is_counted(members):
    assert figures(members.city)["organizations"]["total"].value > 0
    before = figures(members.city)["organizations"]["total"].value
    type(members.branch_b).objects.filter(pk=members.branch_b.pk).update(
        dissolved=date(2024, 6, 30)
    )
    assert figures(members.city)["organizations"]["total"].value == before - 1


def test_reading_the_report_page_changes_no_version(client, members, city_staff):
    client.force_login(city_staff)
    report = reverse("stats:report")
    client.get(report, {"org": members.city.pk, "as_of": AS_OF.isoformat()})
    version = cache.current_version()
    response = client.get(report, {"org": members.city.pk, "as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    # Reading writes sessions and the audit trail only: the rows stored by the first reading
    # still hold.
    assert cache.current_version() == version


def test_every_table_the_figures_may_read_has_its_trigger(members):
    tables = cache.watched_tables()
    assert {"people_person", "people_membershipspell", "orgs_organization"} <= set(tables)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c "
                "ON c.oid = t.tgrelid WHERE t.tgname LIKE 'tongxin_changed_%'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'tongxin_changed_%'"
            )
        triggered = {row[0] for row in cursor.fetchall()}
    assert triggered == set(tables)


def test_every_write_to_a_watched_table_moves_the_version(members):
    version = cache.current_version()
    Person.objects.filter(pk=-1).update(name="无人")  # no row: SQLite's triggers do not fire
    Person.objects.filter(name="张敏").update(name="张敏")
    assert cache.current_version() > version


def test_without_the_version_row_nothing_is_stored_and_figures_are_counted(members):
    DataVersion.objects.all().delete()
    assert cache.current_version() is None
    assert members_total(members.city) == 3
    assert not CachedAggregate.objects.exists()


def test_every_user_who_sees_the_whole_node_shares_its_stored_rows(members, city_staff):
    sections.compute(scope=Scope.for_user(city_staff), org=members.branch_a, as_of=AS_OF)
    stored = CachedAggregate.objects.count()
    figures(members.branch_a)  # the whole tree's scope, the same node
    assert CachedAggregate.objects.count() == stored


def test_warming_stores_the_reports_of_every_organization_with_organizations_under_it(
    members, client, city_staff
):
    out = StringIO()
    call_command("stats", "--warm", "--as-of", AS_OF.isoformat(), "--min-members", "1", stdout=out)
    assert "个组织在 2024-12-31 和上年同期的统计报表" in out.getvalue()
    client.force_login(city_staff)
    with counted_members() as counted:
        response = client.get(
            reverse("stats:report"), {"org": members.city.pk, "as_of": AS_OF.isoformat()}
        )
    assert response.status_code == 200
    assert response.context["report"].figures["members"]["total"].value == 3
    assert counted == []


def test_warming_an_unknown_organization_says_so_in_chinese(members):
    with pytest.raises(CommandError, match="找不到组织编码「没有」"):
        call_command("stats", "--warm", "--org", "没有", stdout=StringIO())
    with pytest.raises(CommandError, match="请用 --org 指定组织编码"):
        call_command("stats", "--as-of", "2024-12-31", stdout=StringIO())


def test_warming_without_a_date_stores_today_and_last_years_annual_tables(members):
    out = StringIO()
    call_command("stats", "--warm", "--org", members.city.code, "--min-members", "1", stdout=out)
    today = timezone.localdate()
    year_end = date(today.year - 1, 12, 31)
    assert f"在 {today:%Y-%m-%d} 和上年同期" in out.getvalue()
    assert f"在 {year_end:%Y-%m-%d} 和上年同期" in out.getvalue()
    with counted_members() as counted:
        for day in (today, year_end):
            tables.build_report(scope=EVERYTHING, org=members.city, as_of=day)
    assert counted == []


def test_warming_leaves_out_small_subtrees_and_forgets_rows_of_older_versions(members):
    figures(members.branch_a)
    make_member(members.branch_b, name="李雷", start=date(2024, 6, 1))  # a new version
    out = StringIO()
    call_command("stats", "--warm", "--as-of", AS_OF.isoformat(), "--min-members", "4", stdout=out)
    # The city (and the whole tree above it) has 4 members, its general branch none.
    assert "已预先计算 2 个组织" in out.getvalue()
    assert all(
        row.version == cache.series_version(row.series) for row in CachedAggregate.objects.all()
    )
    with counted_members() as counted:
        figures(members.city)
    assert counted == []
    with counted_members() as counted:
        figures(members.general)
    assert counted != []


def test_a_new_version_row_forgets_every_stored_row(members):
    figures(members.city)
    DataVersion.objects.all().delete()
    cache.install_triggers()
    assert not CachedAggregate.objects.exists()


def test_warming_stores_the_workbench_and_the_charts_for_every_user_of_the_node(
    members, client, city_staff
):
    call_command(
        "stats", "--warm", "--org", members.city.code, "--min-members", "1", stdout=StringIO()
    )
    client.force_login(city_staff)
    with counted_members() as counted:
        workbench = client.get("/")
        charts = client.get(
            reverse("stats:dashboard"), {"org": members.city.pk, "as_of": timezone.localdate()}
        )
    assert workbench.status_code == 200 and charts.status_code == 200
    assert counted == []


def test_every_sections_counts_are_stored_not_only_the_core_ones(members):
    """The domain apps' sections count through the same engine: a second report counts no
    records of any app again."""
    executed = []

    def record(execute, sql, params, many, context):
        result = execute(sql, params, many, context)  # a query only compiled raises here
        executed.append(sql)
        return result

    figures(members.city)
    with connection.execute_wrapper(record):
        figures(members.city)
    # (The store's own bookkeeping counts its change rows on PostgreSQL.)
    counted = [sql for sql in executed if "COUNT(" in sql.upper() and "stats_" not in sql]
    assert counted == []
