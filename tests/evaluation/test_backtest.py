"""The rolling weekly backtest: weeks, candidates, list precision, every method side by side."""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from repurchase.evaluation import backtest, worklist_measures
from repurchase.model import train
from repurchase.model.config import TrainConfig

from ..conftest import SMALL_UNTIL, TINY_TRAINING


def test_weeks_are_mondays_whose_four_week_window_has_passed():
    starts = backtest.week_starts(date(2026, 7, 1), 3)
    assert [d.weekday() for d in starts] == [0, 0, 0]
    assert starts == sorted(starts) and (starts[1] - starts[0]).days == 7
    assert (date(2026, 7, 1) - starts[-1]).days >= backtest.HORIZON_DAYS


def test_list_precision_takes_each_reps_top_n():
    scores = np.array([0.9, 0.8, 0.1, 0.7, 0.6, 0.5])
    labels = np.array([1, 0, 1, 0, 0, 1])
    reps = np.array(["A", "A", "A", "B", "B", "B"])
    precision, listed = backtest.list_precision(scores, labels, reps, top_n=2)
    # A lists 0.9 (1) and 0.8 (0); B lists 0.7 (0) and 0.6 (0): 1 of 4
    assert (precision, listed) == (0.25, 4)
    assert backtest.list_precision(scores, labels, reps, top_n=10) == (0.5, 6)


@pytest.fixture(scope="module")
def small_run(_small_warehouse_file):
    from repurchase.warehouse.store import Warehouse

    cfg = backtest.BacktestConfig(
        weeks=2,
        end=SMALL_UNTIL,
        fast=2,
        feature_sets=("hybrid", "paper"),
        seeds=(3,),
        top_n=5,
        train=TrainConfig(**TINY_TRAINING),
    )
    calls = []
    real = train.train

    def spy(history, until, config=None, progress=None):
        calls.append((until, history.events.event_at.max()))
        return real(history, until, config, progress)

    train.train, original = spy, train.train
    try:
        result = backtest.run(Warehouse(_small_warehouse_file), cfg)
    finally:
        train.train = original
    return cfg, result, calls


def test_every_method_is_scored_on_the_same_weeks_and_customers(small_run):
    cfg, result, _ = small_run
    weekly = result.weekly
    assert set(weekly.method) == {
        "served",
        "model/paper",
        "model/hybrid",
        "gbm",
        "logistic",
        "bg/nbd",
        "recency-frequency",
        "round-robin",
        "random",
        "reps' own choice",
    }
    per_week = weekly.groupby("week").candidates.nunique()
    assert (per_week == 1).all()  # one candidate set per week for every method
    assert weekly.groupby("week").method.size().eq(10).all()
    assert weekly.precision.between(0, 1).all()
    probabilistic = weekly[weekly.method.isin(["model/paper", "gbm", "logistic", "bg/nbd"])]
    assert probabilistic.auc.between(0, 1).all() and probabilistic.brier.between(0, 1).all()
    own = weekly[weekly.method == "reps' own choice"]
    assert (own.precision == own.base_rate).all()


def test_models_are_fitted_only_on_history_before_the_first_week_of_their_block(small_run):
    cfg, result, calls = small_run
    first_week = min(result.weekly.week)
    assert len(calls) == 2  # one block of two weeks, two variants
    for until, last_event in calls:
        assert until == first_week
        assert pd.Timestamp(last_event) < pd.Timestamp(first_week)


def test_table1_and_summary_follow_the_paper(small_run):
    _, result, _ = small_run
    t1 = result.table1
    assert {
        "model/paper",
        "model/hybrid",
        "reps_success_rate",
        "base_rate",
        "model/paper lift",
    } <= set(t1.columns)
    row = t1.iloc[0]
    assert row["model/paper lift"] == pytest.approx(row["model/paper"] / row.reps_success_rate - 1)
    assert result.summary.method.iloc[0] == "served"
    assert {"model/paper (raw)", "model/paper", "label"} <= set(result.predictions.columns)


def test_a_run_is_stored_for_the_model_page(small_run, small_warehouse):
    cfg, result, _ = small_run
    run_id = backtest.save(small_warehouse, result, cfg)
    stored = small_warehouse.query("latest_backtest")
    assert stored.run_id.unique().tolist() == [run_id]
    assert len(stored) == len(result.weekly)
    predictions = small_warehouse.query("latest_backtest_predictions")
    assert set(predictions.method) >= {"model/paper", "gbm", "bg/nbd"}


# ------------------------------------------------- value, ranking, re-call and churn measures


