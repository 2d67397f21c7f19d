"""No address crashes a page: every page a staff user opens by GET is fed random values (huge and
negative numbers, years 0 and 9999, dates like 0001-01-01, garbage text, other scripts' digits)
in each query parameter it reads, and answers below 500: a value it cannot use gets the 400 page
in Chinese, or is read as not given.

The parameters of a page are the ones it reads: a first plain GET records the names its view
asks ``request.GET`` for (directly or through a filter form), so a new parameter is fuzzed
without being listed here. The records are branch B's of the scope walk (tests/test_scope_walk.py
and the apps' ``tests/<app>/scope_walk.py``), seen by the city's staff."""

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_user
from tests.test_scope_walk import (  # noqa: F401 (fixtures)
    _arguments,
    _patterns,
    _url,
    app_walks,
    b_records,
)
from tongxin.cadres import services
from tongxin.cadres.models import TalentPool
from tongxin.orgs.models import Organization

pytestmark = pytest.mark.django_db(transaction=False)

READ: set[str] = set()


class RecordingQueryDict(QueryDict):
    """``request.GET`` that notes every name a view asks it for."""

    def __getitem__(self, key):
        READ.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        READ.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        READ.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        READ.add(key)
        return super().__contains__(key)


class RecordingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        recording = RecordingQueryDict(request.META.get("QUERY_STRING", ""), mutable=True)
        recording._mutable = False
        request.GET = recording
        return self.get_response(request)


# Values a hand or a script may put in an address.
ODD = [
    "0",
    "1",
    "-1",
    "9999",
    "10000",
    "99999999999",
    "99999999999999999999",
    "0001-01-01",
    "9999-12-31",
    "2025-02-30",
    "2025-13-01",
    "1899-12-31",
    "-2025-01-01",
    "2025-1-1",
    "²",
    "１２",
    "١٢",
    "1e9",
    "NaN",
    " ",
    "1,2,x",
    "99999999999999999999,1",
    "<script>",
    "'; drop table x; --",
    "a\x00b",
]
VALUES = st.one_of(
    st.sampled_from(ODD),
    st.integers(min_value=-(10**22), max_value=10**22).map(str),
    st.integers(min_value=-1, max_value=10_000).map(lambda y: f"{y:04d}-01-01"),
    st.text(max_size=20),
)

# Pages whose GET does something else than show (a log-out, a back office the staff may not
# enter, downloads that build a whole workbook).
SKIPPED_PREFIXES = ("admin:", "logout", "login", "djdt")


def _pages(world, b, walks):
    for name, route, _pattern in _patterns():
        if route.startswith("static") or name.startswith(SKIPPED_PREFIXES):
            continue
        yield name, _url(route, _arguments(name, route, world, b, walks))


@pytest.fixture
def recording(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_query_parameters.RecordingMiddleware"]
    return settings


def _fuzz(client, url: str, names: list[str]):
    @settings(
        max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(query=st.dictionaries(st.sampled_from(names), VALUES, min_size=1))
    def fuzz(query):
        response = client.get(url, query)
        assert response.status_code < 500, f"{url}?{query}"

    return fuzz


def test_no_query_parameter_makes_a_page_fail(world, b_records, app_walks, recording):  # noqa: F811
    staff = make_user("province_staff", Organization.objects.get(code="P"))
    # A client of its own, which loads the recording middleware, and which answers a crash with
    # 500 instead of raising it.
    client = Client(raise_request_exception=False)
    crashes = []
    for name, url in _pages(world, b_records, app_walks):
        client.force_login(staff)
        READ.clear()
        first = client.get(url)
        if first.status_code != 200 or not READ:
            continue
        try:
            _fuzz(client, url, sorted(READ))()
        except AssertionError as failure:
            crashes.append(f"{name}: {failure}")
    assert not crashes, "\n".join(crashes)


def test_a_year_the_calendar_has_not_answers_400_naming_the_parameter(client, world, city_staff):
    pool = services.pool_save(
        pool=TalentPool(owner=world.city, name="市委后备人才库", kind="reserve", max_age=50)
    )
    client.force_login(city_staff)
    for year in ("0", "99999999999", "²"):
        response = client.get(reverse("cadres:review", args=[pool.pk]), {"year": year})
        body = response.content.decode()
        assert response.status_code == 400, year
        assert f"year=「{year}」无效" in body and "1900至2100之间的年份" in body
        assert 'aria-label="主菜单"' in body  # the menu stays, so the user can go on
    assert client.get(reverse("cadres:review", args=[pool.pk]), {"year": "2024"}).status_code == 200


def test_an_id_no_table_can_hold_answers_400(client, world, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("orgs:counts"), {"ids": f"{world.branch_a.pk},{'9' * 20}"})
    assert response.status_code == 400
    assert "记录编号" in response.content.decode()
    assert client.get(reverse("people:roster"), {"org": "１２"}).status_code == 400


def test_a_statistics_date_before_1900_is_named_and_nothing_is_counted(client, world, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("stats:report"), {"as_of": "0001-01-01"})
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "统计截止日期：日期应在1900至2100年之间" in response.content.decode()
    assert client.get(reverse("stats:dashboard"), {"period_start": "0001-01-01"}).status_code < 500


def test_a_nul_character_in_the_address_answers_400_before_any_search(client, city_staff):
    client.force_login(city_staff)
    for url in ("people:roster", "people:search", "cadres:practice", "recruitment:create"):
        response = client.get(reverse(url), {"q": "张\x00三"})
        assert response.status_code == 400, url
        assert "参数 q 含有空字符" in response.content.decode()
