"""Small transactions that many sessions may run at once on the same rows.

DuckDB checks concurrent writes optimistically: when two transactions change the same row,
the later one fails with a TransactionException ("Conflict on ...") instead of waiting. For a
counter that every sign-in attempt updates, that is the normal case under load, so the unit of
work is run again, after a short random pause, until it commits.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

import duckdb

from repurchase.errors import RepurchaseError
from repurchase.warehouse.store import Cursor, Warehouse

T = TypeVar("T")

# 40 simultaneous attempts on one row commit within a few rounds; a minute of conflicts means
# something else is wrong, and the caller gets a clear error instead of a spin.
GIVE_UP_SECONDS = 60.0


class BusyError(RepurchaseError):
    """The same rows stayed in conflict for too long."""


def transaction(warehouse: Warehouse, work: Callable[[Cursor], T]) -> T:
    """Run `work(cursor)` in one transaction; run it again if it conflicts with another."""
    deadline = time.monotonic() + GIVE_UP_SECONDS
    pause = 0.002
    while True:
        try:
            with warehouse.transaction() as cur:
                return work(cur)
        except (duckdb.TransactionException, duckdb.ConstraintException) as exc:
            # a ConstraintException here is two first inserts of the same key at once
            if time.monotonic() > deadline:
                raise BusyError(f"{warehouse.path}: gave up after conflicts for a minute") from exc
            time.sleep(pause * random.uniform(0.5, 1.5))  # noqa: S311 (jitter, not secrets)
            pause = min(pause * 2, 0.1)
