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
    frame = pd.DataFrame(
        {"day": day, "rep": rep, "score": score, "label": label, "row": np.arange(len(score))}
    ).sort_values(["day", "rep", "score", "row"], ascending=[True, True, False, True])
    place = frame.groupby(["day", "rep"], sort=False).cumcount()
    if top_n is not None:
        k = top_n
    else:
        size = frame.groupby(["day", "rep"], sort=False).score.transform("size")
        k = np.ceil(share * size).clip(lower=1)
    return frame[place < k].groupby(["day", "rep"]).label.mean()


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
