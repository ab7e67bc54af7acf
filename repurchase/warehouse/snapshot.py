"""Copy what a long computation reads out of the warehouse in short units of work.

Computing the features of every event (sql/feature_events.sql: window functions over every
visit and order) inside one unit of work held the file for as long as the query ran: on a
10M-visit warehouse longer than the 15 s every other user waits for it (measured).
Instead, the raw columns that query reads are copied to Parquet files in units of at most
`CHUNK_ROWS` ids each (the file is released between them, so waiting sessions get their turn,
see lock_turns.py), and the query runs on that copy in a private in-memory DuckDB with the
warehouse closed.

The copy is consistent: customers, reps and the id ranges are read in the first unit, and the
later units copy visits and orders by id up to the ids fixed then, so rows written meanwhile
are all outside it (as if the copy had been made in one go).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from repurchase.warehouse.store import Warehouse, sql

# ~0.5 s of the file per unit on the 2-core test machine (bench/lock_fairness.py)
CHUNK_ROWS = 1_000_000


def _write(table, folder: Path, name: str) -> None:
    pq.write_table(table, folder / f"{name}.parquet")


def _chunks(first: int | None, last: int | None, size: int) -> Iterator[tuple[int, int]]:
    if first is None or last is None:
        return
    start = first
    while start <= last:
        yield start, min(start + size - 1, last)
        start += size


def copy_feature_tables(
    warehouse: Warehouse, folder: Path, until: datetime, chunk_rows: int | None = None
) -> None:
    """Write the rows the feature queries read (events before `until`) to Parquet files in
    `folder`: customers, reps, and visits and orders in chunks of ids."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    with warehouse.connect() as cur:
        ranges = cur.execute(sql("snapshot_id_ranges")).fetchone()
        customers = cur.execute(sql("snapshot_customers")).arrow().read_all()
        reps = cur.execute(sql("snapshot_reps")).arrow().read_all()
    for sub in ("visits", "orders"):
        (folder / sub).mkdir()
    _write(customers, folder, "customers")
    _write(reps, folder, "reps")
    visits_first, visits_last, orders_first, orders_last = ranges
    for table, first, last in (
        ("visits", visits_first, visits_last),
        ("orders", orders_first, orders_last),
    ):
        for i, (lo, hi) in enumerate(_chunks(first, last, chunk_rows)):
            with warehouse.connect() as cur:  # one short unit per chunk
                part = (
                    cur.execute(sql(f"snapshot_{table}"), {"first": lo, "last": hi, "until": until})
                    .arrow()
                    .read_all()
                )
            _write(part, folder / table, f"part-{i:05d}")
        if not any((folder / table).iterdir()):  # an empty file still carries the types
            with warehouse.connect() as cur:
                empty = (
                    cur.execute(sql(f"snapshot_{table}"), {"first": 0, "last": -1, "until": until})
                    .arrow()
                    .read_all()
                )
            _write(empty, folder / table, "part-00000")


@contextmanager
def feature_tables(warehouse: Warehouse, until: datetime) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB whose `visits`, `orders`, `customers` and `reps` are a copy of the
    warehouse's (the columns the feature queries read, events before `until`). The copy is
    deleted when the block ends."""
    with tempfile.TemporaryDirectory(prefix="repurchase-snapshot-") as tmp:
        folder = Path(tmp)
        copy_feature_tables(warehouse, folder, until)
        with duckdb.connect() as mem:
            for name in ("customers", "reps"):
                mem.read_parquet(str(folder / f"{name}.parquet")).create_view(name)
            for name in ("visits", "orders"):
                mem.read_parquet(str(folder / name / "*.parquet")).create_view(name)
            yield mem
