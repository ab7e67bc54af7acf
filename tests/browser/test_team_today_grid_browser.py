"""The Team today grid in a real browser at 1400 px wide: a team of ten reps shows its Totals
row and the Off-list column without scrolling the grid (Debian's Chromium, Playwright)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from repurchase.ui.server import running
from repurchase.warehouse.store import Warehouse

from .test_browser import EN, ZH, _browser, _need_browser, _sign_in

SHOTS = Path(os.environ.get("REPURCHASE_SCREENSHOT_DIR", "/tmp"))

pytestmark = pytest.mark.browser

TEAM_SIZE = 10  # the demo's teams


@pytest.fixture
def ten_rep_server(tmp_path, _app_warehouse_file) -> Iterator[str]:
    """The app demo with the manager's team grown to ten reps (the default demo's size)."""
    _need_browser()
    target = tmp_path / "team.duckdb"
    shutil.copy(_app_warehouse_file, target)
    wh = Warehouse(target)
    with wh.transaction() as cur:
        team = cur.execute("select team from users where username = 'manager'").fetchone()[0]
        have = cur.execute("select count(*) from reps where team = $t", {"t": team}).fetchone()[0]
        for i in range(TEAM_SIZE - have):
            cur.execute(
                "insert into reps (rep_id, name, gender, birth_date, hire_date, level, team)"
                " values ($r, $n, 'F', $b, $h, 'junior', $t)",
                {
                    "r": f"RX{i:02d}",
                    "n": f"Added rep {i}",
                    "b": date(1995, 1, 1),
                    "h": date(2025, 1, 1),
                    "t": team,
                },
            )
    wh.close()
    with running(target) as url:
        yield url


GRIDS = """() => [...document.querySelectorAll("[data-testid='stDataFrame']")].map(g => {
    const s = g.querySelector(".dvn-scroller");
    const table = g.querySelector("table[role=grid]");
    return {
        width: [s.clientWidth, s.scrollWidth],
        height: [s.clientHeight, s.scrollHeight],
        columns: Number(table.getAttribute("aria-colcount")),
        headers: [...table.querySelectorAll("th[role=columnheader]")].map(h => h.textContent),
        first_cells: [...table.querySelectorAll("tbody tr")].map(
            r => r.querySelector("td") ? r.querySelector("td").textContent : ""),
    };
})"""

WORDS = {
    "en": {
        "labels": EN,
        "title": "Team today",
        "total": "Total",
        "off": "Off-list success",
        "download": "Download the weekly report",
    },
    "zh": {
        "labels": ZH,
        "title": "团队今日",
        "total": "合计",
        "off": "名单外成功率",
        "download": "下载周报",
    },
}


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("zh-CN", "zh")])
def test_a_team_of_ten_shows_every_row_and_column_at_1400_px(ten_rep_server, locale, lang):
    from playwright.sync_api import expect, sync_playwright

    words = WORDS[lang]
    with sync_playwright() as p:
        browser = _browser(p)
        context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        _sign_in(page, ten_rep_server, "manager", words["labels"])
        expect(page.get_by_role("heading", name=words["title"], exact=True)).to_be_visible()
        # the page drawn to its end (the report's button comes after the grids)
        expect(page.get_by_role("button", name=words["download"])).to_be_visible()
        page.wait_for_timeout(1500)  # let the grids draw
        page.screenshot(path=str(SHOTS / f"team_today_1400_{lang}.png"), full_page=True)
        grids = page.evaluate(GRIDS)
        browser.close()
    for grid in grids:
        client_width, scroll_width = grid["width"]
        client_height, scroll_height = grid["height"]
        assert scroll_width <= client_width + 1, grid  # no column scrolled out of sight
        assert scroll_height <= client_height + 1, grid  # no row either
        assert len(grid["headers"]) == grid["columns"], grid
        assert len(grid["first_cells"]) == TEAM_SIZE + 1, grid  # every rep and the totals
        assert grid["first_cells"][-1] == words["total"], grid
    assert words["off"] in [h for grid in grids for h in grid["headers"]]
