"""Feature build time for 1M and 10M visits.

    python bench/feature_build.py [--visits 1000000 10000000] [--repeats 3]

Builds a synthetic warehouse of the given size directly in SQL (30 visits per customer over two
years, 8 % successful, plus online orders), then times: the per-event features in DuckDB
(sql/feature_events.sql, window functions), and the windows for one scoring day (every
customer, vectorised gather).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import peak_rss_mb, spread  # noqa: E402

from repurchase.model import features  # noqa: E402
from repurchase.warehouse.store import Warehouse  # noqa: E402


def build(wh: Warehouse, n_visits: int) -> None:
    n_customers = max(n_visits // 30, 1)
    n_reps = max(n_customers // 220, 1)
    with wh.transaction() as cur:
        cur.execute(
            """
            insert into reps (rep_id, name, gender, birth_date, hire_date, level)
            select 'R' || i, 'rep ' || i, 'F', date '1995-01-01', date '2023-01-01', 'junior'
            from range($n) t(i)
            """,
            {"n": n_reps},
        )
        cur.execute(
            """
            insert into customers (customer_id, name, customer_type, industry, tag, owner_rep_id,
                                   created_date)
            select 'C' || i, 'customer ' || i,
                   ['trader', 'manufacturer', 'design_house'][1 + i % 3],
                   ['consumer', 'automotive', 'medical'][1 + i % 3],
                   ['key', 'high_potential', 'small_medium'][1 + (i // 3) % 3],
                   'R' || (i % $reps), date '2024-01-01'
            from range($n) t(i)
            """,
            {"n": n_customers, "reps": n_reps},
        )
        cur.execute(
            """
            insert into visits (rep_id, customer_id, visited_at, method, target, purpose, result,
                                source, entered_by)
            select 'R' || (c % $reps), 'C' || c,
                   timestamp '2024-11-20 09:00' + to_seconds(cast(random() * 63000000 as bigint)),
                   'phone', 'active', 'needs_discovery',
                   case when random() < 0.08 then 'order' else 'no_order' end, 'bench', 'bench'
            from (select cast(floor(random() * $customers) as bigint) as c from range($n))
            """,
            {"n": n_visits, "reps": n_reps, "customers": n_customers},
        )
        cur.execute(
            """
            insert into orders (customer_id, order_date, amount, source)
            select 'C' || cast(floor(random() * $customers) as bigint),
                   date '2024-11-20' + cast(random() * 729 as integer), 100, 'bench'
            from range($n)
            """,
            {"n": n_visits // 4, "customers": n_customers},
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visits", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    day = __import__("datetime").date(2026, 11, 20)
    for n in args.visits:
        with tempfile.TemporaryDirectory() as tmp:
            wh = Warehouse(Path(tmp) / "bench.duckdb")
            t = time.perf_counter()
            build(wh, n)
            print(
                f"\n{n:,} visits (+{n // 4:,} orders, {n // 30:,} customers): "
                f"built in {time.perf_counter() - t:.0f} s"
            )
            sql_s, gather_s, events = [], [], 0
            for _ in range(args.repeats):
                t = time.perf_counter()
                history = features.load_history(wh, day)
                sql_s.append(time.perf_counter() - t)
                events = len(history.events)
                t = time.perf_counter()
                samples = features.build_samples(
                    history,
                    features.daily_anchors(history, day),
                    "rhythm",
                    features.fit_vocabulary(history),
                    None,
                )
                gather_s.append(time.perf_counter() - t)
                del history
            print(f"  per-event features in DuckDB ({events:,} events): {spread(sql_s)}")
            print(
                f"  windows for one scoring day ({len(samples):,} customers x 10 x "
                f"{samples.temporal.shape[2]}): {spread(gather_s)}"
            )
            print(
                f"  events per second (SQL): {events / min(sql_s):,.0f} best, "
                f"{events / sorted(sql_s)[len(sql_s) // 2]:,.0f} median"
            )
    print(f"\npeak memory: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
