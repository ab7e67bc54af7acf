"""A reload keeps both the page and the language: a manager in a browser that speaks English
chooses 中文, opens the Cohorts page and reloads it. The session cookie signs the browser back
in, in the manager's own language, and the reload stays on /cohorts (it once landed on the
home page, because resuming the session reran the app before st.navigation had chosen the
page)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest

from repurchase import i18n
from repurchase.ui.server import running

from .test_browser import EN, _browser, _need_browser, _sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path, _app_warehouse_file) -> Iterator[str]:
    _need_browser()
    target = tmp_path / "browser.duckdb"
    shutil.copy(_app_warehouse_file, target)
    with running(target) as url:
        yield url


def test_a_reload_in_chinese_stays_on_the_page_and_in_chinese(server):
    from playwright.sync_api import expect, sync_playwright

    cohorts = i18n.text("nav.cohorts", "zh")
    with sync_playwright() as p:
        browser = _browser(p)
        try:
            page = browser.new_context(
                locale="en-US", viewport={"width": 1400, "height": 1000}
            ).new_page()
            page.set_default_timeout(60_000)
            _sign_in(page, server, "manager", EN)
            expect(page.get_by_role("link", name=i18n.text("nav.cohorts", "en"))).to_be_visible()
            page.get_by_text("中文", exact=True).click()
            expect(page.get_by_role("link", name=cohorts)).to_be_visible()
            page.get_by_role("link", name=cohorts).click()
            expect(page.get_by_role("heading", name=cohorts, exact=True)).to_be_visible()
            expect(page).to_have_url(re.compile(r"/cohorts$"))

            page.reload()  # the cookie signs the manager back in; the browser says English
            expect(page.get_by_role("heading", name=cohorts, exact=True)).to_be_visible()
            expect(page).to_have_url(re.compile(r"/cohorts$"))
            expect(page.get_by_role("radio", name="中文")).to_be_checked()
            expect(page.get_by_role("link", name=cohorts)).to_be_visible()
            assert page.get_by_test_id("stException").count() == 0
        finally:
            browser.close()
