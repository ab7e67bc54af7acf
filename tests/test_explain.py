"""Reasons in plain words, from facts about the customer as of the list's day."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from repurchase import explain


def facts(**overrides) -> pd.Series:
    base = {
        "n_history": 30,
        "n_orders": 6,
        "orders_365": 3,
        "days_since_order": 40.0,
        "mean_order_gap": 38.0,
        "days_since_visit": 12.0,
        "last_visit_result": 0,
    }
    return pd.Series({**base, **overrides})


@pytest.mark.parametrize(
    ("change", "first"),
    [
        ({}, {"code": "due", "every": 38, "since": 40}),
        ({"days_since_order": 90.0}, {"code": "overdue", "every": 38, "since": 90}),
        ({"mean_order_gap": math.nan, "orders_365": 5}, {"code": "frequent", "orders": 5}),
        (
            {"mean_order_gap": math.nan, "days_since_order": 3.0},
            {"code": "recent_order", "since": 3},
        ),
        (
            {"mean_order_gap": math.nan, "days_since_visit": 45.0},
            {"code": "not_contacted", "days": 45},
        ),
        ({"mean_order_gap": math.nan, "days_since_visit": math.nan}, {"code": "never_contacted"}),
    ],
)
def test_the_most_telling_fact_comes_first(change, first):
    assert explain.reasons_for(facts(**change), "small_medium")[0] == first


def test_little_history_is_always_said():
    reasons = explain.reasons_for(facts(n_history=3), "key")
    assert len(reasons) <= explain.MAX_REASONS
    assert reasons[-1] == {"code": "little_history", "events": 3}


def test_reasons_read_in_both_languages():
    reason = {"code": "due", "every": 38, "since": 40}
    assert explain.say(reason, "en") == (
        "Usually orders every 38 days; last order 40 days ago: due about now"
    )
    assert explain.say(reason, "zh") == "通常每 38 天下单一次,距上次下单已 40 天:差不多该再下单了"


@pytest.mark.parametrize(
    ("days", "result", "rate", "answered"),
    [
        (2.0, 0, 0.31, True),  # said no two days ago: the measured rate answers it, first
        (7.0, 0, 0.31, True),
        (8.0, 0, 0.31, False),  # older than a week: the plain last-call fact
        (2.0, 1, 0.31, False),  # the last call ended in an order: nothing to answer
        (2.0, 0, None, False),  # no measured rate (an older model): the plain fact
    ],
)
def test_a_recent_no_demand_is_answered_with_the_measured_rate(days, result, rate, answered):
    reasons = explain.reasons_for(
        facts(days_since_visit=days, last_visit_result=result), "small_medium", rate
    )
    codes = [r["code"] for r in reasons]
    assert (codes[0] == "no_demand_recent") == answered
    if answered:
        assert reasons[0] == {"code": "no_demand_recent", "days": int(days), "rate": 31}
        assert "last_visit_no_order" not in codes  # said once, not twice
        assert "31 %" in explain.say(reasons[0], "en") and "31%" in explain.say(reasons[0], "zh")
