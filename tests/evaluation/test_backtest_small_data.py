"""A backtest on too little data says so, and its summary has no infinite or missing-as-text
figures: 3 reps and 60 customers gave every method, random included, the same precision."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from repurchase.evaluation import backtest

METHODS = ["served", "gbm", "round-robin", "random", "reps' own choice"]


def weekly_results(candidates: int, listed: int, weeks: int = 3, base: float = 0.5) -> pd.DataFrame:
    """A run's weekly results by hand: every method the same precision (the base rate), the
    reps' success rate 0 in the first week."""
    rows = []
    for i in range(weeks):
        week = date(2026, 3, 2) + timedelta(weeks=i)
        for method in METHODS:
            own = method == "reps' own choice"
            rows.append(
                {
                    "week": week,
                    "method": method,
                    "precision": base,
                    "listed": candidates if own else listed,
                    "candidates": candidates,
                    "auc": None if own else 0.6,
                    "brier": 0.2 if method in ("served", "gbm") else None,
                    "reps_success_rate": 0.0 if i == 0 else 0.1,
                    "base_rate": base,
                }
            )
    return pd.DataFrame(rows)


def test_lists_that_take_every_candidate_are_too_small_to_tell_apart():
    said = backtest.resolution(weekly_results(candidates=36, listed=36))
    assert said.too_small == "lists_take_all"
    assert (said.weeks, said.candidates, said.listed, said.left_off) == (3, 108, 108, 0.0)


def test_few_listed_customers_are_too_few_and_many_can_be_told_apart():
    few = backtest.resolution(weekly_results(candidates=100, listed=40))
    assert few.too_small == "too_few"
    assert few.margin == pytest.approx(1.96 * np.sqrt(0.25 / 120))
    many = backtest.resolution(weekly_results(candidates=3000, listed=900, weeks=14))
    assert many.too_small is None


def test_the_summary_has_no_infinite_lift_and_missing_figures_are_missing():
    summary = backtest.summarise(weekly_results(candidates=36, listed=36))
    assert np.isfinite(summary.lift_vs_reps).all()  # the week the reps sold nothing is left out
    assert summary.set_index("method").lift_max["served"] == pytest.approx(4.0)
    assert summary.brier.dtype == float and summary.auc.dtype == float
    random = summary.set_index("method").loc["random"]
    assert isinstance(random.brier, float) and np.isnan(random.brier)  # NaN, not None
