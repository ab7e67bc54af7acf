"""What one tap on a call list card costs the server: the time in the service call
(services/quick_outcomes.record: the segment read, then the visit's transaction with its
account, owner and submission checks and its audit row), and its Undo.

    python bench/one_tap.py --warehouse data/warehouse.duckdb [--username rep] [--rounds 3]

The warehouse must hold a signed-in-able account (the demo's `rep`, password demo-2026); it
is copied to a temporary folder, never changed. Each round taps every customer of the rep's
list for today (not reached, no demand, an order, in turn), then undoes every tap, so the
next round taps the same cards again. Prints the median, min and max per tap and per Undo.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from repurchase.accounts import auth  # noqa: E402
from repurchase.services import access, quick_outcomes  # noqa: E402
from repurchase.warehouse.store import Warehouse  # noqa: E402

OUTCOMES = ("not_reached", "no_order", "order")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--username", default="rep")
    parser.add_argument("--password", default=auth.DEMO_PASSWORD)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "bench.duckdb"
        shutil.copy(args.warehouse, target)
        wh = Warehouse(target)
        user = auth.authenticate(wh, args.username, args.password)
        listed = access.call_list(wh, user, user.rep_id, date.today())
        taps, undos = [], []
        for _round in range(args.rounds):
            stored = []
            for i, row in enumerate(listed.itertuples(index=False)):
                outcome = OUTCOMES[i % 3]
                tap = quick_outcomes.Tap(
                    customer_id=row.customer_id,
                    outcome=outcome,
                    amount_text="1200" if outcome == "order" else "",
                    card_state=f"bench-{_round}",
                    follow_up=bool(row.follow_up),
                    orders_so_far=int(row.orders_so_far),
                )
                started = time.perf_counter()
                saved = quick_outcomes.record(wh, user, tap)
                taps.append(time.perf_counter() - started)
                stored.append(saved.visit_id)
            for visit_id in stored:
                started = time.perf_counter()
                quick_outcomes.undo(wh, user, visit_id)
                undos.append(time.perf_counter() - started)
    for name, values in (("tap", taps), ("undo", undos)):
        print(
            f"{name}: median {statistics.median(values) * 1000:.0f} ms"
            f" (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f}, n={len(values)})"
        )


if __name__ == "__main__":
    main()
