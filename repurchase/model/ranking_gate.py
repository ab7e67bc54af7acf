"""Which ranking a team's list follows when set to "auto": the one that wins the most orders.

Each ranking (codes.RANKINGS) takes every rep's top N on every weekly anchor of the latest
validation weeks (later than anything the models were fitted on). What calling those customers
wins is estimated from outcomes, never from the models' own predictions:

- from the randomised hold-out where enough of its units fall in a ranking's lists (at least
  `MIN_HOLDOUT_UNITS` on each side): listed minus withheld order rate, per list of N — the
  effect of putting a customer on the list, free of the reps' choice;
- otherwise from the observational calls, inverse-propensity weighted: each customer of a list
  adds T*Y/e - (1-T)*Y/(1-e) (T called within the week, Y ordered within the horizon, e the
  reps' chance of calling it), summed over the list: the extra orders if the whole list were
  called, unbiased only as far as the history shows why reps called whom.

Effect or effect-value is chosen only when the randomised hold-out shows it beats the
probability ranking by more than the noise: the lower end of the 95 % interval of the
difference is above zero. The reweighted past calls are reported beside it but never switch
the ranking on their own: what they cannot see of the reps' reasons biases them (in the
closed-loop simulator they put the probability list's gain below zero, and once chose a
ranking that won fewer orders). Otherwise the probability ranking stays, and the reason says
so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from repurchase import codes
from repurchase.model import features, metrics
from repurchase.model.features import History

MIN_HOLDOUT_UNITS = 30
_Z = 1.96


def typical_order(history: History, anchors: pd.DataFrame) -> np.ndarray:
    """Each customer's mean priced order before its anchor; the mean of all priced orders
    before the latest anchor for a customer with none (a simple stand-in for lists/value)."""
    ev = history.events
    amount = pd.to_numeric(ev.get("amount"), errors="coerce") if "amount" in ev else None
    n = len(anchors)
    if amount is None or not len(ev):
        return np.ones(n)
    priced = (ev.result.to_numpy() == 1) & amount.notna().to_numpy() & (amount.to_numpy() > 0)
    total = np.r_[0.0, np.cumsum(np.where(priced, amount.to_numpy(), 0.0))]
    count = np.r_[0, np.cumsum(priced)]
    cust = features.positions(history, anchors.customer_id)
    t = pd.to_datetime(anchors.anchor).to_numpy("datetime64[s]").astype(np.int64)
    hi = np.searchsorted(history.ev_key, cust * 10**11 + t, side="left")
    lo = history.start[cust]
    k = count[hi] - count[lo]
    last = np.searchsorted(history.ev_seconds[priced], t.max()) if n else 0
    fallback = float(amount[priced].iloc[:last].mean()) if priced.any() and last else 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        own = (total[hi] - total[lo]) / np.maximum(k, 1)
    return np.where(k > 0, own, fallback if np.isfinite(fallback) else 1.0)


def _top(frame: pd.DataFrame, score: str, top_n: int) -> pd.DataFrame:
    """Each (day, rep) list's top `top_n` rows by `score`, ties by row order."""
    rows = frame.assign(_row=np.arange(len(frame)))
    ranked, rank = metrics.rank_in_lists(rows, ["day", "rep"], score, "_row")
    return ranked[rank <= top_n]


def _ipw_per_list(frame: pd.DataFrame, score: str, top_n: int) -> pd.Series:
    top = _top(frame, score, top_n)
    t, y, e = top.treated.to_numpy(), top.outcome.to_numpy(), top.propensity.to_numpy()
    gain = t * y / e - (1 - t) * y / (1 - e)
    return (
        pd.Series(gain, index=pd.MultiIndex.from_frame(top[["day", "rep"]]))
        .groupby(level=[0, 1])
        .sum()
    )


def _holdout_gain(units: pd.DataFrame, score: str, top_n: int) -> tuple[float, float, int]:
    """Extra orders per list of N from the hold-out units inside the ranking's lists: (listed
    minus withheld order rate) x N, its standard error, and the smaller side's units."""
    top = _top(units, score, top_n)
    top = top[top.in_holdout]
    held, listed = top[top.held_out], top[~top.held_out]
    n = min(len(held), len(listed))
    if n < MIN_HOLDOUT_UNITS:
        return np.nan, np.nan, n
    diff = listed.outcome.mean() - held.outcome.mean()
    se = np.sqrt(listed.outcome.var(ddof=1) / len(listed) + held.outcome.var(ddof=1) / len(held))
    return float(diff * top_n), float(se * top_n), n


