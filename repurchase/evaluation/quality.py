"""Quality of the served list against every peer, as a new user would measure it.

For one warehouse, one cutoff D and one seed: train exactly as `train --until D` does (the
networks, the peers, the gate), score every customer of every active rep as of D like
`score --as-of D`, and judge each method by what happened in [D, D + H): an order record or a
successful visit. Every method ranks the same customers on the same day; lists are each
rep's top 15 and top 10 % of the book (metrics.py). Beside the learned methods: random,
round robin, the reps' own choice (the customers each rep actually called in the week from D)
and, where the data comes from a generator, an oracle that knows who really was in a buying
window in [D, D + H): the ceiling of what any list could reach.

Nothing here reads data after D for features; labels read (D, D + H] only.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from repurchase import codes
from repurchase.evaluation import baselines
from repurchase.model import features, metrics, summary, train
from repurchase.model.config import TrainConfig
from repurchase.model.predictor import NETWORK
from repurchase.warehouse.store import Warehouse

TOP_N = codes.TOP_N


def evaluate_cutoff(
    warehouse: Warehouse,
    cutoff: date,
    seed: int,
    config: TrainConfig | None = None,
    *,
    truth: pd.DataFrame | None = None,
    paper: TrainConfig | None = None,
) -> tuple[pd.DataFrame, dict[str, object]]:
    """One row per method: precision_top_n, precision_top10pct, auc, brier, base_rate, plus
    what the run chose and cost. `paper`: also train the paper's exact network with it."""
    cfg = replace(config or TrainConfig(), seed=seed)
    horizon = cfg.horizon_days
    full = features.load_history(warehouse, cutoff + timedelta(days=horizon))
    past = features.truncate(full, cutoff)
    started = time.perf_counter()
    result = train.train(past, cutoff, cfg)
    seconds = time.perf_counter() - started
    predictor = result.predictor

    customers = full.customers
    active = customers[customers.rep_active.fillna(False).to_numpy()]
    anchors = pd.DataFrame(
        {"customer_id": active.customer_id.to_numpy(), "anchor": pd.Timestamp(cutoff)}
    )
    samples = predictor.samples(full, anchors, labels=True)
    labels = samples.labels
    reps = active.owner_rep_id.to_numpy()
    day = samples.anchors

    scores: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
    for method in predictor.methods:
        p, _ = predictor.predict(samples, method)
        scores[method] = (p, p)
    scores["served"] = scores[predictor.serving]
    if paper is not None:
        paper_run = train.train(past, cutoff, replace(paper, seed=seed))
        p, _ = paper_run.predictor.predict(paper_run.predictor.samples(full, anchors), NETWORK)
        scores["paper network"] = (p, p)
    facts = features.anchor_facts(past, anchors)
    scores["round-robin"] = (baselines.round_robin_scores(facts), None)
    scores["random"] = (baselines.random_scores(len(anchors), seed), None)
    if truth is not None:
        scores["oracle"] = (_oracle(truth, anchors, cutoff, horizon, seed), None)

    served_p = scores["served"][1]
    recontact = recontact_table(samples, served_p, reps)
    rows = []
    for method, (score, p) in scores.items():
        rows.append({"method": method, **metrics.list_metrics(day, reps, score, labels, TOP_N, p)})
    rows.append({"method": "reps' own choice", **_reps_choice(full, anchors, reps, labels, cutoff)})
    info = {
        "serving": predictor.serving,
        "train_seconds": seconds,
        "customers": len(anchors),
        "base_rate": float(labels.mean()),
        "recontact": recontact,
    }
    return pd.DataFrame(rows), info


def recontact_groups(samples) -> np.ndarray:
    """Each sample's last call as of its anchor: 'no demand 1-7 d ago', 'order 1-7 d ago',
    'no call in 7 d' (read from the summary, so from events before the anchor only)."""
    s = summary.frame(samples.summary)
    days = np.expm1(s.log_since_visit.to_numpy())
    recent = days <= 7
    return np.where(
        recent & (s.last_visit_no_demand.to_numpy() > 0),
        "no demand 1-7 d ago",
        np.where(recent, "order 1-7 d ago", "no call in 7 d"),
    )


