"""The call effect (uplift): how much a call this week raises a customer's chance of an order.

    call_effect = P(order within H | called in the week from the anchor)
                - P(order within H | not called that week)

A customer who orders online by itself anyway has a high chance of an order and a small call
effect; one in an open buying window who rarely orders without a call has a large one. A list
ranked by the chance of an order spends calls on the first; one ranked by the effect on the
second.

Learned from the warehouse history only. Samples are (customer, Monday anchor) pairs over the
last `weeks` weeks whose horizon ends before `until`; each carries the peers' summary
(summary.py) plus what the summary lacks and an effect needs: how often the customer orders
with no call (order records with no visit that day or the day before, as a count and a share
of its order days, and how long since the last one), its category codes, and the treatment
T = any visit in [anchor, anchor + 7 days) and outcome Y = any order (an order record or a
visit with result "order") in [anchor, anchor + H).

The learner is a T-learner with inverse-propensity weights: a propensity model P(T | x) (the
reps' choice of whom to call), then one gradient-boosted classifier per arm, each weighted by
1 / P(its arm | x) (clipped) so that both arms are fitted on the whole population's mix of
customers rather than the mix the reps happened to call.

What it cannot see: the reps' reasons that are not in the history. In the demo a customer who
orders online early in the week is called less later that week (its order resets the reps'
"due" intuition), so the not-called arm holds more orders than the calls caused; the observed
effect is then biased low. The randomised hold-out (withheld list customers) is the one
comparison free of that: when `holdout` rows are given, the effects are rescaled so that their
mean on the hold-out's listed units matches the effect per call the hold-out measured (its
ITT lift divided by the extra share of listed customers called: a Wald estimate), shrunk
toward 1 by that measurement's noise. Without hold-out rows the scale stays 1 and the effects
keep the observational bias; the ranking they give is what the gate judges.

Everything is serialised as plain numbers (trees as node arrays, peers.TreeEnsemble): an
artefact holding it loads without unpickling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from repurchase.i18n.steps import Step
from repurchase.model import bgnbd, features, metrics, summary
from repurchase.model.features import History
from repurchase.model.peers import TreeEnsemble, boosted_trees

_DAY = 86_400
_KEY = 10**6  # customer * _KEY + day, as in summary.PurchaseDays
_NEVER_DAYS = 1_000.0
TREATMENT_DAYS = 7  # "called this week": a visit within a week of the anchor
CATEGORIES = ("tag", "industry", "customer_type")
EXTRA = (
    "log_self_days_365",  # order days in the last year with no visit that day or the day before
    "self_share_365",  # ... as a share of all order days in the last year
    "log_self_days",  # such days ever
    "self_share",  # ... as a share of all order days ever
    "log_since_self",  # days since the last such order (1000: never)
    "assisted_share_365",  # order days in the last year a visit that day or the day before won
    *(f"cat_{c}" for c in CATEGORIES),  # category codes (0 unknown)
)
FEATURES = (*summary.SUMMARY, *EXTRA)
MAX_ROWS = 80_000  # samples drawn for the fit: more repeats the same customers' weeks
_PROPENSITY_CLIP = (0.05, 0.95)  # weights at most 20: a few rare calls must not carry a fit
# Three estimates of the effect, each with its observed Qini on the fit's latest weeks in the
# fit's report:
# - t_learner: P(order | called, x) - P(order | not called, x), two propensity-weighted
#   boosted models (one per arm);
# - conversion: P(the week's call ends in an order | called, x) x (1 - the customer's own
#   share of order days without a call): what a call wins directly, discounted by how often
#   this customer orders by itself anyway. It reads the visit's recorded result, which is far
#   less noisy than a difference of two outcome models;
# - need_conversion (serves): the conversion estimate x P(order within H | not called, x) /
#   its mean over the fit's rows. The conversion model learns from the rows the reps chose
#   to call, when a need seemed near; the not-called arm's chance of an order carries the
#   timing of the need for everyone, and dividing by its mean keeps the average in points.
# The observed Qini cannot choose among them: the reps call whom they expect to order, so the
# called and the not-called differ in more than the call. Ranked against the closed-loop
# simulator's true effects (bench/policy.py), need_conversion ranked best of the three in
# every world of both stories tried, while the observed Qini picked another in most of them.
KINDS = ("t_learner", "conversion", "need_conversion")
SERVING_KIND = "need_conversion"
_CHOICE_WEEKS = 8  # the fit's last weeks, held back to report each kind's observed Qini


@dataclass
class CallEffect:
    """A fitted call-effect model: propensity and the two arms' outcome models as trees, the
    BG/NBD parameters and category vocabulary the features were built with, and the scale the
    hold-out set (1.0 without one)."""

    horizon_days: int
    treated: TreeEnsemble
    control: TreeEnsemble
    propensity: TreeEnsemble
    bgnbd: bgnbd.BGNBD | None
    vocabulary: dict[str, list[str]]
    conversion: TreeEnsemble | None = None
    kind: str = "t_learner"  # which estimate serves: KINDS
    scale: float = 1.0
    need_mean: float = 1.0  # mean P(order | not called, x) over the fit's rows
    fit_report: dict[str, float] = field(default_factory=dict)

    def features(self, history: History, anchors: pd.DataFrame) -> np.ndarray:
        """(N, len(FEATURES)) for each (customer_id, anchor), from events before the anchor."""
        return effect_features(history, anchors, self.bgnbd, self.vocabulary, self.horizon_days)

    def predict(self, history: History, anchors: pd.DataFrame) -> pd.DataFrame:
        """anchors: customer_id, anchor (Timestamp, start of a day). Returns, in the anchors'
        order: customer_id, p_called, p_not_called, call_effect (= p_called - p_not_called,
        may be < 0), p_self (chance of an order without any call within the horizon,
        = p_not_called)."""
        return self.predict_features(self.features(history, anchors), anchors.customer_id)

    def predict_features(self, x: np.ndarray, customer_ids: pd.Series) -> pd.DataFrame:
        """`predict` from feature rows already built (`features`)."""
        p_not = self.control.predict_proba(x)
        p_called = np.clip(p_not + self.scale * self.raw_effect(x, self.kind), 0.0, 1.0)
        return pd.DataFrame(
            {
                "customer_id": np.asarray(customer_ids),
                "p_called": p_called,
                "p_not_called": p_not,
                "call_effect": p_called - p_not,
                "p_self": p_not,
            }
        )

    def raw_effect(self, x: np.ndarray, kind: str) -> np.ndarray:
        """The effect before the hold-out's scale, by `kind` (see KINDS)."""
        if kind == "t_learner":
            return self.treated.predict_proba(x) - self.control.predict_proba(x)
        if kind in ("conversion", "need_conversion") and self.conversion is not None:
            won = self.conversion.predict_proba(x) * (1.0 - own_order_share(x))
            if kind == "conversion":
                return won
            return won * self.control.predict_proba(x) / max(self.need_mean, 1e-6)
        raise ValueError(f"no {kind!r} effect in this model")

    def p_treated(self, x: np.ndarray) -> np.ndarray:
        """The reps' chance of calling within the week, given the features (clipped)."""
        return np.clip(self.propensity.predict_proba(x), *_PROPENSITY_CLIP)

    def to_dict(self) -> dict:
        return {
            "horizon_days": self.horizon_days,
            "treated": self.treated.to_dict(),
            "control": self.control.to_dict(),
            "propensity": self.propensity.to_dict(),
            "bgnbd": None
            if self.bgnbd is None
            else [self.bgnbd.r, self.bgnbd.alpha, self.bgnbd.a, self.bgnbd.b],
            "vocabulary": self.vocabulary,
            "conversion": None if self.conversion is None else self.conversion.to_dict(),
            "kind": self.kind,
            "scale": float(self.scale),
            "need_mean": float(self.need_mean),
            "fit_report": {k: float(v) for k, v in self.fit_report.items()},
            "features": list(FEATURES),
        }

    @classmethod
    def from_dict(cls, data: dict) -> CallEffect:
        if list(data.get("features", FEATURES)) != list(FEATURES):
            raise ValueError("the call-effect model was fitted on other features; retrain it")
        params = data["bgnbd"]
        return cls(
            horizon_days=int(data["horizon_days"]),
            treated=TreeEnsemble.from_dict(data["treated"]),
            control=TreeEnsemble.from_dict(data["control"]),
            propensity=TreeEnsemble.from_dict(data["propensity"]),
            bgnbd=None if params is None else bgnbd.BGNBD(*[float(v) for v in params]),
            vocabulary={k: [str(v) for v in vs] for k, vs in data["vocabulary"].items()},
            conversion=None
            if data.get("conversion") is None
            else TreeEnsemble.from_dict(data["conversion"]),
            kind=str(data.get("kind", "t_learner")),
            scale=float(data.get("scale", 1.0)),
            need_mean=float(data.get("need_mean", 1.0)),
            fit_report={k: float(v) for k, v in data.get("fit_report", {}).items()},
        )


