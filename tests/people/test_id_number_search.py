"""A search by a full ID number: an audited look-up for users who may reveal ID numbers, an
answer that confirms nothing for the others, and never the number in a URL."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import make_member, make_user
from tongxin.audit.models import Event
from tongxin.core.idnumber import make_id_number
from tongxin.people.services import membership_end
from tongxin.people.views import ID_SEARCH_BY_POST, ID_SEARCH_REFUSED

pytestmark = pytest.mark.django_db
UNKNOWN = make_id_number("110105", date(1980, 5, 17), 31)


@pytest.fixture
def person(world):
    return make_member(world.branch_a, name="王芳", work_unit="江城大学")


@pytest.fixture
def revealer(world):
    user = make_user("revealer", world.city)
    user.user_permissions.add(Permission.objects.get(codename="reveal_personal_data"))
    return user


def _messages(client, response) -> list[str]:
    """The messages the answer leaves, read off the page it redirects to (which uses them up)."""
    page = client.get(response["Location"])
    return [m.message for m in get_messages(page.wsgi_request)]


def _urls(response) -> str:
    """Where the answer sends the browser, and what the audit log kept of the request."""
    return response.get("Location", "") + "".join(Event.objects.values_list("path", flat=True))


def test_the_top_bars_search_posts_its_text_and_offers_id_numbers_only_to_revealers(
    client, world, city_staff, revealer
):
    client.force_login(city_staff)
    page = client.get(reverse("people:roster")).content.decode()
    action = f'action="{reverse("people:search")}" method="post"'
    assert action in page
    assert "姓名、拼音或简拼（按 / 键）" in page and "或身份证号" not in page
    client.force_login(revealer)
    page = client.get(reverse("people:roster")).content.decode()
    assert "姓名、拼音、简拼或身份证号（按 / 键）" in page


def test_a_user_who_may_not_reveal_learns_nothing_from_a_full_id_number(
    client, world, city_staff, person
):
    client.force_login(city_staff)
    answers = []
    for number in (person.id_number, UNKNOWN):
        response = client.post(reverse("people:search"), {"q": number})
        assert response.status_code == 302
        assert response["Location"] != reverse("people:detail", args=[person.pk])
        assert number not in response["Location"]
        answers.append((response["Location"], _messages(client, response)))
    # The same answer for a number on file and one that is not: nothing is confirmed.
    assert answers[0] == answers[1]
    assert answers[0][1] == [ID_SEARCH_REFUSED]
    roster = client.get(answers[0][0]).content.decode()
    assert "王芳" in roster  # the plain roster, not narrowed to the person


def test_a_revealers_search_by_a_full_id_number_finds_a_former_member_and_is_audited(
    client, world, revealer, person
):
    membership_end(person=person, on=date(2024, 1, 1), reason="died")
    client.force_login(revealer)
    response = client.post(reverse("people:search"), {"q": person.id_number})
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    event = Event.objects.get(kind="reveal")
    assert (event.user, event.detail["人员"], event.detail["信息"]) == (
        revealer,
        person.pk,
        "按身份证号查找",
    )
    assert person.id_number not in event.summary + str(event.detail) + event.path
    assert person.id_number[0] + "*" * 16 + person.id_number[-1] in event.summary


def test_a_revealers_search_for_an_unknown_number_is_audited_too(client, world, revealer, person):
    client.force_login(revealer)
    response = client.post(reverse("people:search"), {"q": UNKNOWN})
    assert UNKNOWN not in _urls(response)
    assert response["Location"].startswith(reverse("people:roster"))
    assert _messages(client, response) == [
        f"管理范围内没有身份证号为 {UNKNOWN[0]}{'*' * 16}{UNKNOWN[-1]} 的人员"
    ]
    assert Event.objects.get(kind="reveal").detail["人员"] is None


def test_a_full_id_number_in_a_url_is_not_searched_and_the_page_drops_it(
    client, world, city_staff, revealer, person
):
    for user, message in ((city_staff, ID_SEARCH_REFUSED), (revealer, ID_SEARCH_BY_POST)):
        client.force_login(user)
        for url in (reverse("people:search"), reverse("people:roster")):
            response = client.get(url, {"q": person.id_number, "org": world.city.pk})
            assert response.status_code == 302, url
            assert person.id_number not in response["Location"]
            assert response["Location"] != reverse("people:detail", args=[person.pk])
            assert _messages(client, response) == [message]
        response = client.get(
            reverse("people:roster"),
            {"q": person.id_number, "org": world.city.pk},
            headers={"HX-Request": "true", "HX-Target": "roster-list"},
        )
        assert person.id_number not in response["HX-Redirect"]
        client.get(response["HX-Redirect"])  # the page the browser then opens shows the message
    assert not Event.objects.filter(kind="reveal").exists()


def test_the_lists_searches_match_nobody_by_a_full_id_number(world, person):
    from tongxin.people.models import Person
    from tongxin.people.selectors import matching

    # The cadres', classes' and candidates' lists search through matching, in their URLs.
    assert list(matching(Person.objects.all(), person.id_number)) == []
    assert list(matching(Person.objects.all(), person.id_number, by_id_number=True)) == [person]
    assert list(matching(Person.objects.all(), "王芳")) == [person]
