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
