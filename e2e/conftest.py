"""Browser tests: Playwright's Python package driving Debian's Chromium, headless.

Playwright's own browser download cannot work on an offline machine; the system Chromium is
used. In CI (CI=true) a missing browser fails the run instead of skipping it.
"""

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TONGXIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"找不到 Chromium：{CHROMIUM}（Debian 上请安装 chromium 软件包）"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 768}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    outside: list[str] = []
    local = urlparse(live_server.url).hostname

    def watch(request):
        host = urlparse(request.url).hostname
        if host and host != local:
            outside.append(request.url)

    page.on("request", watch)
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert outside == [], f"页面请求了外部地址：{outside}"
    assert console_errors == [], f"浏览器控制台报错：{console_errors}"
