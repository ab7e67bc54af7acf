"""What the simple peers know, as one vector per (customer, anchor): the purchase-history
summary BG/NBD reads (frequency, recency, age, its P(alive) and expected purchases), the
customer's own rhythm (mean gap between purchases, its spread, how overdue the customer is)
and recent contact (calls in the last days, the last call's outcome).

The network reads this vector beside its event sequence, so it starts from what the peers
know and can only add to it; the tabular peers read the same vector, so every method is
compared on the same information.

Everything is computed from events strictly before the anchor t (the searchsorted bounds are
"left" of t), so a sample anchored at t never sees anything on or after t. Counts and
durations are log1p-transformed so that today's values stay near the training range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from repurchase.model import bgnbd
from repurchase.model.features import History, cached

_DAY = 86_400
_KEY = 10**6  # customer * _KEY + day: one sortable key per purchase day
_NEVER_DAYS = 1_000.0  # "never" reads as a very long time ago

SUMMARY = (
    "has_purchase",  # any purchase before t
    "log_repeat",  # BG/NBD's x: repeat purchase days
    "log_recency",  # days since the last purchase day
    "log_age_buyer",  # BG/NBD's T: days since the first purchase day
    "log_age",  # days since the customer joined
    "log_orders_30",
    "log_orders_90",
    "log_orders_180",
    "log_orders_365",
    "rate_per_year",  # purchase days per year since the first one
    "log_mean_gap",  # mean days between purchase days
    "gap_cv",  # spread of the gaps / their mean: how regular the rhythm is
    "has_rhythm",  # at least three purchase days, so the spread means something
    "due_ratio",  # days since the last purchase / mean gap
    "due_z",  # (days since - mean gap) / spread: how overdue, in the customer's own terms
    "log_gaps_longer",  # past gaps longer than the time since the last purchase ("at risk")
    "log_gaps_ending",  # ... of which ended within the horizon after that time
    "own_hazard",  # their ratio, smoothed: the customer's own chance to buy within the horizon
    "bgnbd_p_alive",
    "bgnbd_p_order",  # P(at least one purchase within the horizon)
    "bgnbd_log_expected",  # expected purchases within the horizon
    "log_since_visit",  # days since the last call or visit
    "last_visit_order",  # the last call ended in an order
    "last_visit_no_demand",  # the last call ended with "no demand"
    "log_visits_7",
    "log_visits_30",
    "log_visits_90",
    "no_demand_7",  # calls with "no demand" in the last 7 days
    "no_demand_30",
    "visit_success_share",  # successful calls / calls, lifetime
    "log_visits",  # calls so far
    "log_reps",  # distinct reps who have called so far
)


@dataclass(frozen=True)
class PurchaseDays:
    """Distinct purchase days (order records and successful visits) of every customer, sorted,
    with running sums of the gaps so any prefix's mean and spread cost one lookup."""

    key: np.ndarray  # customer * _KEY + day
    day: np.ndarray  # days since the epoch
    cum_gap: np.ndarray  # sum of gaps to the previous purchase day of the same customer
    cum_gap2: np.ndarray  # sum of squared gaps

    @classmethod
    def of(cls, history: History) -> PurchaseDays:
        orders = history.order_key
        customer = orders // 10**11
        day = (orders % 10**11) // _DAY
        key = np.unique(customer * _KEY + day)  # sorted, one row per customer and day
        customer, day = key // _KEY, key % _KEY
        same = np.r_[False, customer[1:] == customer[:-1]]
        gap = np.where(same, np.r_[0, np.diff(day)], 0).astype(np.float64)
        return cls(key, day, np.cumsum(gap), np.cumsum(gap * gap))


def bgnbd_inputs(days: PurchaseDays, customers: np.ndarray, t_seconds: np.ndarray) -> dict:
    """BG/NBD's x, t_x, T (weeks, from the first purchase) and has_purchase per anchor."""
    anchor_day = t_seconds // _DAY
    start = np.searchsorted(days.key, customers * _KEY, side="left")
    stop = np.searchsorted(days.key, customers * _KEY + anchor_day, side="left")
    count = stop - start
    has = count > 0
    first = np.where(has, days.day[np.minimum(start, len(days.day) - 1)], 0) if len(days.day) else 0
    last = np.where(has, days.day[np.maximum(stop - 1, 0)], 0) if len(days.day) else 0
    return {
        "has": has,
        "count": count,
        "start": start,
        "stop": stop,
        "x": np.maximum(count - 1, 0).astype(float),
        "t_x": np.where(has, (last - first) / 7.0, 0.0),
        "T": np.where(has, (anchor_day - first) / 7.0, 0.0),
        "recency_days": np.where(has, anchor_day - last, _NEVER_DAYS).astype(float),
    }


