"""On a phone (390x844, touch) in Chromium, in both languages: a rep works 15 customers of
today's list with one tap each (not reached, no demand, an order with its amount), each card
fitting the screen with its call button and outcome buttons thumb-sized; a bad amount is said
on the card, in view; a double tap stores one visit; an Undo removes exactly its visit. The
visits are then read from the warehouse. The median time from a tap to its card showing the
outcome is printed. Screenshots: call_list_phone_<lang>.png (phone) and call_list_tap_<lang>.png
(desktop, 1400x900) go to build/screenshots/ or REPURCHASE_SCREENSHOT_DIR."""

from __future__ import annotations

import re
import shutil
import statistics
import time
from collections.abc import Iterator
from datetime import date, datetime

import pytest

from repurchase import i18n
from repurchase.ui.server import running
from repurchase.warehouse.store import Warehouse

from ..pages.test_worklist_page import _rep_of
from .test_browser import EN, SHOTS, ZH, _browser, _need_browser, _sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
THUMB_PX = 44  # a target a thumb hits (WCAG 2.5.5): about 7 mm and more on a phone
WORKED = 15


@pytest.fixture
def server(tmp_path, _app_warehouse_file) -> Iterator[tuple[str, Warehouse, str]]:
    _need_browser()
    target = tmp_path / "browser.duckdb"
    shutil.copy(_app_warehouse_file, target)
    wh = Warehouse(target)
    rep = _rep_of(wh, "rep")
    with wh.transaction() as cur:  # every customer of the rep has a number to call
        cur.execute(
            "update customers set contact_name = 'Li', contact_phone = '+86 138 0013 '"
            " || right(customer_id, 4) where owner_rep_id = $r",
            {"r": rep},
        )
    with running(target) as url:
        yield url, wh, rep


def _cards(page) -> list[str]:
    """The customers of the cards, top to bottom."""
    classes = page.locator('[class*="st-key-list_card_"]').evaluate_all(
        "els => els.map(e => e.className)"
    )
    return [re.search(r"st-key-list_card_(\S+)", c).group(1) for c in classes]


def _visits_today(wh: Warehouse, customers: list[str]) -> dict[str, list[tuple]]:
    with wh.connect() as cur:
        rows = cur.execute(
            "select customer_id, result, order_amount, method, entered_by from visits"
            " where visited_at >= $d and list_contains($c, customer_id) order by visit_id",
            {"d": datetime.combine(date.today(), datetime.min.time()), "c": customers},
        ).fetchall()
    found: dict[str, list[tuple]] = {c: [] for c in customers}
    for customer, *rest in rows:
        found[customer].append(tuple(rest))
    return found


def _thumb_sized(locator) -> None:
    box = locator.bounding_box()
    assert box is not None and box["height"] >= THUMB_PX and box["width"] >= THUMB_PX, box


