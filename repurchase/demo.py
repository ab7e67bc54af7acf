"""Build the demo warehouse: generate (synthetic.py), import through the contract, keep the truth.

The demo goes through `importer.import_frames`, the same checks and transaction as a customer's
ERP export, so the demo can never hold data a real import would reject.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from repurchase import importer, synthetic
from repurchase.config import truth_dir
from repurchase.warehouse import Warehouse

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class DemoBuild:
    rows: dict[str, int]
    seconds: float
    megabytes: float


def _quiet(_fraction: float, _message: str) -> None:
    return None


def build(
    warehouse: Warehouse,
    config: synthetic.DemoConfig | None = None,
    *,
    progress: Progress | None = None,
    replace: bool = False,
) -> DemoBuild:
    """Generate the demo into `warehouse` (which must be empty unless `replace`)."""
    say = progress or _quiet
    started = time.perf_counter()
    if warehouse.exists():
        if not replace:
            counts = warehouse.table_counts()
            if counts.get("visits", 0) or counts.get("customers", 0):
                raise FileExistsError(
                    f"{warehouse.path} already holds data; pass --force to replace it with the demo"
                )
        else:
            remove(warehouse)
    say(0.0, "generating the demo sales team")
    data = synthetic.make(config, progress=lambda f, m: say(0.75 * f, m))
    say(0.78, f"importing {len(data.visits):,} visits and {len(data.orders):,} orders")
    importer.import_frames(warehouse, data.tables(), source="demo", imported_by="demo")
    say(0.95, "saving the generator's hidden truth beside the warehouse")
    write_truth(warehouse, data.truth())
    rows = {k: len(v) for k, v in data.tables().items()}
    size = warehouse.path.stat().st_size / 1e6
    say(1.0, "demo ready")
    return DemoBuild(rows, time.perf_counter() - started, size)


def remove(warehouse: Warehouse) -> None:
    """Delete a warehouse file and everything generated beside it."""
    for path in (warehouse.path, warehouse.path.with_name(warehouse.path.name + ".wal")):
        path.unlink(missing_ok=True)
    shutil.rmtree(truth_dir(warehouse.path), ignore_errors=True)


def write_truth(warehouse: Warehouse, truth: dict[str, pd.DataFrame]) -> None:
    folder = truth_dir(warehouse.path)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in truth.items():
        frame.to_parquet(folder / f"{name}.parquet", index=False)


def read_truth(warehouse: Warehouse, name: str) -> pd.DataFrame:
    """The demo's hidden truth table `name` (windows, customers, reps, visits): tests and
    benchmarks only; nothing on the model's path calls this."""
    path = truth_dir(warehouse.path) / f"{name}.parquet"
    if not path.is_file():
        raise FileNotFoundError(f"no demo truth at {path}; it exists only for a generated demo")
    return pd.read_parquet(path)
