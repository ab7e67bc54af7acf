"""The product's yardstick: precision of each rep's list, plus AUC and Brier beside it.

A list is a rep's top k customers by score on one day; k is the product's list size (top-N)
or a share of the rep's book (top 10 %: a rep with 300 customers gets 30). Precision is
averaged over the (day, rep) lists, so every rep's list counts the same whatever the book's
size, which is how a rep experiences it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, roc_auc_score


def rank_in_lists(
    frame: pd.DataFrame, lists: list[str], score: str, tie: str
) -> tuple[pd.DataFrame, np.ndarray]:
    """`frame`'s rows list by list (a list: the rows sharing the values of the `lists`
    columns, e.g. one rep's customers on one day), best first within each: the highest `score`,
    a missing score last, ties by `tie` ascending. Returns those rows (their index kept) and
    each row's rank in its list (1 = best)."""
    ordered = frame.sort_values([*lists, score, tie], ascending=[True] * len(lists) + [False, True])
    return ordered, ordered.groupby(lists, sort=False).cumcount().to_numpy() + 1


def per_list_precision(
    day: np.ndarray,
    rep: np.ndarray,
    score: np.ndarray,
    label: np.ndarray,
    *,
    top_n: int | None = None,
    share: float | None = None,
) -> pd.Series:
    """Precision of each (day, rep) list, indexed by (day, rep); see rep_list_precision."""
    if (top_n is None) == (share is None):
        raise ValueError("give exactly one of top_n and share")
    rows = pd.DataFrame(
        {"day": day, "rep": rep, "score": score, "label": label, "row": np.arange(len(score))}
    )
    frame, rank = rank_in_lists(rows, ["day", "rep"], "score", "row")
    if top_n is not None:
        k = top_n
    else:
        size = frame.groupby(["day", "rep"], sort=False).score.transform("size")
        k = np.ceil(share * size).clip(lower=1)
    return frame[rank <= k].groupby(["day", "rep"]).label.mean()


def rep_list_precision(
    day: np.ndarray,
    rep: np.ndarray,
    score: np.ndarray,
    label: np.ndarray,
    *,
    top_n: int | None = None,
    share: float | None = None,
) -> float:
    """Mean over (day, rep) of the share of the rep's top k that ordered; ties broken by
    row order. Exactly one of `top_n` and `share` sets k (share: ceil(share * book size))."""
    if len(score) == 0:
        return math.nan
    return float(per_list_precision(day, rep, score, label, top_n=top_n, share=share).mean())


def auc(score: np.ndarray, label: np.ndarray) -> float:
    return float(roc_auc_score(label, score)) if len(np.unique(label)) == 2 else math.nan


def brier(p: np.ndarray, label: np.ndarray) -> float:
    return float(brier_score_loss(label, np.clip(p, 0, 1))) if len(label) else math.nan


def list_score(scores: dict[str, float]) -> float:
    """The one number that chooses epochs and gates promotion: the mean of per-rep top-N and
    top-10 % list precision (top-N alone is the whole book of a small rep; top 10 % alone
    ignores the list a rep actually sees)."""
    values = [scores["precision_top_n"], scores["precision_top10pct"]]
    values = [v for v in values if not np.isnan(v)]
    return float(np.mean(values)) if values else float("nan")


def list_scores(
    day: np.ndarray, rep: np.ndarray, score: np.ndarray, label: np.ndarray, top_n: int
) -> pd.Series:
    """Each (day, rep) list's score: the mean of its top-N and top-10 % precision (the number
    list_score averages over lists)."""
    top = per_list_precision(day, rep, score, label, top_n=top_n)
    tenth = per_list_precision(day, rep, score, label, share=0.10)
    return (top + tenth) / 2


def list_metrics(
    day: np.ndarray,
    rep: np.ndarray,
    score: np.ndarray,
    label: np.ndarray,
    top_n: int,
    p: np.ndarray | None = None,
) -> dict[str, float]:
    """Per-rep top-N and top-10 % precision, AUC, and Brier of `p` (if a probability)."""
    return {
        "precision_top_n": rep_list_precision(day, rep, score, label, top_n=top_n),
        "precision_top10pct": rep_list_precision(day, rep, score, label, share=0.10),
        "auc": auc(score, label),
        "brier": brier(p, label) if p is not None else math.nan,
        "base_rate": float(np.mean(label)) if len(label) else math.nan,
    }


def whole_books(rep: np.ndarray, cap: int, seed: int) -> np.ndarray:
    """Positions (ascending) of at most `cap` rows made of whole reps: reps in a random order
    fixed by `seed` (the same reps whatever order the rows come in), taken while their rows
    fit. A rep's rows are all kept or none, so every list drawn from the rows is a whole list.
    All rows when they fit; the first rep alone when even it does not."""
    rep = np.asarray(rep)
    if len(rep) <= cap:
        return np.arange(len(rep))
    names, rows = np.unique(rep.astype(str), return_inverse=True)
    order = np.random.default_rng(seed).permutation(len(names))
    sizes = np.bincount(rows, minlength=len(names))[order]
    taken = order[: max(1, int((np.cumsum(sizes) <= cap).sum()))]
    return np.flatnonzero(np.isin(rows, taken))