def choose_ranking(
    frame: pd.DataFrame, top_n: int = codes.TOP_N, holdout: pd.DataFrame | None = None
) -> tuple[str, str, dict[str, object]]:
    """frame: one row per (day, rep, customer) of the latest validation weeks with treated,
    outcome, propensity and a score column per ranking (codes.RANKINGS). holdout: optional rows
    of the same shape for the hold-out periods' start days, every customer of the book with
    in_holdout and held_out (the randomised units), their outcome and the scores.
    Returns (choice, reason, evidence): evidence holds the figures by ranking."""
    evidence: dict[str, object] = {"top_n": float(top_n)}
    per_list = {r: _ipw_per_list(frame, r, top_n) for r in codes.RANKINGS}
    base = per_list["probability"]
    rows = {}
    for r in codes.RANKINGS:
        diff = (per_list[r] - base).dropna()
        se = float(diff.std(ddof=1) / np.sqrt(len(diff))) if len(diff) > 1 else np.nan
        rows[r] = {
            "estimator": "ipw",
            "extra_orders_per_list": float(per_list[r].mean()),
            "vs_probability": float(diff.mean()) if len(diff) else np.nan,
            "vs_probability_se": se,
            "lists": float(len(per_list[r])),
        }
        if holdout is not None and len(holdout):
            gain, gain_se, n = _holdout_gain(holdout, r, top_n)
            rows[r]["holdout_units"] = float(n)
            if np.isfinite(gain):
                rows[r].update(
                    {"estimator": "holdout", "extra_orders_per_list": gain, "holdout_se": gain_se}
                )
    if all(rows[r]["estimator"] == "holdout" for r in codes.RANKINGS):
        for r in codes.RANKINGS:  # independent estimates: the difference's se from both
            rows[r]["vs_probability"] = (
                rows[r]["extra_orders_per_list"] - rows["probability"]["extra_orders_per_list"]
            )
            rows[r]["vs_probability_se"] = float(
                np.hypot(rows[r]["holdout_se"], rows["probability"]["holdout_se"])
            )
    evidence.update({"by_ranking": rows})
    choice, reason = _decide(rows)
    evidence["choice"] = choice
    return choice, reason, evidence


def _decide(rows: dict[str, dict[str, object]]) -> tuple[str, str]:
    """Effect or effect-value when the hold-out shows its win over probability clearing its
    95 % interval; probability otherwise, with what the evidence said."""
    p = rows["probability"]
    randomised = p["estimator"] == "holdout"
    winners = {}
    for r in ("effect", "effect_value"):
        d, se = rows[r]["vs_probability"], rows[r]["vs_probability_se"]
        if np.isfinite(d) and np.isfinite(se) and d - _Z * se > 0:
            winners[r] = d - _Z * se
    if winners and randomised:
        best = max(winners, key=winners.get)
        b = rows[best]
        return best, (
            f"ranking by {best.replace('_', ' ')}: calling its top lists wins an estimated "
            f"{b['extra_orders_per_list']:.2f} extra orders per list vs "
            f"{p['extra_orders_per_list']:.2f} by probability (+{b['vs_probability']:.2f} "
            f"± {_Z * b['vs_probability_se']:.2f}, the randomised hold-out)"
        )
    e = rows["effect"]
    if not randomised:
        gain, margin = e["vs_probability"], _Z * e["vs_probability_se"]
        return "probability", (
            f"ranking by probability: reweighted past calls put the effect ranking's gain at "
            f"{gain:+.2f} extra orders per list (± {margin:.2f}), but only the randomised "
            f"hold-out is free of whom reps chose to call, and it has too few units yet"
        )
    return "probability", (
        f"ranking by probability: effect ranking's estimated gain "
        f"{e['vs_probability']:+.2f} extra orders per list (± {_Z * e['vs_probability_se']:.2f}"
        f", the randomised hold-out) is not clearly better than probability's "
        f"{p['extra_orders_per_list']:.2f}"
    )
