"""Training: time-ordered split, focal loss, Adam, early stopping, Platt calibration.

The split never looks ahead. With `until` = D and horizon H:
  validation anchors: weekly, the last `validation_weeks` weeks whose labels end by D;
  training anchors:   weekly, every week whose label window ends before validation starts.
Each epoch draws `samples_per_epoch` training anchors at random (weekly anchors of the same
customers overlap heavily, so a full pass mostly repeats itself) and stops early when the
validation AUC has not improved for `patience` epochs; the best epoch's weights are kept.
The validation weeks are cut in two: the earlier ones choose the epoch and fit the Platt
calibration, the last `report_weeks` only measure (the reported metrics).

What this costs: the model's weights do not learn from the last ~15 weeks of outcomes (the
validation weeks plus one horizon); its inputs still see every event up to the day scored.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

from repurchase import features
from repurchase.features import History, Samples, Scaler
from repurchase.model import NetConfig, RepurchaseNet, focal_loss, order_probability

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class TrainConfig:
    """Training settings; the defaults are the paper's (section 3) where it gives one."""

    feature_set: str = "paper"
    horizon_days: int = 28  # the paper's 4-week window
    validation_weeks: int = 8
    samples_per_epoch: int = 30_000
    max_epochs: int = 10
    patience: int = 3
    batch_size: int = 64  # paper 3.2
    learning_rate: float = 1e-3  # paper, algorithm 1 (Adam, betas 0.9/0.999, eps 1e-8)
    focal_alpha: float = 0.25  # paper 3.4
    focal_gamma: float = 2.0
    validation_samples: int = 20_000
    report_weeks: int = 3  # the last validation weeks, kept for the reported metrics
    top_n: int = 15
    seed: int = 7
    time_budget_seconds: float | None = None  # stop after the epoch that crosses it
    min_history_days: int = 28  # first training anchor: this long after the first event

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class TrainResult:
    """What a training run produced: a fitted network plus everything needed to use it."""

    net: RepurchaseNet
    net_config: NetConfig
    train_config: TrainConfig
    scaler: Scaler
    vocabulary: dict[str, list[str]]
    calibration: dict[str, float]
    train_start: date
    train_end: date
    until: date
    metrics: dict[str, float]
    epochs: list[dict[str, float]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def set_seed(seed: int) -> None:
    """The one place randomness is seeded: Python, numpy and torch."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def device() -> torch.device:
    """A GPU when one is present, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


class NotEnoughHistoryError(ValueError):
    """The warehouse does not span enough time for a training and a validation period."""


@dataclass(frozen=True)
class Split:
    train_first: date
    train_last: date
    valid_first: date
    valid_last: date
    report_first: date  # validation weeks from here on only measure (see train())


def time_split(history: History, until: date, config: TrainConfig) -> Split:
    """Anchor ranges for training and validation; raises if the history is too short."""
    if len(history.events) == 0:
        raise NotEnoughHistoryError("the warehouse holds no visits or orders to learn from")
    first_event = pd.Timestamp(history.events.event_at.min()).date()
    valid_last = until - timedelta(days=config.horizon_days)
    valid_first = valid_last - timedelta(weeks=config.validation_weeks - 1)
    train_last = valid_first - timedelta(days=config.horizon_days)
    train_first = first_event + timedelta(days=config.min_history_days)
    if train_last <= train_first + timedelta(weeks=4):
        need = config.min_history_days + 28 + config.horizon_days * 2 + 7 * config.validation_weeks
        raise NotEnoughHistoryError(
            f"history from {first_event} to {until} is too short to train and validate "
            f"without looking ahead; it needs about {need} days (or fewer --validation-weeks)"
        )
    report_weeks = max(1, min(config.report_weeks, config.validation_weeks // 2))
    report_first = valid_last - timedelta(weeks=report_weeks - 1)
    return Split(train_first, train_last, valid_first, valid_last, report_first)


def _tensors(samples: Samples, scaler: Scaler, dev: torch.device) -> tuple[torch.Tensor, ...]:
    return (
        torch.from_numpy(scaler.temporal(samples)).to(dev),
        torch.from_numpy(scaler.static(samples)).to(dev),
    )


def predict_logits(
    net: RepurchaseNet, temporal: torch.Tensor, static: torch.Tensor, batch: int = 256
) -> np.ndarray:
    """Log-odds of 'order' for every row, in evaluation mode, without gradients. Batches of
    256: this CPU's LSTM kernels score ~35 % more customers per second than at 4096
    (bench/model_speed.py)."""
    net.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(temporal), batch):
            logits = net(temporal[i : i + batch], static[i : i + batch])
            out.append((logits[:, 1] - logits[:, 0]).cpu().numpy())
    return np.concatenate(out) if out else np.zeros(0)


def calibrate(log_odds: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Platt scaling on held-out log-odds: p = sigmoid(a * log_odds + b). Focal loss trains
    under-confident scores; two parameters fitted on the validation slice fix the scale
    without room to overfit."""
    if len(np.unique(labels)) < 2:
        return {"a": 1.0, "b": 0.0}
    fit = LogisticRegression(C=1e6, max_iter=1000).fit(log_odds.reshape(-1, 1), labels)
    return {"a": float(fit.coef_[0, 0]), "b": float(fit.intercept_[0])}


def apply_calibration(log_odds: np.ndarray, calibration: dict[str, float]) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(calibration["a"] * log_odds + calibration["b"])))


def list_precision(
    samples: Samples, p: np.ndarray, owners: pd.Series, top_n: int
) -> dict[str, float]:
    """Precision of each rep's top-N list against orders within the horizon, per anchor day:
    mean over (rep, day) lists, with the base rate of the same reps' customers beside it."""
    frame = pd.DataFrame(
        {
            "day": samples.anchors,
            "rep": owners.to_numpy(),
            "p": p,
            "label": samples.labels,
        }
    )
    frame["rank"] = frame.groupby(["day", "rep"]).p.rank(ascending=False, method="first")
    listed = frame[frame["rank"] <= top_n]
    precision = listed.groupby(["day", "rep"]).label.mean().mean()
    base = frame.groupby(["day", "rep"]).label.mean().mean()
    return {
        "precision_at_n": float(precision),
        "base_rate": float(base),
        "lift": float(precision / base - 1) if base > 0 else float("nan"),
    }


def train(
    history: History,
    until: date,
    config: TrainConfig | None = None,
    progress: Progress | None = None,
) -> TrainResult:
    """Fit a network on `history` (everything before `until`), validated on a later slice."""
    cfg = config or TrainConfig()
    say = progress or (lambda _f, _m: None)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    set_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    dev = device()
    split = time_split(history, until, cfg)
    vocabulary = features.fit_vocabulary(history)

    t0 = time.perf_counter()
    pool = features.weekly_anchors(history, split.train_first, split.train_last)
    valid_all = features.weekly_anchors(history, split.valid_first, split.valid_last)
    # the earlier validation weeks choose the epoch and fit the calibration; the later ones
    # only measure, so the reported metrics are not scored on the data that tuned them
    report_first = pd.Timestamp(split.report_first)
    selection = valid_all[valid_all.anchor < report_first]
    reporting = valid_all[valid_all.anchor >= report_first]

    def sample(anchors: pd.DataFrame, size: int) -> Samples:
        take = min(size, len(anchors))
        chosen = anchors.iloc[np.sort(rng.choice(len(anchors), take, replace=False))]
        return features.build_samples(
            history, chosen, cfg.feature_set, vocabulary, cfg.horizon_days
        )

    valid_samples = sample(selection, cfg.validation_samples)
    report_samples = sample(reporting, cfg.validation_samples)
    first_draw = pool.iloc[
        rng.choice(len(pool), min(cfg.samples_per_epoch, len(pool)), replace=False)
    ]
    epoch_samples = features.build_samples(
        history, first_draw, cfg.feature_set, vocabulary, cfg.horizon_days
    )
    scaler = Scaler.fit(epoch_samples, vocabulary)
    vt, vs = _tensors(valid_samples, scaler, dev)
    timings["prepare"] = time.perf_counter() - t0

    net_config = NetConfig(
        n_temporal=len(features.FEATURE_SETS[cfg.feature_set]), n_static=len(features.STATIC)
    )
    net = RepurchaseNet(net_config).to(dev)
    optimiser = torch.optim.Adam(
        net.parameters(), lr=cfg.learning_rate, betas=(0.9, 0.999), eps=1e-8
    )
    best_auc, best_state, best_epoch, stale = -1.0, None, -1, 0
    epochs: list[dict[str, float]] = []
    train_seconds = 0.0
    for epoch in range(cfg.max_epochs):
        t_epoch = time.perf_counter()
        if epoch > 0:
            draw = pool.iloc[
                rng.choice(len(pool), min(cfg.samples_per_epoch, len(pool)), replace=False)
            ]
            epoch_samples = features.build_samples(
                history, draw, cfg.feature_set, vocabulary, cfg.horizon_days
            )
        xt, xs = _tensors(epoch_samples, scaler, dev)
        y = torch.from_numpy(epoch_samples.labels).to(dev)
        t_steps = time.perf_counter()
        net.train()
        order = torch.from_numpy(rng.permutation(len(y))).to(dev)
        losses = []
        for i in range(0, len(order), cfg.batch_size):
            batch = order[i : i + cfg.batch_size]
            if len(batch) < 2:  # BatchNorm needs two samples
                continue
            optimiser.zero_grad()
            loss = focal_loss(net(xt[batch], xs[batch]), y[batch], cfg.focal_alpha, cfg.focal_gamma)
            loss.backward()
            optimiser.step()
            losses.append(loss.item())
        steps_seconds = time.perf_counter() - t_steps
        log_odds = predict_logits(net, vt, vs)
        auc = float(roc_auc_score(valid_samples.labels, log_odds))
        elapsed = time.perf_counter() - started
        train_seconds += time.perf_counter() - t_epoch
        epochs.append(
            {
                "epoch": epoch + 1,
                "train_loss": float(np.mean(losses)),
                "valid_auc": auc,
                "seconds": time.perf_counter() - t_epoch,
                "step_seconds": steps_seconds,
            }
        )
        improved = auc > best_auc
        if improved:
            best_auc, best_epoch, stale = auc, epoch + 1, 0
            best_state = copy.deepcopy(net.state_dict())
        else:
            stale += 1
        say(
            min((epoch + 1) / cfg.max_epochs, 0.99),
            f"epoch {epoch + 1}: loss {np.mean(losses):.4f}, validation AUC {auc:.4f}"
            + (" (best)" if improved else ""),
        )
        if stale >= cfg.patience:
            break
        if cfg.time_budget_seconds is not None and elapsed >= cfg.time_budget_seconds:
            break
    timings["epochs"] = train_seconds
    net.load_state_dict(best_state)

    t0 = time.perf_counter()
    calibration = calibrate(predict_logits(net, vt, vs), valid_samples.labels)
    rt, rs = _tensors(report_samples, scaler, dev)
    log_odds = predict_logits(net, rt, rs)
    p = apply_calibration(log_odds, calibration)
    metrics = evaluate_lists(net, history, scaler, vocabulary, cfg, split.valid_last, calibration)
    metrics.update(
        {
            "valid_auc": float(roc_auc_score(report_samples.labels, log_odds)),
            "valid_brier": float(brier_score_loss(report_samples.labels, p)),
            "valid_base_rate": float(report_samples.labels.mean()),
            "selection_auc": best_auc,
            "best_epoch": best_epoch,
            "epochs_run": len(epochs),
            "train_anchors": len(pool),
            "valid_anchors": len(valid_all),
        }
    )
    timings["evaluate"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - started
    say(
        1.0,
        f"trained: validation AUC {metrics['valid_auc']:.4f}, "
        f"top-{cfg.top_n} precision {metrics['precision_at_n']:.1%}",
    )
    return TrainResult(
        net.cpu(),
        net_config,
        cfg,
        scaler,
        vocabulary,
        calibration,
        split.train_first,
        split.train_last,
        until,
        metrics,
        epochs,
        timings,
    )


def evaluate_lists(
    net: RepurchaseNet,
    history: History,
    scaler: Scaler,
    vocabulary: dict[str, list[str]],
    cfg: TrainConfig,
    day: date,
    calibration: dict[str, float],
) -> dict[str, float]:
    """Top-N list precision on the last validation day, over every customer of every rep."""
    anchors = features.daily_anchors(history, day)
    alive = history.customers.rep_active.fillna(False).to_numpy()
    anchors = anchors[alive]
    samples = features.build_samples(
        history, anchors, cfg.feature_set, vocabulary, cfg.horizon_days
    )
    t, s = _tensors(samples, scaler, next(net.parameters()).device)
    p = apply_calibration(predict_logits(net, t, s), calibration)
    owners = history.customers.set_index("customer_id").owner_rep_id.loc[samples.customer_ids]
    result = list_precision(samples, p, owners.reset_index(drop=True), cfg.top_n)
    result["list_day_auc"] = (
        float(roc_auc_score(samples.labels, p)) if samples.labels.any() else float("nan")
    )
    return result


def score_samples(
    net: RepurchaseNet, samples: Samples, scaler: Scaler, calibration: dict[str, float]
) -> tuple[np.ndarray, np.ndarray]:
    """(calibrated p_order, raw model probability) for every sample."""
    dev = next(net.parameters()).device
    t, s = _tensors(samples, scaler, dev)
    log_odds = predict_logits(net, t, s)
    return apply_calibration(log_odds, calibration), 1.0 / (1.0 + np.exp(-log_odds))


__all__ = ["TrainConfig", "TrainResult", "train", "set_seed", "order_probability"]
