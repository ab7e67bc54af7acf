"""Training: honest time split, deterministic under a seed, clear about too little history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import torch

from repurchase.model import features, train

from ..conftest import SMALL_UNTIL, TINY_TRAINING


@pytest.fixture(scope="module")
def small_history(_small_warehouse_file):
    from repurchase.warehouse.store import Warehouse

    return features.load_history(Warehouse(_small_warehouse_file), SMALL_UNTIL)


def test_the_split_never_lets_a_label_see_the_validation_period(small_history):
    config = train.TrainConfig(**TINY_TRAINING)
    split = train.time_split(small_history, SMALL_UNTIL, config)
    horizon = timedelta(days=config.horizon_days)
    assert split.train_last + horizon <= split.valid_first
    assert split.valid_last + horizon <= SMALL_UNTIL
    assert split.valid_last - split.valid_first == timedelta(weeks=config.validation_weeks - 1)


def test_training_is_deterministic_under_a_seed(small_history):
    config = train.TrainConfig(**TINY_TRAINING)
    first = train.train(small_history, SMALL_UNTIL, config)
    second = train.train(small_history, SMALL_UNTIL, config)
    for name, tensor in first.net.state_dict().items():
        assert torch.equal(tensor, second.net.state_dict()[name]), name
    assert first.metrics == second.metrics
    other = train.train(
        small_history, SMALL_UNTIL, train.TrainConfig(**{**TINY_TRAINING, "seed": 4})
    )
    assert not torch.equal(other.net.linear.weight, first.net.linear.weight)


def test_training_reports_progress_and_honest_metrics(small_history):
    messages = []
    result = train.train(
        small_history,
        SMALL_UNTIL,
        train.TrainConfig(**TINY_TRAINING),
        progress=lambda f, m: messages.append((f, m)),
    )
    assert any("epoch 1: list precision" in m and "AUC" in m for _, m in messages)
    assert messages[-1][0] == 1.0
    fractions = [f for f, _ in messages]
    assert fractions == sorted(fractions)  # progress only moves forward
    m = result.metrics
    assert 0.0 <= m["valid_auc"] <= 1.0 and 0.0 <= m["precision_at_n"] <= 1.0
    seeds = train.TrainConfig(**TINY_TRAINING).seeds
    assert 1 <= m["best_epoch"] <= TINY_TRAINING["max_epochs"]
    assert m["epochs_run"] <= TINY_TRAINING["max_epochs"] * seeds
    assert len(result.predictor.nets) == seeds
    assert result.until == SMALL_UNTIL
    assert result.train_end < SMALL_UNTIL - timedelta(days=28)


def test_too_short_a_history_is_refused_with_what_it_needs(small_history):
    with pytest.raises(train.NotEnoughHistoryError, match="too short"):
        train.train(small_history, date(2026, 2, 1), train.TrainConfig(**TINY_TRAINING))


def test_a_warehouse_without_events_says_so(tmp_path):
    from repurchase.warehouse.store import Warehouse

    history = features.load_history(Warehouse(tmp_path / "empty.duckdb"), SMALL_UNTIL)
    with pytest.raises(train.NotEnoughHistoryError, match="no visits or orders"):
        train.train(history, SMALL_UNTIL, train.TrainConfig(**TINY_TRAINING))


def test_calibration_maps_scores_to_observed_rates():
    import numpy as np

    rng = np.random.default_rng(0)
    log_odds = rng.normal(0, 2, 20_000)
    truth = 1 / (1 + np.exp(-(0.5 * log_odds - 1.0)))  # the model is over-confident and biased
    labels = (rng.random(20_000) < truth).astype(int)
    fitted = train.calibrate(log_odds, labels)
    assert fitted["a"] == pytest.approx(0.5, abs=0.05)
    assert fitted["b"] == pytest.approx(-1.0, abs=0.08)
