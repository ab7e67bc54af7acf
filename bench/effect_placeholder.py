"""A stand-in call-effect model for the policy bench until repurchase.model.effect exists.

An S-learner: gradient boosting on the peers' summary plus "called in the first week after the
anchor", fitted on weekly anchors of the history; the effect is the difference of its two
predictions. The reps chose whom to call, so this is confounded by their choice; the bench
says when it ran on this stand-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier

from repurchase.evaluation.policy import samples_for
from repurchase.model import features, peers, summary

_WEEK = 7 * 86_400


def _called(history: features.History, samples: features.Samples) -> np.ndarray:
    """1 where the customer had a call in the week from the anchor."""
    cust = samples.customer_ids_index(history)
    t = samples.anchor_seconds()
    key = history.visit_key
    first = np.searchsorted(key, cust * 10**11 + t, side="left")
    last = np.searchsorted(key, cust * 10**11 + t + _WEEK, side="left")
    return (last > first).astype(np.float64)


@dataclass
class CallEffect:
    horizon_days: int
    inputs: dict[str, Any]
    model: HistGradientBoostingClassifier

    def _x(self, history: features.History, anchors: pd.DataFrame) -> np.ndarray:
        s = samples_for(history, anchors, self.inputs, labels=False)
        return peers.columns(s, peers.widths_of(self.inputs["vocabulary"])).astype(np.float64)

    def predict(self, history: features.History, anchors: pd.DataFrame) -> pd.DataFrame:
        x = self._x(history, anchors)
        ones, zeros = np.ones((len(x), 1)), np.zeros((len(x), 1))
        p1 = self.model.predict_proba(np.hstack([x, ones]))[:, 1]
        p0 = self.model.predict_proba(np.hstack([x, zeros]))[:, 1]
        return pd.DataFrame(
            {
                "customer_id": anchors.customer_id.to_numpy(),
                "p_called": p1,
                "p_not_called": p0,
                "call_effect": p1 - p0,
                "p_self": p0,
            }
        )


def fit(
    history: features.History,
    until: date,
    horizon_days: int = 28,
    *,
    holdout: pd.DataFrame | None = None,
    weeks: int = 26,
    seed: int = 7,
    max_rows: int = 20_000,
) -> CallEffect:
    cutoff = int(pd.Timestamp(until - timedelta(days=horizon_days)).value // 10**9)
    inputs = {
        "vocabulary": features.fit_vocabulary(history),
        "bgnbd": summary.fit_bgnbd(history, cutoff),
        "horizon_days": horizon_days,
    }
    last = until - timedelta(days=horizon_days + 1)
    anchors = features.weekly_anchors(history, last - timedelta(weeks=weeks), last)
    if len(anchors) > max_rows:
        anchors = anchors.sample(max_rows, random_state=seed)
    anchors = anchors.reset_index(drop=True)
    s = samples_for(history, anchors, inputs, labels=True)
    x = peers.columns(s, peers.widths_of(inputs["vocabulary"])).astype(np.float64)
    x = np.hstack([x, _called(history, s)[:, None]])
    model = HistGradientBoostingClassifier(
        max_iter=100, learning_rate=0.1, min_samples_leaf=40, random_state=seed
    ).fit(x, s.labels)
    return CallEffect(horizon_days, inputs, model)