def test_value_measures_come_from_the_same_weeks_and_candidates(small_run):
    cfg, result, _ = small_run
    values, predictions = result.values, result.predictions
    key = ["week", "customer_id", "rep_id"]
    pd.testing.assert_frame_equal(
        values[key].reset_index(drop=True), predictions[key].reset_index(drop=True)
    )
    np.testing.assert_allclose(values.p_order, predictions["served"])
    assert (values.label == predictions.label).all()
    assert result.measures == {
        **worklist_measures.value_measures(values, cfg.top_n),
        "churn": worklist_measures.churn_measures(result.churn),
    }
    # ranked by probability, the pooled precision is the weekly precision of the served lists
    served = result.weekly[result.weekly.method == "served"]
    pooled = (served.precision * served.listed).sum() / served.listed.sum()
    ranking = result.measures["ranking"]
    assert ranking["probability"]["precision"] == pytest.approx(pooled)
    assert ranking["probability"]["calls"] == ranking["value"]["calls"] == served.listed.sum()
    assert (values.expected_value >= 0).all() and (values.spend >= 0).all()
    # no order in the horizon, no spend; an order with a price, some spend
    assert (values.spend[values.label == 0] == 0).all()
    assert (values.spend[values.priced_in_horizon > 0] > 0).all()


def test_actual_spend_is_what_the_warehouse_holds_for_the_horizon(small_run, small_warehouse):
    _, result, _ = small_run
    with small_warehouse.connect() as cur:
        orders = cur.execute("select customer_id, order_date, amount from orders").df()
    orders["order_date"] = pd.to_datetime(orders.order_date)
    for row in result.values.sample(20, random_state=1).itertuples():
        start = pd.Timestamp(row.week)
        mine = orders[
            (orders.customer_id == row.customer_id)
            & (orders.order_date >= start)
            & (orders.order_date < start + pd.Timedelta(days=backtest.HORIZON_DAYS))
        ]
        assert row.spend == pytest.approx(float(mine.amount.sum()), abs=0.01), row


def test_the_recall_rule_leaves_off_recent_calls_without_an_order(small_run):
    cfg, result, _ = small_run
    rule = result.measures["recall_rule"]
    assert rule["left_off"] == int(result.values.recent_no_order.sum()) > 0
    assert rule["with"]["calls"] <= rule["without"]["calls"]


def test_churn_is_measured_only_where_ninety_days_are_observed(_small_warehouse_file):
    from repurchase.lists import churn
    from repurchase.model import features, summary
    from repurchase.warehouse.store import Warehouse

    history = features.load_history(Warehouse(_small_warehouse_file), SMALL_UNTIL)
    days = summary.PurchaseDays.of(history)
    late = SMALL_UNTIL - timedelta(days=60)
    assert worklist_measures.week_churn(history, None, late, days).empty
    early = SMALL_UNTIL - timedelta(days=100)
    frame = worklist_measures.week_churn(history, None, early, days)
    assert len(frame) > 0 and frame.lapsed.any() and not frame.lapsed.all()
    flags = churn.churn_frame(history, frame.customer_id.to_numpy(), early, None, days)
    assert (flags.n_orders >= churn.MIN_ORDERS).all()
    measures = worklist_measures.churn_measures(frame)
    assert measures["weeks"] == 1 and measures["lapse_days"] == 90
    assert measures["baseline"]["eligible"] == len(frame)
    assert measures["model"]["lapsed"] == int(frame.lapsed.sum())


def test_a_run_stores_its_measures(small_run, small_warehouse):
    cfg, result, _ = small_run
    run_id = backtest.save(small_warehouse, result, cfg)
    stored = small_warehouse.query("latest_backtest_measures")
    assert stored.run_id.tolist() == [run_id]
    measures = json.loads(stored.measures.iloc[0])
    assert measures["ranking"]["value"]["calls"] == result.measures["ranking"]["value"]["calls"]
    assert measures["order_size"]["model"]["mae"] == pytest.approx(
        result.measures["order_size"]["model"]["mae"]
    )


def test_a_cancel_between_cutoffs_stops_before_the_next_block_trains(
    _small_warehouse_file, monkeypatch
):
    from repurchase.warehouse.store import Warehouse

    class Cancelled(Exception):
        pass

    trained = []
    real = train.train

    def spy(history, until, config=None, progress=None):
        trained.append(until)
        return real(history, until, config, progress)

    monkeypatch.setattr(train, "train", spy)
    cancel = []

    def progress(_fraction, message):
        if cancel:
            raise Cancelled  # what the job's progress does once a cancel was requested
        if getattr(message, "key", "") == "jobs.step.score_week":
            cancel.append(True)  # asked while the first week was scored

    cfg = backtest.BacktestConfig(
        weeks=3,
        end=SMALL_UNTIL,
        fast=1,
        seeds=(3,),
        top_n=5,
        train=TrainConfig(**{**TINY_TRAINING, "peers": False, "effect": False}),
    )
    with pytest.raises(Cancelled):
        backtest.run(Warehouse(_small_warehouse_file), cfg, progress=progress)
    assert len(trained) == 1  # the second week's model was never started
