"""Upgrading an install whose members share a membership number: the migration that makes the
numbers unique keeps each number with its first holder, renames the others visibly, and starts
the allocation counters after the highest number given."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("people", "0011_resolve_duplicate_membership_numbers"),
    ("recruitment", "0001_initial"),
]
AFTER = [("people", "0012_membership_no_unique"), ("recruitment", "0002_membership_no_counter")]


@pytest.mark.django_db(transaction=True)
def test_shared_numbers_are_resolved_and_counters_start_after_the_highest():
    executor = MigrationExecutor(connection)
    executor.migrate(
        [("people", "0010_phones_and_emails_encrypted"), ("recruitment", "0001_initial")]
    )
    executor.loader.build_graph()
    old = executor.loader.project_state(BEFORE[0]).apps.get_model("people", "Person")
    first = old.objects.create(name="张敏", membership_no="20240007", admitted_on=date(2024, 3, 1))
    later = old.objects.create(name="李强", membership_no="20240007", admitted_on=date(2024, 9, 1))
    old.objects.create(name="王芳", membership_no="JC20230012")
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        executor.loader.build_graph()
        new = executor.loader.project_state(AFTER).apps
        Person = new.get_model("people", "Person")
        Counter = new.get_model("recruitment", "MembershipNoCounter")
        assert Person.objects.get(pk=first.pk).membership_no == "20240007"
        moved = Person.objects.get(pk=later.pk)
        assert moved.membership_no == "20240007-2"
        assert "成员编号 20240007 与 张敏（编号保留）重复，升级时改为 20240007-2" in moved.note
        # Only the empty prefix has a procedure here; JC2023 is counted when first used.
        assert dict(Counter.objects.values_list("head", "last")) == {"2024": 7}
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
