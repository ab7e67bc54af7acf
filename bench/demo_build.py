"""Demo build: time to generate and import the default demo, and what it holds.

python bench/demo_build.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import peak_rss_mb, spread  # noqa: E402

from repurchase.demo import synthetic  # noqa: E402
from repurchase.services import demo
from repurchase.warehouse.store import Warehouse  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    seconds, sizes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeats):
            wh = Warehouse(Path(tmp) / f"demo_{i}.duckdb")
            build = demo.build(wh, synthetic.DemoConfig(end=date(2026, 11, 21)))
            seconds.append(build.seconds)
            sizes.append(build.megabytes)
            rows = build.rows
            outcomes = wh.query("stats_visit_outcomes")
    print(f"default demo build: {spread(seconds)}")
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in rows.items()))
    print(f"warehouse file: {sizes[-1]:.1f} MB")
    for row in outcomes.itertuples():
        label = row.level if isinstance(row.level, str) else "all reps"
        print(f"success rate {label:<8} {row.success_rate:6.2%} of {row.visits:,} visits")
    print(f"peak memory: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
