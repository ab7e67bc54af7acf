"""What managers read about the model and the lists' effect: the versions and the gate of the
serving run, the latest backtest and its measures, the lists by model version, the hold-out
lift. Managers and admins; a manager's figures cover only their own reps."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pandas as pd

from repurchase.accounts.auth import User
from repurchase.evaluation import outcomes
from repurchase.model import registry
from repurchase.services import access
from repurchase.warehouse.store import Warehouse


def list_period(warehouse: Warehouse) -> tuple[date | None, date | None]:
    """The first and last day any call list was written for (None, None before the first)."""
    period = warehouse.query("list_period").iloc[0]
    if pd.isna(period.first_day):
        return None, None
    return period.first_day.date(), period.last_day.date()


def overview(
    warehouse: Warehouse, user: User, serving: registry.LoadedModel | None
) -> dict[str, pd.DataFrame]:
    """The Model page's tables: `versions`, the serving run's `gate` (with `serves`), the
    latest `backtest` and its `predictions`, and the `version_table` of the lists of the reps
    the user may see (never another team's)."""
    access.require_manager(user)
    first, last = list_period(warehouse)
    return {
        "versions": registry.versions(warehouse),
        "gate": (
            pd.DataFrame(serving.gate).assign(serves=lambda g: g.method == serving.serving_method)
            if serving is not None and serving.gate
            else pd.DataFrame()
        ),
        "backtest": warehouse.query("latest_backtest"),
        "predictions": warehouse.query("latest_backtest_predictions"),
        "version_table": (
            outcomes.version_table(warehouse, first, last, reps=access.rep_ids(warehouse, user))
            if first
            else pd.DataFrame()
        ),
    }


def backtest_measures(warehouse: Warehouse, user: User) -> dict | None:
    """The value, ranking, re-call and churn measures of the latest backtest run (the figures
    pool every rep, like the rest of the backtest); None before the first run."""
    access.require_manager(user)
    latest = warehouse.query("latest_backtest_measures")
    if latest.empty or pd.isna(latest.measures.iloc[0]):
        return None
    return json.loads(latest.measures.iloc[0])


def holdout_lift(
    warehouse: Warehouse, user: User, first: date, last: date, reps: tuple[str, ...]
) -> outcomes.HoldoutLift:
    """The hold-out lift over `first`..`last` for those of `reps` in the user's scope."""
    access.require_manager(user)
    allowed = set(access.rep_ids(warehouse, user))
    return outcomes.holdout_lift(warehouse, first, last, reps=[r for r in reps if r in allowed])


@dataclass(frozen=True)
class Calibration:
    """Per model variant of a backtest ("model/<name>", sorted): its reliability curve
    (outcomes.reliability's columns) and its expected calibration error."""

    curves: dict[str, pd.DataFrame]
    ece: dict[str, float]


def calibration(predictions: pd.DataFrame) -> Calibration:
    """How well the chances of a backtest's model variants match what happened.
    `predictions`: method, p, label (the `predictions` of `overview`); baselines are left out."""
    variants = sorted(m for m in predictions.method.unique() if m.startswith("model/"))
    parts = {m: predictions[predictions.method == m] for m in variants}
    return Calibration(
        curves={m: outcomes.reliability(part.p, part.label) for m, part in parts.items()},
        ece={
            m: outcomes.expected_calibration_error(part.p, part.label) for m, part in parts.items()
        },
    )


def backtest_resolution(backtest: pd.DataFrame):
    """Whether the latest backtest (`overview`'s `backtest`) can tell the methods' lists
    apart (backtest.Resolution), or None for a run without candidates."""
    from repurchase.evaluation import backtest as bt  # the training loop: only when asked

    return bt.resolution(backtest)


def backtest_tables(backtest: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The latest backtest (`overview`'s `backtest`) as the paper's Table 1 (precision per
    method and week) and its summary per method (backtest.table1, backtest.summarise)."""
    # imported here: the backtest module loads the training loop, which no other view needs
    from repurchase.evaluation import backtest as bt

    return bt.table1(backtest), bt.summarise(backtest)
