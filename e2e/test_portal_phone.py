"""A member on a phone (375×667): activates the account with the chair's code, reads a notice,
signs up for a class, proposes a correction that the chair and staff accept, submits a draft
and downloads the record — and no page scrolls sideways."""

import io
from datetime import timedelta
from decimal import Decimal

import docx
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role
from tongxin.core.scope import Scope
from tongxin.people.models import Person
from tongxin.portal import services
from tongxin.portal.models import CorrectionRequest, Notice, NoticeKind
from tongxin.training import services as training_services
from tongxin.training.models import ClassLevel, ClassType, Enrollment, TrainingClass

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Tongxin-Member-2026"
WIDTH = 375


def fits(page):
    # A click that navigates returns before the new page has loaded; measure the loaded one.
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} scrolls sideways on a phone ({width}px)"


def test_a_member_uses_the_portal_on_a_phone(page, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    chair = make_user("chair_a", world.branch_a, roles=(Role.BRANCH_CHAIR,))
    staff = make_user("city_staff", world.city)
    person = make_member(world.branch_a, name="林小满", work_unit="江城大学")
    Notice.objects.create(
        org=world.city,
        kind=NoticeKind.NOTICE,
        title="关于年度信息核对的通知",
        body="请各位成员核对本人信息，如有变动请在「信息更正」中提出。" * 3,
        published_by=staff,
    )
    start = today + timedelta(days=10)
    training_services.class_create(
        training_class=TrainingClass(
            name="成员履职能力培训班",
            org=world.city,
            level=ClassLevel.OWN,
            class_type=ClassType.OTHER,
            start=start,
            end=start + timedelta(days=1),
            hours=Decimal("8"),
        )
    )
    code = services.account_issue(person=person, by=chair, on=today)

    page.set_viewport_size({"width": WIDTH, "height": 667})
    page.goto("/login/")
    page.get_by_role("link", name="成员首次使用：用激活码开通账号").click()
    expect(page.get_by_label("激活码")).to_be_visible()
    fits(page)
    page.get_by_label("激活码").fill(code)
    page.get_by_label("用户名").fill("linxm")
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)
    page.get_by_role("button", name="激活").click()
    expect(page.get_by_text("账号已激活")).to_be_visible()
    page.get_by_label("用户名").fill("linxm")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="林小满")).to_be_visible()
    fits(page)

    page.get_by_role("link", name="关于年度信息核对的通知").click()
    expect(page.get_by_role("heading", name="关于年度信息核对的通知")).to_be_visible()
    fits(page)

    page.get_by_role("navigation", name="成员菜单").get_by_role("link", name="报名").click()
    expect(page.get_by_role("button", name="报名")).to_be_visible()
    fits(page)
    page.get_by_role("button", name="报名").click()
    expect(page.get_by_text("已报名「成员履职能力培训班」")).to_be_visible()
    fits(page)
    assert Enrollment.objects.filter(person=person).count() == 1

    page.get_by_role("link", name="信息更正").click()
    page.get_by_label("工作单位").fill("江城理工大学")
    page.get_by_label("说明").fill("2026年调动")
    fits(page)
    page.get_by_role("button", name="提交更正申请").click()
    expect(page.get_by_text("更正申请已提交")).to_be_visible()
    request = CorrectionRequest.objects.get()
    services.correction_chair_decide(
        request=request, scope=Scope.for_user(chair), by=chair, accept=True, opinion="属实"
    )
    services.correction_staff_decide(
        request=request, scope=Scope.for_user(staff), by=staff, accept=True
    )
    page.reload()
    expect(page.get_by_text("已采纳")).to_be_visible()
    assert Person.objects.get(pk=person.pk).work_unit == "江城理工大学"

    page.get_by_role("link", name="建言").click()
    page.get_by_label("类别").select_option(label="社情民意信息")
    page.get_by_label("标题").fill("关于老旧小区加装电梯的建议")
    page.get_by_label("内容").fill("调研发现协调难，建议由街道统一组织协商。")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("progress")).to_contain_text("待组织部处理")
    fits(page)

    page.get_by_role("link", name="履职档案").click()
    expect(page.get_by_text("成员履职能力培训班")).to_be_visible()
    fits(page)
    with page.expect_download() as info:
        page.get_by_test_id("record-docx").click()
    path = tmp_path / "record.docx"
    info.value.save_as(path)
    document = docx.Document(io.BytesIO(path.read_bytes()))
    assert document.paragraphs[0].text == "林小满 履职档案"
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert "成员履职能力培训班" in cells
