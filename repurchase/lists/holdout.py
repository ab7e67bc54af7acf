"""The randomised hold-out: a share of each rep's customers kept off the lists, as a control.

Every `period_days` (from a fixed Monday) a fresh `share` of each rep's customers is drawn and
recorded in `holdout_assignments`; for that period they never appear on a rep's list. Scoring
still ranks them, and those that would have made the list are stored as withheld call-list
rows, so that the list's causal effect can be estimated later (evaluate.holdout_lift).

The draw is a keyed hash of (seed, period, customer): reproducible from the record, not
influenced by anything the model or a rep did, and stratified per rep (each rep loses the
same share).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from repurchase.warehouse.store import Warehouse

SHARE_ENV = "REPURCHASE_HOLDOUT_SHARE"


@dataclass(frozen=True)
class HoldoutPolicy:
    share: float = 0.10  # the default: one customer in ten is the control group
    period_days: int = 28  # re-drawn every four weeks, so no customer is kept off for long
    epoch: date = date(2024, 1, 1)  # a Monday; periods are counted from it
    seed: int = 17

    @classmethod
    def from_env(cls) -> HoldoutPolicy:
        raw = os.environ.get(SHARE_ENV)
        if raw is None or raw == "":
            return cls()
        share = float(raw)
        if not 0.0 <= share < 1.0:
            raise ValueError(f"{SHARE_ENV}={raw!r} must be a share in [0, 1)")
        return cls(share=share)

    def period(self, day: date) -> tuple[date, date]:
        """[start, end) of the hold-out period containing `day`."""
        index = (day - self.epoch).days // self.period_days
        start = self.epoch + timedelta(days=index * self.period_days)
        return start, start + timedelta(days=self.period_days)


def _ranks(customer_ids: np.ndarray, period_start: date, seed: int) -> np.ndarray:
    keys = [
        int.from_bytes(
            hashlib.blake2b(f"{seed}|{period_start}|{c}".encode(), digest_size=8).digest(), "big"
        )
        for c in customer_ids
    ]
    return np.asarray(keys, dtype=np.uint64)


def draw(customers: pd.DataFrame, period_start: date, policy: HoldoutPolicy) -> pd.DataFrame:
    """The held-out customers of one period: the `share` of each rep's customers (columns
    customer_id, rep_id) with the smallest keyed hashes. Deterministic."""
    if policy.share <= 0 or customers.empty:
        return customers.iloc[0:0][["customer_id", "rep_id"]]
    frame = customers[["customer_id", "rep_id"]].copy()
    frame["key"] = _ranks(frame.customer_id.to_numpy(), period_start, policy.seed)
    frame = frame.sort_values(["rep_id", "key"])
    frame["position"] = frame.groupby("rep_id").cumcount()
    size = frame.groupby("rep_id").customer_id.transform("size")
    chosen = frame[frame.position < np.round(size * policy.share)]
    return chosen[["customer_id", "rep_id"]].reset_index(drop=True)


def held_out(
    warehouse: Warehouse,
    day: date,
    customers: pd.DataFrame,
    policy: HoldoutPolicy | None = None,
    *,
    record: bool = True,
) -> set[str]:
    """The customers held out on `day` (`customers`: customer_id, rep_id). The period's draw
    is made and recorded the first time it is needed (in one transaction); later calls read
    the record. With `record=False` an unrecorded period is drawn but not stored."""
    policy = policy or HoldoutPolicy.from_env()
    start, end = policy.period(day)
    with warehouse.connect() as cur:
        recorded = cur.execute(
            "select customer_id from holdout_assignments where period_start = $s", {"s": start}
        ).fetchall()
    if recorded:
        return {r[0] for r in recorded}
    chosen = draw(customers, start, policy)
    if chosen.empty or not record:
        return set(chosen.customer_id)
    rows = chosen.assign(period_start=start, period_end=end, share=policy.share, seed=policy.seed)
    with warehouse.transaction() as cur:
        # another process may have drawn this period meanwhile: the first record wins
        if (
            cur.execute(
                "select count(*) from holdout_assignments where period_start = $s", {"s": start}
            ).fetchone()[0]
            == 0
        ):
            cur.register("drawn", rows)
            cur.execute(
                "insert into holdout_assignments (period_start, period_end, customer_id, rep_id, "
                "share, seed) select period_start, period_end, customer_id, rep_id, share, seed "
                "from drawn"
            )
            cur.unregister("drawn")
        recorded = cur.execute(
            "select customer_id from holdout_assignments where period_start = $s", {"s": start}
        ).fetchall()
    return {r[0] for r in recorded}
