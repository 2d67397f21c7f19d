"""不培训不上岗 on every way a post is taken: a 实职 post added on the person file and a seat won in
an election meet the same rule, with the same message, as a recommendation's appointment."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.cadres.helpers import train
from tests.factories import make_member
from tests.terms.terms_helpers import elect
from tongxin.core.codes import AdminRank, PostKind
from tongxin.people import services as people_services
from tongxin.people.models import Post
from tongxin.terms.models import Term
from tongxin.training.models import Enforcement, TrainingRequirement

pytestmark = pytest.mark.django_db

TAKEN = date(2025, 5, 8)
RULE_BROKEN = "违反「实职安排须经中青年骨干培训」：李青截至 2025-05-08没有「中青年骨干培训班」"


@pytest.fixture
def member(world):
    return make_member(world.branch_a, name="李青", birth_date=date(1985, 1, 1))


def _rule(enforcement=Enforcement.REFUSE, post_kind=PostKind.GOVERNMENT, titles=""):
    return TrainingRequirement.objects.create(
        name="实职安排须经中青年骨干培训",
        post_kind=post_kind,
        titles=titles,
        class_types=["young_backbone"],
        enforcement=enforcement,
    )


def _deputy_mayor(person):
    return Post(
        person=person,
        kind=PostKind.GOVERNMENT,
        title="副区长",
        unit="江城市江南区人民政府",
        rank=AdminRank.DIVISION_DEPUTY,
        start=TAKEN,
    )


def test_a_government_post_on_the_person_file_is_refused_by_the_rule(
    client, world, city_staff, member
):
    _rule()
    client.force_login(city_staff)
    response = client.post(
        reverse("people:post_create", args=[member.pk]),
        {"kind": PostKind.GOVERNMENT, "title": "副区长", "unit": "江城市江南区人民政府",
         "rank": AdminRank.DIVISION_DEPUTY, "start": TAKEN.isoformat()},
    )  # fmt: skip
    page = response.content.decode()
    assert RULE_BROKEN in page and "不能登记实职「副区长」" in page
    assert not Post.objects.filter(person=member).exists()
    # Trained, the same post is saved.
    train(world, member, end=date(2024, 10, 20))
    assert people_services.post_record(post=_deputy_mayor(member)).rule_warnings == []


def test_a_rule_that_only_warns_lets_the_post_be_saved_and_says_why(
    client, world, city_staff, member
):
    _rule(enforcement=Enforcement.WARN)
    client.force_login(city_staff)
    response = client.post(
        reverse("people:post_create", args=[member.pk]),
        {"kind": PostKind.GOVERNMENT, "title": "副区长", "unit": "江城市江南区人民政府",
         "rank": AdminRank.DIVISION_DEPUTY, "start": TAKEN.isoformat()},
        follow=True,
    )  # fmt: skip
    assert RULE_BROKEN in response.content.decode()
    assert Post.objects.filter(person=member, title="副区长").exists()


def test_a_post_changed_without_a_new_kind_title_or_start_is_not_asked_again(member):
    post = people_services.post_record(post=_deputy_mayor(member))
    _rule()
    post.document_no = "江区任〔2025〕3号"
    assert people_services.post_record(post=post).rule_warnings == []
    post.title = "区长"
    with pytest.raises(ValidationError, match="不能登记实职「区长」"):
        people_services.post_record(post=post)


def test_a_seat_won_in_an_election_is_refused_by_the_rule_for_that_seat(world, member):
    _rule(post_kind=PostKind.PARTY, titles="支部主委、支部副主委")
    with pytest.raises(ValidationError) as caught:
        elect(world.branch_a, 1, TAKEN, [(member, "支部主委")])
    (message,) = caught.value.message_dict["seats"]
    assert message == f"{RULE_BROKEN}的结业记录。李青 不能当选「支部主委」"
    assert not Term.objects.filter(org=world.branch_a).exists()
    # A seat the rule does not name is not asked about.
    assert elect(world.branch_a, 1, TAKEN, [(member, "委员")]).rule_warnings == []


def test_a_seat_under_a_rule_that_only_warns_is_recorded_with_the_warning(world, member):
    _rule(enforcement=Enforcement.WARN, post_kind=PostKind.PARTY, titles="支部主委")
    term = elect(world.branch_a, 1, TAKEN, [(member, "支部主委")])
    assert term.rule_warnings == [f"{RULE_BROKEN}的结业记录"]
    assert term.seats.get().person == member
