"""What the warehouse holds and how the lists did, read for a report: the warehouse's figures
(`python -m repurchase stats`), the period with call lists, the reps of one level, the latest
backtest's predictions. Each function takes the acting `User` and authorizes it first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from repurchase.accounts.auth import User
from repurchase.services import access
from repurchase.services.access import require_admin, require_manager
from repurchase.warehouse.store import Warehouse


@dataclass(frozen=True)
class WarehouseStats:
    schema_version: int
    counts: dict[str, int]  # rows per base table
    ranges: pd.DataFrame  # what, first, last, rows (sql/stats_ranges.sql)
    visit_outcomes: pd.DataFrame  # level, visits, orders, success_rate
    rep_cohorts: pd.DataFrame  # dimension, cohort, reps: the reps current on `as_of`


def warehouse_stats(warehouse: Warehouse, user: User, as_of: date) -> WarehouseStats:
    """Row counts, date ranges, visit success rates and the current reps' cohorts of the whole
    warehouse: for an admin."""
    require_admin(user)
    return WarehouseStats(
        schema_version=warehouse.schema_version(),
        counts=warehouse.table_counts(),
        ranges=warehouse.query("stats_ranges"),
        visit_outcomes=warehouse.query("stats_visit_outcomes"),
        rep_cohorts=warehouse.query("stats_rep_cohorts", as_of=as_of),
    )


def list_period(warehouse: Warehouse, user: User) -> pd.Series:
    """first_day, last_day: the days with call lists (NaT for both when there are none)."""
    require_manager(user)
    return warehouse.query("list_period").iloc[0]


def reps_of_level(warehouse: Warehouse, user: User, level: str) -> list[str]:
    """The ids of the reps of `level` (junior, mid, senior) in the user's scope, former reps
    included."""
    require_manager(user)
    reps = access.reps_in_scope(warehouse, user)
    return reps[reps.level == level].rep_id.tolist()


def latest_backtest_predictions(warehouse: Warehouse, user: User) -> pd.DataFrame:
    """week, customer_id, method, p, label: the out-of-time predictions of the latest
    backtest run (empty before the first)."""
    require_manager(user)
    return warehouse.query("latest_backtest_predictions")
