"""A member brought in by the roster import is the same record as one entered by hand: the same
person, spell and posts, field for field."""

from datetime import date
from importlib import import_module

import pytest
from django.apps import apps
from django.db import transaction

from tests.factories import make_member
from tests.io.helpers import member, workbook_bytes
from tongxin.core.codes import PostKind, SpellReason
from tongxin.core.scope import Scope
from tongxin.io import importer
from tongxin.io.models import ImportBatch
from tongxin.people import services
from tongxin.people.forms import PersonCreateForm
from tongxin.people.models import MembershipSpell, Person, Post

pytestmark = pytest.mark.django_db
ON = date(2025, 3, 1)
NOT_COMPARED = {"id", "person", "created_at", "updated_at"}


def _fields(obj) -> dict:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.name not in NOT_COMPARED
    }


def records(names) -> dict:
    """Every field of each person, their spells and their posts, but keys and timestamps."""
    return {
        name: {
            "person": _fields(person),
            "spells": [
                _fields(s) for s in MembershipSpell.objects.filter(person=person).order_by("start")
            ],
            "posts": [_fields(p) for p in Post.objects.filter(person=person).order_by("kind")],
        }
        for name in names
        for person in [Person.objects.get(name=name)]
    }


def entered(way, names) -> dict:
    """The records ``way`` leaves behind; then the database is as it was before."""
    saved = transaction.savepoint()
    way()
    found = records(names)
    transaction.savepoint_rollback(saved)
    return found


@pytest.fixture
def returning(world):
    """李华 was a member of branch A from 2010 and withdrew in 2020 (now 群众)."""
    person = make_member(world.branch_a, name="李华", start=date(2010, 3, 1))
    services.membership_exit(
        person=person, on=date(2020, 1, 1), reason=SpellReason.WITHDREW, approved_by="江城市委会"
    )
    person.refresh_from_db()
    assert person.political_status == "13"
    return person


def by_hand(world, returning, admin_user):
    # A new member, through the person form and the service, as the 登记 page does.
    form = PersonCreateForm(
        {
            "name": "张敏",
            "id_number": "11010519491231002X",
            "org": world.branch_a.pk,
            "start": "2015-06-01",
            "start_reason": SpellReason.ADMITTED,
            "education": "14",
            "title": "副教授",
            "work_unit": "江城大学",
            "job_post": "系主任",
            "sector": "education",
            "is_cross_member": "on",
            "upper_middle": "unknown",
            "phone": "13812345678",
        },
        orgs=world.city.__class__.objects.get_descendants(world.city),
    )
    assert form.is_valid(), form.errors
    person = services.person_create(
        person=form.save(commit=False),
        org=form.cleaned_data["org"],
        start=form.cleaned_data["start"],
        start_reason=form.cleaned_data["start_reason"],
    )
    services.post_record(
        post=Post(person=person, kind=PostKind.GOVERNMENT, title="系主任", unit="江城大学",
                  rank="132", start=date(2015, 6, 1))
    )  # fmt: skip
    services.post_record(
        post=Post(person=person, kind=PostKind.PARTY, title="支部主委", org=world.branch_a,
                  start=date(2015, 6, 1))
    )  # fmt: skip
    # The member who had left comes back to branch B, with a new work unit.
    returning.work_unit = "江城医院"
    services.person_update(person=returning)
    services.membership_start(
        person=returning, org=world.branch_b, on=ON, reason=SpellReason.TRANSFERRED_IN
    )


def by_import(world, returning, admin_user):
    data = workbook_bytes(
        members=[
            member("张敏", "C1-A", 身份证号="11010519491231002X", 学历="硕士",
                   专业技术职务="副教授", 工作单位="江城大学", 职务="系主任",
                   行政级别="县处级副职", 界别="教育", 是否中共党员="是", 会内职务="支部主委",
                   手机="13812345678"),
            member("李华", "C1-B", 身份证号=returning.id_number, 入会日期="2010-03-01",
                   工作单位="江城医院"),
        ]
    )  # fmt: skip
    plan = importer.check(
        data=data, filename="名册.xlsx", scope=Scope(everything=True), effective_date=ON
    )
    assert plan.errors == []
    batch = ImportBatch.objects.create(
        created_by=admin_user, file_name="名册.xlsx", file_hash="x", content=data, effective_date=ON
    )
    importer.apply(batch=batch, plan=plan)


def test_the_import_enters_a_new_and_a_returning_member_as_the_person_form_does(
    world, returning, admin_user
):
    names = ("张敏", "李华")
    hand = entered(lambda: by_hand(world, returning, admin_user), names)
    imported = entered(lambda: by_import(world, returning, admin_user), names)
    assert imported == hand
    # What the two ways agree on is what the services give a member.
    assert hand["张敏"]["person"]["political_status"] == "05"
    assert hand["张敏"]["person"]["title_level"] == "2"
    assert hand["李华"]["person"]["political_status"] == "05"
    assert [s["start_reason"] for s in hand["李华"]["spells"]] == ["admitted", "transferred_in"]


def test_undoing_the_import_of_a_returning_member_gives_back_their_former_status(
    world, returning, admin_user
):
    by_import(world, returning, admin_user)
    returning.refresh_from_db()
    assert returning.political_status == "05"
    importer.undo(batch=ImportBatch.objects.get(), by=admin_user)
    returning.refresh_from_db()
    assert (returning.political_status, returning.work_unit) == ("13", "")
    assert returning.spells.get().end == date(2020, 1, 1)


def test_a_member_cannot_move_to_an_organization_before_it_was_established(world, returning):
    world.branch_b.established = date(2025, 6, 1)
    world.branch_b.save()
    plan = importer.check(
        data=workbook_bytes(
            members=[member("李华", "C1-B", 身份证号=returning.id_number, 入会日期="2010-03-01")]
        ),
        filename="名册.xlsx",
        scope=Scope(everything=True),
        effective_date=ON,
    )
    assert [(e["row"], e["column"]) for e in plan.errors] == [(2, "所在组织编码")]
    assert "2025-06-01" in plan.errors[0]["reason"]


def test_the_data_migration_gives_members_imported_without_a_status_their_partys(world):
    migration = import_module(
        "tongxin.people.migrations.0013_imported_members_take_their_partys_status"
    )
    imported = make_member(world.branch_g1, name="王芳")
    former = make_member(world.branch_a, name="赵强", start=date(2010, 1, 1))
    services.membership_exit(person=former, on=date(2020, 1, 1), reason=SpellReason.DIED)
    Person.objects.filter(pk__in=[imported.pk, former.pk]).update(political_status="")
    migration.give_members_their_partys_status(apps, None)
    statuses = dict(Person.objects.values_list("name", "political_status"))
    assert statuses == {"王芳": "05", "赵强": ""}
