"""Failover: reps saving visits through nginx on two app servers, one server killed (SIGKILL)
in the middle; prints how long its reps took to reconnect and how many saves the pages
acknowledged against how many are stored.

    python bench/failover.py [--reps 6] [--saves 8] [--runs 3] [--warehouse FILE]

The deployment is tests/stack.py's (PostgreSQL, two `streamlit run` servers, nginx with
deploy/nginx.conf, all on 127.0.0.1). The data: `--warehouse`, a DuckDB file holding the app
demo, or a small demo built once into /tmp/bench21/failover-app.duckdb. Each run serves a fresh
copy of it. Half the reps are placed on each server (nginx's sticky cookie); each rep, in a
Chromium context of its own, types a note and saves, `--saves` times, a second apart. When
every rep has made half of its saves, server 1 is killed.

A save is acknowledged when the page empties the form and says "Saved the visit to". A save
that is not acknowledged within 60 s, or whose page lost its server, is typed again (as a rep
would, seeing the note still in the form), at most three times. Reconnect time: from the kill
to the moment the page asked nginx for the server's settings again, which Streamlit does just
before it opens its WebSocket anew (nginx sends it to the other server).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import psycopg  # noqa: E402

from repurchase.accounts import auth  # noqa: E402
from repurchase.services import move_to_postgres  # noqa: E402
from repurchase.ui.server import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from repurchase.warehouse.store import Warehouse  # noqa: E402
from tests import stack  # noqa: E402
from tests.pg_server import PostgresServer  # noqa: E402

PASSWORD = "failover bench passphrase 2026"  # noqa: S105 - accounts of a private copy
CACHE = Path("/tmp/bench21/failover-app.duckdb")
SAVE_TIMEOUT_MS = 60_000
RETRIES = 3


def build_demo(path: Path) -> Path:
    """The test suite's small app demo (4 reps, 200 days, a tiny model), built once."""
    if path.exists():
        return path
    from repurchase.demo import synthetic
    from repurchase.model import train
    from repurchase.services import demo
    from repurchase.services import first_start as firststart

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".building.duckdb")
    partial.unlink(missing_ok=True)
    config = synthetic.DemoConfig(
        seed=7, reps=4, customers_per_rep=(20, 30), days=200, end=date.today() - timedelta(1)
    )
    training = train.TrainConfig(
        samples_per_epoch=1500, max_epochs=2, validation_weeks=4, validation_samples=1500, seed=3
    )
    plan = demo.AdoptionPlan(weeks=4, retrain_after_weeks=2, top_n=15, training=training)
    firststart.prepare(Warehouse(partial), demo_config=config, adoption=plan)
    partial.rename(path)
    return path


def add_reps(wh: Warehouse, n: int) -> list[str]:
    with wh.connect() as cur:
        reps = [
            r[0]
            for r in cur.execute(
                "select rep_id from reps where left_date is null order by rep_id"
            ).fetchall()
        ]
    names = [f"failover_rep_{i}" for i in range(n)]
    for i, name in enumerate(names):
        auth.users.add(wh, name, PASSWORD, "rep", rep_id=reps[i % len(reps)], by=auth.SYSTEM)
    return names


