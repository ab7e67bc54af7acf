"""Training: time-ordered split, networks averaged over seeds, the peers fitted on the same
samples, epochs chosen and the serving method gated on per-rep list precision.

The split never looks ahead. With `until` = D and horizon H:
  validation anchors: weekly, the last `validation_weeks` weeks whose labels end by D;
  training anchors:   weekly, every week whose label window ends before validation starts.
Each epoch draws `samples_per_epoch` training anchors at random (weekly anchors of the same
customers overlap heavily, so a full pass mostly repeats itself). The validation weeks are
cut in two, each holding every customer of every active rep (whole books, so per-rep lists
can be drawn): the earlier weeks choose each network's epoch (early stopping on list
precision, not AUC) and fit every method's Platt calibration; the last `report_weeks` only
measure, and decide which method serves (`choose_serving`): the networks' average, or the
best peer if it makes better lists there.

What this costs: the model's weights do not learn from the last ~15 weeks of outcomes (the
validation weeks plus one horizon); its inputs still see every event up to the day scored.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from repurchase.errors import NotEnoughHistoryError
from repurchase.i18n.steps import Step
from repurchase.model import effect, features, metrics, peers, ranking_gate, summary
from repurchase.model.config import TrainConfig
from repurchase.model.features import History, Samples
from repurchase.model.metrics import list_score
from repurchase.model.network import NetConfig
from repurchase.model.network_fit import device, fit_networks, set_seed
from repurchase.model.predictor import (
    NETWORK,
    Inputs,
    Predictor,
    TrainResult,
    apply_calibration,
)

Progress = Callable[[float, str], None]


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


def calibrate(z: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Platt scaling on held-out scores: p = sigmoid(a * z + b). Focal loss trains
    under-confident scores and the peers' scores are not all probabilities; two parameters
    fitted on the validation slice fix the scale without room to overfit."""
    if len(np.unique(labels)) < 2:
        rate = float(np.clip(np.mean(labels) if len(labels) else 0.5, 1e-3, 1 - 1e-3))
        return {"a": 0.0, "b": float(np.log(rate / (1 - rate)))}
    fit = LogisticRegression(C=1e6, max_iter=1000).fit(z.reshape(-1, 1), labels)
    return {"a": float(fit.coef_[0, 0]), "b": float(fit.intercept_[0])}


@dataclass
class _Slice:
    """A validation slice: whole books of every active rep on some weekly anchors."""

    samples: Samples
    reps: np.ndarray

    def evaluate(self, score: np.ndarray, top_n: int, p: np.ndarray | None = None) -> dict:
        s = self.samples
        return metrics.list_metrics(s.anchors, self.reps, score, s.labels, top_n, p)


def _validation_slice(
    history: History, inputs: Inputs, first: date, last: date, cap: int, seed: int
) -> _Slice:
    """Every customer of a rep still employed, on each weekly anchor in [first, last], at most
    `cap` rows: the latest weeks that fit, and when even the latest week does not, the whole
    books of reps drawn at random (seeded) within it. Every epoch of every seed is scored on
    this slice, so a week of a large company (333,333 rows at 10M visits) cost more than the
    training steps; whole books keep each (week, rep) list as the rep would see it."""
    anchors = features.weekly_anchors(history, first, last)
    customers = history.customers.set_index("customer_id")
    active = customers.rep_active.fillna(False).astype(bool)
    anchors = anchors[anchors.customer_id.map(active).to_numpy()]
    if len(anchors) > cap:
        weeks = np.sort(anchors.anchor.unique())[::-1]
        sizes = anchors.groupby("anchor").size().loc[weeks].cumsum().to_numpy()
        keep = weeks[: max(1, int((sizes <= cap).sum()))]
        anchors = anchors[anchors.anchor.isin(keep)]
    reps = customers.owner_rep_id.loc[anchors.customer_id].to_numpy()
    kept = metrics.whole_books(reps, cap, seed)
    anchors = anchors.iloc[kept].reset_index(drop=True)
    samples = inputs.samples(history, anchors, labels=True)
    return _Slice(samples, reps[kept])


