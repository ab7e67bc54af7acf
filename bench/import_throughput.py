"""Import throughput: 1 million visit rows from CSV and from Parquet into a demo warehouse.

    python bench/import_throughput.py [--rows 1000000] [--repeats 3]

Each repeat imports into a fresh copy of the same base warehouse (60 reps, ~13k customers), so
the figures include validation against the warehouse, content keys and the one transaction.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import median, peak_rss_mb, spread, timed  # noqa: E402

from repurchase.demo import synthetic  # noqa: E402
from repurchase.services import demo
from repurchase.warehouse import importer
from repurchase.warehouse.store import Warehouse  # noqa: E402


def visit_rows(customers: pd.DataFrame, n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(customers), n)
    start = pd.Timestamp("2024-12-01")
    minutes = rng.integers(0, 700 * 24 * 60, n)
    success = rng.random(n) < 0.08
    return pd.DataFrame(
        {
            "rep_id": customers.owner_rep_id.to_numpy()[pick],
            "customer_id": customers.customer_id.to_numpy()[pick],
            "visit_date": start + pd.to_timedelta(minutes, unit="m"),
            "method": rng.choice(["phone", "im", "onsite", "email"], n),
            "target": rng.choice(["active", "no_order_3m", "first_order"], n),
            "purpose": rng.choice(["needs_discovery", "quote_follow_up"], n),
            "result": np.where(success, "order", "no_order"),
            "note": rng.choice(["", "暂无采购计划", "客户确认下单", "call back next month"], n),
            "order_amount": np.where(success, np.round(rng.lognormal(8, 1, n), 2), np.nan),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = Warehouse(folder / "base.duckdb")
        data = synthetic.make(seed=7, days=30, end=date(2026, 11, 20))
        demo.build(base, data.config)
        print(f"base warehouse: {len(data.reps)} reps, {len(data.customers):,} customers")

        frame = visit_rows(data.customers, args.rows)
        csv_path, parquet_path = folder / "visits_bench.csv", folder / "visits_bench.parquet"
        frame.to_csv(csv_path, index=False)
        frame.to_parquet(parquet_path, index=False)
        print(
            f"input: {args.rows:,} visits; CSV {csv_path.stat().st_size / 1e6:.0f} MB, "
            f"Parquet {parquet_path.stat().st_size / 1e6:.0f} MB"
        )

        for label, path in (("CSV", csv_path), ("Parquet", parquet_path)):
            read_s, check_s, write_s, held_s, total_s = [], [], [], [], []
            for i in range(args.repeats):
                target = Warehouse(folder / f"run_{label}_{i}.duckdb")
                shutil.copy(base.path, target.path)
                t_read, files = timed(lambda p=path: [importer.read_file(p)])
                t_check, report = timed(lambda t=target, f=files: importer.validate(t, f))
                t_write, result = timed(lambda t=target, r=report: importer.write(t, r))
                assert result.inserted["visits"] == args.rows, result.summary()
                read_s.append(t_read)
                check_s.append(t_check)
                write_s.append(t_write)
                held_s.append(result.seconds_holding_file)
                total_s.append(t_read + t_check + t_write)
                target.path.unlink()
            rate = args.rows / median(total_s)
            print(f"\n{label}: {rate:,.0f} visit rows/s end to end ({spread(total_s)})")
            print(f"  read    {spread(read_s)}")
            print(f"  check   {spread(check_s)}")
            print(f"  write   {spread(write_s)}  (content keys, then one transaction)")
            print(f"  of which the warehouse file was held {spread(held_s)}")
        print(f"\npeak memory of this process: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