@pytest.mark.parametrize(("locale", "lang", "labels"), [("en-US", "en", EN), ("zh-CN", "zh", ZH)])
def test_a_rep_works_fifteen_customers_on_a_phone_with_one_tap_each(server, locale, lang, labels):
    from playwright.sync_api import expect, sync_playwright

    url, wh, _rep = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    tr = lambda key, **p: i18n.text(key, lang, **p)  # noqa: E731
    done_said = re.compile(re.escape(i18n.CATALOGUE["tap.done"][lang].split("{time}")[0]))
    outcomes = ["not_reached", "no_order", "order"]
    with sync_playwright() as p:
        browser = _browser(p)
        phone = browser.new_context(
            locale=locale, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
        )
        page = phone.new_page()
        page.set_default_timeout(60_000)
        _sign_in(page, url, "rep", labels)
        expect(page.get_by_role("heading", name=tr("nav.call_list"))).to_be_visible()
        expect(page.locator('[class*="st-key-list_card_"]').first).to_be_visible()
        # the cards come one after another: read them once the run has drawn them all
        expect(page.get_by_test_id("stApp")).to_have_attribute(
            "data-test-script-state", "notRunning"
        )
        listed = len(_cards(page))
        customers = _cards(page)[:WORKED]
        assert len(customers) == WORKED
        # the first card at the top of the screen: all of it in view, the buttons at the bottom
        first = page.locator(f".st-key-list_card_{customers[0]}")
        first.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
        page.screenshot(path=str(SHOTS / f"call_list_phone_{lang}.png"))

        # a bad amount: said on the card, where the rep is looking, and nothing stored
        first.get_by_role("textbox").fill("12abc")
        first.get_by_role("button", name=tr("tap.order"), exact=True).tap()
        error = first.get_by_text(tr("visit.error.amount_not_number"))
        expect(error).to_be_visible()
        expect(error).to_be_in_viewport()
        page.screenshot(path=str(SHOTS / f"call_list_phone_error_{lang}.png"))
        assert _visits_today(wh, customers[:1])[customers[0]] == []
        first.get_by_role("textbox").fill("")  # else the amount refuses another outcome

        taken = []
        for i, customer in enumerate(customers):
            card = page.locator(f".st-key-list_card_{customer}")
            card.scroll_into_view_if_needed()
            box = card.bounding_box()
            assert box["height"] <= PHONE["height"], (customer, box)  # one card fits the screen
            call = card.locator('a[href^="tel:"]')
            expect(call).to_be_in_viewport()
            _thumb_sized(call)
            outcome = outcomes[i % 3]
            button = card.get_by_role("button", name=tr(f"tap.{outcome}"), exact=True)
            expect(button).to_be_in_viewport()
            _thumb_sized(button)
            if outcome == "order":
                typed = f"{1000 + i}.5"
                if lang == "zh":  # as a Chinese keyboard types it: full-width
                    typed = "".join(chr(ord(c) + 0xFEE0) for c in typed)
                card.get_by_role("textbox").fill(typed)
            started = time.perf_counter()
            if i == 1:
                button.dblclick()  # a double tap is one call
            else:
                button.tap()
            if outcome == "not_reached":  # the card stays open for the next try
                expect(card.get_by_text(tr("worklist.not_reached_today"))).to_be_visible()
            else:
                expect(card.get_by_text(done_said)).to_be_visible()
            taken.append(time.perf_counter() - started)
            if i == 2:
                page.screenshot(path=str(SHOTS / f"call_list_phone_done_{lang}.png"))
            if i == 4:  # a slip: undone, then tapped again as meant
                card.get_by_role("button", name=tr("tap.undo"), exact=True).tap()
                again = card.get_by_role("button", name=tr("tap.not_reached"), exact=True)
                expect(again).to_be_visible()
                assert _visits_today(wh, [customer])[customer] == []
                again.tap()
                expect(card.get_by_text(tr("worklist.not_reached_today"))).to_be_visible()
        expect(page.get_by_text(tr("tap.progress", done=WORKED, n=listed))).to_be_visible()
        browser.close()

    stored = _visits_today(wh, customers)
    for i, customer in enumerate(customers):
        outcome = "not_reached" if i == 4 else outcomes[i % 3]
        amount = 1000 + i + 0.5 if outcome == "order" else None
        assert stored[customer] == [(outcome, amount, "phone", "rep")], (i, customer)
    median = statistics.median(taken)
    print(
        f"\n[{lang}] {WORKED} taps on a phone: median {median:.2f} s from tap to card updated"
        f" (min {min(taken):.2f}, max {max(taken):.2f})"
    )


@pytest.mark.parametrize(("locale", "lang", "labels"), [("en-US", "en", EN), ("zh-CN", "zh", ZH)])
def test_the_desktop_list_after_taps(server, locale, lang, labels):
    """The desktop card: a done card with its Undo, a refused amount said on its card."""
    from playwright.sync_api import expect, sync_playwright

    url, _wh, _rep = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    tr = lambda key, **p: i18n.text(key, lang, **p)  # noqa: E731
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_context(
            locale=locale, viewport={"width": 1400, "height": 900}
        ).new_page()
        page.set_default_timeout(60_000)
        _sign_in(page, url, "rep", labels)
        expect(page.locator('[class*="st-key-list_card_"]').first).to_be_visible()
        expect(page.get_by_test_id("stApp")).to_have_attribute(
            "data-test-script-state", "notRunning"
        )
        first, second = _cards(page)[:2]
        card = page.locator(f".st-key-list_card_{first}")
        card.get_by_role("textbox").fill("2400")
        card.get_by_role("button", name=tr("tap.order"), exact=True).click()
        expect(card.get_by_role("button", name=tr("tap.undo"), exact=True)).to_be_visible()
        other = page.locator(f".st-key-list_card_{second}")
        other.get_by_role("textbox").fill("-5")
        other.get_by_role("button", name=tr("tap.order"), exact=True).click()
        expect(other.get_by_text(tr("visit.error.amount_negative"))).to_be_visible()
        page.screenshot(path=str(SHOTS / f"call_list_tap_{lang}.png"))
        browser.close()
