"""The two rankings that need no fitting and never serve, for the backtest (backtest.py):

- random: a seeded coin per customer;
- round robin: longest since the last visit first (what a disciplined rep without a model does).

The peers that can serve (recency-frequency, logistic, gradient boosting, BG/NBD) live in
peers.py and are fitted by every training run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def random_scores(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random(n)


def round_robin_scores(facts: pd.DataFrame) -> np.ndarray:
    """Days since the last visit; never visited counts as longest."""
    return facts.days_since_visit.fillna(10_000.0).to_numpy()
