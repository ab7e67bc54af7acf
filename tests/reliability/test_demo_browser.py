"""Issue 10, blocker 1 in the browser (Debian's Chromium): an admin signed in with the demo's
account imports a company's files on the Data page, confirms replacing the demo with their own
account, and signs in again with it. Screenshots of the confirmation in both languages."""

from __future__ import annotations

import shutil

import pytest

from repurchase.accounts import auth
from repurchase.ui.server import running
from repurchase.warehouse.store import Warehouse

from ..browser.test_browser import EN, SHOTS, ZH, _browser, _need_browser, _sign_in
from ._demo_company import demo_rows, write_files

TEXT = {
    "en": {
        "data": "Data",
        "username": "Your username",
        "password": "Your password",
        "again": "Repeat the password",
        "confirm": "I understand: remove the demo and import my data",
        "go": "Replace the demo with my data",
        "done": "The demo was replaced",
        "now": "You are now signed in as boss",
        "signed_in": "Signed in as boss (admin)",
    },
    "zh": {
        "data": "数据管理",
        "username": "您的用户名",
        "password": "您的密码",
        "again": "再次输入密码",
        "confirm": "我已了解:删除演示数据并导入我的数据",
        "go": "用我的数据替换演示数据",
        "done": "演示数据已替换为您的数据",
        "now": "您现在以 boss 的身份登录",
        "signed_in": "已登录:boss(管理员)",
    },
}


@pytest.mark.parametrize(("locale", "lang", "labels"), [("en-US", "en", EN), ("zh-CN", "zh", ZH)])
def test_import_in_the_browser_then_the_same_admin_signs_in_again(
    tmp_path, _app_warehouse_file, locale, lang, labels
):
    from playwright.sync_api import expect, sync_playwright

    _need_browser()
    target = tmp_path / "browser.duckdb"
    shutil.copy(_app_warehouse_file, target)
    files = [str(p) for p in write_files(tmp_path / "acme")]
    words = TEXT[lang]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with running(target) as url, sync_playwright() as p:
        browser = _browser(p)
        context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        _sign_in(page, url, "admin", labels)
        page.get_by_role("link", name=words["data"]).click()
        page.locator("input[type=file]").set_input_files(files)
        expect(page.get_by_role("textbox", name=words["username"])).to_be_visible()
        page.wait_for_timeout(1000)
        page.screenshot(path=str(SHOTS / f"data_replace_demo_{lang}.png"), full_page=True)
        page.get_by_role("textbox", name=words["username"]).fill("boss")
        page.get_by_role("textbox", name=words["password"]).fill("violet tractor harbour 42")
        page.get_by_role("textbox", name=words["again"]).fill("violet tractor harbour 42")
        page.get_by_text(words["confirm"]).click()
        page.get_by_role("button", name=words["go"]).click()
        expect(page.get_by_text(words["done"])).to_be_visible()
        expect(page.get_by_text(words["now"])).to_be_visible()
        expect(page.get_by_text(words["signed_in"])).to_be_visible()  # the sidebar says so too
        page.screenshot(path=str(SHOTS / f"data_demo_replaced_{lang}.png"), full_page=True)

        again = browser.new_context(locale=locale).new_page()  # a new session
        again.set_default_timeout(60_000)
        again.goto(url)
        again.get_by_role("textbox", name=labels["username"]).fill("boss")
        again.get_by_role("textbox", name=labels["password"]).fill("violet tractor harbour 42")
        again.get_by_role("button", name=labels["submit"]).click()
        expect(again.get_by_text(words["signed_in"])).to_be_visible()
        browser.close()
    wh = Warehouse(target)
    assert demo_rows(wh)["demo visits"] == 0
    with pytest.raises(auth.AuthError):
        auth.authenticate(wh, "admin", auth.DEMO_PASSWORD)
