"""First start: a fresh checkout's demo build + first model + today's lists, end to end.

    python bench/first_start.py [--repeats 3]

The issue's bar: a usable call list within 90 s on a 2-core CPU. This runs exactly what the
app runs on first start (repurchase.firststart.prepare) into a fresh temporary warehouse.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import peak_rss_mb, spread  # noqa: E402

from repurchase.lists import score  # noqa: E402
from repurchase.model import registry
from repurchase.services import first_start as firststart
from repurchase.warehouse.store import Warehouse  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    totals: list[float] = []
    steps: dict[str, list[float]] = {}
    for i in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            wh = Warehouse(Path(tmp) / "first.duckdb")
            started = time.perf_counter()
            result = firststart.prepare(wh)
            totals.append(time.perf_counter() - started)
            for name, seconds in result.steps.items():
                steps.setdefault(name, []).append(seconds)
            model = registry.load(wh)
            lst = score.rep_call_list(wh, "R001", registry.versions(wh).train_end.iloc[0].date())
            print(
                f"run {i + 1}: {totals[-1]:.1f} s; model AUC {model.metrics['valid_auc']:.4f}, "
                f"top-15 precision {model.metrics['precision_at_n']:.1%}; R001 list {len(lst)} rows"
            )
    print(f"\nfirst start to a usable call list: {spread(totals)}")
    for name, values in steps.items():
        print(f"  {name:<6} {spread(values)}")
    print(f"peak memory: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
