"""django-auditlog records domain-model changes, with ID numbers and phones masked."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.urls import reverse

from tests.audit.helpers import person_edit_data
from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role
from tongxin.accounts.services import grant_roles
from tongxin.audit.registration import mask_personal_data
from tongxin.people.models import Person

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
BIRTH = date(1949, 12, 31)


def raw_log_text() -> str:
    """Every stored column of every LogEntry, as the database file holds them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM auditlog_logentry")
        return "\n".join(repr(row) for row in cursor.fetchall())


def test_the_mask_tells_an_id_number_from_a_phone_and_an_email():
    assert mask_personal_data(ID_NUMBER) == "1****************X"
    assert mask_personal_data("13812341234") == "138****1234"
    assert mask_personal_data("zhang.min@example.com") == "z***@example.com"
    assert mask_personal_data("None") == "None"
    assert mask_personal_data("") == ""


def test_a_person_created_through_the_orm_is_logged_with_the_id_number_masked(world):
    person = make_member(
        world.branch_a,
        name="李新",
        gender="2",
        id_number=ID_NUMBER,
        birth_date=BIRTH,
        phone="13812341234",
    )
    entry = LogEntry.objects.get_for_object(person).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.changes_dict["id_number"] == ["None", "1****************X"]
    assert entry.changes_dict["phone"] == ["None", "138****1234"]
    assert entry.changes_dict["name"] == ["None", "李新"]
    assert "name_pinyin" not in entry.changes_dict and "updated_at" not in entry.changes_dict
    text = raw_log_text()
    assert ID_NUMBER not in text and "13812341234" not in text
    assert "1****************X" in text


def test_an_edit_on_the_person_page_logs_old_and_new_values_and_the_actor(
    client, world, city_staff
):
    person = make_member(
        world.branch_a, name="李新", gender="2", id_number=ID_NUMBER, birth_date=BIRTH
    )
    client.force_login(city_staff)
    data = person_edit_data(person, work_unit="江城师范学院", phone="13900001111")
    response = client.post(reverse("people:edit", args=[person.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == city_staff
    assert entry.remote_addr == "127.0.0.1"
    assert entry.changes_dict["work_unit"] == ["", "江城师范学院"]
    assert entry.changes_dict["phone"] == ["", "139****1111"]
    assert "id_number" not in entry.changes_dict  # unchanged
    assert "13900001111" not in raw_log_text()


def test_a_deleted_person_keeps_a_log_entry_with_its_last_values(world):
    person = make_member(
        world.branch_a, name="李新", gender="2", id_number=ID_NUMBER, birth_date=BIRTH
    )
    pk = person.pk
    person.spells.all().delete()
    Person.objects.get(pk=pk).delete()
    deleted = LogEntry.objects.get_for_model(Person).filter(action=LogEntry.Action.DELETE)
    entry = deleted.get(object_pk=str(pk))
    assert entry.object_repr == "李新"
    assert entry.changes_dict["id_number"] == ["1****************X", "None"]


def test_spells_posts_and_organizations_are_logged(world):
    person = make_member(world.branch_a, name="李新", start=date(2020, 1, 1))
    spell = person.spells.get()
    assert LogEntry.objects.get_for_object(spell).filter(action=LogEntry.Action.CREATE).exists()
    spell_entry = LogEntry.objects.get_for_object(spell).get()
    assert spell_entry.changes_dict["org"] == ["None", "江城大学第一支部"]  # by name, not id
    assert LogEntry.objects.get_for_object(world.branch_a).exists()
    world.branch_a.note = "改选"
    world.branch_a.save()
    entry = LogEntry.objects.get_for_object(world.branch_a).latest("timestamp")
    assert entry.changes_dict == {"note": ["", "改选"]}


def test_grants_of_roles_and_scope_nodes_are_logged_but_not_passwords(world):
    user = make_user("wang", world.city)
    entries = LogEntry.objects.get_for_object(user)
    changed = [e.changes_dict for e in entries]
    assert any(c.get("groups", {}).get("objects") == ["组织部工作人员"] for c in changed)
    assert any(c.get("scope_nodes", {}).get("objects") == ["民盟江城市委员会"] for c in changed)
    assert all("password" not in c and "last_login" not in c for c in changed)
    grant_roles(user, [Role.LEADER])
    last = LogEntry.objects.get_for_object(user).latest("pk").changes_dict
    assert last["groups"]["operation"] in ("add", "delete")
    user.set_password("another-horse-7")
    user.save()
    # A new password is logged as the date it changed, never as the password or its hash.
    last = LogEntry.objects.get_for_object(user).latest("pk").changes_dict
    assert set(last) == {"password_changed_at"}
    assert user.password not in str(last)


def test_auditlog_entries_are_not_in_the_django_admin():
    from auditlog.models import LogEntry as Entry
    from django.contrib import admin

    assert not admin.site.is_registered(Entry)