def fit_bgnbd(history: History, cutoff_seconds: int) -> bgnbd.BGNBD | None:
    """BG/NBD fitted on every buyer's purchases before the cutoff; None when too few buyers
    repeat for the four parameters to mean anything."""
    days = PurchaseDays.of(history)
    n = len(history.customers)
    s = bgnbd_inputs(days, np.arange(n), np.full(n, cutoff_seconds))
    buyers = s["has"] & (s["T"] > 0)
    if buyers.sum() < 20 or (s["x"][buyers] > 0).sum() < 10:
        return None
    return bgnbd.fit(s["x"][buyers], s["t_x"][buyers], s["T"][buyers])


def compute(
    history: History,
    cust: np.ndarray,
    t_seconds: np.ndarray,
    params: bgnbd.BGNBD | None,
    horizon_days: int,
    days: PurchaseDays | None = None,
) -> np.ndarray:
    """(N, len(SUMMARY)) float32 for customers `cust` (indices into history.customers) at
    anchors `t_seconds`. `params` None leaves the BG/NBD columns at 0."""
    days = days or PurchaseDays.of(history)
    s = bgnbd_inputs(days, cust, t_seconds)
    columns = {
        **_purchase_columns(history, days, s, cust, t_seconds, horizon_days),
        **_bgnbd_columns(s, params, horizon_days, len(cust)),
        **_visit_columns(history, cust, t_seconds),
    }
    out = np.stack([columns[name] for name in SUMMARY], axis=1)
    return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0).astype(np.float32)


