"""Cold and warm page timings of the call list (a rep) and the cohort page (a manager), in a
real browser (Debian's Chromium via Playwright) against `streamlit run` on 127.0.0.1.

    python bench/page_timings.py [--warehouse data/warehouse.duckdb] [--repeats 5]

Cold: a freshly started server (empty caches, model not loaded), from clicking "Sign in" to
the page's content on screen. Warm: in the same session, from clicking the page in the menu
(coming from another page) to its content on screen. Medians of `--repeats` servers.
The warehouse must hold the demo (its demo accounts sign in).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from repurchase.accounts import auth  # noqa: E402
from repurchase.config import default_warehouse_path  # noqa: E402
from repurchase.ui.server import CHROMIUM, CHROMIUM_FLAGS, running  # noqa: E402


def one_server(
    playwright, warehouse: Path, role: str, page_title: str, ready: str, other_title: str
) -> tuple[float, float]:
    from playwright.sync_api import expect

    with running(warehouse) as url:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_context(
            locale="en-US", viewport={"width": 1400, "height": 1000}
        ).new_page()
        page.goto(url)
        page.get_by_role("textbox", name="Username").fill(role)
        page.get_by_role("textbox", name="Password").fill(auth.DEMO_PASSWORD)
        started = time.perf_counter()
        page.get_by_role("button", name="Sign in").click()
        if page_title != "":
            page.get_by_role("link", name=page_title).click()
        expect(page.get_by_text(ready).first).to_be_visible()
        cold = time.perf_counter() - started
        warm_runs = []
        for _ in range(3):
            page.get_by_role("link", name=other_title).click()
            expect(page.get_by_role("heading", name=other_title)).to_be_visible()
            started = time.perf_counter()
            page.get_by_role("link", name=page_title).click()
            expect(page.get_by_text(ready).first).to_be_visible()
            warm_runs.append(time.perf_counter() - started)
        browser.close()
        return cold, statistics.median(warm_runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warehouse", type=Path, default=default_warehouse_path())
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=120_000)
    cases = {
        "call list (rep)": ("rep", "Today's call list", "Chance of an order", "Customer"),
        "cohorts (manager)": (
            "manager",
            "Does the list work?",
            "Visit success on-list vs",
            "Today's call list",
        ),
    }
    with sync_playwright() as p:
        for name, (role, title, ready, other) in cases.items():
            cold, warm = [], []
            for _ in range(args.repeats):
                c, w = one_server(p, args.warehouse, role, title, ready, other)
                cold.append(c)
                warm.append(w)
            print(
                f"{name}: cold median {statistics.median(cold):.2f} s "
                f"(min {min(cold):.2f}, max {max(cold):.2f}); warm median "
                f"{statistics.median(warm):.2f} s (min {min(warm):.2f}, max {max(warm):.2f}); "
                f"n={args.repeats}"
            )


if __name__ == "__main__":
    main()
