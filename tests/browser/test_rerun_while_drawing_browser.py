"""A click that lands while the call list is still drawing its cards: moving to another page
leaves no error behind, and taps on two cards in quick succession store one visit each.

With Streamlit's `runner.fastReruns`, such a click starts the next run on a new thread while
the old one draws on until its next yield point, and both change the one session's widget
state, each under a lock of its own. The new run's clean-up on a page change dropped a card
button the old run had just registered, and the old run failed reading it back (`KeyError:
st.session_state has no key "list.tap_..."` in the server's log). The window is a few
bytecodes wide; here the server is started with each first registration of a card's widgets
slowed down (a `sitecustomize` on its PYTHONPATH, nothing in the app), so the click lands in it
every time.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from repurchase import i18n
from repurchase.ui.server import running
from repurchase.warehouse.store import Warehouse

from .test_browser import EN, _browser, _need_browser, _sign_in
from .test_one_tap_browser import _cards, _visits_today

pytestmark = pytest.mark.browser

SLOW_REGISTRATION = """
import sys
import threading
import time


def _slow_first_registration_of_card_widgets():
    from streamlit.runtime.state import session_state

    store = session_state.WStates.set_from_value

    def slowly(self, widget_id, value):
        store(self, widget_id, value)
        if "list.tap_" in widget_id and threading.current_thread().name.startswith(
            "ScriptRunner"
        ):
            time.sleep(0.05)

    session_state.WStates.set_from_value = slowly


if "app.py" in sys.argv:  # the app server only, not the jobs it starts
    _slow_first_registration_of_card_widgets()
    print("card widgets registered slowly", file=sys.stderr)
"""


@pytest.fixture
def slow_server(tmp_path, _app_warehouse_file) -> Iterator[tuple[str, Warehouse, Path]]:
    _need_browser()
    target = tmp_path / "browser.duckdb"
    shutil.copy(_app_warehouse_file, target)
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(SLOW_REGISTRATION)
    log = tmp_path / "streamlit.log"
    with running(target, env={"PYTHONPATH": str(inject)}, log=log) as url:
        yield url, Warehouse(target), log


def _page(playwright):
    from playwright.sync_api import expect

    browser = _browser(playwright)
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(60_000)
    return browser, page, expect


def _quiet(log: Path) -> None:
    text = log.read_text(errors="replace")
    assert "card widgets registered slowly" in text  # the slow-down was in place
    assert "Traceback" not in text, text


def test_leaving_the_call_list_while_it_draws_raises_nothing(slow_server):
    from playwright.sync_api import sync_playwright

    url, _wh, log = slow_server
    with sync_playwright() as p:
        browser, page, expect = _page(p)
        try:
            _sign_in(page, url, "rep", EN)
            # the first card drawn: the run is registering the others' widgets (slowly)
            expect(page.locator('[class*="st-key-list_card_"]').first).to_be_visible()
            page.get_by_role("link", name="Log a visit", exact=True).click()
            expect(page.get_by_role("heading", name="Log a visit")).to_be_visible()
            page.get_by_role("link", name="Today's call list", exact=True).click()
            # the whole list drawn, every card's buttons registered
            expect(page.get_by_role("button", name="Order").last).to_be_visible()
            expect(page.get_by_test_id("stApp")).to_have_attribute(
                "data-test-script-state", "notRunning"
            )
            assert page.get_by_test_id("stException").count() == 0
        finally:
            browser.close()
    _quiet(log)


def test_taps_on_two_cards_while_the_list_draws_store_one_visit_each(slow_server):
    from playwright.sync_api import sync_playwright

    url, wh, log = slow_server
    done = i18n.CATALOGUE["tap.done"]["en"].split("{time}")[0]
    with sync_playwright() as p:
        browser, page, expect = _page(p)
        try:
            _sign_in(page, url, "rep", EN)
            expect(page.get_by_role("button", name="Order").last).to_be_visible()
            expect(page.get_by_test_id("stApp")).to_have_attribute(
                "data-test-script-state", "notRunning"
            )
            first, second = _cards(page)[:2]
            one = page.locator(f".st-key-list_card_{first}")
            two = page.locator(f".st-key-list_card_{second}")
            one.get_by_role("button", name="No demand", exact=True).click()
            # no wait: the second tap lands while the first one's run is under way (it draws
            # the first card with new buttons, slowly)
            two.get_by_role("button", name="Not reached", exact=True).click()
            expect(one.get_by_text(done)).to_be_visible()
            expect(two.get_by_text("Not reached today")).to_be_visible()
            expect(page.get_by_test_id("stApp")).to_have_attribute(
                "data-test-script-state", "notRunning"
            )
            assert page.get_by_test_id("stException").count() == 0
        finally:
            browser.close()
    visits = _visits_today(wh, [first, second])
    assert visits[first] == [("no_order", None, "phone", "rep")]
    assert visits[second] == [("not_reached", None, "phone", "rep")]
    _quiet(log)
