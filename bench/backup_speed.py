"""Backup and restore: how long `backup` holds the warehouse file (what the app's users wait
at most), the whole backup's time, and a restore's, on the default demo (or a given file).

python bench/backup_speed.py [--warehouse FILE] [--repeats 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import spread, timed  # noqa: E402

from repurchase.demo import synthetic  # noqa: E402
from repurchase.services import demo
from repurchase.warehouse import backup
from repurchase.warehouse.store import Warehouse  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warehouse", type=Path, help="a copy of it is used (default: a demo)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wh = Warehouse(Path(tmp) / "w.duckdb")
        if args.warehouse:
            shutil.copy(args.warehouse, wh.path)
        else:  # the default demo's data, without the simulated weeks (the size is the same)
            demo.build(wh, synthetic.DemoConfig(end=date(2026, 11, 21)))
        rows = sum(wh.table_counts().values())
        size = wh.path.stat().st_size / 1e6
        print(f"warehouse: {rows:,} rows, {size:.1f} MB")
        for exclusive, label in ((True, "CLI (file copy)"), (False, "in the app (row copy)")):
            held, total, restored = [], [], []
            for i in range(args.repeats):
                folder = Path(tmp) / f"b{i}-{exclusive}"
                seconds, taken = timed(
                    lambda f=folder, e=exclusive: backup.take(wh, f, keep=None, exclusive=e)
                )
                held.append(taken.seconds_holding_file)
                total.append(seconds)
                seconds, _ = timed(lambda f=folder: backup.restore(f, wh, keep=None))
                restored.append(seconds)
            print(f"{label}: backup holds the file {spread(held)}")
            print(f"{label}: backup in all (copy, checksums, manifest) {spread(total)}")
        print(f"restore (check, safety backup, swap): {spread(restored)}")


if __name__ == "__main__":
    main()
