"""Import in the browser: upload → check report → confirm → progress → done, and a refusal."""

import threading

import pytest
from django.db import connections
from playwright.sync_api import expect

from tests.factories import make_user
from tests.io.helpers import member, workbook_bytes
from tongxin.io import jobs
from tongxin.people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker():
    """The import worker, in a thread that shares the test database like the live server."""
    connection = connections["default"]
    connection.inc_thread_sharing()
    stop = threading.Event()

    def run():
        connections["default"] = connection
        while not stop.is_set():
            # Slow enough that the page shows the queue and its progress bar first.
            stop.wait(1.5)
            jobs.run_pending()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(5)
    connection.dec_thread_sharing()


def log_in(page):
    page.goto("/login/")
    page.get_by_label("用户名").fill("city_staff")
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()


def upload(page, tmp_path, data):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(data)
    page.get_by_role("link", name="成员名册").click()
    page.get_by_role("link", name="导入").click()
    page.get_by_label("名册文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并检查").click()


def test_staff_upload_confirm_and_see_the_import_done(page, world, worker, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    make_user("city_staff", world.city)
    log_in(page)
    rows = [member(f"成员{i:03d}", "C1-A") for i in range(120)]
    upload(page, tmp_path, workbook_bytes(members=rows, org_sheet=False))
    expect(page.get_by_test_id("check-passed")).to_contain_text("将新增 120 人")
    assert Person.objects.count() == 0
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_test_id("progress-bar")).to_be_visible()
    expect(page.get_by_test_id("import-done")).to_contain_text("新增 120 人")
    assert Person.objects.count() == 120
    batch_page = page.url
    page.get_by_role("link", name="成员名册").click()
    expect(page.get_by_test_id("roster-total")).to_have_text("共 120 人")
    # The undo button arrives in a second request once the batch has been compared.
    page.goto(batch_page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="撤销此次导入").click()
    expect(page.get_by_text("数据已恢复到导入之前").first).to_be_visible()
    assert Person.objects.count() == 0


def test_a_workbook_with_mistakes_is_refused_in_the_browser(
    page, world, worker, tmp_path, settings
):
    settings.VAR_DIR = tmp_path
    make_user("city_staff", world.city)
    log_in(page)
    rows = [member("张敏", "C1-A", 身份证号="360426199101010072"), member("周明", "NOPE")]
    upload(page, tmp_path, workbook_bytes(members=rows, org_sheet=False))
    refusal = page.get_by_test_id("refusal")
    expect(refusal).to_contain_text("未导入任何数据")
    table = page.get_by_test_id("error-table")
    expect(table).to_contain_text("校验位")
    expect(table).to_contain_text("组织编码在本文件和系统中都不存在")
    assert Person.objects.count() == 0
