"""Forward worlds: a generator's history, then the same world stepped on day by day under a
call-list policy, with common random numbers, so that two policies can be compared on the very
same customers, needs and luck.

A world first simulates its history exactly as its generator's `make()` does (same seed, same
draws: the contract tables it exposes for the history are `make()`'s, byte for byte). From the
day after the history every random draw is keyed by (world seed, day, purpose) and drawn
full-size over all customers (or all reps), then indexed: whether a customer orders online
today, the conversion draw of a call, the next interval, an order's amount and a rep's noise are
the same numbers whichever customers a list sent the reps to. Copy a world at its history's end
(`copy()`, a deep copy) and replay the copy under each policy.

Reps follow a list as in the demo's simulated use (synthetic_config.Adoption): an adopting rep,
each working day, takes the first `per_day` customers of the week's ranked list that nobody
called in the last `recent_days` days, and calls each with probability `adherence` ahead of
their own choices; the rest of the day goes as usual. The hold-out is the caller's business: a
customer it keeps off never reaches a list here.

Two kinds of output, kept apart:
* `frames()`: the import contract so far (reps, customers, visits, orders), all a model sees;
* truth, for measurement and the oracle only: `truth_effect(day)` (per customer, the true
  effect of a call that day on the chance of an order, and the order's expected amount),
  `forward_orders()` / `forward_visits()` (what happened after the history, with the channel).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from repurchase.demo.common import CALL_COLUMNS

# Seeds the forward draws apart from every stream of the generators (theirs are a plain seed,
# SeedSequence children and DETAILS_STREAM).
FORWARD_STREAM = 29
CONTRACT_VISITS = (*CALL_COLUMNS, "follow_up_date")
CONTRACT_ORDERS = ("customer_id", "order_date", "amount")


@dataclass(frozen=True)
class Following:
    """How reps follow a list: who adopts (`levels`; None = every rep), how much of it
    (`adherence`), how many list customers a day (`per_day`) and how long a called customer is
    skipped (`recent_days`)."""

    adherence: float = 0.6
    levels: tuple[str, ...] | None = ("junior",)
    per_day: int = 15
    recent_days: int = 5

    def adopts(self, level: str) -> bool:
        return self.levels is None or level in self.levels


class Keyed:
    """The draws of one forward day: each purpose has its own stream, keyed by (seed, day,
    purpose), and every draw is full-size, so index i is customer (or rep) i's number whatever
    else happened that day."""

    def __init__(self, seed: int, day: int, purposes: tuple[str, ...]) -> None:
        self.seed, self.day = seed, day
        self._index = {p: i for i, p in enumerate(purposes)}
        self._cache: dict[tuple[str, int], np.ndarray] = {}

    def rng(self, purpose: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, FORWARD_STREAM, self.day, self._index[purpose]])

    def random(self, purpose: str, n: int) -> np.ndarray:
        """n uniforms of `purpose` (drawn once a day, then reused)."""
        key = (purpose, n)
        if key not in self._cache:
            self._cache[key] = self.rng(purpose).random(n)
        return self._cache[key]


def pick_by(u: np.ndarray, weights: dict[str, float]) -> np.ndarray:
    """Keys of `weights` chosen by uniforms `u` (inverse CDF): the same u, the same key."""
    keys = np.array(list(weights))
    p = np.array(list(weights.values()), dtype=float)
    edges = np.cumsum(p / p.sum())
    return keys[np.minimum(np.searchsorted(edges, u, side="right"), len(keys) - 1)]


def daily_list(
    ranked: list[str] | None,
    index: dict[str, int],
    mine: np.ndarray,
    last_call: np.ndarray,
    day: int,
    rule: Following,
) -> np.ndarray:
    """Positions of the customers an adopting rep takes from the list today, in list order,
    before adherence: the first `per_day` of `ranked` that are the rep's (`mine`, a boolean per
    customer) and were not called in the last `recent_days` days."""
    if not ranked:
        return np.zeros(0, dtype=int)
    idx = np.array([index[c] for c in ranked if c in index], dtype=int)
    idx = idx[mine[idx]]
    idx = idx[~(last_call[idx] >= day - rule.recent_days)]
    return idx[: rule.per_day]


class ForwardWorld:
    """What both worlds share; subclasses implement the generator's day."""

    seed: int
    first_day: date  # the first day after the history
    day: int  # index of the next day to simulate (0 = the history's first day)
    start: date  # the history's first day

    def today(self) -> date:
        return self.start + pd.Timedelta(days=self.day).to_pytimedelta()

    def copy(self) -> ForwardWorld:
        """An independent copy, to replay under another policy."""
        return copy.deepcopy(self)

    def run_day(self, lists: dict[str, list[str]] | None) -> None:
        """Simulate one day; adopting reps follow `lists` (rep_id -> ranked customer ids)."""
        raise NotImplementedError

    def frames(self) -> dict[str, pd.DataFrame]:
        """The contract tables so far: reps, customers, visits, orders."""
        raise NotImplementedError

    def owners(self) -> pd.DataFrame:
        """customer_id, rep_id: who serves each customer now (the contract's owner)."""
        customers = self.frames()["customers"]
        return customers[["customer_id", "owner_rep_id"]].rename(columns={"owner_rep_id": "rep_id"})

    def truth_effect(self, day: int | None = None) -> pd.DataFrame:
        """Truth, for measurement and the oracle only: customer_id, rep_id, call_effect (the
        true P(order | called today) - P(order | not called)), amount (the order's expected
        value)."""
        raise NotImplementedError

    def forward_orders(self) -> pd.DataFrame:
        """Orders after the history: customer_id, order_date, amount, at_call (bool)."""
        raise NotImplementedError

    def forward_visits(self) -> pd.DataFrame:
        """Calls after the history: rep_id, customer_id, visit_date, result."""
        raise NotImplementedError


def concat(history: pd.DataFrame, forward: pd.DataFrame) -> pd.DataFrame:
    """The history's rows, then the forward rows (the history's frame untouched)."""
    if forward.empty:
        return history
    return pd.concat([history, forward], ignore_index=True)
