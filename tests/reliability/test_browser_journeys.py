"""Journeys in a real browser (Debian's Chromium): a filter that leaves no visits
on the cohort page, and a double click on Save. (Sign-in journeys: test_auth_browser.py;
import then sign in again: test_demo_*.)"""

from __future__ import annotations

import pytest

from repurchase import i18n
from repurchase.warehouse.store import Warehouse

from ..browser.test_browser import EN, _browser, _sign_in, server  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


def test_level_senior_on_the_cohort_page_keeps_every_section(server):  # noqa: F811
    """Blocker 2: a filter that left no visits crashed the page and hid its sections."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
        page = page.new_page()
        page.set_default_timeout(60_000)
        _sign_in(page, server, "manager", EN)
        page.get_by_role("link", name="Does the list work?").click()
        expect(page.get_by_role("heading", name="Does the list work?")).to_be_visible()
        page.get_by_label("Level").click()  # Streamlit's selectbox opens a list of options
        page.get_by_role("option", name="Senior").click()
        for key in ("cohorts.trend", "cohorts.per_rep", "cohorts.holdout"):
            expect(page.get_by_role("heading", name=i18n.text(key, "en"))).to_be_visible()
        assert page.get_by_test_id("stException").count() == 0
        browser.close()


def test_a_double_click_on_save_stores_one_visit(server, tmp_path):  # noqa: F811
    """Blocker 4: the form kept its values and every click stored the visit again."""
    from playwright.sync_api import expect, sync_playwright

    note = "double-clicked in the browser"
    with sync_playwright() as p:
        browser = _browser(p)
        context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        _sign_in(page, server, "rep", EN)
        page.get_by_role("link", name="Log a visit").click()
        expect(page.get_by_role("heading", name="Log a visit")).to_be_visible()
        page.get_by_role("textbox", name="Note").fill(note)
        page.get_by_role("button", name="Save visit").dblclick()
        expect(page.get_by_text("Saved the visit to")).to_be_visible()
        page.wait_for_timeout(3000)  # let a second run, if any, finish
        expect(page.get_by_role("textbox", name="Note")).to_have_value("")  # emptied
        browser.close()
    served = Warehouse(tmp_path / "browser.duckdb")  # the copy the server fixture serves
    with served.connect() as cur:
        stored = cur.execute("select count(*) from visits where note = $n", {"n": note})
        assert stored.fetchone()[0] == 1
