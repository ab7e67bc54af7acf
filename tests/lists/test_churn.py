"""The churn flag: an overdue regular buyer is flagged, a steady or new one is not, and nothing
on or after the anchor is read."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from repurchase.lists import churn
from repurchase.model import bgnbd, features

ANCHOR = date(2026, 6, 1)
START = date(2025, 3, 1)
# a population where purchase rates vary and customers drop out now and then
PARAMS = bgnbd.BGNBD(r=1.0, alpha=10.0, a=1.0, b=3.0)


def _orders(customer: str, first: date, last: date, every: int) -> list[dict[str, object]]:
    days = pd.date_range(first, last, freq=f"{every}D")
    return [{"customer_id": customer, "order_date": d.date(), "amount": 100.0} for d in days]


def _history(extra: list[dict[str, object]] | None = None) -> features.History:
    rows = [
        # bought every two weeks for a year, silent for the last three months
        *_orders("C_LAPSING", START, ANCHOR - timedelta(days=95), 14),
        # the same rhythm, still buying: last order five days ago
        *_orders("C_STEADY", START, ANCHOR - timedelta(days=5), 14),
        # buys every two months; last order a month ago (on time)
        *_orders("C_SLOW", START, ANCHOR - timedelta(days=30), 60),
        # one order, long ago: not a buyer with a rhythm
        {"customer_id": "C_ONCE", "order_date": START, "amount": 100.0},
        *(extra or []),
    ]
    ids = ["C_LAPSING", "C_ONCE", "C_SLOW", "C_STEADY"]
    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "name": ids,
            "customer_type": "A",
            "industry": "x",
            "tag": "key",
            "owner_rep_id": "R1",
            "created_date": START - timedelta(days=1),
        }
    )
    reps = pd.DataFrame({"rep_id": ["R1"], "team": ["T"], "left_date": [pd.NaT]})
    visits = pd.DataFrame(
        columns=["rep_id", "customer_id", "visit_date", "target", "result", "order_amount"]
    )
    return features.history_from_frames(
        reps, customers, visits, pd.DataFrame(rows), ANCHOR + timedelta(days=120)
    )


def _risk(history: features.History, params=PARAMS) -> pd.DataFrame:
    ids = history.customers.customer_id.to_numpy()
    return churn.churn_frame(history, ids, ANCHOR, params).set_index("customer_id")


def test_an_overdue_regular_buyer_is_flagged_a_steady_or_new_one_is_not():
    risk = _risk(_history())
    assert risk.at_risk.to_dict() == {
        "C_LAPSING": True,
        "C_ONCE": False,
        "C_SLOW": False,
        "C_STEADY": False,
    }
    assert risk.churn_risk.between(0, 1).all()
    assert risk.churn_risk["C_LAPSING"] > 0.5
    assert risk.churn_risk["C_STEADY"] == 0 and risk.churn_risk["C_SLOW"] == 0
    assert risk.churn_risk["C_ONCE"] == 0  # fewer than two purchase days: no risk, no flag
    # the baseline rule (twice the usual gap) flags the lapsing buyer too
    assert risk.baseline_at_risk["C_LAPSING"] and not risk.baseline_at_risk["C_STEADY"]


def test_orders_on_or_after_the_anchor_change_nothing():
    before = _risk(_history())
    comeback = _orders("C_LAPSING", ANCHOR, ANCHOR + timedelta(days=60), 7)
    after = _risk(_history(comeback))
    pd.testing.assert_frame_equal(after, before)


def test_without_bgnbd_parameters_the_rhythm_alone_decides():
    history = _history()
    risk = _risk(history, params=None)  # four customers: too few to fit BG/NBD
    assert risk.at_risk["C_LAPSING"] and not risk.at_risk["C_STEADY"]


def test_lapsed_needs_the_whole_window_observed():
    history = _history(_orders("C_STEADY", ANCHOR, ANCHOR + timedelta(days=60), 14))
    ids = np.array(["C_LAPSING", "C_STEADY"])
    assert list(churn.lapsed(history, ids, ANCHOR)) == [True, False]
    with pytest.raises(ValueError, match="not observed yet"):
        churn.lapsed(history, ids, ANCHOR + timedelta(days=60))


def test_flag_quality_counts():
    flagged = np.array([True, True, False, False, True])
    lapsed = np.array([True, False, True, False, True])
    eligible = np.array([True, True, True, True, False])
    q = churn.flag_quality(flagged, lapsed, eligible)
    assert q["precision"] == 0.5 and q["recall"] == 0.5
    assert (q["flagged"], q["lapsed"], q["eligible"], q["hits"]) == (2, 2, 4, 1)
