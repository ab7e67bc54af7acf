"""Closed-loop policy simulation: a forward world (demo/forward.py) run under a call-list policy.

A policy is `Callable[[PolicyInput], dict[str, list[str]]]`: each Monday (and on the first
forward day) it hands every rep a ranked list of their customers. The runner keeps the period's
randomised hold-out off the lists (lists/holdout.py: 10 % of each rep's customers, re-drawn
every 4 weeks) and the world's reps follow what is left. A model-based policy scores every
customer as of that morning from the contract frames so far (features.history_from_frames),
with models fitted once per world on the history (`fit_models`, as `train --until` would).

Truth (the world's true call effect) reaches only the oracle (a policy whose `needs_truth` is
set) and the measurement; `PolicyInput.truth` is None for every other policy.

Measured per run: per forward week, orders (every channel), orders won at calls, revenue and
calls made; the hold-out units (the customers the served ranking would list, listed or held
out, with whether they ordered that week) for the Qini; and, for the listed customers, the
estimated call effect beside the true one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from repurchase.demo.forward import ForwardWorld
from repurchase.lists import holdout
from repurchase.lists import score as list_score
from repurchase.lists.value import ValueModel, fit_history, value_frame
from repurchase.model import effect as call_effect
from repurchase.model import features, metrics, peers, summary, train
from repurchase.model.config import TrainConfig
from repurchase.model.registry import LoadedModel

TOP_N = 15  # the list a rep works from each day (the demo's simulated use)
HORIZON_DAYS = 28
FEATURE_SET = "rhythm"
EffectFit = Callable[..., Any]  # effect.fit's signature: (history, until, horizon_days=...)
# The product's own training for the served policy: the networks on the budget the demo's
# simulated use trains them with, the peers, the call effect as the nightly job fits it, and
# the gate that chooses the ranking.
PRODUCT_TRAINING = TrainConfig(
    samples_per_epoch=20_000,
    max_epochs=8,
    seeds=1,
    validation_samples=30_000,
    time_budget_seconds=15.0,
)


@dataclass
class Models:
    """What the model-based policies score with, fitted once on the history before the forward
    weeks: the probability peer (gradient boosting on the summary), the spend model, and the
    call-effect model (None when none was given or could be imported)."""

    horizon_days: int
    vocabulary: dict[str, list[str]]
    bgnbd: Any
    probability: peers.Peer
    value: ValueModel
    effect: Any | None
    # the product's trained model (train.train, gate included) for the served policy
    product: LoadedModel | None = None


@dataclass
class PolicyInput:
    """What a policy gets on a Monday: the day, the contract frames so far (reps, customers,
    visits, orders), the hold-out in force, the fitted models, and the truth only for the
    oracle. `history` and `scores` are built on first use and kept."""

    day: date
    frames: dict[str, pd.DataFrame]
    holdout: set[str]
    models: Models | None
    truth: pd.DataFrame | None = None
    _history: features.History | None = field(default=None, repr=False)
    _scores: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def history(self) -> features.History:
        if self._history is None:
            f = self.frames
            self._history = features.history_from_frames(
                f["reps"], f["customers"], f["visits"], f["orders"], self.day
            )
        return self._history

    @property
    def owners(self) -> pd.DataFrame:
        customers = self.frames["customers"]
        return customers[["customer_id", "owner_rep_id"]].rename(columns={"owner_rep_id": "rep_id"})

    @property
    def scores(self) -> pd.DataFrame:
        if self._scores is None:
            if self.models is None:
                raise ValueError("a model-based policy needs fitted models")
            self._scores = score(self.models, self.history, self.day)
        return self._scores


Policy = Callable[[PolicyInput], dict[str, list[str]]]


# ----------------------------------------------------------------------------- models


def samples_for(
    history: features.History, anchors: pd.DataFrame, models_like: dict, labels: bool
) -> features.Samples:
    """Windows and the summary per (customer_id, anchor); models_like: vocabulary, bgnbd,
    horizon_days."""
    s = features.build_samples(
        history,
        anchors,
        FEATURE_SET,
        models_like["vocabulary"],
        models_like["horizon_days"] if labels else None,
    )
    s.summary = summary.compute(
        history,
        s.customer_ids_index(history),
        s.anchor_seconds(),
        models_like["bgnbd"],
        models_like["horizon_days"],
    )
    return s


def fit_models(
    history: features.History,
    until: date,
    *,
    horizon_days: int = HORIZON_DAYS,
    effect_fit: EffectFit | None = None,
    weeks: int = 26,
    max_rows: int = 40_000,
    seed: int = 7,
    product: TrainConfig | None = None,
) -> Models:
    """Fit every policy's models on `history` before `until` only: weekly anchors over the
    `weeks` whose horizon ended by `until` (at most `max_rows`, drawn at random), the
    gradient-boosted peer on the summary, the spend model, and the call-effect model through
    `effect_fit` (default: repurchase.model.effect.fit, the product's). With
    `product`, also the product's own training run (train.train) for the served policy."""
    cutoff = int(pd.Timestamp(until - timedelta(days=horizon_days)).value // 10**9)
    base = {
        "vocabulary": features.fit_vocabulary(history),
        "bgnbd": summary.fit_bgnbd(history, cutoff),
        "horizon_days": horizon_days,
    }
    last = until - timedelta(days=horizon_days + 1)
    anchors = features.weekly_anchors(history, last - timedelta(weeks=weeks), last)
    if len(anchors) > max_rows:
        anchors = anchors.sample(max_rows, random_state=seed).sort_index()
    samples = samples_for(history, anchors.reset_index(drop=True), base, labels=True)
    probability = peers.fit("gbm", samples, base["vocabulary"], seed=seed)
    effect = (effect_fit or call_effect.fit)(history, until, horizon_days=horizon_days)
    value = fit_history(history, until, horizon_days)
    served = None
    if product is not None:
        result = train.train(history, until, TrainConfig(**{**product.__dict__, "seed": seed}))
        served = LoadedModel.from_result(result, f"served-{seed}")
    return Models(
        horizon_days, base["vocabulary"], base["bgnbd"], probability, value, effect, served
    )


def score(models: Models, history: features.History, day: date) -> pd.DataFrame:
    """Every customer as of `day`'s morning: customer_id, p_order, typical_order,
    expected_value, and call_effect and effect_value when there is an effect model."""
    anchors = features.daily_anchors(history, day)
    base = {"vocabulary": models.vocabulary, "bgnbd": models.bgnbd}
    samples = samples_for(history, anchors, {**base, "horizon_days": models.horizon_days}, False)
    p = models.probability.score(samples)
    ids = anchors.customer_id.to_numpy()
    value = value_frame(history, ids, day, p, models.value)
    frame = pd.DataFrame(
        {
            "customer_id": ids,
            "p_order": p,
            "typical_order": value.typical_order.to_numpy(),
            "expected_value": value.expected_value.to_numpy(),
        }
    )
    if models.effect is not None:
        effect = models.effect.predict(history, anchors)
        frame["call_effect"] = effect.call_effect.to_numpy()
        frame["effect_value"] = frame.call_effect * frame.typical_order
    return frame


# ----------------------------------------------------------------------------- policies


def rank_lists(owners: pd.DataFrame, values: pd.Series) -> dict[str, list[str]]:
    """Each rep's customers (owners: customer_id, rep_id), highest value first; ties by id."""
    frame = owners.assign(value=owners.customer_id.map(values).fillna(-np.inf).to_numpy())
    frame = frame.sort_values(["rep_id", "value", "customer_id"], ascending=[True, False, True])
    return frame.groupby("rep_id").customer_id.apply(list).to_dict()


def own_choice(_inp: PolicyInput) -> dict[str, list[str]]:
    """No list: the reps choose as they always have."""
    return {}


def ranked_by(column: str) -> Policy:
    """A model-based policy ranking each rep's customers by `column` of `score`'s frame."""

    def policy(inp: PolicyInput) -> dict[str, list[str]]:
        scores = inp.scores
        if column not in scores:
            raise ValueError(f"no {column!r} to rank by: is there an effect model?")
        return rank_lists(inp.owners, scores.set_index("customer_id")[column])

    policy.__name__ = f"ranked_by_{column}"
    return policy


def week_truth(world: ForwardWorld, today: pd.DataFrame, days: int = 7) -> pd.DataFrame:
    """The truth the oracle ranks by: today's call effect and `week_effect`, the best call
    effect over the list's week (from the world as it stands this morning: a need opening on
    Thursday is known to the truth on Monday)."""
    week = np.max([world.truth_effect(world.day + k).call_effect for k in range(days)], axis=0)
    return today.assign(week_effect=week)


def oracle(inp: PolicyInput) -> dict[str, list[str]]:
    """Ranks by the true call effect over the list's week (today's breaking ties): the best a
    weekly list could do with these reps."""
    if inp.truth is None:
        raise ValueError("the oracle needs the truth")
    truth = inp.truth.set_index("customer_id")
    return rank_lists(inp.owners, truth.week_effect + 1e-6 * truth.call_effect)


oracle.needs_truth = True  # type: ignore[attr-defined]


def served(inp: PolicyInput) -> dict[str, list[str]]:
    """The product as it serves: its trained model scores every customer (lists/score.py's
    score_frame and worth) and ranks as its gate chose ("auto"), as score_day would."""
    model = inp.models.product if inp.models else None
    if model is None:
        raise ValueError("the served policy needs the product's trained model")
    frame = list_score.worth(
        inp.history, model, inp.day, list_score.score_frame(inp.history, model, inp.day)
    )
    ranked = list_score.rank_lists(frame, set(), 1, auto=model.ranking_choice)
    ranked = ranked.sort_values(["rep_id", "rank"])
    return ranked.groupby("rep_id").customer_id.apply(list).to_dict()


POLICIES: dict[str, Policy] = {
    "own": own_choice,
    "probability": ranked_by("p_order"),
    "value": ranked_by("expected_value"),
    "effect": ranked_by("call_effect"),
    "effect_value": ranked_by("effect_value"),
    "served": served,
    "oracle": oracle,
}
NEEDS_EFFECT = ("effect", "effect_value")


# ----------------------------------------------------------------------------- running


@dataclass
class Run:
    """One policy's forward weeks in one world.

    weekly: week (0 = the first forward week), orders (every channel), orders_at_calls,
        revenue (every channel), calls
    units: week, rep_id, customer_id, rank (in the served ranking, 0 = top), held_out,
        ordered (in that week): the customers the ranking would list, listed or held out
    listed: week, customer_id, estimated_effect (NaN without an effect model), true_effect
    scored: week, rep_id, customer_id, p_order, call_effect, true_effect (the true call
        effect averaged over the week's days): every customer, in the weeks a model-based
        policy scored them with an effect model; empty otherwise
    """

    weekly: pd.DataFrame
    units: pd.DataFrame
    listed: pd.DataFrame
    scored: pd.DataFrame = field(default_factory=pd.DataFrame)


def run(
    world: ForwardWorld,
    policy: Policy,
    models: Models | None,
    weeks: int,
    *,
    holdout_policy: holdout.HoldoutPolicy | None = None,
    top_n: int = TOP_N,
    inputs: list[PolicyInput] | None = None,
) -> Run:
    """Run a copy of `world` (at its history's end) for `weeks` weeks under `policy`. Every
    PolicyInput handed to the policy is appended to `inputs` when given (for tests)."""
    w = world.copy()
    rule = holdout_policy or holdout.HoldoutPolicy()
    first = w.today()
    units: list[pd.DataFrame] = []
    listed: list[pd.DataFrame] = []
    scored: list[pd.DataFrame] = []
    lists: dict[str, list[str]] | None = None
    for i in range(weeks * 7):
        day = w.today()
        if i == 0 or day.weekday() == 0:
            frames = w.frames()
            owners = frames["customers"][["customer_id", "owner_rep_id"]]
            held = holdout.drawn(owners.rename(columns={"owner_rep_id": "rep_id"}), day, rule).held
            truth = w.truth_effect()
            secret = week_truth(w, truth) if getattr(policy, "needs_truth", False) else None
            inp = PolicyInput(day, frames, held, models, secret)
            if inputs is not None:
                inputs.append(inp)
            ranking = policy(inp)
            lists = {r: [c for c in ranked if c not in held] for r, ranked in ranking.items()}
            week = (day - first).days // 7
            units.append(_units(ranking, held, top_n, week))
            listed.append(_listed(lists, top_n, week, truth, inp._scores))
            scored.append(_scored(w, inp, week))
            lists = lists or None
        w.run_day(lists)
    return Run(
        _weekly(w, first, weeks), _outcomes(units, w, first), _concat(listed), _concat(scored)
    )


def _scored(w: ForwardWorld, inp: PolicyInput, week: int, days: int = 7) -> pd.DataFrame:
    """Every customer's two scores beside the true call effect averaged over the list's week
    (what a call on a day of the rep's choosing would win), for the Qini against the truth."""
    scores = inp._scores
    if scores is None or "call_effect" not in scores:
        return pd.DataFrame()
    today = w.truth_effect()
    week_mean = np.mean([w.truth_effect(w.day + k).call_effect for k in range(days)], axis=0)
    truth = today[["customer_id", "rep_id"]].assign(true_effect=week_mean)
    frame = scores[["customer_id", "p_order", "call_effect"]].merge(truth, on="customer_id")
    return frame.assign(week=week).dropna(subset=["rep_id"])


def _units(ranking: dict[str, list[str]], held: set[str], top_n: int, week: int) -> pd.DataFrame:
    rows = [
        (week, rep, c, k, c in held)
        for rep, ranked in ranking.items()
        for k, c in enumerate(ranked[:top_n])
    ]
    return pd.DataFrame(rows, columns=["week", "rep_id", "customer_id", "rank", "held_out"])


def _listed(
    lists: dict[str, list[str]],
    top_n: int,
    week: int,
    truth: pd.DataFrame,
    scores: pd.DataFrame | None,
) -> pd.DataFrame:
    ids = [c for ranked in lists.values() for c in ranked[:top_n]]
    true = truth.set_index("customer_id").call_effect
    estimated = (
        scores.set_index("customer_id").call_effect
        if scores is not None and "call_effect" in scores
        else pd.Series(dtype=float)
    )
    return pd.DataFrame(
        {
            "week": week,
            "customer_id": ids,
            "estimated_effect": pd.Series(ids).map(estimated).astype(float).to_numpy(),
            "true_effect": pd.Series(ids).map(true).to_numpy(dtype=float),
        }
    )


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _week_of(dates: pd.Series, first: date) -> np.ndarray:
    return ((pd.to_datetime(dates) - pd.Timestamp(first)).dt.days // 7).to_numpy()


def _weekly(w: ForwardWorld, first: date, weeks: int) -> pd.DataFrame:
    orders, visits = w.forward_orders(), w.forward_visits()
    ow = _week_of(orders.order_date, first) if len(orders) else np.zeros(0, dtype=int)
    vw = _week_of(visits.visit_date, first) if len(visits) else np.zeros(0, dtype=int)
    at_call = orders.at_call.to_numpy(dtype=bool) if len(orders) else np.zeros(0, dtype=bool)
    amount = orders.amount.to_numpy(dtype=float) if len(orders) else np.zeros(0)
    return pd.DataFrame(
        {
            "week": np.arange(weeks),
            "orders": np.bincount(ow, minlength=weeks)[:weeks],
            "orders_at_calls": np.bincount(ow[at_call], minlength=weeks)[:weeks],
            "revenue": np.bincount(ow, weights=amount, minlength=weeks)[:weeks],
            "calls": np.bincount(vw, minlength=weeks)[:weeks],
        }
    )


def _outcomes(units: list[pd.DataFrame], w: ForwardWorld, first: date) -> pd.DataFrame:
    frame = _concat(units)
    if frame.empty:
        return pd.DataFrame(
            columns=["week", "rep_id", "customer_id", "rank", "held_out", "ordered"]
        )
    orders = w.forward_orders()
    bought = set(zip(orders.customer_id, _week_of(orders.order_date, first), strict=True))
    frame["ordered"] = [
        (c, k) in bought for c, k in zip(frame.customer_id, frame.week, strict=True)
    ]
    return frame


# ----------------------------------------------------------------------------- measures


def qini(score: np.ndarray, treated: np.ndarray, outcome: np.ndarray) -> float:
    """Normalised Qini coefficient of `score` on observed units (repurchase.model.metrics)."""
    return metrics.qini(score, treated, outcome)


def truth_qini(scored: pd.DataFrame, column: str) -> float:
    """The Qini of ranking by `column` against the true call effect (metrics.qini_against_truth),
    per forward week over every customer, averaged over the weeks."""
    if scored.empty:
        return float("nan")
    weeks = scored.groupby("week")
    return float(weeks.apply(lambda g: metrics.qini_against_truth(g[column], g.true_effect)).mean())


def truth_top_share(scored: pd.DataFrame, column: str, top_n: int = TOP_N) -> float:
    """The true call effect in each rep's top `top_n` by `column`, as a share of the most any
    top `top_n` could hold (the reps' top by the truth itself), over all forward weeks."""
    if scored.empty:
        return float("nan")

    def top(by: str) -> float:
        ranked = scored.sort_values(["week", "rep_id", by], ascending=[True, True, False])
        return float(ranked.groupby(["week", "rep_id"]).head(top_n).true_effect.sum())

    best = top("true_effect")
    return top(column) / best if best > 0 else float("nan")


def run_qini(units: pd.DataFrame) -> float:
    """Qini of a ranking on its hold-out units (score: higher for a better rank)."""
    if units.empty:
        return float("nan")
    return qini(-units["rank"].to_numpy(), ~units.held_out.to_numpy(bool), units.ordered.to_numpy())


def totals(result: Run) -> dict[str, float]:
    """One run's totals over its forward weeks."""
    w = result.weekly
    listed = result.listed
    has_estimate = len(listed) and listed.estimated_effect.notna().any()
    return {
        "orders": float(w.orders.sum()),
        "orders_at_calls": float(w.orders_at_calls.sum()),
        "revenue": float(w.revenue.sum()),
        "calls": float(w.calls.sum()),
        "won_per_100_calls": float(100 * w.orders_at_calls.sum() / max(w.calls.sum(), 1)),
        "qini": run_qini(result.units),
        "mean_estimated_effect": float(listed.estimated_effect.mean()) if has_estimate else np.nan,
        "mean_true_effect": float(listed.true_effect.mean()) if len(listed) else np.nan,
        "truth_qini_probability": truth_qini(result.scored, "p_order"),
        "truth_qini_effect": truth_qini(result.scored, "call_effect"),
        "truth_top_probability": truth_top_share(result.scored, "p_order"),
        "truth_top_effect": truth_top_share(result.scored, "call_effect"),
    }
