"""What one page view costs the app server: its CPU per warm run of each page, read from the
server process itself (/proc/<pid>/stat), with no other load on it, and how many elements and
widgets the page sends.

    python bench/server_cost.py [--warehouse FILE] [--runs 15] [--pages call_list,cohorts]

One app server on a private copy of the warehouse (the file); one simulated browser
(bench/st_client.py) signs in as a rep and opens each of the rep's pages --runs times, then as a
manager for the managers' pages. The first run of each page is left out (it fills the
server's caches, which a server in use has long done); the session watch's timer is off, so
only the page's own runs are counted. Prints the median and the spread of the runs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.load_ws import Tally, cpu_seconds, make_accounts, sign_in, stack  # noqa: E402
from bench.st_client import Client  # noqa: E402
from repurchase.config import default_warehouse_path  # noqa: E402

REP_PAGES = ["call_list", "customer", "log_visit"]
MANAGER_PAGES = ["team_today", "cohorts"]


async def _costs(url: str, pid: int, username: str, pages: list[str], runs: int) -> dict:
    client = Client(url, auto_reruns=False)
    try:
        if not await sign_in(client, username, Tally()):
            raise SystemExit(f"server_cost: {username} could not sign in")
        found = {}
        for page in pages:
            await client.goto(page)  # the first run: caches filled, left out
            cpu, wall = [], []
            for _ in range(runs):
                before = cpu_seconds([pid])
                run = await client.goto(page)
                cpu.append(cpu_seconds([pid]) - before)
                wall.append(run.seconds)
            found[page] = (cpu, wall, len(client.page.widgets), len(client.page.elements))
        return found
    finally:
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warehouse", type=Path, default=default_warehouse_path())
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pages", default=",".join(REP_PAGES + MANAGER_PAGES))
    args = parser.parse_args()
    wanted = args.pages.split(",")
    setup = SimpleNamespace(warehouse=args.warehouse, backend="duckdb", servers=1)
    with tempfile.TemporaryDirectory(prefix="server-cost-") as folder:
        with stack(setup, Path(folder)) as s:
            reps, managers = make_accounts(s.warehouse, 1, 1)
            pid = s.pids[0]
            rep_pages = [p for p in REP_PAGES if p in wanted]
            manager_pages = [p for p in MANAGER_PAGES if p in wanted]
            results = asyncio.run(_costs(s.url, pid, reps[0], rep_pages, args.runs))
            if manager_pages:
                results |= asyncio.run(_costs(s.url, pid, managers[0], manager_pages, args.runs))
    print(
        f"server_cost: {args.warehouse.name}, one server on the file, {args.runs} warm runs a page"
    )
    for page, (cpu, wall, widgets, elements) in results.items():
        print(
            f"   {page:10s} server CPU median {statistics.median(cpu) * 1000:5.0f} ms"
            f" (min {min(cpu) * 1000:4.0f}, max {max(cpu) * 1000:4.0f})"
            f"   wall median {statistics.median(wall) * 1000:5.0f} ms"
            f"   {elements:4d} elements, {widgets:3d} widgets"
        )


if __name__ == "__main__":
    main()
