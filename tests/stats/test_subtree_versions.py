"""The figure store under writes: a write in one branch leaves the other subtrees' stored
figures served, recounts its own subtree and every ancestor of it, and no kind of write the
application makes — a spell, a transfer, a post, a person's edit, an import and its undo, an
organization moved, renamed or dissolved, a deletion, a code table — leaves a stale figure."""

import threading
from contextlib import contextmanager
from datetime import date

import pytest
from django.db import connection, connections, transaction
from django.test import override_settings

from tests.factories import make_member
from tests.io.helpers import member, workbook_bytes
from tongxin.core.codes import PostKind
from tongxin.core.scope import Scope
from tongxin.io import importer
from tongxin.io.models import ImportBatch
from tongxin.orgs import services as org_services
from tongxin.orgs.models import Organization, OrganizationCategory
from tongxin.people import services as people_services
from tongxin.people.models import MembershipSpell, Person, Post
from tongxin.stats import cache, sections
from tongxin.stats.models import PendingChange

pytestmark = pytest.mark.django_db
AS_OF = date(2024, 12, 31)
START = date(2024, 1, 1)
EVERYTHING = Scope(everything=True)
NODES = ("province", "city", "branch_a", "branch_b", "general", "other_city", "other_branch")


@pytest.fixture
def tree(world, django_user_model):
    make_member(world.branch_a, name="张敏", gender="2", start=date(2020, 1, 1))
    make_member(world.branch_a, name="周明", start=date(2024, 3, 1))
    make_member(world.branch_b, name="王芳", gender="2", start=date(2015, 1, 1))
    make_member(world.branch_g1, name="刘洋", start=date(2018, 5, 1))
    make_member(world.other_branch, name="陈静", gender="2", start=date(2016, 9, 1))
    world.province = Organization.objects.get(code="P")
    world.admin = django_user_model.objects.create_superuser("root", password="x")
    return world


def node(tree, name) -> Organization:
    # Read again: a move changes the paths of the organizations under the one moved.
    return Organization.objects.get(pk=getattr(tree, name).pk)


@contextmanager
def stores():
    """The figures counted (not read from the store) inside the block: each stores its row."""
    written = []

    def record(execute, sql, params, many, context):
        if "stats_cachedaggregate" in sql and not sql.lstrip().upper().startswith("SELECT"):
            written.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield written


def report(org) -> dict:
    figures = sections.compute(scope=EVERYTHING, org=org, as_of=AS_OF, period_start=START)
    return sections.as_json(org=org, as_of=AS_OF, period_start=START, figures=figures)


def fresh(org) -> dict:
    with override_settings(TONGXIN_STATS_CACHE=False):
        return report(org)


def counted_afresh(tree) -> set[str]:
    """Each node's report, from the store where it may be: the nodes that counted anything."""
    recounted = set()
    for name in NODES:
        with stores() as written:
            report(node(tree, name))
        if written:
            recounted.add(name)
    return recounted


def assert_nothing_stale(tree):
    for name in NODES:
        org = node(tree, name)
        assert report(org) == fresh(org), f"{name} 的统计结果过期"


def run_import(tree, rows) -> ImportBatch:
    data = workbook_bytes(members=rows)
    plan = importer.check(
        data=data, filename="名册.xlsx", scope=EVERYTHING, effective_date=date(2024, 6, 1)
    )
    assert not plan.errors, plan.errors
    batch = ImportBatch.objects.create(
        created_by=tree.admin,
        file_name="名册.xlsx",
        file_hash="x",
        content=data,
        effective_date=date(2024, 6, 1),
    )
    importer.apply(batch=batch, plan=plan)
    return batch


def admit(tree):
    make_member(tree.branch_a, name="李雷", start=date(2024, 6, 1))


def transfer(tree):
    person = Person.objects.get(name="周明")
    people_services.membership_transfer(
        person=person, to_org=tree.other_branch, on=date(2024, 9, 1)
    )


def edit_person(tree):
    person = Person.objects.get(name="王芳")
    person.education = "11" if person.education != "11" else "21"
    people_services.person_update(person=person)


def record_post(tree):
    people_services.post_record(
        post=Post(
            person=Person.objects.get(name="张敏"),
            kind=PostKind.GOVERNMENT,
            title="副区长",
            unit="江城市江南区人民政府",
            rank="132",
            start=date(2023, 1, 1),
        )
    )