def net_config_for(cfg: TrainConfig, inputs: Inputs, train_anchors: int) -> NetConfig:
    """The paper's network as the paper sizes it; the hybrid sized to the data: a small book
    gets a small network so that it cannot memorise its few customers."""
    n_temporal = len(features.FEATURE_SETS[cfg.feature_set])
    if cfg.network == "paper":
        return NetConfig(n_temporal=n_temporal, n_static=len(features.STATIC))
    small = train_anchors < 50_000
    return NetConfig(
        kind="hybrid",
        n_temporal=n_temporal,
        n_static=len(features.STATIC),
        conv_channels=16 if small else 32,
        lstm_hidden=16 if small else 32,
        lstm_layers=1,
        dropout=0.1,
        n_summary=len(summary.SUMMARY),
        categories=tuple(len(inputs.vocabulary[c]) + 1 for c in features.STATIC),
        head_hidden=16 if small else 32,
    )


class _Draws:
    """The training samples of each epoch: `samples_per_epoch` anchors drawn at random from the
    pool, built once and shared by every seed's network."""

    def __init__(
        self, history: History, inputs: Inputs, pool: pd.DataFrame, cfg: TrainConfig
    ) -> None:
        self.history, self.inputs, self.pool = history, inputs, pool
        self.size = min(cfg.samples_per_epoch, len(pool))
        self.rng = np.random.default_rng(cfg.seed)
        self.drawn: list[Samples] = []

    def __call__(self, epoch: int) -> Samples:
        while len(self.drawn) <= epoch:
            take = self.rng.choice(len(self.pool), self.size, replace=False)
            anchors = self.pool.iloc[np.sort(take)]
            self.drawn.append(self.inputs.samples(self.history, anchors, labels=True))
        return self.drawn[epoch]


@dataclass
class _Prepared:
    """What every network and peer of a run learns from and is judged on."""

    inputs: Inputs
    draws: _Draws
    selection: _Slice  # chooses epochs and fits the calibrations
    report: _Slice  # only measures, and gates the serving method


