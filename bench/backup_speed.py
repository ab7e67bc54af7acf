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

from repurchase import backup, demo, synthetic  # noqa: E402
from repurchase.warehouse import Warehouse  # noqa: E402


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
        held, total, restored = [], [], []
        for i in range(args.repeats):
            seconds, taken = timed(lambda i=i: backup.take(wh, Path(tmp) / f"b{i}", keep=None))
            held.append(taken.seconds_holding_file)
            total.append(seconds)
            seconds, _ = timed(lambda i=i: backup.restore(Path(tmp) / f"b{i}", wh, keep=None))
            restored.append(seconds)
        size = wh.path.stat().st_size / 1e6
    print(f"warehouse: {rows:,} rows, {size:.1f} MB")
    print(f"backup holds the file: {spread(held)}")
    print(f"backup in all (copy, checksums, manifest): {spread(total)}")
    print(f"restore (check, safety backup, swap): {spread(restored)}")


if __name__ == "__main__":
    main()
