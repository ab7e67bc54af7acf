"""In a real browser, in both languages: a rep skips the first customer on today's list with a
reason, sees the next customer move up, opens the set-aside customers and undoes the skip.
Screenshots go to /tmp/worklist_*.png (or REPURCHASE_SCREENSHOT_DIR)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from repurchase import i18n
from repurchase.ui.server import running
from repurchase.warehouse.store import Warehouse

from ..pages.test_worklist_page import _listed, enrich
from .test_browser import EN, ZH, _browser, _need_browser, _sign_in

SHOTS = Path(os.environ.get("REPURCHASE_SCREENSHOT_DIR", "/tmp"))  # noqa: S108

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path, _app_warehouse_file) -> Iterator[tuple[str, Warehouse, dict]]:
    _need_browser()
    target = tmp_path / "browser.duckdb"
    shutil.copy(_app_warehouse_file, target)
    wh = Warehouse(target)
    facts = enrich(wh)
    with running(target) as url:
        yield url, wh, facts


@pytest.mark.parametrize(("locale", "lang", "labels"), [("en-US", "en", EN), ("zh-CN", "zh", ZH)])
def test_a_rep_skips_a_customer_sees_the_next_move_up_and_undoes_it(server, locale, lang, labels):
    from playwright.sync_api import expect, sync_playwright

    url, wh, facts = server
    tr = lambda key, **p: i18n.text(key, lang, **p)  # noqa: E731
    first = facts["first"]
    before = _listed(wh, facts["rep"])
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_context(
            locale=locale, viewport={"width": 1400, "height": 1000}, accept_downloads=True
        ).new_page()
        page.set_default_timeout(60_000)
        _sign_in(page, url, "rep", labels)
        expect(page.get_by_role("heading", name=tr("nav.call_list"))).to_be_visible()
        expect(page.get_by_text(tr("worklist.drifting"))).to_be_visible()
        call = page.locator('a[href="tel:+8613800138000"]').first
        expect(call).to_be_visible()
        page.wait_for_timeout(1000)
        page.screenshot(path=str(SHOTS / f"worklist_cards_{lang}.png"), full_page=True)

        # the innermost block holding both the customer and Snooze / skip: that customer's card
        card = (
            page.locator('[data-testid="stVerticalBlock"]')
            .filter(has_text=f"({first})")
            .filter(has=page.get_by_role("button", name=tr("worklist.set_aside")))
            .last
        )
        card.get_by_role("button", name=tr("worklist.set_aside")).click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible()
        dialog.get_by_role("combobox").click()
        page.get_by_role("option", name=tr("worklist.skip_reason.customer_away")).click()
        dialog.get_by_role("textbox").fill("back on Monday")
        page.screenshot(path=str(SHOTS / f"worklist_skip_{lang}.png"), full_page=False)
        dialog.get_by_role("button", name=tr("worklist.skip"), exact=True).click()

        expect(page.get_by_text(tr("worklist.moved_up"))).to_be_visible()
        after = _listed(wh, facts["rep"])
        moved = after[-1]
        expect(page.get_by_text(f"({moved})").first).to_be_visible()
        aside = page.get_by_text(tr("worklist.set_aside_title", n=1))
        expect(aside).to_be_visible()
        aside.click()
        expect(
            page.get_by_text(tr("worklist.skip_reason.customer_away"), exact=False).last
        ).to_be_visible()
        page.wait_for_timeout(500)
        page.screenshot(path=str(SHOTS / f"worklist_after_skip_{lang}.png"), full_page=True)
        assert len(after) == len(before) + 1 and after[: len(before)] == before

        page.get_by_role("button", name=tr("worklist.undo")).click()
        expect(page.get_by_text(tr("worklist.set_aside_title", n=1))).to_have_count(0)
        expect(page.get_by_text(tr("worklist.moved_up"))).to_be_visible()  # it stays
        page.wait_for_timeout(500)
        page.screenshot(path=str(SHOTS / f"worklist_after_undo_{lang}.png"), full_page=True)

        # the list's CSV is made when its button is clicked: every customer, the moved-up one too
        with page.expect_download() as download:
            page.get_by_role("button", name=tr("common.download_csv")).click()
        csv = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert all(customer in csv for customer in after), csv[:300]
        browser.close()
    assert _listed(wh, facts["rep"]) == after
    with wh.connect() as cur:
        undone = cur.execute(
            "select count(*) from list_actions where customer_id = $c and undone_at is not null"
            " and first_day = $d",
            {"c": first, "d": date.today()},
        ).fetchone()[0]
    assert undone == 1