def train(
    history: History,
    until: date,
    config: TrainConfig | None = None,
    progress: Progress | None = None,
    *,
    holdout: pd.DataFrame | None = None,
) -> TrainResult:
    """Fit the networks (and the peers) on `history` (everything before `until`), choose
    epochs on a later slice and the serving method on the last one. With `config.effect` the
    call-effect model is fitted too and the gate chooses the lists' ranking on the last slice;
    `holdout` (rows as effect.fit takes them) calibrates it and, where enough, judges."""
    cfg = config or TrainConfig()
    say = progress or (lambda _f, _m: None)
    if cfg.network not in ("paper", "hybrid"):
        raise ValueError(f"unknown network {cfg.network!r}: choose paper or hybrid")
    started = time.perf_counter()
    timings: dict[str, float] = {}
    set_seed(cfg.seed)
    split = time_split(history, until, cfg)

    t0 = time.perf_counter()
    data = _prepare(history, split, cfg, say)
    timings["prepare"] = time.perf_counter() - t0
    say(
        0.05,
        Step(
            "jobs.step.anchors",
            anchors=len(data.draws.pool),
            selection=len(data.selection.samples),
            report=len(data.report.samples),
        ),
    )

    net_config = net_config_for(cfg, data.inputs, len(data.draws.pool))
    t0 = time.perf_counter()
    nets, epochs = fit_networks(
        data.inputs,
        data.draws,
        data.selection,
        net_config,
        cfg,
        lambda f, m: say(0.05 + 0.75 * f, m),
    )
    timings["networks"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    predictor = Predictor(data.inputs, net_config, nets, calibration={})
    gate, verdict = _fit_peers_and_gate(predictor, data, cfg, say)
    timings["peers_and_gate"] = time.perf_counter() - t0
    say(0.95, verdict)

    result_metrics = _result_metrics(predictor, gate, epochs, data)
    if cfg.effect:
        t0 = time.perf_counter()
        say(0.96, Step("jobs.step.effect"))
        result_metrics.update(
            _fit_effect_and_rank(history, split, data, predictor, cfg, holdout, say)
        )
        timings["effect_and_ranking"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - started
    say(1.0, verdict)
    return TrainResult(
        predictor,
        cfg,
        split.train_first,
        split.train_last,
        until,
        result_metrics,
        gate,
        epochs,
        timings,
    )


def _prepare(history: History, split: Split, cfg: TrainConfig, say: Progress) -> _Prepared:
    """The inputs (vocabularies, BG/NBD, scalers fitted on the first epoch's draw) and the
    two validation slices; a progress report (a point to stop at) between the parts."""
    # BG/NBD's four parameters from purchases before validation starts: the summary's
    # P(alive) never reads the validation weeks' outcomes
    params = summary.fit_bgnbd(history, int(pd.Timestamp(split.valid_first).value // 10**9))
    inputs = Inputs(cfg.feature_set, cfg.horizon_days, features.fit_vocabulary(history), params)
    pool = features.weekly_anchors(history, split.train_first, split.train_last)
    draws = _Draws(history, inputs, pool, cfg)
    say(0.01, Step("jobs.step.preparing"))
    inputs.fit_scalers(draws(0))
    say(0.02, Step("jobs.step.preparing"))
    selection = _validation_slice(
        history,
        inputs,
        split.valid_first,
        split.report_first - timedelta(days=1),
        cfg.validation_samples,
        cfg.seed,
    )
    say(0.03, Step("jobs.step.preparing"))
    report = _validation_slice(
        history, inputs, split.report_first, split.valid_last, cfg.validation_samples, cfg.seed
    )
    return _Prepared(inputs, draws, selection, report)


def _fit_peers_and_gate(
    predictor: Predictor, data: _Prepared, cfg: TrainConfig, say: Progress
) -> tuple[list[dict[str, object]], str]:
    """Fit the peers on the first draws, calibrate every method on the selection slice, and
    let the report slice choose which serves (set on `predictor`). Returns the gate's rows (one
    per method) and the verdict."""
    draws = data.draws.drawn
    if cfg.peers:
        fit_on = _concat([data.draws(i) for i in range(min(3, len(draws)))])
        predictor.peers = {}
        for kind in peers.PEERS:  # one by one: each fit is a point to stop at
            say(0.82, Step("jobs.step.peer", peer=kind))
            predictor.peers[kind] = peers.fit(kind, fit_on, data.inputs.vocabulary, cfg.seed)
    selection, report = data.selection, data.report
    for method in predictor.methods:

        def tick(method: str = method) -> None:
            say(0.9, Step("jobs.step.calibrating", method=method))

        tick()
        predictor.calibration[method] = calibrate(
            predictor.raw(selection.samples, method, tick), selection.samples.labels
        )
    gate, per_list = [], {}
    rs = report.samples
    for method in predictor.methods:

        def measuring(method: str = method) -> None:
            say(0.92, Step("jobs.step.calibrating", method=method))

        measuring()
        z = predictor.raw(rs, method, measuring)
        p = apply_calibration(z, predictor.calibration[method])
        row = {"method": method, **report.evaluate(z, cfg.top_n, p)}
        row["list_precision"] = list_score(row)
        per_list[method] = metrics.list_scores(rs.anchors, report.reps, z, rs.labels, cfg.top_n)
        gate.append(row)
    for row in gate:  # how precisely each peer's difference from the network is known
        diff = (per_list[row["method"]] - per_list[NETWORK]).dropna()
        row["margin_se"] = float(diff.std(ddof=1) / np.sqrt(len(diff))) if len(diff) > 1 else 0.0
    predictor.serving, verdict = choose_serving(gate)
    return gate, verdict


def _result_metrics(
    predictor: Predictor,
    gate: list[dict[str, object]],
    epochs: list[dict[str, float]],
    data: _Prepared,
) -> dict[str, float]:
    """The run's figures: the serving method's on the report weeks, the network's beside them."""
    draws = data.draws.drawn
    served = next(r for r in gate if r["method"] == predictor.serving)
    network = next(r for r in gate if r["method"] == NETWORK)
    return {
        "valid_auc": served["auc"],
        "valid_brier": served["brier"],
        "precision_at_n": served["precision_top_n"],
        "precision_top10pct": served["precision_top10pct"],
        "list_precision": served["list_precision"],
        "base_rate": served["base_rate"],
        "valid_base_rate": served["base_rate"],
        "lift": served["precision_top_n"] / served["base_rate"] - 1
        if served["base_rate"] > 0
        else float("nan"),
        "network_list_precision": network["list_precision"],
        "network_auc": network["auc"],
        "serving_is_network": float(predictor.serving == NETWORK),
        "best_epoch": float(np.mean([e["epoch"] for e in epochs if e.get("best")] or [0])),
        "epochs_run": float(len(epochs)),
        **recontact_rates(
            np.concatenate([d.summary for d in draws]), np.concatenate([d.labels for d in draws])
        ),
        "train_anchors": float(len(data.draws.pool)),
        "valid_anchors": float(len(data.selection.samples) + len(data.report.samples)),
    }


def _fit_effect_and_rank(
    history: History,
    split: Split,
    data: _Prepared,
    predictor: Predictor,
    cfg: TrainConfig,
    holdout: pd.DataFrame | None,
    say: Progress,
) -> dict[str, object]:
    """Fit the call effect on outcomes that end before the report weeks (so the gate judges it
    on weeks it never saw, like the networks), set it on `predictor`, and let the report weeks
    choose the ranking. Returns the metrics to add: ranking_choice, ranking_reason,
    ranking_evidence and the effect fit's figures (effect_*)."""
    model = effect.fit(
        history,
        split.report_first,
        cfg.horizon_days,
        holdout=holdout,
        weeks=cfg.effect_weeks,
        max_rows=cfg.effect_rows,
        seed=cfg.seed,
        progress=lambda _f, m: say(0.96, m),
    )
    predictor.effect = model
    say(0.97, Step("jobs.step.effect"))
    rs = data.report.samples
    anchors = pd.DataFrame({"customer_id": rs.customer_ids, "anchor": pd.to_datetime(rs.anchors)})

    def tick(fraction: float = 0.97) -> None:
        say(fraction, Step("jobs.step.effect"))

    frame = _ranking_frame(history, anchors, data.report.reps, predictor, rs, cfg, tick)
    tick(0.98)
    held = _holdout_frame(history, holdout, split, predictor, cfg, lambda: tick(0.98))
    choice, reason, evidence = ranking_gate.choose_ranking(frame, cfg.top_n, held)
    return {
        "ranking_choice": choice,
        "ranking_reason": reason,
        "ranking_evidence": evidence,
        **{f"effect_{k}": v for k, v in model.fit_report.items()},
    }


def _ranking_frame(
    history: History,
    anchors: pd.DataFrame,
    reps: np.ndarray,
    predictor: Predictor,
    samples: Samples,
    cfg: TrainConfig,
    tick: Callable[[], None],
) -> pd.DataFrame:
    """One row per (day, rep, customer): the four rankings' scores, whether the customer was
    called within the week (treated), ordered within the horizon (outcome), and the reps'
    chance of calling it (propensity)."""
    model = predictor.effect
    x = model.features(history, anchors)
    found = model.predict_features(x, anchors.customer_id)
    p_order, _ = predictor.predict(samples, tick=tick)
    typical = ranking_gate.typical_order(history, anchors)
    treated, outcome = effect.treatment_and_outcome(history, anchors, cfg.horizon_days)
    return pd.DataFrame(
        {
            "day": anchors.anchor.to_numpy(),
            "rep": reps,
            "customer_id": anchors.customer_id.to_numpy(),
            "probability": p_order,
            "value": p_order * typical,
            "effect": found.call_effect.to_numpy(),
            "effect_value": found.call_effect.to_numpy() * typical,
            "treated": treated,
            "outcome": outcome,
            "propensity": model.p_treated(x),
        }
    )


def _holdout_frame(
    history: History,
    holdout: pd.DataFrame | None,
    split: Split,
    predictor: Predictor,
    cfg: TrainConfig,
    tick: Callable[[], None],
) -> pd.DataFrame | None:
    """Every active customer on the first day of each hold-out period within the report weeks,
    scored by the four rankings, with the randomised units marked (in_holdout, held_out)."""
    if holdout is None or not len(holdout):
        return None
    starts = pd.to_datetime(holdout.period_start)
    first, last = pd.Timestamp(split.report_first), pd.Timestamp(split.valid_last)
    days = sorted(starts[(starts >= first) & (starts <= last)].unique())
    if not days:
        return None
    customers = history.customers.set_index("customer_id")
    active = customers.index[customers.rep_active.fillna(False).astype(bool).to_numpy()]
    anchors = pd.DataFrame(
        [(c, pd.Timestamp(d)) for d in days for c in active], columns=["customer_id", "anchor"]
    )
    samples = predictor.samples(history, anchors, labels=False)
    reps = customers.owner_rep_id.loc[anchors.customer_id].to_numpy()
    frame = _ranking_frame(history, anchors, reps, predictor, samples, cfg, tick)
    units = holdout.assign(day=pd.to_datetime(holdout.period_start))[
        ["day", "customer_id", "held_out"]
    ].drop_duplicates(["day", "customer_id"])
    frame = frame.merge(units, on=["day", "customer_id"], how="left")
    frame["in_holdout"] = frame.held_out.notna()
    frame["held_out"] = frame.held_out.fillna(False).astype(bool)
    return frame


def recontact_rates(summary_values: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """How a "no demand" call in the last 7 days changes the chance of an order within the
    horizon, on training samples (their summaries and labels): the order rate of those
    customers and of everyone else."""
    s = summary.frame(summary_values)
    recent = ((np.expm1(s.log_since_visit) <= 7) & (s.last_visit_no_demand > 0)).to_numpy()
    return {
        "recontact_no_demand_rate": float(labels[recent].mean()) if recent.any() else float("nan"),
        "recontact_no_demand_n": float(recent.sum()),
        "recontact_other_rate": float(labels[~recent].mean()) if (~recent).any() else float("nan"),
    }


def choose_serving(gate: list[dict[str, object]]) -> tuple[str, str]:
    """The network serves unless the best peer's list precision on the report weeks beats it
    by more than the noise of that comparison: one standard error of the paired per-list
    difference (`margin_se`; each (day, rep) list is scored by both, so the difference is
    measured list by list). Why a margin at all: with three weeks of lists the measured
    winner among near-equals flips with the draw (seen on every benchmark data set: the gate
    without it served a peer that then did worse than the network), and the network, which
    sees the peers' summary, is the default a company starts from; a peer must show it is
    better, not merely tie. Returns (method, why)."""
    network = next(r for r in gate if r["method"] == NETWORK)
    others = [r for r in gate if r["method"] != NETWORK and not np.isnan(r["list_precision"])]
    if not others:
        return NETWORK, Step("jobs.step.serving_alone", network=float(network["list_precision"]))
    best = max(others, key=lambda r: r["list_precision"])
    margin = float(best.get("margin_se", 0.0) or 0.0)
    figures = {
        "peer": str(best["method"]),
        "best": float(best["list_precision"]),
        "network": float(network["list_precision"]),
    }
    if np.isnan(network["list_precision"]) or (
        best["list_precision"] - network["list_precision"] > margin
    ):
        return str(best["method"]), Step("jobs.step.serving_peer", margin=margin, **figures)
    return NETWORK, Step("jobs.step.serving_network", **figures)


def _concat(parts: list[Samples]) -> Samples:
    first = parts[0]
    return Samples(
        np.concatenate([p.customer_ids for p in parts]),
        np.concatenate([p.anchors for p in parts]),
        np.concatenate([p.temporal for p in parts]),
        np.concatenate([p.static for p in parts]),
        np.concatenate([p.labels for p in parts]),
        np.concatenate([p.n_history for p in parts]),
        first.feature_names,
        np.concatenate([p.summary for p in parts]),
    )


__all__ = [
    "TrainConfig",
    "TrainResult",
    "train",
    "set_seed",
    "device",
    "choose_serving",
    "NETWORK",
]
