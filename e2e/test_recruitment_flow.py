"""组织发展 in the browser: one application from 申请 to 入会, the new member then on the roster
and among the new members; and one step refused with the rule named."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import make_member, make_user
from tests.recruitment.helpers import apply, candidate, walk

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username):
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def record(page, step, on, **fields):
    """Fill the form of ``step`` on the timeline and submit it; wait for its confirmation."""
    form = page.get_by_test_id(f"step-form-{step}")
    form.get_by_label(re.compile(r"^日期")).fill(on.isoformat())
    for label, value in fields.items():
        # Required fields' labels end with " *".
        form.get_by_label(re.compile(rf"^{label}( \*)?$")).fill(str(value))
    form.get_by_role("button", name=f"记录「{step}」").click()


def test_an_application_walks_from_application_to_admission(page, world):
    today = timezone.localdate()
    applied = today - timedelta(days=260)
    for name in ("赵一", "钱二"):
        make_member(world.branch_a, name=name, start=applied - timedelta(days=3650))
    make_user("city_staff", world.city)
    log_in(page, "city_staff")

    page.get_by_role("link", name="组织发展").click()
    expect(page.get_by_test_id("applications-empty")).to_be_visible()
    page.get_by_role("link", name="新建入会申请").first.click()
    page.get_by_label("姓名").fill("林新")
    page.get_by_label("身份证号").fill("513101198201130014")
    page.get_by_label("学历").select_option(label="硕士研究生毕业")
    page.get_by_label("专业技术职务").fill("副教授")
    page.get_by_label("工作单位", exact=True).fill("江城大学")
    page.get_by_label("界别").select_option(label="教育")
    page.get_by_label("申请加入的组织").select_option(label="　江城大学第一支部")
    page.get_by_label("申请日期").fill(applied.isoformat())
    page.get_by_role("button", name="登记申请").click()
    expect(page.get_by_text("已登记 林新 申请加入「江城大学第一支部」")).to_be_visible()
    expect(page.get_by_test_id("application-status")).to_have_text("办理中")

    steps = (
        ("联系培养、谈话", 15, {}),
        ("考察", 60, {"意见或结果": "考察合格"}),
        ("征求所在单位党组织意见", 75, {}),
        ("介绍人", 100, {"介绍人": "赵一、钱二"}),
        ("填写申请表", 120, {}),
        ("支部讨论", 205, {"应到人数": 9, "实到人数": 8, "赞成": 7, "反对": 1, "弃权": 0}),
        ("市委会审批", 235, {"应到人数": 15, "实到人数": 13, "赞成": 13, "反对": 0, "弃权": 0}),
        ("备案", 250, {}),
    )
    for step, days, fields in steps:
        record(page, step, applied + timedelta(days=days), **fields)
        on = (applied + timedelta(days=days)).isoformat()
        expect(page.get_by_text(f"已记录「{step}」（{on}）")).to_be_visible()
        expect(page.get_by_test_id(f"step-{step}")).to_have_attribute("data-state", "done")

    admission = applied + timedelta(days=258)
    record(
        page,
        "入会",
        admission,
        书面通知本人日期=admission.isoformat(),
        书面通知所在单位日期=admission.isoformat(),
    )
    approval = applied + timedelta(days=235)
    expect(
        page.get_by_text(f"林新 已入会：{approval.isoformat()} 起为「江城大学第一支部」")
    ).to_be_visible()
    expect(page.get_by_test_id("application-status")).to_have_text("已入会")

    page.get_by_role("link", name="人员档案").click()
    expect(page.get_by_test_id("person-political-status")).to_have_text("民盟盟员")
    page.get_by_role("link", name="成员关系").click()
    expect(page.get_by_test_id("person-spells")).to_contain_text(approval.isoformat())
    expect(page.get_by_test_id("person-spells")).to_contain_text("入会")

    page.goto(f"/people/?org={world.city.pk}&q=linxin")
    expect(page.get_by_test_id("roster-table")).to_contain_text("林新")
    page.goto(
        f"/recruitment/admissions/?org={world.city.pk}"
        f"&period_start={approval.replace(month=1, day=1).isoformat()}"
    )
    expect(page.get_by_test_id("admissions-table")).to_contain_text("林新")


def test_a_vote_taken_too_early_is_refused_with_the_rule_named(page, world):
    staff = make_user("city_staff", world.city)
    sponsors = [make_member(world.branch_a, name=n) for n in ("孙三", "李四")]
    applied = timezone.localdate() - timedelta(days=130)
    application = walk(
        apply(candidate(), world.branch_a, staff, on=applied),
        staff,
        sponsors,
        until="填写申请表",
        applied=applied,
    )
    log_in(page, "city_staff")
    page.goto(f"/recruitment/{application.pk}/")
    too_early = applied + timedelta(days=125)
    record(page, "支部讨论", too_early, 应到人数=9, 实到人数=8, 赞成=8, 反对=0, 弃权=0)
    form = page.get_by_test_id("step-form-支部讨论")
    expect(form.get_by_role("alert")).to_contain_text("不符合规则「培养考察期不少于6个月」")
    expect(page.get_by_test_id("refusal-record")).to_contain_text("培养考察期不少于6个月")
    expect(page.get_by_test_id("step-支部讨论")).to_have_attribute("data-state", "current")
    expect(page.get_by_test_id("application-status")).to_have_text("办理中")
