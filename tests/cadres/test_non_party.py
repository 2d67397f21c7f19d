"""The ``non_party_cadres`` section (STATS.md) and the posts taken up in a period: a united-front
department's non-party cadres, each figure the length of the list it opens."""

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.cadres.conftest import enter, make_pool
from tests.factories import make_member, make_org, make_user
from tongxin.cadres import services
from tongxin.cadres.models import EntrySource, PoolKind, PoolLevel, RankGroup
from tongxin.cadres.nonparty_stats import non_party_section
from tongxin.core.codes import AffiliationKind, PoliticalBody, PoliticalLevel, PostKind
from tongxin.core.figures import leaves, values
from tongxin.core.scope import Scope
from tongxin.people import services as people_services
from tongxin.people.models import Person, Post
from tongxin.people.takeups import Change, TakeUpFilter, taken_up

pytestmark = pytest.mark.django_db

EVERYTHING = Scope(everything=True)
AS_OF = date(2025, 12, 31)
PERIOD = date(2025, 1, 1)


def government(person, rank, start, title="局长", end=None):
    return people_services.post_record(
        post=Post(person=person, kind=PostKind.GOVERNMENT, title=title, unit="区政府", rank=rank,
                  start=start, end=end)
    )  # fmt: skip


def outsider(name, org, kind=AffiliationKind.NON_PARTY_CADRE, on=date(2020, 1, 1)):
    person = people_services.person_update(
        person=Person(name=name, gender="1", birth_date=date(1985, 1, 1))
    )
    people_services.affiliation_start(person=person, org=org, kind=kind, on=on)
    return person


@pytest.fixture
def department(world):
    """The city as a department with a street, an industry party committee and a bureau."""
    street = make_org(world.city, code="C1-S1", name="东湖街道党工委", kind="street_committee")
    industry = make_org(world.city, code="C1-I1", name="教育行业党委", kind="industry_committee")
    bureau = make_org(world.city, code="C1-B1", name="区教育局", kind="bureau")
    reserve = make_pool(world.city, name="党外后备干部库", kind=PoolKind.NON_PARTY_RESERVE)
    division = services.pool_level_save(
        level=PoolLevel(pool=reserve, rank_group=RankGroup.DIVISION)
    )
    young = make_pool(world.city, name="党外优秀青年干部", kind=PoolKind.YOUNG)
    # 张: a non-member whose file the bureau keeps, entered by the bureau's recommendation,
    # appointed 县处级正职 this year on the person file.
    zhang = services.pool_person_register(
        person=Person(name="张正", gender="1", birth_date=date(1980, 2, 1)),
        org=bureau,
        pool=reserve,
        on=date(2025, 3, 1),
        source=EntrySource.UNIT,
        decision_meeting="部务会",
        decision_date=date(2025, 3, 1),
        level=division,
        recommending_unit=bureau,
    )
    government(zhang.person, "131", date(2025, 5, 1))
    # 李: a member of branch A and a non-party cadre the street keeps: one person, two links.
    li = make_member(world.branch_a, name="李双")
    people_services.affiliation_start(
        person=li, org=street, kind=AffiliationKind.NON_PARTY_CADRE, on=date(2024, 1, 1)
    )
    enter(young, li, on=date(2025, 4, 1), source=EntrySource.UNIT, recommending_unit=street)
    # 王: 乡科级正职 since 2020, promoted 县处级副职 this year; the industry committee keeps him.
    wang = outsider("王升", industry)
    government(wang, "141", date(2020, 1, 1), title="科长", end=date(2025, 5, 31))
    government(wang, "132", date(2025, 6, 1), title="副局长")
    # Someone of the other city counts there only.
    outsider("赵远", world.other_branch)
    return world


