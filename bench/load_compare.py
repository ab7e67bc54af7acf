"""The load client beside Chromium: the same reps do the same thing once in Debian's Chromium
(Playwright) and once through bench/st_client.py, against one app server on a copy of the
warehouse; prints the pages each saw, the visits each stored (every field but the id and the
time), and the server's CPU per page view under each (read from the server's /proc stat).

    python bench/load_compare.py [--warehouse FILE] [--reps 2]

The journey: sign in -> the call list -> the first listed customer's History button (the
customer page) -> Log a visit (menu) -> that customer, a note, Save -> "Saved ...".
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import load_ws  # noqa: E402
from bench.st_client import Client  # noqa: E402
from repurchase import i18n  # noqa: E402
from repurchase.config import default_warehouse_path  # noqa: E402
from repurchase.ui.server import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from repurchase.warehouse.store import Warehouse  # noqa: E402

FIELDS = "customer_id, rep_id, method, target, purpose, result, order_amount, follow_up_date"
FIELDS += ", entered_by, cast(visited_at as date) as day"


def _t(key: str, **params) -> str:
    return i18n.text(key, "en", **params)


async def by_client(url: str, username: str, note: str) -> list[str]:
    """The journey through the WebSocket client; the headings of each page in turn."""
    client = Client(url)
    seen = []
    try:
        await load_ws.sign_in(client, username, load_ws.Tally())
        seen.append(client.page.texts("heading")[0])
        customer = client.page.keyed("list.history.")[0].key.rsplit(".", 1)[1]
        seen.append((await client.click(f"list.history.{customer}")).page.texts("heading")[0])
        seen.append((await client.goto("log_visit")).page.texts("heading")[0])
        option = next(o for o in client.widget("log.customer_choice").options if customer in o)
        client.set("log.customer_choice", option)
        client.set("log.note", note)
        seen.append((await client.click("log.save_button")).page.alerts("success")[0])
    finally:
        await client.close()
    return seen


async def by_chromium(browser, url: str, username: str, note: str) -> list[str]:
    """The same journey in Chromium, clicking as a person does."""
    from playwright.async_api import expect

    context = await browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(120_000)
    seen = []

    async def heading(key: str) -> str:
        found = page.get_by_role("heading", name=_t(key), exact=True)
        await expect(found).to_be_visible()
        return await found.inner_text()

    try:
        await page.goto(url)
        await page.get_by_role("textbox", name="Username").fill(username)
        await page.get_by_role("textbox", name="Password").fill(load_ws.PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        seen.append(await heading("nav.call_list"))
        card = page.locator("[class*='st-key-list_card_']").first
        customer = re.search(r"st-key-list_card_(\S+)", await card.get_attribute("class"))[1]
        await card.get_by_role("button", name=_t("list.history"), exact=True).click()
        seen.append(await heading("nav.customer"))
        await page.get_by_role("link", name=_t("nav.log_visit"), exact=True).click()
        seen.append(await heading("nav.log_visit"))
        form = page.get_by_test_id("stForm").first
        await form.get_by_role("combobox", name=_t("log.customer"), exact=True).click()
        await page.keyboard.type(customer)
        await page.get_by_role("option", name=re.compile(rf"^{customer} ")).click()
        await form.get_by_role("textbox", name=_t("log.note"), exact=True).fill(note)
        await form.get_by_role("button", name=_t("log.save"), exact=True).click()
        saved = page.get_by_text(_t("log.saved", customer=customer), exact=True)
        await expect(saved).to_be_visible()
        seen.append(await saved.inner_text())
    finally:
        await context.close()
    return seen


async def compare(stack_: load_ws.Stack, reps: list[str]) -> dict:
    from playwright.async_api import async_playwright

    out = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        before = load_ws.cpu_seconds(stack_.pids)
        out["chromium"] = [
            await by_chromium(browser, stack_.url, r, f"compare chromium {r}") for r in reps
        ]
        out["chromium cpu"] = load_ws.cpu_seconds(stack_.pids) - before
        await browser.close()
    before = load_ws.cpu_seconds(stack_.pids)
    out["client"] = [await by_client(stack_.url, r, f"compare client {r}") for r in reps]
    out["client cpu"] = load_ws.cpu_seconds(stack_.pids) - before
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warehouse", type=Path, default=default_warehouse_path())
    parser.add_argument("--reps", type=int, default=2)
    args = parser.parse_args()
    args.backend = "duckdb"
    with tempfile.TemporaryDirectory(prefix="load-compare-") as folder:
        shutil.copy(args.warehouse, Path(folder) / "source.duckdb")
        args.warehouse = Path(folder) / "source.duckdb"
        reps, _ = load_ws.make_accounts(Warehouse(args.warehouse), args.reps, 0)
        with load_ws.stack(args, Path(folder)) as s:
            asyncio.run(load_ws.warm_up(s, reps[0], reps[0]))
            out = asyncio.run(compare(s, reps))
            with s.warehouse.connect() as cur:
                rows = cur.execute(
                    f"select note, {FIELDS} from visits where note like 'compare %' order by note"  # noqa: S608 - a constant
                ).fetchall()
    for who in ("chromium", "client"):
        views = sum(len(seen) for seen in out[who])
        print(f"{who}: {out[f'{who} cpu'] / views * 1000:.0f} ms server CPU per page view")
        for rep, seen in zip(reps, out[who], strict=True):
            print(f"   {rep}: {' -> '.join(seen)}")
    print(f"stored visits ({FIELDS}):")
    for row in rows:
        print(f"   {row[0]:32s} {row[1:]}")
    same = {tuple(r[1:]) for r in rows if "chromium" in r[0]} == {
        tuple(r[1:]) for r in rows if "client" in r[0]
    }
    print(f"same pages: {out['chromium'] == out['client']}; same stored fields: {same}")


if __name__ == "__main__":
    main()