def import_batch(tree):
    run_import(
        tree,
        [
            member("赵刚", "C1-B", 入会日期="2024-02-01"),
            member("孙丽", "C1-B", 入会日期="2019-02-01", 性别="女"),
        ],
    )


def undo_import(tree):
    batch = run_import(tree, [member("赵刚", "C1-B", 入会日期="2024-02-01")])
    counted_afresh(tree)  # the stored figures include the import
    importer.undo(batch=batch, by=tree.admin)


def move_org(tree):
    org_services.org_move(org=node(tree, "general"), new_parent=node(tree, "other_city"))


def rename_org(tree):
    org = node(tree, "branch_b")
    org.name = "医药卫生第一支部"
    org_services.org_update(org=org)


def dissolve_org(tree):
    # The member moves first (the service refuses a branch with members).
    people_services.membership_transfer(
        person=Person.objects.get(name="王芳"), to_org=tree.branch_a, on=date(2024, 3, 1)
    )
    org_services.org_dissolve(org=node(tree, "branch_b"), on=date(2024, 4, 1))


def delete_person(tree):
    Person.objects.get(name="刘洋").delete()


def delete_spell_in_sql(tree):
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM people_membershipspell WHERE org_id = %s", [tree.other_branch.pk]
        )


def update_many_people(tree):
    Person.objects.filter(name__in=["张敏", "陈静"]).update(gender="1")


def add_code(tree):
    OrganizationCategory.objects.create(name="测试类别")