# ----------------------------------------------------------------------------- uplift


def _qini_points(
    score: np.ndarray, treated: np.ndarray, outcome: np.ndarray
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """The Qini curve at the end of every group of tied scores (highest score first): the
    fraction of rows taken and the incremental outcomes Q, with the cumulative counts."""
    score = np.asarray(score, dtype=np.float64)
    t = np.asarray(treated).astype(bool)
    y = np.asarray(outcome).astype(np.float64)
    order = np.argsort(-score, kind="stable")
    s, t, y = score[order], t[order], y[order]
    n_t, n_c = np.cumsum(t), np.cumsum(~t)
    r_t, r_c = np.cumsum(y * t), np.cumsum(y * ~t)
    ends = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1] if len(s) else np.zeros(0, int)
    n_t, n_c, r_t, r_c = n_t[ends], n_c[ends], r_t[ends], r_c[ends]
    with np.errstate(divide="ignore", invalid="ignore"):
        q = r_t - np.where(n_c > 0, r_c * n_t / np.maximum(n_c, 1), 0.0)
    counts = pd.DataFrame({"n": ends + 1, "n_t": n_t, "n_c": n_c, "r_t": r_t, "r_c": r_c})
    return np.r_[0.0, (ends + 1) / max(len(s), 1)], np.r_[0.0, q], counts


def _area(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2.0))


def qini(score: np.ndarray, treated: np.ndarray, outcome: np.ndarray) -> float:
    """The normalised Qini coefficient of an uplift score against observed (treated, outcome).

    Rows are taken highest score first (tied scores as one step). After k rows the Qini
    curve is Q(k) = R_t(k) - R_c(k) * N_t(k) / N_c(k): the treated's outcomes minus the
    controls' scaled to as many rows, i.e. the outcomes the treatment added among the top k
    (Radcliffe 2007). The coefficient is the area between that curve and the random line
    (straight from 0 to Q(all)), divided by the same area of the perfect ranking (treated
    rows with an outcome first, control rows with one last). 1 = perfect, 0 = no better than
    random (a constant score), negative = worse than random (e.g. a reversed ranking).
    NaN when the perfect ranking does not beat random (no outcomes, or one arm empty)."""
    t = np.asarray(treated).astype(bool)
    if len(t) == 0 or t.all() or not t.any():
        return math.nan
    y = np.asarray(outcome).astype(np.float64)
    x, q, _ = _qini_points(score, t, y)
    random_area = q[-1] / 2.0
    xp, qp, _ = _qini_points(y * t - y * ~t, t, y)
    best = _area(xp, qp) - random_area
    if not best > 1e-12:
        return math.nan
    return (_area(x, q) - random_area) / best


def qini_against_truth(score: np.ndarray, true_effect: np.ndarray) -> float:
    """The normalised Qini coefficient of an uplift score against the true effects, where a
    simulator knows them: the curve is the true effect summed down the ranking (highest score
    first, tied scores as one step) instead of the outcomes a randomised comparison would
    estimate it from, so it carries no sampling noise. 1 = the true effects' own order, 0 =
    random (a constant score), negative = worse than random. NaN when the true order does not
    beat random (every effect equal)."""
    truth = np.asarray(true_effect, dtype=np.float64)
    if len(truth) == 0:
        return math.nan
    everyone = np.ones(len(truth), dtype=bool)
    x, q, _ = _qini_points(score, everyone, truth)
    xp, qp, _ = _qini_points(truth, everyone, truth)
    random_area = q[-1] / 2.0
    best = _area(xp, qp) - random_area
    if not best > 1e-12:
        return math.nan
    return (_area(x, q) - random_area) / best


def uplift_curve(
    score: np.ndarray, treated: np.ndarray, outcome: np.ndarray, points: int = 20
) -> pd.DataFrame:
    """The Qini curve at `points` fractions of the rows (highest score first; a fraction ends
    at the tie group it falls into): fraction, n, n_treated, n_control, uplift (outcome rate
    of the treated minus the controls' among those rows), qini (Q, the outcomes the treatment
    added among them, see `qini`) and random (the random ranking's Q at that fraction)."""
    t = np.asarray(treated).astype(bool)
    x, q, counts = _qini_points(score, t, outcome)
    rows = []
    for f in np.linspace(1.0 / points, 1.0, points):
        i = int(np.searchsorted(x[1:], f - 1e-12, side="left")) if len(counts) else -1
        if i < 0 or i >= len(counts):
            continue
        c = counts.iloc[i]
        with np.errstate(divide="ignore", invalid="ignore"):
            uplift = (c.r_t / c.n_t if c.n_t else math.nan) - (c.r_c / c.n_c if c.n_c else math.nan)
        rows.append(
            {
                "fraction": float(x[i + 1]),
                "n": int(c.n),
                "n_treated": int(c.n_t),
                "n_control": int(c.n_c),
                "uplift": float(uplift),
                "qini": float(q[i + 1]),
                "random": float(q[-1] * x[i + 1]),
            }
        )
    return pd.DataFrame(
        rows, columns=["fraction", "n", "n_treated", "n_control", "uplift", "qini", "random"]
    )
