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


def _cancellable(job_id: int = 1):
    """The progress a background job trains with (job_runner.RunningJob), without its warehouse
    and heartbeat: a cancel request is the event the heartbeat would set."""
    from datetime import datetime

    from repurchase.services import job_runner

    job = job_runner.Job(
        job_id, "backtest", "backtest", {}, "admin", "app", "running", datetime.now(),
        None, None, None, None, None, 0.0, None, None, None, None, None, None,
    )  # fmt: skip
    run = job_runner.RunningJob(None, job)
    run._cancelled_by = "admin"
    return run, job_runner.JobCancelled


def test_a_cancel_stops_training_within_a_few_batches_of_an_epoch(small_history, monkeypatch):
    from repurchase.model import network_fit

    # small batches: an epoch of ~90 batches, so stopping only at an epoch's end would run
    # dozens of batches after the cancel
    config = train.TrainConfig(**{**TINY_TRAINING, "batch_size": 16, "peers": False})
    run, cancelled = _cancellable()
    batches = {"run": 0, "after_cancel": 0}
    cancel_before = 12
    built = network_fit.build

    def counting_build(net_config):
        net = built(net_config)

        def count(module, _inputs):
            if not module.training:
                return  # the validation weeks' scoring, not a training batch
            batches["run"] += 1
            if run._cancel.is_set():
                batches["after_cancel"] += 1
            if batches["run"] == cancel_before - 1:
                run._cancel.set()  # the heartbeat saw a cancel request before batch N

        net.register_forward_pre_hook(count)
        return net

    monkeypatch.setattr(network_fit, "build", counting_build)
    with pytest.raises(cancelled):
        train.train(small_history, SMALL_UNTIL, config, progress=run)
    assert batches["run"] < 40  # never reached the epoch's end (about 90 batches)
    assert batches["after_cancel"] <= network_fit.BATCHES_PER_REPORT


def test_a_cancel_stops_before_the_next_peer_is_fitted(small_history, monkeypatch):
    from repurchase.model import peers
    from repurchase.model.peers import PEERS

    fitted = []
    real_fit = peers.fit
    monkeypatch.setattr(
        peers, "fit", lambda kind, *a, **k: fitted.append(kind) or real_fit(kind, *a, **k)
    )
    run, cancelled = _cancellable()

    def progress(fraction, message):
        if getattr(message, "key", "") == "jobs.step.peer" and len(fitted) == 1:
            run._cancel.set()  # asked while the first peer was being fitted
        run(fraction, message)

    config = train.TrainConfig(**{**TINY_TRAINING, "effect": False})
    with pytest.raises(cancelled):
        train.train(small_history, SMALL_UNTIL, config, progress=progress)
    assert fitted == [PEERS[0]]  # the second peer was never started
    assert len(PEERS) > 1


def test_every_step_a_training_run_reports_carries_its_catalogue_key(small_history):
    from repurchase.i18n.steps import Step

    said = []
    train.train(
        small_history,
        SMALL_UNTIL,
        train.TrainConfig(**TINY_TRAINING),
        progress=lambda f, m: said.append(m),
    )
    assert said and all(isinstance(m, Step) for m in said), [
        m for m in said if not isinstance(m, Step)
    ]
    keys = {m.key for m in said}
    assert {"jobs.step.peer", "jobs.step.calibrating", "jobs.step.epoch_best"} <= keys


def test_a_validation_slice_past_its_cap_holds_whole_books_of_seeded_reps(small_history):
    from repurchase.model.predictor import Inputs

    config = train.TrainConfig(**TINY_TRAINING)
    split = train.time_split(small_history, SMALL_UNTIL, config)
    vocabulary = features.fit_vocabulary(small_history)
    inputs = Inputs(config.feature_set, config.horizon_days, vocabulary, None)

    def cut(cap: int, seed: int = 3) -> train._Slice:
        return train._validation_slice(
            small_history, inputs, split.report_first, split.valid_last, cap, seed
        )

    full = cut(10**9)
    latest = full.samples.anchors.max()
    week = full.samples.anchors == latest
    cap = int(week.sum()) - 1  # even the latest week does not fit
    part = cut(cap)
    assert 0 < len(part.samples) <= cap
    assert set(part.samples.anchors) == {latest}
    for rep in set(part.reps):  # every customer of a drawn rep, as its list would hold them
        mine = set(part.samples.customer_ids[part.reps == rep])
        assert mine == set(full.samples.customer_ids[week & (full.reps == rep)])
    assert set(part.reps) < set(full.reps[week])
    again = cut(cap)
    assert list(again.samples.customer_ids) == list(part.samples.customer_ids)