def test_the_section_counts_the_departments_non_party_cadres(department):
    figures = non_party_section.compute(
        scope=EVERYTHING, org=department.city, as_of=AS_OF, period_start=PERIOD
    )
    got = values(figures)
    assert got["files"] == 3  # 李 counts once, though a member and a file
    assert got["leaders"]["县处级"] == 2 and got["principal"]["县处级"] == 1
    assert got["leaders"]["乡科级"] == 0  # 王 left his 乡科级 post when promoted
    assert got["reserves"] == {"厅局级": 0, "县处级": 1, "乡科级": 0}
    assert (got["young"], got["talent"]) == (1, 0)
    assert got["entered"] == 2 and got["recommending_units"] == 2
    by_kind = got["entered_by_unit_kind"]
    assert (by_kind["街道党工委"], by_kind["行业党委"], by_kind["部委办局"]) == (1, 0, 1)
    assert got["appointed"] == {"省部级": 0, "厅局级": 0, "县处级": 2, "乡科级": 0}
    for path, figure in leaves(figures):
        assert figure.records.count() == figure.value, path


def test_every_figure_opens_a_list_of_its_length(client, department):
    client.force_login(make_user("dept", department.city))
    figures = non_party_section.compute(
        scope=EVERYTHING, org=department.city, as_of=AS_OF, period_start=PERIOD
    )
    for path, figure in leaves(figures):
        body = client.get(figure.url).content.decode()
        (count,) = re.findall(r'data-count="(\d+)"', body)
        assert int(count) == figure.value, (path, figure.url)
    posts = client.get(figures["appointed"]["县处级"].url).content.decode()
    table = posts[posts.index("nonparty-table") :]
    assert "张正" in table and "王升" in table and "提拔" in table, table


def test_a_post_on_the_person_file_is_taken_up_and_ranked(department):
    people = Person.objects.filter(name__in=["张正", "王升"])
    posts = taken_up(people=people, filters=TakeUpFilter(start=PERIOD, end=AS_OF))
    assert {(p.person.name, p.change) for p in posts} == {
        ("张正", Change.APPOINTED),
        ("王升", Change.PROMOTED),
    }
    promoted = TakeUpFilter(start=PERIOD, end=AS_OF, change=Change.PROMOTED)
    assert [p.person.name for p in taken_up(people=people, filters=promoted)] == ["王升"]


def test_a_seat_started_inside_a_term_is_co_opted(world):
    a, b = make_member(world.branch_a, name="甲"), make_member(world.branch_a, name="乙")
    for person, start in ((a, date(2022, 1, 10)), (b, date(2025, 3, 1))):
        people_services.post_record(
            post=Post(person=person, kind=PostKind.POLITICAL, title="区政协委员",
                      body=PoliticalBody.CPPCC_MEMBER, level=PoliticalLevel.COUNTY,
                      term="第十届", start=start)
        )  # fmt: skip
    posts = taken_up(
        people=Person.objects.all(), filters=TakeUpFilter(start=date(2022, 1, 1), end=AS_OF)
    )
    assert {(p.person.name, p.change) for p in posts} == {
        ("甲", Change.APPOINTED),
        ("乙", Change.CO_OPTED),
    }


def test_a_recommending_unit_outside_the_pool_is_refused(department):
    pool = make_pool(department.city, name="优秀青年干部", kind=PoolKind.YOUNG)
    person = make_member(department.branch_b, name="钱")
    with pytest.raises(Exception, match="推荐单位「河城直属支部」不在「民盟江城市委员会」之下"):
        enter(pool, person, recommending_unit=department.other_branch)
    assert not pool.entries.exists()


def test_the_list_of_another_subtree_is_404(client, department):
    client.force_login(make_user("far", department.other_city))
    url = reverse("cadres:nonparty") + f"?org={department.city.pk}"
    assert client.get(url).status_code == 404
    client.force_login(make_user("dept", department.city))
    page = client.get(url + "&on=2025-12-31").content.decode()
    assert "张正" in page and "赵远" not in page


def test_the_dashboard_draws_the_non_party_charts_with_their_lists(client, department):
    client.force_login(make_user("dept", department.city))
    response = client.get(
        reverse("stats:dashboard") + f"?org={department.city.pk}&as_of=2025-12-31"
    )
    charts = {chart.key: chart for chart in response.context["charts"]}
    leaders = dict(charts["non-party-leaders"].rows)
    assert [f.value for f in leaders["县处级"]] == [2, 1]
    for _category, figures in charts["non-party-pools"].rows:
        for figure in figures:
            body = client.get(figure.url).content.decode()
            assert f'data-count="{figure.value}"' in body
