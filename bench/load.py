"""Load: N reps signed in at once, each in their own browser session, working their day
against one running server for a bounded time; prints p50/p95 page times and errors per N.

    python bench/load.py [--warehouse FILE] [--users 1,10,30] [--seconds 60]

The warehouse (default: the configured one) must hold the demo; a private copy is served, in
which one rep account per simulated user is created (`load_rep_<i>`, each for a different
rep, so caches are not shared). Each user loops: call list -> a customer's history -> the
visit form -> call list, clicking the menu like a person; a page time is from the click to the
page's title on screen with Streamlit's "running" indicator gone. An error is a page that shows
Streamlit's exception box or an error alert, or that does not finish within 60 s.
Driven with Playwright's async API (one Chromium, one context per user) so the users act at
the same time; Debian's Chromium only.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from repurchase import i18n  # noqa: E402
from repurchase.accounts import auth
from repurchase.config import default_warehouse_path  # noqa: E402
from repurchase.ui.routes import PAGES  # noqa: E402
from repurchase.ui.server import CHROMIUM, CHROMIUM_FLAGS, running  # noqa: E402
from repurchase.warehouse.store import Warehouse  # noqa: E402

PASSWORD = "load test passphrase 2026"  # noqa: S105 - accounts of a private copy
ROUTE = ["customer", "log_visit", "call_list"]
PAGE_TIMEOUT_MS = 60_000


def make_users(warehouse: Warehouse, n: int) -> list[str]:
    with warehouse.connect() as cur:
        reps = [
            r[0]
            for r in cur.execute(
                "select rep_id from reps where left_date is null order by rep_id"
            ).fetchall()
        ]
    names = []
    for i in range(n):
        name = f"load_rep_{i}"
        auth.users.add(warehouse, name, PASSWORD, "rep", rep_id=reps[i % len(reps)], by=auth.SYSTEM)
        names.append(name)
    return names


async def settled(page) -> None:
    """Streamlit has finished the run: its status widget ("Running...") is gone."""
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=PAGE_TIMEOUT_MS,
    )


async def one_user(browser, url: str, username: str, until: float, out: dict) -> None:
    context = await browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        await page.goto(url)
        await page.get_by_role("textbox", name="Username").fill(username)
        await page.get_by_role("textbox", name="Password").fill(PASSWORD)
        started = time.perf_counter()
        await page.get_by_role("button", name="Sign in").click()
        await page.get_by_role("heading", name=i18n.text("nav.call_list", "en")).wait_for()
        await settled(page)
        out["times"].append(time.perf_counter() - started)
        step = 0
        while time.perf_counter() < until:
            name = ROUTE[step % len(ROUTE)]
            title = i18n.text(PAGES[name][2], "en")
            started = time.perf_counter()
            try:
                await page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
                await page.get_by_role("heading", name=title).wait_for()
                await settled(page)
                broken = await page.locator(
                    '[data-testid="stException"], [data-testid="stAlertContentError"]'
                ).count()
                if broken:
                    out["errors"] += 1
                else:
                    out["times"].append(time.perf_counter() - started)
            except Exception:  # noqa: BLE001 - a timeout or a crash is an error to count
                out["errors"] += 1
            step += 1
            await asyncio.sleep(0.5)  # a person reads for a moment
    except Exception:  # noqa: BLE001
        out["errors"] += 1
    finally:
        await context.close()


async def run_level(url: str, users: list[str], seconds: float) -> dict:
    from playwright.async_api import async_playwright

    out = {"times": [], "errors": 0}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        until = time.perf_counter() + seconds
        await asyncio.gather(*(one_user(browser, url, u, until, out) for u in users))
        await browser.close()
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warehouse", type=Path, default=default_warehouse_path())
    parser.add_argument("--users", default="1,10,30")
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    levels = [int(n) for n in args.users.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "load.duckdb"
        shutil.copy(args.warehouse, copy)
        users = make_users(Warehouse(copy), max(levels))
        print(f"load: {args.warehouse}, {args.seconds:g} s per level, route {ROUTE}")
        print("users | pages | errors | p50 s | p95 s | max s | pages/s")
        with running(copy, timeout=120) as url:
            for n in levels:
                result = asyncio.run(run_level(url, users[:n], args.seconds))
                times = result["times"]
                if not times:
                    print(f"{n:5d} | {0:5d} | {result['errors']:6d} | - | - | - | -")
                    continue
                print(
                    f"{n:5d} | {len(times):5d} | {result['errors']:6d} | "
                    f"{statistics.median(times):5.2f} | {percentile(times, 0.95):5.2f} | "
                    f"{max(times):5.2f} | {len(times) / args.seconds:6.2f}"
                )


if __name__ == "__main__":
    main()
