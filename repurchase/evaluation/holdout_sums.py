"""The hold-out's units kept as sums per rep (migration 0026), so that the Cohorts page, the
Model page and the weekly report add up a few thousand rows instead of reading every unit.

The nightly job (`build`) writes the cells (unit_sums.cells_of) of every rep's units of every
list so far whose window has closed, in one transaction. A read (`read`) uses them when the
period asked for starts on or before the first list they hold and reaches their latest unit;
it returns None otherwise (a period from the middle of the history, nothing built yet, or
the sums made stale by an import or a rewritten list), and the caller reads the units live.
Units whose window closes during the day, and visits entered since the build for days it
counted, come in with the next build: the proof is that of last night.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from repurchase.evaluation import holdout_proof, unit_sums
from repurchase.warehouse.store import Cursor, Warehouse, sql

WINDOW_DAYS = 7  # the window the sums are kept for (the pages' and the report's)


@dataclass(frozen=True)
class Kept:
    """What holdout_sums holds: the units of the lists from `first_day` whose window closed by
    `last_day`, the latest first listed on `last_listed` (None: no unit yet)."""

    first_day: date
    last_day: date
    last_listed: date | None
    built_at: datetime

    def covers(self, first: date, last: date) -> bool:
        """Whether the units of lists between `first` and `last` are the kept ones."""
        reaches = self.last_listed is None or last >= self.last_listed
        return first <= self.first_day and reaches


@dataclass(frozen=True)
class KeptCells:
    cells: pd.DataFrame  # unit_sums.COLUMNS
    kept: Kept


def _day(value: object) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def kept(cur: Cursor) -> Kept | None:
    """What the sums hold now (sql/holdout_sums_coverage.sql); None: nothing."""
    row = cur.execute(sql("holdout_sums_coverage")).fetchone()
    if row is None:
        return None
    return Kept(_day(row[0]), _day(row[1]), _day(row[2]), pd.Timestamp(row[3]).to_pydatetime())


def read(warehouse: Warehouse, first: date, last: date, reps: list[str]) -> KeptCells | None:
    """The kept cells of `reps` if they are the units of lists between `first` and `last`;
    None when the units must be read live."""
    with warehouse.transaction() as cur:  # what they hold and the sums from one snapshot
        found = kept(cur)
        if found is None or not found.covers(first, last):
            return None
        cells = cur.execute(sql("holdout_sums_read"), {"reps": list(reps)}).df()
    return KeptCells(cells.astype({"n": "int64"}), found)


def build(warehouse: Warehouse) -> Kept | None:
    """Write every rep's units of every list so far, as sums, in one transaction: read and
    written from one snapshot, so a change committed meanwhile is in them or marks them stale
    after. None when there is no list yet (nothing is kept then)."""
    with warehouse.transaction() as cur:
        first, last = cur.execute(sql("list_period")).fetchone()
        cur.execute(sql("holdout_sums_forget"))
        cur.execute(sql("holdout_sums_delete"))
        if first is None:
            return None
        first, last = _day(first), _day(last)
        reps = cur.execute(sql("scope_reps"), {"role": "admin", "rep_id": None, "team": None})
        rep_ids = reps.df().rep_id.tolist()
        units, last_day = holdout_proof.read_units(cur, first, last, rep_ids, WINDOW_DAYS)
        cells = unit_sums.cells_of(units)
        if len(cells):
            cur.register("new_holdout_sums", _as_dates(cells))
            cur.execute(sql("holdout_sums_insert"))
            cur.unregister("new_holdout_sums")
        last_listed = _day(cells.first_listed_max.max()) if len(cells) else None
        closed_by = last_day if last_day is not None else first - timedelta(days=1)
        cur.execute(
            sql("holdout_sums_mark_built"),
            {"first_day": first, "last_day": closed_by, "last_listed": last_listed},
        )
        return kept(cur)


def _as_dates(cells: pd.DataFrame) -> pd.DataFrame:
    days = ["period_start", "first_listed_min", "first_listed_max"]
    return cells.assign(**{c: pd.to_datetime(cells[c]).dt.date for c in days})