# ----------------------------------------------------------------------------- features


@dataclass(frozen=True)
class _SelfDays:
    """Distinct order days per customer split by whether a visit that day or the day before
    could have brought them: `own` days had none (the customer ordered by itself)."""

    own: np.ndarray  # sorted customer * _KEY + day
    assisted: np.ndarray  # sorted customer * _KEY + day

    @classmethod
    def of(cls, history: History) -> _SelfDays:
        orders = history.order_key
        customer = orders // 10**11
        day = (orders % 10**11) // _DAY
        visits = history.visit_key
        lo = np.searchsorted(visits, customer * 10**11 + (day - 1) * _DAY, side="left")
        hi = np.searchsorted(visits, customer * 10**11 + (day + 1) * _DAY, side="left")
        near_visit = hi > lo
        key = customer * _KEY + day
        own = np.unique(key[~near_visit])
        assisted = np.setdiff1d(np.unique(key[near_visit]), own)
        return cls(own, assisted)


def _count_before(keys: np.ndarray, cust: np.ndarray, day: np.ndarray, since: np.ndarray):
    hi = np.searchsorted(keys, cust * _KEY + day, side="left")
    lo = np.searchsorted(keys, cust * _KEY + since, side="left")
    return (hi - lo).astype(float), hi


def effect_features(
    history: History,
    anchors: pd.DataFrame,
    params: bgnbd.BGNBD | None,
    vocabulary: dict[str, list[str]],
    horizon_days: int,
) -> np.ndarray:
    """The summary plus EXTRA for each (customer_id, anchor); only events before the anchor."""
    cust = features.positions(history, anchors.customer_id)
    t = pd.to_datetime(anchors.anchor).to_numpy("datetime64[s]").astype(np.int64)
    days = summary.PurchaseDays.of(history)
    base = summary.compute(history, cust, t, params, horizon_days, days=days)
    day = t // _DAY
    split = _SelfDays.of(history)
    own_365, own_hi = _count_before(split.own, cust, day, day - 365)
    own_all, _ = _count_before(split.own, cust, day, np.zeros_like(day))
    assisted_365, _ = _count_before(split.assisted, cust, day, day - 365)
    all_365, _ = _count_before(days.key, cust, day, day - 365)
    all_days, _ = _count_before(days.key, cust, day, np.zeros_like(day))
    has_own = own_all > 0
    last_own = split.own[np.maximum(own_hi - 1, 0)] % _KEY if len(split.own) else np.zeros(len(t))
    since_own = np.where(has_own, day - last_own, _NEVER_DAYS)
    with np.errstate(divide="ignore", invalid="ignore"):
        extra = [
            np.log1p(own_365),
            np.where(all_365 > 0, own_365 / np.maximum(all_365, 1), 0.0),
            np.log1p(own_all),
            np.where(all_days > 0, own_all / np.maximum(all_days, 1), 0.0),
            np.log1p(np.maximum(since_own, 0.0)),
            np.where(all_365 > 0, assisted_365 / np.maximum(all_365, 1), 0.0),
        ]
    customers = history.customers
    for col in CATEGORIES:
        values = customers[col].astype(str).to_numpy()[cust]
        codes = pd.Categorical(values, categories=vocabulary.get(col, [])).codes + 1
        extra.append(codes.astype(float))
    out = np.concatenate([base.astype(np.float64), np.stack(extra, axis=1)], axis=1)
    return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)