class Run:
    def __init__(self, deployment: stack.Stack, saves: int) -> None:
        self.deployment = deployment
        self.saves = saves
        self.acknowledged: list[str] = []
        self.typed_again = 0
        self.errors = 0
        self.halfway = 0
        self.killed_at: float | None = None
        self.kill_now = asyncio.Event()
        self.reconnected: dict[str, float] = {}  # route -> seconds after the kill, page shown

    async def rep(self, browser, username: str, route: str, n_reps: int, tag: str) -> None:
        from playwright.async_api import expect

        context = await browser.new_context(
            ignore_https_errors=True, locale="en-US", viewport={"width": 1280, "height": 900}
        )
        await context.add_cookies(
            [{"name": stack.ROUTE_COOKIE, "value": route, "url": self.deployment.url}]
        )
        page = await context.new_page()
        page.set_default_timeout(SAVE_TIMEOUT_MS)
        halfway = False
        try:
            await page.goto(self.deployment.url)
            await page.get_by_role("textbox", name="Username").fill(username)
            await page.get_by_role("textbox", name="Password").fill(PASSWORD)
            await page.get_by_role("button", name="Sign in").click()
            await page.get_by_role("heading", name="Today's call list").wait_for()
            await page.get_by_role("link", name="Log a visit").click()
            await page.get_by_role("heading", name="Log a visit").wait_for()
            form = page.get_by_test_id("stForm").first  # today's entries have forms too
            box = form.get_by_role("textbox", name="Note")
            for k in range(self.saves):
                note = f"{tag} {username} #{k}"
                for _ in range(RETRIES):
                    try:
                        await box.fill(note)
                        await form.get_by_role("button", name="Save visit").click()
                        await expect(box).to_have_value("", timeout=SAVE_TIMEOUT_MS)
                        await expect(page.get_by_text("Saved the visit to")).to_be_visible()
                        self.acknowledged.append(note)
                        break
                    except Exception:  # noqa: BLE001 - the page lost its server: type it again
                        self.typed_again += 1
                        await page.get_by_role("heading", name="Log a visit").wait_for()
                else:
                    self.errors += 1
                if k == self.saves // 2 - 1:
                    self.at_halfway(n_reps)
                    halfway = True
                await asyncio.sleep(1.0)
        except Exception:  # noqa: BLE001 - a rep who could not go on is an error to count
            self.errors += 1
        finally:
            if not halfway:  # the kill must not wait for a rep who stopped early
                self.at_halfway(n_reps)
            await context.close()

    def at_halfway(self, n_reps: int) -> None:
        self.halfway += 1
        if self.halfway == n_reps:
            self.kill_now.set()

    async def killer(self, victim: stack.AppServer, routes: list[str]) -> None:
        await self.kill_now.wait()
        log_size = len(self.deployment.access_log.read_text())
        self.killed_at = time.monotonic()
        victim.kill()
        pending = set(routes)
        deadline = time.monotonic() + 180
        while pending and time.monotonic() < deadline:
            log = self.deployment.access_log.read_text()[log_size:]
            for route in list(pending):
                # Streamlit asks for its settings just before it opens the WebSocket anew
                # (a WebSocket is logged only when it closes)
                if any(
                    "/_stcore/host-config" in line and " 200 " in line and f"route={route} " in line
                    for line in log.splitlines()
                ):
                    self.reconnected[route] = time.monotonic() - self.killed_at
                    pending.discard(route)
            await asyncio.sleep(0.05)


async def one_run(deployment: stack.Stack, names: list[str], saves: int, tag: str) -> Run:
    from playwright.async_api import async_playwright

    first, second = deployment.servers
    # each rep on the first server needs a cookie of its own to be told apart in the log
    own = {}
    n = 0
    for i, name in enumerate(names):
        while True:
            candidate = f"{tag}-{n}"
            n += 1
            if deployment.server_for(candidate) is (first if i % 2 == 0 else second):
                own[name] = candidate
                break
    routes = [own[name] for name in names]
    run = Run(deployment, saves)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        victims = [own[name] for i, name in enumerate(names) if i % 2 == 0]
        await asyncio.gather(
            run.killer(first, victims),
            *(run.rep(browser, name, routes[i], len(names), tag) for i, name in enumerate(names)),
        )
        await browser.close()
    return run


def stored(dsn: str, tag: str) -> dict[str, int]:
    with psycopg.connect(dsn) as pg:
        rows = pg.execute(
            "select note, count(*) from visits where note like %s group by note", (f"{tag} %",)
        ).fetchall()
    return dict(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, default=None)
    parser.add_argument("--reps", type=int, default=6)
    parser.add_argument("--saves", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = args.warehouse or build_demo(CACHE)

    with PostgresServer() as server:
        template = server.create_database("failover_template")
        wh = Warehouse(Path(server.directory) / "moving.duckdb", dsn=template)
        move_to_postgres.move(Warehouse(source, backend="duckdb"), wh)
        names = add_reps(wh, args.reps)
        wh.close()
        results = []
        for r in range(args.runs):
            tag = f"fo{r}"
            dsn = server.create_database(f"failover_{r}", template="failover_template")
            with stack.running(dsn=dsn) as deployment:
                run = asyncio.run(one_run(deployment, names, args.saves, tag))
            kept = stored(dsn, tag)
            lost = [n for n in run.acknowledged if kept.get(n, 0) == 0]
            twice = [n for n, c in kept.items() if c > 1]
            unacknowledged = [n for n in kept if n not in run.acknowledged]
            times = sorted(run.reconnected.values())
            print(
                f"run {r + 1}: {args.reps} reps, {run.errors} errors; saves acknowledged "
                f"{len(run.acknowledged)}, stored {sum(kept.values())} ({len(kept)} notes), "
                f"acknowledged but not stored {len(lost)}, stored twice {len(twice)}, "
                f"stored but never acknowledged {len(unacknowledged)}, typed again "
                f"{run.typed_again}; reconnect after the kill (WebSocket on the other server) "
                f"for {len(times)} of {(args.reps + 1) // 2} reps: "
                + (
                    f"median {statistics.median(times):.2f} s, max {max(times):.2f} s"
                    if times
                    else "none"
                ),
                flush=True,
            )
            results.append((run, times))
        medians = [statistics.median(t) for _, t in results if t]
        if medians:
            print(f"reconnect, median of run medians: {statistics.median(medians):.2f} s")


if __name__ == "__main__":
    main()
