"""In a real browser: the language a user chose comes back after a reload and on another
device, and a picker shows a company's name exactly as typed, markup as text. Same set-up as
tests/browser/test_browser.py (Debian's Chromium, 127.0.0.1)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from repurchase import i18n
from repurchase.accounts import auth
from repurchase.ui.server import running
from repurchase.warehouse.store import Warehouse

from .test_browser import EN, _browser, _need_browser, _sign_in

pytestmark = pytest.mark.browser

COMPANY = "Ltd. (Beijing) <b>bold</b> On-site"
LINK = "https://evil.example www.evil.example li@evil.example"


@pytest.fixture
def server(tmp_path, _app_warehouse_file) -> Iterator[str]:
    _need_browser()
    source = Path(os.environ.get("REPURCHASE_SCREENSHOT_WAREHOUSE", _app_warehouse_file))
    target = tmp_path / "render.duckdb"
    shutil.copy(source, target)
    wh = Warehouse(target)
    rep = auth.user(wh, "rep")
    with wh.transaction() as cur:
        cur.execute(
            "update customers set name = $n where customer_id = (select min(customer_id)"
            " from customers where owner_rep_id = $r)",
            {"n": COMPANY, "r": rep.rep_id},
        )
        cur.execute("update users set display_name = $n where username = 'rep'", {"n": LINK})
    wh.close()
    with running(target) as url:
        yield url


def _rep_in_english(browser, server: str):
    """A new browser context (a device) in English, signed in as the rep."""
    page = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(60_000)
    _sign_in(page, server, "rep", EN)
    return page


def test_the_chosen_language_survives_a_reload_and_another_device(server):
    from playwright.sync_api import expect, sync_playwright

    chinese_nav = i18n.text("nav.customer", "zh")
    with sync_playwright() as p:
        browser = _browser(p)
        page = _rep_in_english(browser, server)
        expect(page.get_by_role("link", name=i18n.text("nav.customer", "en"))).to_be_visible()
        page.get_by_text("中文", exact=True).click()
        expect(page.get_by_role("link", name=chinese_nav)).to_be_visible()

        page.reload()  # the session cookie signs the browser back in, in the user's language
        expect(page.get_by_role("link", name=chinese_nav)).to_be_visible()
        expect(page.get_by_role("radio", name="中文")).to_be_checked()

        page = _rep_in_english(browser, server)  # another device; before sign-in: English
        expect(page.get_by_role("link", name=chinese_nav)).to_be_visible()
        browser.close()


def test_a_picker_shows_a_name_exactly_as_typed_with_markup_as_text(server):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = _browser(p)
        page = _rep_in_english(browser, server)
        page.get_by_role("link", name=i18n.text("nav.customer", "en")).click()
        picker = page.get_by_role("combobox", name=i18n.text("customer.pick", "en"))
        picker.click()
        option = page.get_by_role("option").filter(has_text=COMPANY)
        expect(option).to_have_count(1)
        assert COMPANY in option.inner_text() and "\\" not in option.inner_text()
        assert option.locator("b").count() == 0  # the markup is text, not an element
        browser.close()


def test_a_name_in_a_message_is_never_a_link(server):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = _browser(p)
        page = _rep_in_english(browser, server)
        said = page.get_by_text("evil.example", exact=False).first
        expect(said).to_be_visible()  # "Signed in as ..." in the sidebar
        assert page.locator("a[href*='evil']").count() == 0
        assert LINK in said.inner_text().replace("\u2060", "")
        browser.close()
