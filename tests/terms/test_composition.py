"""Committee composition compared with the previous term (STATS.md, section ``terms``), on a
hand-built committee whose every figure is known: the sentence of a work summary, the figures
summed over a period's renewals across a subtree, and each figure's list of seats."""

from datetime import date
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from tests.terms.terms_helpers import elect, member
from tongxin.core.figures import values
from tongxin.core.scope import Scope
from tongxin.terms import selectors
from tongxin.terms.stats import compute

pytestmark = pytest.mark.django_db

OLD, NEW = date(2016, 11, 20), date(2021, 11, 20)


@pytest.fixture
def committee(world):
    """The city's 13th committee (10 seats, average age 45 on its election day, 3 women, 9
    with college education) and its 14th (12 seats: 7 re-elected, 5 new; average age 44, 4
    women, 11 with college education). Everyone is born on 1 June, so that ages are years."""
    org = world.branch_a

    def m(name, year, gender="1", education="21"):
        return member(org, name, born=(year, 6, 1), gender=gender, education=education)

    stay = [
        m("连任甲", 1975, "2"),
        m("连任乙", 1978, "2"),
        m("连任丙", 1972),
        m("连任丁", 1980),
        m("连任戊", 1970),
        m("连任己", 1983),
        m("连任庚", 1976),
    ]
    gone = [m("离任甲", 1956, "2"), m("离任乙", 1958), m("离任丙", 1962, education="41")]
    new = [
        m("新进甲", 1981, "2"),
        m("新进乙", 1979, "2"),
        m("新进丙", 1977),
        m("新进丁", 1976, education="61"),
        m("新进戊", 1977),
    ]
    old_term = elect(
        world.city,
        13,
        OLD,
        [(stay[0], "主委")] + [(p, "委员") for p in stay[1:] + gone],
        entitled=120,
        voted=115,
    )
    new_term = elect(
        world.city,
        14,
        NEW,
        [(stay[0], "主委")] + [(p, "委员") for p in stay[1:] + new],
        entitled=130,
        voted=126,
    )
    return old_term, new_term


def test_the_composition_sentence_compares_with_the_previous_committee(committee):
    _, term = committee
    c = selectors.term_composition(term)
    assert (c.seats, c.re_elected, c.newcomers, c.women, c.previous_women) == (12, 7, 5, 4, 3)
    assert (c.average_age, c.previous_average_age) == (44.0, 45.0)
    assert (c.college_or_above, c.previous_college_or_above) == (11, 9)
    assert (c.chairs, c.chairs_re_elected) == (1, 1)
    assert c.sentence() == (
        "新一届委员12名，其中连任7名、新进5名(42%)，平均年龄44岁，比上届年轻1岁，"
        "女委员4名(33%)，比上届多1名，大专及以上学历11名(92%)"
    )


def test_a_first_recorded_term_is_described_without_comparison(committee):
    old_term, _ = committee
    assert selectors.term_composition(old_term).sentence() == (
        "新一届委员10名，平均年龄45岁，女委员3名(30%)，大专及以上学历9名(90%)"
    )


def test_renewals_in_a_period_are_summed_across_the_subtree(world, committee, client, city_staff):
    # Branch G1 renewed in the same winter: 2 seats before, 3 after, one re-elected chair.
    a = member(world.branch_g1, "支部甲", born=(1960, 6, 1))
    b = member(world.branch_g1, "支部乙", born=(1970, 6, 1), gender="2")
    c = member(world.branch_g1, "支部丙", born=(1990, 6, 1), education="14")
    d = member(world.branch_g1, "支部丁", born=(1985, 6, 1))
    elect(
        world.branch_g1, 5, date(2017, 1, 5), [(a, "支部主委"), (d, "支委")], entitled=20, voted=18
    )
    elect(
        world.branch_g1,
        6,
        date(2022, 1, 5),
        [(a, "支部主委"), (b, "支委"), (c, "支委")],
        entitled=22,
        voted=21,
    )
    scope = Scope(everything=True)
    figures = compute(
        scope=scope, org=world.city, as_of=date(2022, 3, 31), period_start=date(2021, 10, 1)
    )
    assert values(figures) == {
        "renewed": 2,
        "seats": 15,
        "re_elected": 8,
        "newcomers": 7,
        "chairs": 2,
        "chairs_re_elected": 2,
        # (44 × 12 + 61 + 51 + 31) / 15 and (45 × 10 + 56 + 31) / 12
        "average_age": 44.7,
        "previous_average_age": 44.8,
        "women": 5,
        "previous_women": 3,
        "college_or_above": 14,
        "previous_college_or_above": 11,
        "voters_entitled": 152,
        "voters_voted": 147,
    }
    # Every count drills down to a list of exactly that many seats; the averages to the seats
    # they are taken over, the renewals and the voters to the terms.
    client.force_login(city_staff)
    for key, figure in figures.items():
        page = client.get(figure.url).content.decode()
        if urlparse(figure.url).path == reverse("terms:term_seats"):
            expected = figure.records.count() if key.endswith("average_age") else figure.value
            assert f"共 {expected} 个席位" in page, key
        elif key.startswith("voters"):
            assert f'data-sum="{figure.value}"' in page, key
            assert "data-count" not in page, key  # a sum, not the length of the list
        else:
            assert urlparse(figure.url).path == reverse("terms:terms"), key
            assert 'data-count="2"' in page, key


def test_the_period_excludes_renewals_outside_it(committee):
    figures = compute(
        scope=Scope(everything=True),
        org=committee[1].org,
        as_of=date(2021, 11, 19),
        period_start=date(2021, 1, 1),
    )
    assert figures["renewed"].value == 0 and figures["seats"].value == 0
