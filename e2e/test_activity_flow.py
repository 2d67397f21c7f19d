"""A branch chair records an activity with its attendance on a phone, then adds a photo that the
page shows from the server (never from a public address)."""

from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role
from tongxin.branchwork.models import Activity

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username):
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def test_a_branch_chair_records_an_activity_with_attendance_on_a_phone(
    page, world, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    for name in ("张敏", "王芳", "李华"):
        make_member(world.branch_a, name=name)
    make_member(world.branch_b, name="赵强")  # another branch: never on the list
    make_user("chair_a", world.branch_a, roles=(Role.BRANCH_CHAIR,))

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "chair_a")
    page.goto("/branchwork/")
    expect(page.get_by_test_id("branchwork-org")).to_have_text("江城大学第一支部")
    page.get_by_role("link", name="记录活动").first.click()
    expect(page.get_by_role("heading", name="记录支部活动")).to_be_visible()

    attendance = page.get_by_test_id("attendance")
    expect(attendance.get_by_test_id("attendee")).to_have_count(3)
    expect(attendance).not_to_contain_text("赵强")
    page.get_by_label("活动名称").fill("“烛光行动”送教下乡")
    page.get_by_label("活动类型").select_option(label="社会服务")
    # The list is read again for the new date; the ticks stay.
    with page.expect_response(lambda r: "/branchwork/activities/roster/" in r.url):
        page.get_by_label("活动日期").fill("2025-04-10")
    expect(attendance).to_contain_text("2025-04-10 在册 3 人")
    page.get_by_label("地点").fill("石桥镇中心小学")
    # Everyone is expected to begin with; 李华 was not, 张敏 and 王芳 came.
    page.get_by_label("李华 应到").uncheck(force=True)
    page.get_by_label("张敏 实到").check(force=True)
    page.get_by_label("王芳 实到").check(force=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the form scrolls sideways on a phone ({width}px)"
    page.get_by_role("button", name="保存").click()

    expect(
        page.get_by_text("已保存活动「“烛光行动”送教下乡」：应到 2 人，实到 2 人")
    ).to_be_visible()
    expect(page.get_by_test_id("attendance-summary")).to_have_text("应到 2 人，实到 2 人")
    expect(page.get_by_test_id("present")).to_have_text("王芳、张敏")
    activity = Activity.objects.get()
    assert activity.attendance.filter(expected=False).count() == 0
    assert activity.attendance.count() == 2

    picture = BytesIO()
    Image.new("RGB", (320, 240), (30, 120, 200)).save(picture, "JPEG")
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(picture.getvalue())
    page.get_by_label("照片").set_input_files(str(photo))
    page.get_by_role("button", name="上传照片").click()
    expect(page.get_by_text("已上传 1 张照片")).to_be_visible()
    thumbnail = page.get_by_test_id("photos").get_by_role("img")
    expect(thumbnail).to_be_visible()
    # The picture itself arrives from the server (the page's own address, in scope).
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )
