"""A reviewer scores a round in the browser: enters a manual score on a branch's sheet, sees
the sheet's total change in place, and finds the branch moved up the ranking."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.evaluation.helpers import rubric_with
from tests.factories import make_member, make_user
from tongxin.evaluation import services

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username):
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def test_a_manual_score_changes_the_ranking(page, world):
    rubric = rubric_with(
        world.city,
        ("年度工作计划和总结", "", {}, 10),
        ("发展新成员", "new_members", {"per": 4, "bonus": 2}, 20),
    )
    services.round_open(org=world.city, year=2024, rubric=rubric, today=date(2025, 3, 1))
    make_member(world.branch_b, name="新人", start=date(2024, 5, 1))
    make_user("city_staff", world.city)

    log_in(page, "city_staff")
    page.get_by_role("link", name="考评表彰").click()
    page.get_by_role("link", name="民盟江城市委员会2024年度支部考评").click()
    rows = page.get_by_test_id("ranking-row")
    expect(rows.first).to_contain_text("医药卫生支部")
    expect(rows.first.get_by_test_id("ranking-total")).to_have_text("4")

    page.get_by_role("link", name="江城大学第二支部").click()
    page.get_by_label("年度工作计划和总结评审分").fill("9")
    page.get_by_label("年度工作计划和总结评审意见").fill("计划总结齐全")
    page.get_by_role("button", name="保存评审分").click()
    expect(page.get_by_text("「年度工作计划和总结」已保存评审分 9 分")).to_be_visible()
    expect(page.get_by_test_id("sheet-total")).to_have_text("9")
    expect(page.get_by_test_id("sheet-sentence")).to_contain_text("以总分9分名列第一")

    page.get_by_role("link", name="民盟江城市委员会2024年度支部考评").click()
    expect(rows.first).to_contain_text("江城大学第二支部")
    expect(rows.first.get_by_test_id("ranking-total")).to_have_text("9")
    expect(rows.nth(1)).to_contain_text("医药卫生支部")
