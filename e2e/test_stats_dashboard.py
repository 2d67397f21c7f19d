"""统计分析 in the browser: the report's numbers open their lists, the dashboard's charts are
drawn offline by the vendored ECharts, and a bar opens the list it counts."""

from datetime import date

import pytest
from playwright.sync_api import expect

from e2e.test_roster_flow import log_in
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def city(world):
    make_member(world.branch_a, name="张敏", gender="2", education="14", start=date(2016, 3, 1))
    make_member(world.branch_a, name="周明", education="14", start=date(2019, 5, 1))
    make_member(world.branch_b, name="王芳", gender="2", education="21", start=date(2021, 9, 1))
    make_member(world.branch_g1, name="李华", education="31", start=date.today())
    make_user("city_staff", world.city)
    return world


def test_a_number_of_the_report_opens_a_list_of_that_many_rows(page, city):
    log_in(page, "city_staff")
    page.get_by_role("link", name="统计分析").click()
    expect(page.get_by_test_id("stats-org")).to_have_text("民盟江城市委员会")
    tables = page.get_by_test_id("stats-table")
    expect(tables.first).to_be_visible()
    members = page.locator('[data-section="members"]').first
    total = members.locator("tbody tr").first.locator("td a").first
    expect(total).to_have_text("4")
    total.click()
    expect(page.get_by_test_id("roster-total")).to_have_text("共 4 人")


def test_the_dashboard_draws_its_charts_and_a_bar_opens_its_list(page, city):
    log_in(page, "city_staff")
    page.goto("/stats/dashboard/")
    cards = page.get_by_test_id("chart-card")
    expect(cards).to_have_count(7)
    for i in range(7):
        expect(cards.nth(i).locator("canvas")).to_have_count(1)
    education = page.locator('[data-chart-key="education"]')
    # 数据 shows the chart's table, each number a link.
    education.get_by_role("button", name="数据").click()
    table = education.get_by_test_id("chart-table")
    expect(table).to_be_visible()
    expect(table.locator("tr", has_text="研究生").locator("a")).to_have_text("2")
    education.get_by_role("button", name="图表").click()
    expect(education.locator("canvas")).to_be_visible()
    # Click the middle of the 研究生 bar (two members with a graduate education).
    point = page.evaluate(
        """() => {
            const el = document.querySelector('[data-chart-key="education"] [data-tx-chart]');
            const chart = echarts.getInstanceByDom(el);
            const [x, top] = chart.convertToPixel({seriesIndex: 0}, ['研究生', 2]);
            const [, bottom] = chart.convertToPixel({seriesIndex: 0}, ['研究生', 0]);
            const box = el.getBoundingClientRect();
            return {x: box.left + x, y: box.top + (top + bottom) / 2};
        }"""
    )
    page.mouse.click(point["x"], point["y"])
    expect(page.get_by_test_id("roster-total")).to_have_text("共 2 人")
    assert "education=" in page.url


def test_the_workbench_draws_its_two_charts(page, city):
    log_in(page, "city_staff")
    charts = page.get_by_test_id("workbench-charts").get_by_test_id("chart-card")
    expect(charts).to_have_count(2)
    expect(charts.first.locator("canvas")).to_have_count(1)
    expect(page.get_by_test_id("headline-total")).to_have_text("4")
