"""In a real browser, in both languages: a rep logs a call nobody answered with a
"call back on" date, sees it among today's entries, and finds the customer's contact with a
tap-to-call link. Same set-up as tests/browser/test_browser.py (Debian's Chromium, 127.0.0.1)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from repurchase.ui.server import running
from repurchase.warehouse.store import Warehouse

from .test_browser import EN, SHOTS, ZH, _browser, _need_browser, _sign_in

pytestmark = pytest.mark.browser

WORDS = {
    "en": {
        "log": "Log a visit",
        "not_reached": "Not reached",
        "follow_up": "Call back on (optional)",
        "save": "Save visit",
        "saved": "Saved the visit to",
        "shown": "Call back on {day}",
        "customer": "Customer",
    },
    "zh": {
        "log": "记录回访",
        "not_reached": "未联系上",
        "follow_up": "下次跟进日期(选填)",
        "save": "保存回访",
        "saved": "已保存对",
        "shown": "{day} 再跟进",
        "customer": "客户详情",
    },
}


@pytest.fixture
def server(tmp_path, _app_warehouse_file) -> Iterator[str]:
    """The app demo on 127.0.0.1, every customer with a phone number (the demo leaves a few
    without, and the customer page opens on whichever comes first)."""
    _need_browser()
    target = tmp_path / "browser.duckdb"
    shutil.copy(_app_warehouse_file, target)
    with Warehouse(target).transaction() as cur:
        cur.execute(
            "update customers set contact_phone = '+86 138-0013-8000' where contact_phone is null"
        )
    with running(target) as url:
        yield url


@pytest.mark.parametrize(("locale", "lang", "labels"), [("en-US", "en", EN), ("zh-CN", "zh", ZH)])
def test_a_rep_logs_a_call_nobody_answered_with_a_follow_up(server, locale, lang, labels):
    from playwright.sync_api import expect, sync_playwright

    words = WORDS[lang]
    day = f"{date.today() + timedelta(days=2):%Y-%m-%d}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_context(
            locale=locale, viewport={"width": 1400, "height": 1000}
        ).new_page()
        page.set_default_timeout(60_000)
        _sign_in(page, server, "rep", labels)
        page.get_by_role("link", name=words["log"]).click()
        expect(page.get_by_role("heading", name=words["log"], exact=True)).to_be_visible()

        page.get_by_text(words["not_reached"], exact=True).first.click()
        # the date field: year, month and day segments, typed in that order
        year = page.get_by_role("spinbutton", name=f"year, {words['follow_up']}")
        expect(year).to_have_attribute("aria-valuetext", "Empty")  # empty by default
        year.click()
        page.keyboard.type(day.replace("-", ""))
        page.keyboard.press("Tab")
        page.get_by_role("textbox", name="Note" if lang == "en" else "备注").fill("no answer")
        page.get_by_role("button", name=words["save"]).click()
        expect(page.get_by_text(words["saved"])).to_be_visible()

        entry = page.get_by_text(words["not_reached"]).filter(has_text="·").first
        expect(entry).to_be_visible()  # today's entries list it
        entry.click()
        expect(page.get_by_text(words["shown"].format(day=day))).to_be_visible()
        page.screenshot(path=str(SHOTS / f"log_visit_follow_up_{lang}.png"), full_page=True)

        page.get_by_role("link", name=words["customer"]).click()
        call = page.locator("a[href^='tel:']").first
        expect(call).to_be_visible()
        href = call.get_attribute("href")
        assert href[len("tel:") :].lstrip("+").isdigit()
        page.wait_for_timeout(2000)  # let the timeline draw
        page.screenshot(path=str(SHOTS / f"customer_contact_{lang}.png"), full_page=True)
        browser.close()
