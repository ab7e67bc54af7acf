"""The peers, the summary they and the network read, and the gate that picks who serves."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from repurchase.lists import score
from repurchase.model import features, metrics, peers, registry, summary, train
from repurchase.model.predictor import NETWORK, apply_calibration

from ..conftest import SMALL_UNTIL, TINY_TRAINING


def test_exported_trees_reproduce_scikit_learn_exactly():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3000, 6))
    x[rng.random(x.shape) < 0.05] = np.nan  # missing values take the learned branch
    y = ((x[:, 0] > 0.2) ^ (np.nan_to_num(x[:, 3]) < -0.5)).astype(int)
    model = HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(x, y)
    exported = peers._TreeEnsemble.from_dict(peers._TreeEnsemble.of(model).to_dict())
    np.testing.assert_allclose(exported.predict_proba(x), model.predict_proba(x)[:, 1], atol=1e-9)


def test_summary_reads_the_purchase_history_by_hand(golden):
    """Golden data: C1's purchase days before the anchor, counted by hand from the CSVs."""
    history = features.load_history(golden, date(2026, 4, 1))
    days = summary.PurchaseDays.of(history)
    cust = np.array([history.customer_index["C1"]])
    t = np.array([pd.Timestamp("2026-04-01").value // 10**9])
    row = summary.frame(summary.compute(history, cust, t, None, 28)).iloc[0]
    inputs = summary.bgnbd_inputs(days, cust, t)
    purchase_days = days.day[inputs["start"][0] : inputs["stop"][0]]
    assert row.has_purchase == (len(purchase_days) > 0)
    assert row.log_repeat == pytest.approx(np.log1p(len(purchase_days) - 1))
    gaps = np.diff(purchase_days)
    assert row.log_mean_gap == pytest.approx(np.log1p(gaps.mean()), rel=1e-5)
    recency = t[0] // 86_400 - purchase_days[-1]
    assert row.log_recency == pytest.approx(np.log1p(recency), rel=1e-5)
    assert row.bgnbd_p_alive == 0.0  # no parameters given: the BG/NBD columns stay empty


def test_rep_list_precision_averages_each_reps_own_list():
    day = np.array(["d"] * 6)
    rep = np.array(["a", "a", "a", "b", "b", "b"])
    score = np.array([0.9, 0.8, 0.1, 0.7, 0.6, 0.5])
    label = np.array([1, 0, 1, 0, 0, 1])
    # rep a's top 2: 1 of 2; rep b's top 2: 0 of 2 -> mean 0.25 (pooled would also be 0.25)
    assert metrics.rep_list_precision(day, rep, score, label, top_n=2) == 0.25
    # top 10 % of three customers is one each: a's best ordered, b's did not
    assert metrics.rep_list_precision(day, rep, score, label, share=0.10) == 0.5
    with pytest.raises(ValueError):
        metrics.rep_list_precision(day, rep, score, label)


def _gate(network: float, se: float = 0.0, **others: float) -> list[dict[str, object]]:
    return [{"method": NETWORK, "list_precision": network, "margin_se": 0.0}] + [
        {"method": m, "list_precision": v, "margin_se": se} for m, v in others.items()
    ]


@pytest.mark.parametrize(
    ("gate", "serves"),
    [
        (_gate(0.40, gbm=0.38, logistic=0.39), NETWORK),
        (_gate(0.40, gbm=0.40), NETWORK),  # a tie goes to the network
        (_gate(0.37, gbm=0.38, logistic=0.39), "logistic"),
        (_gate(0.37, 0.01, gbm=0.38, logistic=0.39), "logistic"),  # 2 points > 1 point of noise
        (_gate(0.38, 0.015, gbm=0.37, logistic=0.39), NETWORK),  # 1 point < 1.5 points of noise
        (_gate(math.nan, gbm=0.38), "gbm"),
        (_gate(0.30), NETWORK),
    ],
)
def test_the_network_serves_only_when_it_is_at_least_as_good_as_the_best_peer(gate, serves):
    method, why = train.choose_serving(gate)
    assert method == serves
    assert why.startswith("the peer") == (serves != NETWORK)


def test_a_peer_that_won_the_gate_makes_the_lists(trained_warehouse):
    """Force the gate's outcome in the artefact: scoring must then follow the peer."""
    model = registry.load(trained_warehouse)
    history = features.load_history(trained_warehouse, SMALL_UNTIL)
    model.predictor.serving = "recency-frequency"
    frame = score.score_frame(history, model, SMALL_UNTIL)
    anchors = frame[["customer_id"]].assign(anchor=pd.Timestamp(SMALL_UNTIL))
    expected = apply_calibration(
        peers.recency_frequency(model.samples(history, anchors)),
        model.predictor.calibration["recency-frequency"],
    )
    np.testing.assert_allclose(frame.p_order.to_numpy(), expected)


def test_every_training_run_fits_the_peers_and_says_who_serves(trained_warehouse):
    model = registry.load(trained_warehouse)
    assert set(model.predictor.peers) == set(peers.PEERS)
    methods = [row["method"] for row in model.gate]
    assert methods[0] == NETWORK and set(methods[1:]) == set(peers.PEERS)
    served = next(r for r in model.gate if r["method"] == model.serving_method)
    assert served["list_precision"] == pytest.approx(model.metrics["list_precision"])
    network = next(r for r in model.gate if r["method"] == NETWORK)
    best = max(model.gate, key=lambda r: r["list_precision"])
    # a peer serves only if it beat the network by more than its paired standard error
    assert (model.serving_method != NETWORK) == (
        best["list_precision"] - network["list_precision"] > best["margin_se"]
    )
    assert all(r["margin_se"] >= 0 for r in model.gate) and network["margin_se"] == 0


def test_the_customers_own_hazard_counts_its_past_gaps_by_hand():
    """Purchase days 0, 10, 40, 50, 90 (gaps 10, 30, 10, 40); at day 100 it has been 10 days.
    Gaps longer than 10: 30 and 40; of those, ending within 28 days after day 10: only 30."""
    key = np.array([0, 10, 40, 50, 90])
    days = summary.PurchaseDays(key, key, np.zeros(5), np.zeros(5))
    longer, ending = summary._own_gaps(
        days, np.array([0]), np.array([5]), np.array([10.0]), horizon=28
    )
    assert (longer[0], ending[0]) == (2.0, 1.0)
    # two anchors at once, one of them with no purchases at all
    longer, ending = summary._own_gaps(
        days, np.array([0, 5]), np.array([5, 5]), np.array([10.0, 1000.0]), horizon=28
    )
    assert list(longer) == [2.0, 0.0] and list(ending) == [1.0, 0.0]


def test_order_only_data_trains_scores_and_gates(small_demo):
    """An e-commerce log: orders, no visits at all. Everything still works, and the call
    columns of the summary say nobody called."""
    data = small_demo
    no_visits = data.visits.iloc[0:0]
    history = features.history_from_frames(
        data.reps, data.customers, no_visits, data.orders, SMALL_UNTIL
    )
    result = train.train(history, SMALL_UNTIL, train.TrainConfig(**TINY_TRAINING))
    assert result.predictor.serving in result.predictor.methods
    model = registry.LoadedModel.from_result(result, "order-only")
    frame = score.score_frame(history, model, SMALL_UNTIL)
    assert frame.p_order.between(0, 1).all() and len(frame) > 0
    anchors = frame[["customer_id"]].assign(anchor=pd.Timestamp(SMALL_UNTIL))
    calls = summary.frame(model.samples(history, anchors).summary)
    assert (calls.log_visits == 0).all() and (calls.last_visit_no_demand == 0).all()
    reasons = score.list_reasons(history, frame.customer_id, SMALL_UNTIL, model)
    assert len(reasons) == len(frame)
    assert not any("no_demand_recent" in r or "last_visit" in r for r in reasons)


def test_whole_books_keeps_every_row_of_a_drawn_rep_and_none_of_the_others():
    rng = np.random.default_rng(1)
    rep = rng.choice([f"R{i:03d}" for i in range(60)], size=3000)  # rows in no order
    kept = metrics.whole_books(rep, 1000, seed=5)
    assert 0 < len(kept) <= 1000
    assert np.all(np.diff(kept) > 0)
    drawn = set(rep[kept])
    assert all((rep == r).sum() == (rep[kept] == r).sum() for r in drawn)  # whole books
    # the same seed draws the same reps whatever order the rows come in
    shuffled = rng.permutation(len(rep))
    assert set(rep[shuffled][metrics.whole_books(rep[shuffled], 1000, seed=5)]) == drawn
    assert set(rep[metrics.whole_books(rep, 1000, seed=6)]) != drawn
    assert len(metrics.whole_books(rep, 3000, seed=5)) == 3000  # all rows fit: all kept
    one = metrics.whole_books(rep, 1, seed=5)  # not even one rep fits: that one rep alone
    assert len(set(rep[one])) == 1 and len(one) == (rep == rep[one[0]]).sum()
