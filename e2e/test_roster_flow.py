"""A staff member's day: log in, open the tree, open a branch, find a member by pinyin
initials, open the file, edit a field, save, see the change."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username):
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def test_staff_find_a_member_by_initials_and_edit_the_file(page, world):
    make_member(
        world.branch_g1, name="张敏", gender="2", birth_date=date(1980, 5, 1), work_unit="江城大学"
    )
    make_member(world.branch_g1, name="周明", work_unit="江城市第一人民医院")
    make_member(world.branch_g1, name="王芳", gender="2", work_unit="江城律师事务所")
    make_member(world.branch_a, name="李华")
    make_user("city_staff", world.city)

    log_in(page, "city_staff")
    expect(page.get_by_test_id("headline-total")).to_have_text("4")

    page.get_by_role("link", name="组织机构").click()
    tree = page.get_by_test_id("org-tree")
    expect(tree).to_contain_text("民盟江城市委员会")
    city_badge = tree.get_by_role("link", name="民盟江城市委员会").get_by_test_id("tree-count")
    expect(city_badge).to_have_text("4")
    # The general branch's children load on demand.
    general = tree.locator("li", has=page.get_by_role("link", name="江城大学总支")).first
    general.get_by_role("button", name="展开").click()
    g1 = tree.get_by_role("link", name="江城大学第二支部")
    expect(g1.get_by_test_id("tree-count")).to_have_text("3")
    g1.click()
    expect(page.get_by_test_id("org-name")).to_contain_text("江城大学第二支部")
    expect(page.get_by_test_id("org-member-count")).to_contain_text("3 人")

    page.get_by_role("link", name="名册（3 人）").click()
    expect(page.get_by_test_id("roster-total")).to_have_text("共 3 人")
    page.get_by_role("searchbox", name="搜索", exact=True).fill("zm")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("roster-total")).to_have_text("共 2 人")
    table = page.get_by_test_id("roster-table")
    expect(table).to_contain_text("张敏")
    expect(table).to_contain_text("周明")
    expect(table).not_to_contain_text("王芳")
    assert "q=zm" in page.url  # filters live in the URL

    table.get_by_role("link", name="张敏").click()
    expect(page.get_by_test_id("person-name")).to_contain_text("张敏")
    page.get_by_role("link", name="编辑基本信息").click()
    page.get_by_label("工作单位").fill("江城师范学院")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存 张敏 的基本信息")).to_be_visible()
    expect(page.get_by_test_id("person-work-unit")).to_have_text("江城师范学院")


def test_an_invalid_id_number_is_refused_in_the_browser(page, world):
    make_user("city_staff", world.city)
    log_in(page, "city_staff")
    page.goto(f"/people/new/?org={world.branch_a.pk}")
    page.get_by_label("姓名").fill("李新")
    page.get_by_label("在册开始日期").fill("2024-07-01")
    page.get_by_label("身份证号").fill("360426199101010072")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("error-id_number")).to_contain_text("校验位错误")


def test_the_slash_key_focuses_the_global_search(page, world):
    make_member(world.branch_a, name="王芳")
    make_user("city_staff", world.city)
    log_in(page, "city_staff")
    page.keyboard.press("/")
    page.keyboard.type("wf")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("person-name")).to_contain_text("王芳")
