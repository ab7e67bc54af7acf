"""Honest competitors for the model, scored on the same customers and days (backtest.py).

- random: a seeded coin per customer;
- round robin: longest since the last visit first (what a disciplined rep without a model does);
- recency-frequency: orders in the last quarter, ties broken by the most recent order;
- logistic regression and gradient boosting on the model's own features plus simple
  aggregates (scikit-learn);
- BG/NBD, the buy-till-you-die model (bgnbd.py), on each customer's purchase days.

Every `fit` sees only history before its cutoff; every `predict` only events before each anchor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from repurchase import bgnbd, features
from repurchase.features import History, Samples

_DAY = 86_400


def random_scores(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random(n)


def round_robin_scores(facts: pd.DataFrame) -> np.ndarray:
    """Days since the last visit; never visited counts as longest."""
    return facts.days_since_visit.fillna(10_000.0).to_numpy()


def recency_frequency_scores(facts: pd.DataFrame) -> np.ndarray:
    """Orders in the last 90 days first; among equals, the most recent order first."""
    return facts.orders_90.to_numpy() + 1.0 / (
        1.0 + facts.days_since_order.fillna(10_000.0).to_numpy()
    )


def tabular(samples: Samples, widths: list[int]) -> np.ndarray:
    """One row per sample: the rhythm feature set at the anchor step, the last three events'
    gap/result/kind, one-hot static categories (`widths` codes each), and simple aggregates
    over the window (visits and orders in the last 90 days, success share, history length)."""
    if samples.feature_names != features.RHYTHM_TEMPORAL:
        raise ValueError("tabular baselines read the rhythm feature set")
    names = list(samples.feature_names)
    x = features.log_transform(samples.temporal, samples.feature_names)
    anchor = x[:, -1, :]
    recent = x[:, -4:-1, [names.index(n) for n in ("days_since_prev", "result", "is_visit")]]
    raw = samples.temporal[:, :-1, :]
    present = raw[..., names.index("present")] > 0
    result = raw[..., names.index("result")] * present
    is_visit = raw[..., names.index("is_visit")] * present
    last_90 = present & (raw[..., names.index("days_to_anchor")] <= 90)
    events = np.maximum(present.sum(axis=1), 1)
    aggregates = np.stack(
        [
            (last_90 * is_visit).sum(axis=1),
            (last_90 * result).sum(axis=1),
            result.sum(axis=1) / events,
            np.log1p(samples.n_history),
        ],
        axis=1,
    )
    codes = samples.static[:, -1, :].astype(int)
    one_hot = [np.eye(w)[np.clip(codes[:, j], 0, w - 1)] for j, w in enumerate(widths)]
    return np.concatenate([anchor, recent.reshape(len(x), -1), aggregates, *one_hot], axis=1)


@dataclass
class TabularModel:
    """Logistic regression or gradient boosting on `tabular()` rows."""

    kind: str  # "logistic" | "gbm"
    vocabulary: dict[str, list[str]]
    seed: int = 7
    model: object = field(default=None, repr=False)

    @property
    def widths(self) -> list[int]:
        return [len(self.vocabulary[c]) + 1 for c in features.STATIC]

    def fit(self, samples: Samples) -> TabularModel:
        x, y = tabular(samples, self.widths), samples.labels
        if self.kind == "logistic":
            self.model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        elif self.kind == "gbm":
            self.model = HistGradientBoostingClassifier(
                max_iter=300,
                learning_rate=0.08,
                early_stopping=True,
                validation_fraction=0.15,
                random_state=self.seed,
            )
        else:
            raise ValueError(f"unknown tabular baseline {self.kind!r}")
        self.model.fit(x, y)
        return self

    def predict(self, samples: Samples) -> np.ndarray:
        return self.model.predict_proba(tabular(samples, self.widths))[:, 1]


def purchase_days(history: History) -> pd.DataFrame:
    """Distinct purchase days per customer (order records and successful visits), sorted:
    columns customer (index into history.customers) and day (days since the epoch)."""
    orders = history.order_key
    frame = pd.DataFrame({"customer": orders // 10**11, "day": (orders % 10**11) // _DAY})
    return frame.drop_duplicates().sort_values(["customer", "day"]).reset_index(drop=True)


def purchase_summary(
    days: pd.DataFrame, customers: np.ndarray, t_seconds: np.ndarray
) -> pd.DataFrame:
    """For each (customer, anchor): purchase days before the anchor -> BG/NBD's x, t_x, T in
    weeks (from the first purchase), and whether there was any purchase."""
    key = days.customer.to_numpy() * 10**6 + days.day.to_numpy()
    anchor_day = t_seconds // _DAY
    start = np.searchsorted(key, customers * 10**6, side="left")
    stop = np.searchsorted(key, customers * 10**6 + anchor_day, side="left")
    count = stop - start
    has = count > 0
    first = np.where(has, days.day.to_numpy()[np.minimum(start, len(days) - 1)], 0)
    last = np.where(has, days.day.to_numpy()[np.maximum(stop - 1, 0)], 0)
    return pd.DataFrame(
        {
            "has_purchase": has,
            "x": np.maximum(count - 1, 0),
            "t_x": (last - first) / 7.0,
            "T": np.where(has, (anchor_day - first) / 7.0, 0.0),
        }
    )


def _customer_index(history: History, samples: Samples) -> np.ndarray:
    return samples.customer_ids_index(history)


@dataclass
class BGNBDModel:
    """BG/NBD fitted on every customer's purchases before the cutoff; customers who never
    bought get the training anchors' observed rate of a first purchase within the horizon."""

    horizon_days: int
    params: bgnbd.BGNBD | None = None
    never_bought_rate: float = 0.0

    def fit(self, train_history: History, cutoff: date, samples: Samples) -> BGNBDModel:
        """`train_history` holds only events before `cutoff`; `samples` are training anchors
        whose labels end before it."""
        days = purchase_days(train_history)
        n = len(train_history.customers)
        at_cutoff = np.full(n, pd.Timestamp(cutoff).value // 10**9)
        summary = purchase_summary(days, np.arange(n), at_cutoff)
        buyers = summary[summary.has_purchase & (summary["T"] > 0)]
        self.params = bgnbd.fit(buyers.x, buyers.t_x, buyers["T"])
        at_anchor = purchase_summary(
            days, _customer_index(train_history, samples), samples.anchor_seconds()
        )
        never = ~at_anchor.has_purchase.to_numpy()
        if never.any():
            self.never_bought_rate = float(samples.labels[never].mean())
        return self

    def predict(self, history: History, samples: Samples) -> np.ndarray:
        s = purchase_summary(
            purchase_days(history), _customer_index(history, samples), samples.anchor_seconds()
        )
        p = self.params.p_purchase_within(
            self.horizon_days / 7.0, s.x.to_numpy(), s.t_x.to_numpy(), s["T"].to_numpy()
        )
        return np.where(s.has_purchase.to_numpy(), p, self.never_bought_rate)