def recontact_table(samples, p: np.ndarray, reps: np.ndarray) -> pd.DataFrame:
    """Does a recent "no demand" call change the chance of an order, and does the served
    list reflect it? Per group: customers, observed order rate within the horizon, the served
    method's mean probability, and the group's share of the top-15 lists."""
    group = recontact_groups(samples)
    frame = pd.DataFrame({"group": group, "label": samples.labels, "p": p, "rep": reps})
    frame["listed"] = (
        frame.assign(row=np.arange(len(frame)))
        .sort_values(["rep", "p", "row"], ascending=[True, False, True])
        .groupby("rep")
        .cumcount()
        .sort_index()
        < TOP_N
    )
    table = frame.groupby("group").agg(
        customers=("label", "size"),
        order_rate=("label", "mean"),
        mean_p=("p", "mean"),
        listed=("listed", "sum"),
    )
    table["share_of_lists"] = table.listed / max(int(frame.listed.sum()), 1)
    table["share_of_book"] = table.customers / len(frame)
    return table.reset_index()


def _oracle(
    truth: pd.DataFrame, anchors: pd.DataFrame, cutoff: date, horizon: int, seed: int
) -> np.ndarray:
    """1 for a customer with a real buying window overlapping [D, D + H), else 0; random
    tie-breaks within each group so the oracle is not helped by customer order."""
    start, end = pd.Timestamp(cutoff), pd.Timestamp(cutoff + timedelta(days=horizon))
    w = truth[
        (pd.to_datetime(truth.window_start) < end) & (pd.to_datetime(truth.window_end) >= start)
    ]
    in_window = anchors.customer_id.isin(set(w.customer_id)).to_numpy().astype(float)
    return in_window + 0.01 * np.random.default_rng(seed).random(len(anchors))


def _reps_choice(
    history: features.History,
    anchors: pd.DataFrame,
    reps: np.ndarray,
    labels: np.ndarray,
    cutoff: date,
) -> dict[str, float]:
    """The reps' own list: the customers each rep called in the week from D (their own
    choice, without any model), scored by the same label."""
    ev = history.events
    t0, t1 = pd.Timestamp(cutoff), pd.Timestamp(cutoff + timedelta(days=7))
    called = ev[(ev.is_visit == 1) & (ev.event_at >= t0) & (ev.event_at < t1)]
    ids = set(history.customers.customer_id.to_numpy()[called.customer_idx.unique()])
    chosen = anchors.customer_id.isin(ids).to_numpy()
    if not chosen.any():
        return {
            "precision_top_n": math.nan,
            "precision_top10pct": math.nan,
            "auc": math.nan,
            "brier": math.nan,
            "base_rate": float(labels.mean()),
        }
    per_rep = pd.DataFrame({"rep": reps[chosen], "label": labels[chosen]})
    precision = float(per_rep.groupby("rep").label.mean().mean())
    return {
        "precision_top_n": precision,
        "precision_top10pct": precision,
        "auc": math.nan,
        "brier": math.nan,
        "base_rate": float(labels.mean()),
    }


def cutoffs(end: date, count: int, horizon: int = 28, step_days: int = 28) -> list[date]:
    """`count` Mondays, `step_days` apart, the last one's horizon ending by `end`."""
    last = end + timedelta(days=1) - timedelta(days=horizon)
    last -= timedelta(days=last.weekday())
    return [last - timedelta(days=step_days * i) for i in range(count - 1, -1, -1)]


PEER_METHODS = ("gbm", "logistic", "bg/nbd", "recency-frequency")


def summarise(rows: pd.DataFrame) -> pd.DataFrame:
    """Per method: mean and sd over cutoffs and seeds of each metric, and the ratio of its
    mean to the best peer's mean (best peer chosen per metric)."""
    stats = rows.groupby("method").agg(
        top15=("precision_top_n", "mean"),
        top15_sd=("precision_top_n", "std"),
        top10pct=("precision_top10pct", "mean"),
        top10pct_sd=("precision_top10pct", "std"),
        auc=("auc", "mean"),
        auc_sd=("auc", "std"),
        brier=("brier", "mean"),
        runs=("precision_top_n", "size"),
    )
    peers_present = [m for m in PEER_METHODS if m in stats.index]
    for column in ("top15", "top10pct", "auc"):
        best = stats.loc[peers_present, column].max() if peers_present else math.nan
        stats[f"{column}_vs_best_peer"] = stats[column] / best
    order = [
        "served",
        NETWORK,
        "paper network",
        *PEER_METHODS,
        "round-robin",
        "random",
        "reps' own choice",
        "oracle",
    ]
    return stats.loc[[m for m in order if m in stats.index]].reset_index()
