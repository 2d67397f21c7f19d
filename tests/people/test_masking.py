"""ID numbers and phones stay masked on every page unless a user who may see them asks."""

from django.urls import reverse

from tests.factories import make_member
from tests.people.test_roster_views import person_form_data


def test_the_edit_form_never_sends_the_stored_numbers(client, world, city_staff):
    person = make_member(world.branch_a, name="张敏", phone="13812345678", work_unit="江城大学")
    client.force_login(city_staff)
    page = client.get(reverse("people:edit", args=[person.pk])).content.decode()
    assert person.id_number not in page and "13812345678" not in page
    assert person.id_number[0] + "*" * 16 + person.id_number[-1] in page
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


def _revealer(world):
    from django.contrib.auth.models import Permission

    from tests.factories import make_user

    user = make_user("revealer", world.city)
    user.user_permissions.add(Permission.objects.get(codename="reveal_personal_data"))
    return user


def test_the_person_page_masks_and_offers_the_reveal_only_to_who_may(client, world, city_staff):
    person = make_member(world.branch_a, name="张敏", phone="13812345678")
    client.force_login(city_staff)
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert person.id_number not in page and "13812345678" not in page
    assert "138****5678" in page and 'data-testid="reveal-phone"' not in page
    response = client.post(reverse("people:reveal", args=[person.pk, "phone"]))
    assert response.status_code == 403
    client.force_login(_revealer(world))
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "13812345678" not in page and 'data-testid="reveal-phone"' in page


def test_a_reveal_shows_the_value_and_is_audited(client, world):
    from tongxin.audit.models import Event

    person = make_member(world.branch_a, name="张敏", phone="13812345678")
    user = _revealer(world)
    client.force_login(user)
    response = client.post(reverse("people:reveal", args=[person.pk, "id_number"]))
    assert response.status_code == 200
    assert person.id_number in response.content.decode()
    event = Event.objects.get(kind="reveal")
    assert (event.user, event.detail["人员"], event.detail["信息"]) == (user, person.pk, "身份证号")
    assert person.id_number not in str(event.detail) + event.summary
    assert client.get(reverse("people:reveal", args=[person.pk, "id_number"])).status_code == 405
    assert client.post(reverse("people:reveal", args=[person.pk, "name"])).status_code == 404


def test_a_reveal_outside_the_scope_is_not_found_and_not_recorded(client, world):
    from tongxin.audit.models import Event

    person = make_member(world.other_branch, name="曾强", phone="13812345678")
    client.force_login(_revealer(world))
    response = client.post(reverse("people:reveal", args=[person.pk, "phone"]))
    assert response.status_code == 404
    assert "13812345678" not in response.content.decode()
    assert not Event.objects.filter(kind="reveal").exists()


def test_an_id_number_mask_keeps_only_its_first_and_last_character():
    from tongxin.core.masking import mask_id_number

    # Digits 7–14 are the birth date, which the same pages show: none of them may remain.
    assert mask_id_number("11010519491231002X") == "1****************X"


def test_the_person_page_masks_the_email_and_reveals_it_only_to_who_may(client, world, city_staff):
    from tongxin.audit.models import Event

    person = make_member(world.branch_a, name="张敏", email="zhangmin@example.com")
    client.force_login(city_staff)
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "zhangmin@example.com" not in page and "z***@example.com" in page
    assert 'data-testid="reveal-email"' not in page
    assert client.post(reverse("people:reveal", args=[person.pk, "email"])).status_code == 403
    user = _revealer(world)
    client.force_login(user)
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "zhangmin@example.com" not in page and 'data-testid="reveal-email"' in page
    response = client.post(reverse("people:reveal", args=[person.pk, "email"]))
    assert "zhangmin@example.com" in response.content.decode()
    assert Event.objects.get(kind="reveal").detail["信息"] == "电子邮箱"


def test_the_edit_form_never_sends_the_stored_email(client, world, city_staff):
    person = make_member(world.branch_a, name="张敏", email="zhangmin@example.com")
    client.force_login(city_staff)
    page = client.get(reverse("people:edit", args=[person.pk])).content.decode()
    assert "zhangmin@example.com" not in page and "z***@example.com" in page
