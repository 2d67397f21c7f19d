"""ID numbers and phones stay masked on every page unless a user who may see them asks."""

from django.urls import reverse

from tests.factories import make_member
from tests.people.test_roster_views import person_form_data


def test_the_edit_form_never_sends_the_stored_numbers(client, world, city_staff):
    person = make_member(world.branch_a, name="张敏", phone="13812345678", work_unit="江城大学")
    client.force_login(city_staff)
    page = client.get(reverse("people:edit", args=[person.pk])).content.decode()
    assert person.id_number not in page and "13812345678" not in page
    assert person.id_number[:4] + "*" * 10 + person.id_number[-4:] in page
    assert "138****5678" in page


def test_blank_masked_fields_keep_the_stored_numbers(client, world, city_staff):
    person = make_member(world.branch_a, name="张敏", phone="13812345678", work_unit="江城大学")
    number = person.id_number
    client.force_login(city_staff)
    data = person_form_data(name="张敏", work_unit="江城师范学院", id_number="", phone="")
    data.update(gender=person.gender, birth_date=f"{person.birth_date:%Y-%m-%d}")
    response = client.post(reverse("people:edit", args=[person.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert (person.id_number, person.phone, person.work_unit) == (
        number,
        "13812345678",
        "江城师范学院",
    )


def test_a_new_phone_typed_in_replaces_the_stored_one(client, world, city_staff):
    person = make_member(world.branch_a, name="张敏", phone="13812345678")
    client.force_login(city_staff)
    data = person_form_data(name="张敏", id_number="", phone="13900001111")
    data.update(gender=person.gender, birth_date=f"{person.birth_date:%Y-%m-%d}")
    response = client.post(reverse("people:edit", args=[person.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.phone == "13900001111"