def _purchase_columns(
    history: History,
    days: PurchaseDays,
    s: dict[str, np.ndarray],
    cust: np.ndarray,
    t_seconds: np.ndarray,
    horizon_days: int,
) -> dict[str, np.ndarray]:
    """What the purchase days before each anchor say: how many, how recent, how regular."""
    n = len(cust)
    anchor_day = t_seconds // _DAY
    base = cust * _KEY

    def purchases_since(window: int) -> np.ndarray:
        lo = np.searchsorted(days.key, base + anchor_day - window, side="left")
        return (s["stop"] - lo).astype(float)

    count = s["count"].astype(float)
    gaps = np.maximum(count - 1, 0)
    last_i = np.maximum(s["stop"] - 1, 0)
    first_i = np.minimum(s["start"], max(len(days.key) - 1, 0))
    if len(days.key):
        gap_sum = days.cum_gap[last_i] - days.cum_gap[first_i]
        gap2_sum = days.cum_gap2[last_i] - days.cum_gap2[first_i]
    else:
        gap_sum = gap2_sum = np.zeros(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_gap = np.where(gaps > 0, gap_sum / np.maximum(gaps, 1), 0.0)
        var = np.where(gaps > 1, gap2_sum / np.maximum(gaps, 1) - mean_gap**2, 0.0)
    sd = np.sqrt(np.maximum(var, 0.0))
    has_rhythm = gaps >= 2
    recency = s["recency_days"]
    due_ratio = np.where(gaps > 0, np.clip(recency / np.maximum(mean_gap, 1.0), 0, 5), 0.0)
    due_z = np.where(has_rhythm, np.clip((recency - mean_gap) / np.maximum(sd, 7.0), -3, 3), 0.0)
    longer, ending = _own_gaps(days, s["start"], s["stop"], recency, horizon_days)
    own_hazard = (ending + 0.25) / (longer + 1.0)  # a weak prior: one gap, a quarter chance
    age_buyer = s["T"] * 7.0
    joined = np.minimum(history.created_seconds[cust], t_seconds)
    age = np.maximum(t_seconds - joined, 0) / _DAY
    return {
        "has_purchase": s["has"].astype(float),
        "log_repeat": np.log1p(s["x"]),
        "log_recency": np.log1p(recency),
        "log_age_buyer": np.log1p(age_buyer),
        "log_age": np.log1p(age),
        "log_orders_30": np.log1p(purchases_since(30)),
        "log_orders_90": np.log1p(purchases_since(90)),
        "log_orders_180": np.log1p(purchases_since(180)),
        "log_orders_365": np.log1p(purchases_since(365)),
        "rate_per_year": np.where(age_buyer > 0, count / np.maximum(age_buyer, 30) * 365, 0.0),
        "log_mean_gap": np.log1p(mean_gap),
        "gap_cv": np.where(has_rhythm, np.clip(sd / np.maximum(mean_gap, 1.0), 0, 3), 0.0),
        "has_rhythm": has_rhythm.astype(float),
        "due_ratio": due_ratio,
        "due_z": due_z,
        "log_gaps_longer": np.log1p(longer),
        "log_gaps_ending": np.log1p(ending),
        "own_hazard": own_hazard,
    }


def _bgnbd_columns(
    s: dict[str, np.ndarray], params: bgnbd.BGNBD | None, horizon_days: int, n: int
) -> dict[str, np.ndarray]:
    """BG/NBD's chance that the customer is alive and orders within the horizon (0 without
    fitted parameters)."""
    if params is not None:
        h = horizon_days / 7.0
        x, t_x, big_t = s["x"], s["t_x"], np.maximum(s["T"], 1e-6)
        p_alive = np.where(s["has"], params.p_alive(x, t_x, big_t), 0.0)
        p_order = np.where(s["has"], params.p_purchase_within(h, x, t_x, big_t), 0.0)
        expected = np.where(s["has"], params.expected_purchases(h, x, t_x, big_t), 0.0)
    else:
        p_alive = p_order = expected = np.zeros(n)
    return {
        "bgnbd_p_alive": p_alive,
        "bgnbd_p_order": p_order,
        "bgnbd_log_expected": np.log1p(np.maximum(expected, 0.0)),
    }


def _visit_columns(
    history: History, cust: np.ndarray, t_seconds: np.ndarray
) -> dict[str, np.ndarray]:
    """The calls before each anchor: every visit (any result) and the failed ones, by time."""
    n = len(cust)
    vkey = history.visit_key
    vstop = np.searchsorted(vkey, cust * 10**11 + t_seconds, side="left")
    vstart = np.searchsorted(vkey, cust * 10**11, side="left")
    n_visits = (vstop - vstart).astype(float)

    def visits_since(key: np.ndarray, stop: np.ndarray, window: int) -> np.ndarray:
        lo = np.searchsorted(key, cust * 10**11 + t_seconds - window * _DAY, side="left")
        return (stop - lo).astype(float)

    failed = cached(history, "failed_visit_key", lambda: vkey[history.visit_result == 0])
    fstop = np.searchsorted(failed, cust * 10**11 + t_seconds, side="left")
    has_visit = n_visits > 0
    last_v = np.maximum(vstop - 1, 0)
    if len(vkey):
        last_result = history.visit_result[last_v]
        since_visit = np.where(has_visit, (t_seconds - vkey[last_v] % 10**11) / _DAY, _NEVER_DAYS)
    else:  # order-only data (an e-commerce log): nobody ever called
        last_result = np.zeros(n)
        since_visit = np.full(n, _NEVER_DAYS)
    successes = n_visits - (fstop - np.searchsorted(failed, cust * 10**11, side="left"))
    return {
        "log_since_visit": np.log1p(np.maximum(since_visit, 0.0)),
        "last_visit_order": (has_visit & (last_result == 1)).astype(float),
        "last_visit_no_demand": (has_visit & (last_result == 0)).astype(float),
        "log_visits_7": np.log1p(visits_since(vkey, vstop, 7)),
        "log_visits_30": np.log1p(visits_since(vkey, vstop, 30)),
        "log_visits_90": np.log1p(visits_since(vkey, vstop, 90)),
        "no_demand_7": visits_since(failed, fstop, 7),
        "no_demand_30": visits_since(failed, fstop, 30),
        "visit_success_share": np.where(has_visit, successes / np.maximum(n_visits, 1), 0.0),
        "log_visits": np.log1p(n_visits),
        "log_reps": np.log1p(_reps_so_far(history, cust, t_seconds)),
    }


def _own_gaps(
    days: PurchaseDays, start: np.ndarray, stop: np.ndarray, since: np.ndarray, horizon: int
) -> tuple[np.ndarray, np.ndarray]:
    """The customer's own renewal rhythm: of its past gaps between purchase days (before the
    anchor), how many were longer than the time since its last purchase, and how many of those
    ended within the horizon after it. Their ratio is the customer's own hazard, which a mean
    and a spread only approximate (a bursty buyer's gaps are either days or months)."""
    n = len(start)
    k = np.maximum(stop - start - 1, 0)
    total = int(k.sum())
    if total == 0:
        return np.zeros(n), np.zeros(n)
    owner = np.repeat(np.arange(n), k)
    offset = np.arange(total) - np.repeat(np.cumsum(k) - k, k)
    j = np.repeat(start, k) + 1 + offset
    gap = days.day[j] - days.day[j - 1]
    s = since[owner]
    longer = np.bincount(owner, weights=(gap > s).astype(float), minlength=n)
    ending = np.bincount(
        owner, weights=((gap > s) & (gap <= s + horizon)).astype(float), minlength=n
    )
    return longer, ending


def _reps_so_far(history: History, cust: np.ndarray, t_seconds: np.ndarray) -> np.ndarray:
    """Distinct reps who had called the customer before t (carried by the last event)."""
    pos = np.searchsorted(history.ev_key, cust * 10**11 + t_seconds, side="left")
    has = pos > history.start[cust]
    if not len(history.events):
        return np.zeros(len(cust))
    n_reps = cached(
        history, ("n_reps", np.float64), lambda: history.events.n_reps.to_numpy(np.float64)
    )
    return np.where(has, n_reps[np.maximum(pos - 1, 0)], 0.0)


def frame(values: np.ndarray) -> pd.DataFrame:
    """The summary as a DataFrame with named columns (for reports and reasons)."""
    return pd.DataFrame(values, columns=list(SUMMARY))
