"""The randomised hold-out: a share of each rep's customers kept off the lists, as a control.

Every `period_days` (from a fixed Monday) a fresh `share` of each rep's customers is drawn and
recorded in `holdout_assignments` by the code that writes the lists, in the same transaction
(score.write_lists); for that period they never appear on a rep's list. Reading the hold-out
never records it. Scoring
still ranks them, and those that would have made the list are stored as withheld call-list
rows, so that the list's causal effect can be estimated later (evaluate.holdout_lift).

The draw is a keyed hash of (seed, period, customer): reproducible from the record, not
influenced by anything the model or a rep did, and stratified per rep. Each rep's customers
are drawn at their team's share (team_holdout_shares, set by an admin through
team_settings.set_holdout_share; the default share where the team set none). A share set for
a team holds from the period start it names, so a period's draw uses the shares in force at
its start; a recorded draw is never drawn again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from repurchase.warehouse.store import Cursor, Warehouse, sql

SHARE_ENV = "REPURCHASE_HOLDOUT_SHARE"
DEFAULT_SHARE = 0.10  # one customer in ten is the control group
MAX_TEAM_SHARE = 0.30  # an admin may keep at most this share of a team's customers off


@dataclass(frozen=True)
class HoldoutPolicy:
    share: float = DEFAULT_SHARE  # for reps whose team set no share of its own
    period_days: int = 28  # re-drawn every four weeks, so no customer is kept off for long
    epoch: date = date(2024, 1, 1)  # a Monday; periods are counted from it
    seed: int = 17
    # rep_id -> share, for reps whose team set one (team_settings); others use `share`
    rep_shares: Mapping[str, float] = field(default_factory=dict, compare=False)

    def share_of(self, rep_id: str) -> float:
        return float(self.rep_shares.get(rep_id, self.share))

    def with_team_shares(self, warehouse: Warehouse, period_start: date) -> HoldoutPolicy:
        """This policy with each rep's team share in force for the period starting
        `period_start` (sql/rep_holdout_share.sql)."""
        found = warehouse.query("rep_holdout_share", start=period_start).dropna()
        return replace(
            self, rep_shares=dict(zip(found.rep_id, found.share.astype(float), strict=True))
        )

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
    """The held-out customers of one period: each rep's share (policy.share_of) of the rep's
    customers (columns customer_id, rep_id) with the smallest keyed hashes, with the share they
    were drawn at (columns customer_id, rep_id, share). Deterministic."""
    columns = ["customer_id", "rep_id", "share"]
    if customers.empty:
        return customers.iloc[0:0][["customer_id", "rep_id"]].assign(share=0.0)[columns]
    frame = customers[["customer_id", "rep_id"]].copy()
    frame["share"] = frame.rep_id.map(policy.share_of).astype(float)
    frame["key"] = _ranks(frame.customer_id.to_numpy(), period_start, policy.seed)
    frame = frame.sort_values(["rep_id", "key"])
    frame["position"] = frame.groupby("rep_id").cumcount()
    size = frame.groupby("rep_id").customer_id.transform("size")
    chosen = frame[frame.position < np.round(size * frame.share)]
    return chosen[columns].reset_index(drop=True)


@dataclass(frozen=True)
class PeriodDraw:
    """The hold-out of the period containing a day: as recorded, or as it would be drawn."""

    period_start: date
    period_end: date
    customers: pd.DataFrame  # customer_id, rep_id
    share: float  # the default share; a rep's own is in customers.share when drawn now
    seed: int
    recorded: bool  # read from holdout_assignments; else drawn now and not stored yet

    @property
    def held(self) -> set[str]:
        return set(self.customers.customer_id)


def _recorded(cur: Cursor, start: date) -> pd.DataFrame:
    return cur.execute(sql("holdout_period"), {"start": start}).df()


def period_draw(
    warehouse: Warehouse,
    day: date,
    customers: pd.DataFrame,
    policy: HoldoutPolicy | None = None,
) -> PeriodDraw:
    """The hold-out of `day`'s period (`customers`: customer_id, rep_id). Reads only: the
    period's record if there is one, else the draw the list writer will record (the draw is
    deterministic, so a preview shows the lists the writer will write). Without a `policy`,
    the environment's default share with each team's share in force at the period's start."""
    if policy is None:
        policy = HoldoutPolicy.from_env()
        policy = policy.with_team_shares(warehouse, policy.period(day)[0])
    start, end = policy.period(day)
    with warehouse.connect() as cur:
        recorded = _recorded(cur, start)
    if len(recorded):
        return PeriodDraw(start, end, recorded, policy.share, policy.seed, recorded=True)
    return drawn(customers, day, policy)


def drawn(customers: pd.DataFrame, day: date, policy: HoldoutPolicy) -> PeriodDraw:
    """The draw of `day`'s period among `customers` (customer_id, rep_id), not recorded."""
    start, end = policy.period(day)
    chosen = draw(customers, start, policy)
    return PeriodDraw(start, end, chosen, policy.share, policy.seed, recorded=False)


def held_out(
    warehouse: Warehouse,
    day: date,
    customers: pd.DataFrame,
    policy: HoldoutPolicy | None = None,
) -> set[str]:
    """The customers held out on `day` (`customers`: customer_id, rep_id): the period's
    recorded draw, or, before the lists of that period are written, the draw they will record.
    Never writes."""
    return period_draw(warehouse, day, customers, policy).held


def record(cur: Cursor, period: PeriodDraw) -> set[str]:
    """Store `period`'s draw unless its period already has a record (another writer drew it
    first: the first record wins), in the caller's transaction, the one that writes the lists
    it keeps customers off. Returns the customers recorded for the period."""
    recorded = _recorded(cur, period.period_start)
    if len(recorded) or period.customers.empty:
        return set(recorded.customer_id)
    rows = period.customers[["customer_id", "rep_id"]].assign(
        period_start=period.period_start,
        period_end=period.period_end,
        # the share each rep was drawn at (its team's), else the period's one
        share=(
            period.customers.share
            if "share" in period.customers
            else pd.Series(period.share, index=period.customers.index)
        ),
        seed=period.seed,
    )
    cur.register("drawn", rows)
    cur.execute(sql("holdout_record"))
    cur.unregister("drawn")
    return set(rows.customer_id)