# Each write, and the nodes whose stored figures it leaves as they are.
WRITES = {
    "admission": (admit, {"branch_b", "general", "other_city", "other_branch"}),
    "transfer": (transfer, {"branch_b", "general"}),
    "person edited": (edit_person, {"branch_a", "general", "other_city", "other_branch"}),
    "post": (record_post, {"branch_b", "general", "other_city", "other_branch"}),
    "import": (import_batch, {"branch_a", "general", "other_city", "other_branch"}),
    "undo": (undo_import, {"branch_a", "general", "other_city", "other_branch"}),
    "moved": (move_org, {"branch_a", "branch_b", "other_branch"}),
    "renamed": (rename_org, {"branch_a", "general", "other_city", "other_branch"}),
    "dissolved": (dissolve_org, {"general", "other_city", "other_branch"}),
    "person deleted": (delete_person, {"branch_a", "branch_b", "other_city", "other_branch"}),
    "raw SQL delete": (delete_spell_in_sql, {"city", "branch_a", "branch_b", "general"}),
    "update of many": (update_many_people, {"branch_b", "general"}),
    "code table": (add_code, set()),
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_a_write_recounts_its_subtree_and_ancestors_and_serves_the_others(tree, write):
    make, kept = WRITES[write]
    assert counted_afresh(tree) == set(NODES)  # every report counted once and stored
    assert counted_afresh(tree) == set()  # and then read
    make(tree)
    assert counted_afresh(tree) == set(NODES) - kept
    assert_nothing_stale(tree)


def test_a_write_in_one_city_leaves_the_other_citys_report_stored(tree):
    counted_afresh(tree)
    before = report(node(tree, "city"))
    make_member(tree.other_branch, name="李雷", start=date(2024, 6, 1))
    with stores() as written:
        assert report(node(tree, "city")) == before
    assert written == []
    with stores() as written:
        other = report(node(tree, "other_city"))
    assert written != []
    assert other == fresh(node(tree, "other_city"))
    assert other["members"]["total"] == 2  # 陈静 and 李雷


def test_a_node_version_follows_only_writes_in_its_subtree(tree):
    city, other = node(tree, "city"), node(tree, "other_city")
    city_version, other_version = cache.node_version(city.path), cache.node_version(other.path)
    province_version = cache.node_version(node(tree, "province").path)
    make_member(tree.branch_b, name="李雷", start=date(2024, 6, 1))
    assert cache.node_version(city.path) > city_version
    assert cache.node_version(node(tree, "province").path) > province_version
    assert cache.node_version(other.path) == other_version


def test_a_write_is_only_noted_and_folded_by_the_next_read(tree):
    paths = {name: node(tree, name).path for name in NODES}
    counted_afresh(tree)
    versions = {name: cache.node_version(path) for name, path in paths.items()}
    everything = cache.current_version()
    make_member(tree.branch_b, name="李雷", start=date(2024, 6, 1))
    # The write noted the new person and the organization of the spell, nothing more.
    assert set(PendingChange.objects.values_list("kind", flat=True)) <= {"p", "o"}
    assert PendingChange.objects.filter(kind="o", ref=str(tree.branch_b.pk)).exists()
    after = {name: cache.node_version(path) for name, path in paths.items()}
    assert not PendingChange.objects.exists()
    assert all(after[name] >= versions[name] for name in NODES)
    assert {name for name in NODES if after[name] != versions[name]} == {
        "province",
        "city",
        "branch_b",
    }
    assert cache.current_version() > everything
    # Read again: nothing is pending, nothing moves.
    assert {name: cache.node_version(path) for name, path in paths.items()} == after
    assert counted_afresh(tree) == {"province", "city", "branch_b"}
    assert counted_afresh(tree) == set()


def test_a_spell_written_elsewhere_recounts_every_node_the_person_was_in(tree):
    """A person's flows at the branch they left read where they went."""
    counted_afresh(tree)
    spell = MembershipSpell.objects.get(person__name="陈静")
    MembershipSpell.objects.filter(pk=spell.pk).update(
        end=date(2024, 5, 1), end_reason="transferred_out"
    )
    assert counted_afresh(tree) == {"province", "other_city", "other_branch"}
    MembershipSpell.objects.create(
        person=spell.person,
        org=tree.branch_b,
        start=date(2024, 5, 1),
        start_reason="transferred_in",
    )
    assert counted_afresh(tree) == {"province", "city", "branch_b", "other_city", "other_branch"}
    assert_nothing_stale(tree)


def _in_thread(work):
    """Run ``work`` on its own connection (another session); returns the thread and its
    outcome: [exception or None]."""
    outcome = []

    def run():
        try:
            work()
            outcome.append(None)
        except Exception as error:  # the test asserts on it
            outcome.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_write_committed_while_a_reader_folds_is_folded_by_the_next_read(tree):
    """The reader takes the pending rows it sees; a row its writer commits during the fold is
    neither lost nor taken, so the next read recounts."""
    city = node(tree, "city")
    before = report(city)
    written, resolved, committed = threading.Event(), threading.Event(), threading.Event()

    def writer():
        with transaction.atomic():
            make_member(tree.branch_b, name="李雷", start=date(2024, 6, 1))
            written.set()
            assert resolved.wait(30)
        committed.set()

    def commit_during_the_fold(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if "DELETE FROM stats_pendingchange RETURNING" in sql:
            resolved.set()
            assert committed.wait(30)
        return result

    thread, outcome = _in_thread(writer)
    assert written.wait(30)
    add_code(tree)  # committed: the next read folds it (and not 李雷, not yet committed)
    with connection.execute_wrapper(commit_during_the_fold):
        version = cache.node_version(city.path)
    thread.join(30)
    assert outcome == [None]
    assert resolved.is_set()
    # The stored report, counted without 李雷, is not served again.
    assert cache.node_version(city.path) > version
    after = report(city)
    assert after["members"]["total"] == before["members"]["total"] + 1
    assert after == fresh(city)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent readers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_readers_folding_at_once_both_see_the_write(tree):
    paths = {name: node(tree, name).path for name in NODES}
    versions = {name: cache.node_version(path) for name, path in paths.items()}
    counted_afresh(tree)
    make_member(tree.branch_b, name="李雷", start=date(2024, 6, 1))
    start = threading.Barrier(2)
    seen = {}

    def reader():
        start.wait(30)
        seen["other"] = cache.node_version(paths["city"])

    thread, outcome = _in_thread(reader)
    start.wait(30)
    seen["this"] = cache.node_version(paths["city"])
    thread.join(30)
    assert outcome == [None]
    assert seen["this"] > versions["city"] and seen["other"] > versions["city"]
    assert not PendingChange.objects.exists()
    assert cache.node_version(paths["other_city"]) == versions["other_city"]
    assert counted_afresh(tree) == {"province", "city", "branch_b"}
    assert_nothing_stale(tree)