def own_order_share(x: np.ndarray) -> np.ndarray:
    """The customer's smoothed share of order days with no call that day or the day before
    (from the feature rows): (own days + 0.5) / (order days + 1.5), a half for a customer
    with no orders yet."""
    own = np.expm1(x[:, FEATURES.index("log_self_days")])
    has = x[:, FEATURES.index("has_purchase")]
    days = (np.expm1(x[:, FEATURES.index("log_repeat")]) + 1.0) * has
    return (own + 0.5) / (days + 1.5)


def call_won(history: History, anchors: pd.DataFrame) -> np.ndarray:
    """1 where a visit in [anchor, anchor + 7 days) ended in an order (the call won it)."""
    cust = features.positions(history, anchors.customer_id)
    t = pd.to_datetime(anchors.anchor).to_numpy("datetime64[s]").astype(np.int64)
    won = history.visit_key[history.visit_result == 1]
    base = cust * 10**11
    hi = np.searchsorted(won, base + t + TREATMENT_DAYS * _DAY, side="left")
    return (hi > np.searchsorted(won, base + t, side="left")).astype(np.int64)


def treatment_and_outcome(
    history: History, anchors: pd.DataFrame, horizon_days: int
) -> tuple[np.ndarray, np.ndarray]:
    """T: any visit in [anchor, anchor + 7 days); Y: any order in [anchor, anchor + H). The
    history must reach anchor + H (labels end before its `until`)."""
    cust = features.positions(history, anchors.customer_id)
    t = pd.to_datetime(anchors.anchor).to_numpy("datetime64[s]").astype(np.int64)
    end = t + horizon_days * _DAY
    until = history.until.to_datetime64().astype("datetime64[s]").astype(np.int64)
    if len(t) and end.max() > until:
        raise ValueError("an outcome window reaches past the history's end")
    base = cust * 10**11

    def any_between(keys: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        return np.searchsorted(keys, base + hi, side="left") > np.searchsorted(
            keys, base + lo, side="left"
        )

    treated = any_between(history.visit_key, t, t + TREATMENT_DAYS * _DAY)
    outcome = any_between(history.order_key, t, end)
    return treated.astype(np.int64), outcome.astype(np.int64)


def training_anchors(history: History, until: date, horizon_days: int, weeks: int) -> pd.DataFrame:
    """Monday anchors over the last `weeks` weeks whose horizon ends by `until`."""
    last = until - timedelta(days=horizon_days)
    first = last - timedelta(weeks=max(weeks, 1) - 1)
    return features.weekly_anchors(history, first, last)


# ----------------------------------------------------------------------------- fitting


def _boost(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None, seed: int) -> TreeEnsemble:
    """A boosted classifier as plain trees; a constant (the weighted rate) when the rows hold
    one class only or too few to split."""
    w = np.ones(len(y)) if weight is None else weight
    if len(y) < 200 or len(np.unique(y)) < 2:
        rate = float(np.clip(np.average(y, weights=w) if len(y) else 0.5, 1e-3, 1 - 1e-3))
        return TreeEnsemble(float(np.log(rate / (1 - rate))), [])
    return boosted_trees(
        x,
        y,
        seed,
        sample_weight=w,
        max_iter=150,
        max_leaf_nodes=15,
        min_samples_leaf=80,
        n_iter_no_change=10,
    )


def fit(
    history: History,
    until: date,
    horizon_days: int = 28,
    *,
    holdout: pd.DataFrame | None = None,
    weeks: int = 52,
    seed: int = 7,
    max_rows: int = MAX_ROWS,
    progress: Callable[[float, str], None] | None = None,
) -> CallEffect:
    """Learn from events strictly before `until` only (labels must end before `until`).
    holdout: optional rows (period_start: date, period_end: date, customer_id, held_out: bool,
    listed: bool) -- the randomised hold-out, the one comparison free of the reps' choice.

    The models are fitted on all but the last `_CHOICE_WEEKS` weeks; those weeks (later in
    time, never fitted on) give each kind's observed Qini for the report. SERVING_KIND
    serves whatever they say (see KINDS for why). `progress` is told before each of the
    models is fitted (each a point where a job may stop)."""
    say = progress or (lambda _f, _m: None)
    past = features.truncate(history, until)  # nothing at or after `until` can reach a fit
    anchors = training_anchors(past, until, horizon_days, weeks)
    if len(anchors) > max_rows:
        rng = np.random.default_rng(seed)
        anchors = anchors.iloc[np.sort(rng.choice(len(anchors), max_rows, replace=False))]
    anchors = anchors.reset_index(drop=True)
    if len(anchors) == 0:
        raise ValueError(f"no weekly anchor before {until} has its outcome observed")
    cutoff = pd.Timestamp(until - timedelta(days=horizon_days)).value // 10**9
    params = summary.fit_bgnbd(past, int(cutoff))
    vocabulary = {c: v for c, v in features.fit_vocabulary(past).items() if c in CATEGORIES}
    x = effect_features(past, anchors, params, vocabulary, horizon_days)
    treated, outcome = treatment_and_outcome(past, anchors, horizon_days)
    won = call_won(past, anchors)
    weeks_seen = np.sort(anchors.anchor.unique())
    later = anchors.anchor.isin(weeks_seen[-_CHOICE_WEEKS:]).to_numpy()
    if len(weeks_seen) < 2 * _CHOICE_WEEKS:
        later = np.zeros(len(anchors), dtype=bool)  # too few weeks to hold any back
    fit_on = ~later
    model = _fit_arms(x[fit_on], treated[fit_on], outcome[fit_on], won[fit_on], seed, say)
    model.horizon_days, model.bgnbd, model.vocabulary = horizon_days, params, vocabulary
    model.need_mean = float(np.mean(model.control.predict_proba(x[fit_on])))
    model.fit_report = _report(model, x, treated, outcome)
    if later.any():
        for kind in KINDS:
            score = model.raw_effect(x[later], kind)
            model.fit_report[f"qini_{kind}"] = metrics.qini(score, treated[later], outcome[later])
    model.kind = SERVING_KIND if model.conversion is not None else "t_learner"
    model.fit_report["mean_effect"] = float(np.mean(model.raw_effect(x, model.kind)))
    if holdout is not None and len(holdout):
        say(1.0, Step("jobs.step.effect"))
        model.scale, found = holdout_scale(model, past, holdout)
        model.fit_report.update(found)
    return model


def _fit_arms(
    x: np.ndarray,
    treated: np.ndarray,
    outcome: np.ndarray,
    won: np.ndarray,
    seed: int,
    say: Callable[[float, str], None],
) -> CallEffect:
    """Propensity, the two arms' outcome models (inverse-propensity weighted) and the call's
    conversion model (on the called rows, weighted the same way)."""
    say(0.2, Step("jobs.step.effect"))
    propensity = _boost(x, treated, None, seed)
    e = np.clip(propensity.predict_proba(x), *_PROPENSITY_CLIP)
    on, off = treated == 1, treated == 0
    say(0.4, Step("jobs.step.effect"))
    arm_treated = _boost(x[on], outcome[on], 1.0 / e[on], seed)
    say(0.6, Step("jobs.step.effect"))
    arm_control = _boost(x[off], outcome[off], 1.0 / (1.0 - e[off]), seed)
    say(0.8, Step("jobs.step.effect"))
    return CallEffect(
        horizon_days=0,
        treated=arm_treated,
        control=arm_control,
        propensity=propensity,
        bgnbd=None,
        vocabulary={},
        conversion=_boost(x[on], won[on], 1.0 / e[on], seed),
    )


def _report(
    model: CallEffect, x: np.ndarray, treated: np.ndarray, outcome: np.ndarray
) -> dict[str, float]:
    """What the fit saw: samples, how many were called, the order rate, and the call's effect
    three ways: the naive difference (biased by the reps' choice), the inverse-propensity
    weighted one, and the T-learner's mean."""
    on, off = treated == 1, treated == 0
    e = model.p_treated(x)
    return {
        "samples": float(len(x)),
        "treated_share": float(treated.mean()),
        "outcome_rate": float(outcome.mean()),
        "naive_difference": float(outcome[on].mean() - outcome[off].mean())
        if on.any() and off.any()
        else float("nan"),
        "ipw_effect": float(np.mean(treated * outcome / e - (1 - treated) * outcome / (1 - e))),
        "t_learner_mean": float(np.mean(model.raw_effect(x, "t_learner"))),
    }


def holdout_units(history: History, holdout: pd.DataFrame, horizon_days: int) -> pd.DataFrame:
    """The hold-out rows whose outcome window has ended in `history`, as anchors (the period's
    first day) with held_out, treated (a visit within a week) and outcome (an order within the
    horizon)."""
    rows = holdout[holdout.customer_id.isin(history.customer_index)].copy()
    rows["anchor"] = pd.to_datetime(rows.period_start)
    end = rows.anchor + pd.Timedelta(days=horizon_days)
    rows = rows[end <= history.until].reset_index(drop=True)
    t, y = treatment_and_outcome(history, rows, horizon_days)
    return rows.assign(held_out=rows.held_out.astype(bool), treated=t, outcome=y)


def holdout_scale(
    model: CallEffect, history: History, holdout: pd.DataFrame, min_units: int = 30
) -> tuple[float, dict[str, float]]:
    """The factor that makes the model's mean effect on the hold-out's units match the effect
    per call the hold-out measured: (listed - withheld order rate) / (listed - withheld share
    called within the week), a Wald estimate free of the reps' choice. It is shrunk toward 1
    by its own noise (weight 1 / (1 + se^2), se of the factor), kept in [0, 4], and left at 1
    with fewer than `min_units` units on a side or no measurable difference in calls."""
    units = holdout_units(history, holdout, model.horizon_days)
    held, listed = units[units.held_out], units[~units.held_out]
    report = {"holdout_units": float(len(units)), "holdout_withheld": float(len(held))}
    if len(held) < min_units or len(listed) < min_units:
        return 1.0, report
    itt = listed.outcome.mean() - held.outcome.mean()
    calls = listed.treated.mean() - held.treated.mean()
    se_itt = np.sqrt(
        listed.outcome.var(ddof=1) / len(listed) + held.outcome.var(ddof=1) / len(held)
    )
    x = model.features(history, units[["customer_id", "anchor"]])
    mean_effect = float(np.mean(model.treated.predict_proba(x) - model.control.predict_proba(x)))
    report.update(
        {"holdout_itt": float(itt), "holdout_extra_calls": float(calls), "model_mean": mean_effect}
    )
    if calls < 0.02 or mean_effect <= 1e-3:
        return 1.0, report
    raw = itt / calls / mean_effect
    se = se_itt / calls / mean_effect
    weight = 1.0 / (1.0 + se**2)
    scale = float(np.clip(1.0 + weight * (raw - 1.0), 0.0, 4.0))
    report.update(
        {
            "holdout_per_call": float(itt / calls),
            "scale_raw": float(raw),
            "scale_se": float(se),
            "scale": scale,
        }
    )
    return scale, report
