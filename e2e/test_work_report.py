"""年度工作总结 in the browser: the 统计分析 tab drafts a node's year, a number of a sentence opens
the list it counts, and 下载 Word downloads the document."""

from datetime import date

import pytest
from playwright.sync_api import expect

from e2e.test_roster_flow import log_in
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def city(world):
    make_member(world.branch_a, name="张敏", gender="2", start=date(2016, 3, 1))
    make_member(world.branch_a, name="周明", start=date(2019, 5, 1))
    make_member(world.branch_b, name="王芳", gender="2", start=date(2024, 9, 1))
    make_user("city_staff", world.city)
    return world


def test_a_number_of_the_work_report_opens_its_list_and_the_word_file_downloads(page, city):
    log_in(page, "city_staff")
    page.get_by_role("link", name="统计分析").click()
    page.get_by_test_id("tab-work-report").click()
    page.locator("#id_year").select_option("2024")
    page.get_by_role("button", name="统计").click()
    report = page.get_by_test_id("work-report")
    expect(report.get_by_role("heading", name="民盟江城市委员会2024年度工作总结")).to_be_visible()
    expect(report).to_contain_text("现有成员3人，比上年增加1人")
    with page.expect_download() as download:
        page.get_by_test_id("export-docx").click()
    assert download.value.suggested_filename == "work-report-C1-2024.docx"
    report.locator('a[data-figure="members.total"]').first.click()
    expect(page.get_by_test_id("roster-total")).to_have_text("共 3 人")
