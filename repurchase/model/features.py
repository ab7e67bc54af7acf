"""Visits and orders -> the paper's features and 10-step windows, always "as of" a time t.

A sample is a customer at a prediction time t (its anchor). Its features use only events
before t: the customer's last nine events, plus an anchor step at t itself that carries the
time elapsed since the last event (so "how long has it been" reaches the network), the last
result and the running counts. Its label is whether the customer orders in [t, t + H): an
order record or a visit whose result is "order". Training anchors every customer weekly;
scoring anchors every customer at the start of the day. Both build samples with the same code.

Per-event features are computed in DuckDB (sql/feature_events.sql, window functions); this
module only gathers them into windows with vectorised numpy indexing and adds the anchor step.

A customer with fewer than nine events before t gets its window padded on the left with zeros
(the `present` channel of the rhythm feature set marks real steps); it is still scored and its
`n_history` is reported so the UI can say "little history".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

import duckdb
import numpy as np
import pandas as pd

from repurchase.warehouse import snapshot
from repurchase.warehouse.store import Warehouse, sql

SEQ_LEN = 10
PAST_EVENTS = SEQ_LEN - 1  # the last step is the anchor
FEW_HISTORY = PAST_EVENTS  # fewer events than this: the window is padded, flagged in the UI
_SECONDS_PER_DAY = 86_400.0
_NO_ORDER_DAYS = 1_000.0  # "never ordered" reads as a very long time since the last order
_NEVER = np.iinfo(np.int64).max // 2  # a time later than any anchor
T = TypeVar("T")

# The paper's seven time-dependent features (section 2.2), in its order.
PAPER_TEMPORAL = (
    "days_since_prev",  # days since the customer's previous event
    "result",  # this event's result (1 = order); 0 at the anchor, whose result is unknown
    "prev_result",  # the previous event's result
    "ever_ordered",  # has the customer ordered so far
    "n_orders",  # orders so far (successful visits and orders without a visit)
    "n_visits",  # visits so far
    "n_reps",  # distinct reps who have visited the customer so far
)
# Paper features plus what the spec says a model must see to beat simple peers: the
# customer's own rhythm (orders without visits included) and forms that do not drift.
RHYTHM_TEMPORAL = (
    *PAPER_TEMPORAL,
    "is_visit",  # 1 visit, 0 order without a visit (or the anchor)
    "is_anchor",  # 1 on the anchor step
    "present",  # 1 on real steps, 0 on padding
    "days_to_anchor",  # how long before t this step happened
    "orders_365",  # orders in the 365 days up to this step
    "days_since_order",  # days since the last order up to this step
    "mean_order_gap",  # mean days between the customer's orders so far
    "due_ratio",  # days_since_order / mean_order_gap: "is it time again?"
    "has_rhythm",  # at least two orders, so mean_order_gap means something
)
FEATURE_SETS: dict[str, tuple[str, ...]] = {"paper": PAPER_TEMPORAL, "rhythm": RHYTHM_TEMPORAL}
STATIC = ("tag", "industry", "customer_type", "target")  # paper 3.1, time-independent features
# Counts and durations grow without bound; logs keep today's values near the training range.
_LOG_FEATURES = {
    "days_since_prev",
    "n_orders",
    "n_visits",
    "n_reps",
    "days_to_anchor",
    "orders_365",
    "days_since_order",
    "mean_order_gap",
}


def to_timestamp(day: date | datetime) -> pd.Timestamp:
    """An anchor time: a date means the start of that day (the morning list)."""
    return pd.Timestamp(day)


@dataclass
class History:
    """Everything before `until` that features and labels read, indexed for fast gathering.

    `events` is sorted by customer then time and names its customer by `customer_idx`, the
    row of `customers` (every customer to score, in customer_id order).
    """

    until: pd.Timestamp
    events: pd.DataFrame
    customers: pd.DataFrame
    customer_index: dict[str, int] = field(init=False, repr=False)
    # whole columns as numpy, made once (see cached()); the frames are never changed in place
    _columns: dict[object, object] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.customers = self.customers.reset_index(drop=True)
        self.customer_index = {c: i for i, c in enumerate(self.customers.customer_id)}
        ev = self.events
        self.ev_customer = ev.customer_idx.to_numpy(dtype=np.int64)
        if len(ev) and not (
            0 <= self.ev_customer.min() and self.ev_customer.max() < len(self.customers)
        ):
            raise ValueError("events refer to customers outside the customers table")
        self.ev_seconds = _seconds(ev.event_at)
        n = len(self.customers)
        self.start = np.searchsorted(self.ev_customer, np.arange(n), side="left")
        self.end = np.searchsorted(self.ev_customer, np.arange(n), side="right")
        # one sortable key per event: customer first, then time
        self.ev_key = self.ev_customer * 10**11 + self.ev_seconds
        orders = ev.result.to_numpy() == 1
        self.order_key = self.ev_key[orders]
        visits = ev.is_visit.to_numpy() == 1
        self.visit_key = self.ev_key[visits]
        self.visit_result = ev.result.to_numpy()[visits]
        # when a customer joined: its created_date, or (optional in an import) its first event;
        # never earlier, or training would anchor it at times it did not exist yet
        created = pd.to_datetime(self.customers.created_date)
        first_event = np.full(n, _NEVER, dtype=np.int64)
        has_events = self.end > self.start
        first_event[has_events] = self.ev_seconds[self.start[has_events]]
        known = created.notna().to_numpy()
        created_seconds = np.full(n, _NEVER, dtype=np.int64)
        created_seconds[known] = _seconds(created[known])
        self.created_seconds = np.minimum(created_seconds, first_event)


def cached(history: History, key: object, make: Callable[[], T]) -> T:
    """`make()` (a whole column as numpy), made once per History: converting whole columns
    for every draw cost 2.0 of a 20,000-sample draw's 2.3 s at 1M visits."""
    if key not in history._columns:
        history._columns[key] = make()
    return history._columns[key]


def positions(history: History, customer_ids) -> np.ndarray:
    """Rows of `history.customers` of `customer_ids` (int64; -1 for a customer not there),
    through an index made once: mapping with the dict copied it for every call."""
    index = cached(history, "customer_ids", lambda: pd.Index(history.customers.customer_id))
    return index.get_indexer(pd.Index(customer_ids)).astype(np.int64)


def _events_as(history: History, name: str, dtype=None) -> np.ndarray:
    return cached(history, (name, dtype), lambda: history.events[name].to_numpy(dtype=dtype))


def _event_seconds(history: History, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A timestamp column of the events as epoch seconds, and where it is missing."""
    v = history.events[name]
    seconds = cached(history, (name, "s"), lambda: v.to_numpy("datetime64[s]").astype(np.int64))
    return seconds, cached(history, (name, "na"), lambda: pd.isna(v.to_numpy()))


def _codes(history: History, name: str, vocabulary: list[str]) -> np.ndarray:
    """_encode of a customers' column (or, for "target", the events') for `vocabulary`."""

    def make() -> np.ndarray:
        if name == "target":
            targets = history.events.target.to_numpy()
            return _encode(targets, vocabulary) if len(targets) else np.zeros(0)
        return _encode(history.customers[name].astype(str).to_numpy(), vocabulary)

    return cached(history, (name, "codes", tuple(vocabulary)), make)


def truncate(history: History, until: date | datetime) -> History:
    """The same history cut at `until`: only events before it (for a backtest's training)."""
    t = to_timestamp(until)
    if t > history.until:
        raise ValueError(f"cannot extend a history that ends {history.until} to {t}")
    keep = history.events.event_at.to_numpy() < t.to_datetime64()
    return History(t, history.events[keep].reset_index(drop=True), history.customers)


def _seconds(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).to_numpy("datetime64[s]").astype(np.int64)


def load_history(warehouse: Warehouse, until: date | datetime) -> History:
    """Every event before `until`. The rows are copied out in short units of work and the
    features computed from the copy with the file closed (snapshot.py), so a large warehouse
    is never held for the whole query."""
    t = to_timestamp(until)
    with snapshot.feature_tables(warehouse, t.to_pydatetime()) as mem:
        events = mem.execute(sql("feature_events"), {"until": t.to_pydatetime()}).df()
        customers = mem.execute(sql("feature_customers")).df()
    return History(t, events, customers)


def history_from_frames(
    reps: pd.DataFrame,
    customers: pd.DataFrame,
    visits: pd.DataFrame,
    orders: pd.DataFrame,
    until: date | datetime,
) -> History:
    """The same History from import-contract DataFrames instead of a warehouse, through the
    same SQL (in a private in-memory DuckDB): used by the demo generator while it simulates
    reps following lists, before anything is written."""
    t = to_timestamp(until)
    tables = {
        "reps": reps.assign(left_date=reps.get("left_date")),
        "customers": customers,
        # amounts are optional in a frame (an order-only log may carry none): unpriced
        "visits": visits.rename(columns={"visit_date": "visited_at"}).assign(
            visit_id=np.arange(1, len(visits) + 1),
            order_amount=pd.to_numeric(visits.get("order_amount", np.nan), errors="coerce"),
        ),
        "orders": orders.assign(
            order_id=np.arange(1, len(orders) + 1),
            order_date=pd.to_datetime(orders.order_date),
            amount=pd.to_numeric(orders.get("amount", np.nan), errors="coerce"),
        ),
    }
    with duckdb.connect() as mem:
        for name, frame in tables.items():
            mem.register(name, frame)
        events = mem.execute(sql("feature_events"), {"until": t.to_pydatetime()}).df()
        customer_rows = mem.execute(sql("feature_customers")).df()
    return History(t, events, customer_rows)


# ----------------------------------------------------------------------------- anchors


def weekly_anchors(history: History, first: date, last: date, weekday: int = 0) -> pd.DataFrame:
    """Every customer that exists at each weekly anchor (`weekday`, 0 = Monday) in
    [first, last]. Columns: customer_id, anchor (Timestamp)."""
    start = pd.Timestamp(first)
    start += pd.Timedelta(days=(weekday - start.day_of_week) % 7)
    days = pd.date_range(start, pd.Timestamp(last), freq="7D")
    if len(days) == 0:
        return pd.DataFrame({"customer_id": [], "anchor": pd.to_datetime([])})
    exists_from = history.created_seconds
    day_seconds = days.to_numpy("datetime64[s]").astype(np.int64)
    alive = exists_from[None, :] < day_seconds[:, None]  # (days, customers)
    d, c = np.nonzero(alive)
    return pd.DataFrame(
        {"customer_id": history.customers.customer_id.to_numpy()[c], "anchor": days[d]}
    )


def daily_anchors(history: History, day: date) -> pd.DataFrame:
    """Every customer at the start of `day` (scoring)."""
    return pd.DataFrame(
        {"customer_id": history.customers.customer_id.to_numpy(), "anchor": pd.Timestamp(day)}
    )


# ----------------------------------------------------------------------------- vocabularies


def fit_vocabulary(history: History) -> dict[str, list[str]]:
    """Category values seen in the training history; code 0 is kept for unknown/padding."""
    vocab = {}
    for col in ("tag", "industry", "customer_type"):
        vocab[col] = sorted(history.customers[col].dropna().astype(str).unique().tolist())
    vocab["target"] = sorted(history.events.target.dropna().astype(str).unique().tolist())
    return vocab


def _encode(values: np.ndarray, vocabulary: list[str]) -> np.ndarray:
    """1-based codes of `values` in `vocabulary`; 0 for anything unknown (or missing)."""
    codes = pd.Categorical(values, categories=vocabulary).codes
    return (codes.astype(np.int64) + 1).astype(np.float32)


# ----------------------------------------------------------------------------- samples


@dataclass
class Samples:
    """Model inputs for N (customer, anchor) pairs, unscaled.

    temporal (N, 10, F) float32 in `feature_names` order; static (N, 10, 4) category codes
    (0 = unknown/padding); labels (N,) 0/1 or None when the horizon is not observed yet;
    n_history (N,) events before the anchor.
    """

    customer_ids: np.ndarray
    anchors: np.ndarray
    temporal: np.ndarray
    static: np.ndarray
    labels: np.ndarray | None
    n_history: np.ndarray
    feature_names: tuple[str, ...]
    summary: np.ndarray | None = None  # (N, S) what the peers know (summary.py), if attached

    def __len__(self) -> int:
        return len(self.customer_ids)

    def anchor_seconds(self) -> np.ndarray:
        return self.anchors.astype("datetime64[s]").astype(np.int64)

    def customer_ids_index(self, history: History) -> np.ndarray:
        """Each sample's customer as an index into `history.customers`."""
        return positions(history, self.customer_ids)

    def step_mask(self) -> np.ndarray:
        """(N, 10) True on real steps (past events and the anchor), False on padding."""
        real_past = np.minimum(self.n_history, PAST_EVENTS)
        steps = np.arange(SEQ_LEN)[None, :]
        return steps >= (PAST_EVENTS - real_past)[:, None]

    def subset(self, index: np.ndarray) -> Samples:
        return Samples(
            self.customer_ids[index],
            self.anchors[index],
            self.temporal[index],
            self.static[index],
            None if self.labels is None else self.labels[index],
            self.n_history[index],
            self.feature_names,
            None if self.summary is None else self.summary[index],
        )


def _per_event(
    history: History, names: tuple[str, ...], t_seconds: np.ndarray, idx: np.ndarray
) -> np.ndarray:
    """Feature values of the events `idx` (any shape) relative to anchors `t_seconds`."""
    out = np.zeros((*idx.shape, len(names)), dtype=np.float32)
    flat = idx.reshape(-1)
    t = np.broadcast_to(t_seconds.reshape(-1, *([1] * (idx.ndim - 1))), idx.shape).reshape(-1)
    event_seconds = history.ev_seconds[flat]
    last_order_at, no_order = _event_seconds(history, "last_order_at")
    last_order, has_order = last_order_at[flat], ~no_order[flat]
    first_order = _event_seconds(history, "first_order_at")[0][flat]
    n_orders = _events_as(history, "n_orders", np.float64)[flat]

    def ev(name: str, dtype=None) -> np.ndarray:
        return _events_as(history, name, dtype)[flat]

    def gaps() -> np.ndarray:
        return history.events.days_since_prev.fillna(0.0).to_numpy()

    gap = _mean_gap(last_order, first_order, n_orders, has_order)
    since_order = np.where(
        has_order, (event_seconds - last_order) / _SECONDS_PER_DAY, _NO_ORDER_DAYS
    )
    columns = {
        "days_since_prev": cached(history, "days_since_prev", gaps)[flat],
        "result": ev("result"),
        "prev_result": ev("prev_result"),
        "ever_ordered": ev("ever_ordered"),
        "n_orders": n_orders,
        "n_visits": ev("n_visits", np.float64),
        "n_reps": ev("n_reps"),
        "is_visit": ev("is_visit"),
        "is_anchor": np.zeros(len(flat)),
        "present": np.ones(len(flat)),
        "days_to_anchor": (t - event_seconds) / _SECONDS_PER_DAY,
        "orders_365": ev("orders_365"),
        "days_since_order": since_order,
        "mean_order_gap": np.nan_to_num(gap),
        "due_ratio": _due(since_order, gap),
        "has_rhythm": (n_orders >= 2).astype(float),
    }
    for j, name in enumerate(names):
        out.reshape(-1, len(names))[:, j] = columns[name]
    return out


def _mean_gap(last: np.ndarray, first: np.ndarray, n: np.ndarray, has: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            has & (n >= 2), (last - first) / _SECONDS_PER_DAY / np.maximum(n - 1, 1), np.nan
        )


def _due(since_order: np.ndarray, gap: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = since_order / np.maximum(gap, 1.0)
    return np.clip(np.nan_to_num(ratio, nan=0.0), 0.0, 5.0)


def _anchor_step(
    history: History,
    names: tuple[str, ...],
    cust: np.ndarray,
    t: np.ndarray,
    last: np.ndarray,
    has_last: np.ndarray,
) -> np.ndarray:
    """The step at t: elapsed time since the last event, running counts, result unknown."""
    n = len(cust)
    safe = np.where(has_last, last, 0)

    def carried(name: str, default: float = 0.0) -> np.ndarray:
        return np.where(has_last, _events_as(history, name, np.float64)[safe], default)

    last_seconds = history.ev_seconds[safe]
    joined = np.minimum(history.created_seconds[cust], t)  # unknown (_NEVER): elapsed 0
    elapsed = np.where(
        has_last, (t - last_seconds) / _SECONDS_PER_DAY, (t - joined) / _SECONDS_PER_DAY
    )
    last_order_at, no_order = _event_seconds(history, "last_order_at")
    last_order, has_order = last_order_at[safe], has_last & ~no_order[safe]
    first_order = _event_seconds(history, "first_order_at")[0][safe]
    n_orders = carried("n_orders")
    gap = _mean_gap(last_order, first_order, n_orders, has_order)
    since_order = np.where(has_order, (t - last_order) / _SECONDS_PER_DAY, _NO_ORDER_DAYS)
    base = cust * 10**11
    year_ago = np.searchsorted(history.order_key, base + t - 365 * 86_400, side="left")
    now = np.searchsorted(history.order_key, base + t, side="left")
    columns = {
        "days_since_prev": elapsed,
        "result": np.zeros(n),
        "prev_result": carried("result"),
        "ever_ordered": carried("ever_ordered"),
        "n_orders": n_orders,
        "n_visits": carried("n_visits"),
        "n_reps": carried("n_reps"),
        "is_visit": np.zeros(n),
        "is_anchor": np.ones(n),
        "present": np.ones(n),
        "days_to_anchor": np.zeros(n),
        "orders_365": (now - year_ago).astype(float),
        "days_since_order": since_order,
        "mean_order_gap": np.nan_to_num(gap),
        "due_ratio": _due(since_order, gap),
        "has_rhythm": (n_orders >= 2).astype(float),
    }
    return np.stack([columns[name] for name in names], axis=1).astype(np.float32)


def build_samples(
    history: History,
    anchors: pd.DataFrame,
    feature_set: str,
    vocabulary: dict[str, list[str]],
    horizon_days: int | None,
) -> Samples:
    """Windows for each (customer_id, anchor) row. Labels are filled when `horizon_days` is
    given and every anchor's horizon ends by `history.until` (no label reads unseen data)."""
    names = FEATURE_SETS[feature_set]
    cust = positions(history, anchors.customer_id)
    if (cust < 0).any():
        raise ValueError(
            f"anchor for unknown customer {anchors.customer_id.iloc[(cust < 0).argmax()]!r}"
        )
    t = pd.to_datetime(anchors.anchor).to_numpy("datetime64[s]").astype(np.int64)
    if len(t) and t.max() > history.until.to_datetime64().astype("datetime64[s]").astype(np.int64):
        raise ValueError("an anchor lies after the history's end; features would be incomplete")
    # position of the first event at or after t: every event before it is "the past"
    pos = np.searchsorted(history.ev_key, cust * 10**11 + t, side="left")
    n_history = pos - history.start[cust]
    offsets = np.arange(PAST_EVENTS, 0, -1)  # 9 .. 1 steps back
    idx = pos[:, None] - offsets[None, :]  # (N, 9)
    valid = idx >= history.start[cust][:, None]
    idx_safe = np.where(valid, idx, 0)
    temporal = np.zeros((len(cust), SEQ_LEN, len(names)), dtype=np.float32)
    if len(history.events):
        temporal[:, :PAST_EVENTS] = _per_event(history, names, t, idx_safe) * valid[..., None]
    has_last = n_history > 0
    temporal[:, PAST_EVENTS] = _anchor_step(history, names, cust, t, pos - 1, has_last)

    static = np.zeros((len(cust), SEQ_LEN, len(STATIC)), dtype=np.float32)
    for j, col in enumerate(("tag", "industry", "customer_type")):
        codes = _codes(history, col, vocabulary[col])[cust]
        static[:, :PAST_EVENTS, j] = codes[:, None] * valid
        static[:, PAST_EVENTS, j] = codes
    target_codes = _codes(history, "target", vocabulary["target"])
    if len(target_codes):
        static[:, :PAST_EVENTS, 3] = target_codes[idx_safe] * valid
        static[:, PAST_EVENTS, 3] = np.where(
            has_last, target_codes[np.where(has_last, pos - 1, 0)], 0
        )

    labels = None
    if horizon_days is not None:
        end = t + horizon_days * 86_400
        if len(t) and end.max() > history.until.to_datetime64().astype("datetime64[s]").astype(
            np.int64
        ):
            raise ValueError(
                "a label horizon reaches past the history's end; it is not observed yet"
            )
        first_order = np.searchsorted(history.order_key, cust * 10**11 + t, side="left")
        before_end = np.searchsorted(history.order_key, cust * 10**11 + end, side="left")
        labels = (before_end > first_order).astype(np.int64)
    return Samples(
        anchors.customer_id.to_numpy(),
        pd.to_datetime(anchors.anchor).to_numpy("datetime64[D]"),
        temporal,
        static,
        labels,
        n_history,
        names,
    )


def anchor_facts(history: History, anchors: pd.DataFrame) -> pd.DataFrame:
    """Plain facts about each (customer_id, anchor), for explanations: events before the
    anchor, orders so far and in the last year, the usual days between orders, days since
    the last order and the last visit, and that visit's result (1 order, 0 no order)."""
    cust = positions(history, anchors.customer_id)
    t = pd.to_datetime(anchors.anchor).to_numpy("datetime64[s]").astype(np.int64)
    pos = np.searchsorted(history.ev_key, cust * 10**11 + t, side="left")
    n_history = pos - history.start[cust]
    step = _anchor_step(history, RHYTHM_TEMPORAL, cust, t, pos - 1, n_history > 0)
    column = {name: step[:, j] for j, name in enumerate(RHYTHM_TEMPORAL)}
    base = cust * 10**11
    orders_90 = np.searchsorted(history.order_key, base + t, side="left") - np.searchsorted(
        history.order_key, base + t - 90 * 86_400, side="left"
    )
    # order-only data (an e-commerce log) has no visits at all: a sentinel key that matches
    # no customer keeps the lookups below in bounds
    visit_key = history.visit_key if len(history.visit_key) else np.array([-1], dtype=np.int64)
    visit_result = history.visit_result if len(history.visit_result) else np.array([-1])
    visit_pos = np.searchsorted(visit_key, cust * 10**11 + t, side="left")
    has_visit = (visit_pos > 0) & ((visit_key[np.maximum(visit_pos - 1, 0)] // 10**11) == cust)
    last_visit_seconds = visit_key[np.maximum(visit_pos - 1, 0)] % 10**11
    # "ago" in calendar days, as a rep counts them (anchors are at midnight)
    visit_days_ago = t // 86_400 - last_visit_seconds // 86_400
    return pd.DataFrame(
        {
            "customer_id": anchors.customer_id.to_numpy(),
            "n_history": n_history,
            "n_orders": column["n_orders"].astype(int),
            "orders_90": orders_90,
            "orders_365": column["orders_365"].astype(int),
            "days_since_order": np.where(
                column["n_orders"] > 0, np.ceil(column["days_since_order"]), np.nan
            ),
            "mean_order_gap": np.where(column["has_rhythm"] > 0, column["mean_order_gap"], np.nan),
            "days_since_visit": np.where(has_visit, visit_days_ago, np.nan),
            "last_visit_result": np.where(
                has_visit, visit_result[np.maximum(visit_pos - 1, 0)], -1
            ),
        }
    )


# ----------------------------------------------------------------------------- scaling


@dataclass
class Scaler:
    """Min-max scaling to [0, 1] fitted on training samples only, then clipped (paper eq. 1).

    Durations and counts are log1p-transformed first so that values keep near the training
    range as the history grows.
    """

    feature_names: tuple[str, ...]
    minimum: np.ndarray
    maximum: np.ndarray
    static_sizes: np.ndarray  # vocabulary size per static column (codes / size -> [0, 1])

    @classmethod
    def fit(cls, samples: Samples, vocabulary: dict[str, list[str]]) -> Scaler:
        x = _transform(samples.temporal, samples.feature_names)
        flat = x[samples.step_mask()]
        sizes = np.array([max(len(vocabulary[c]), 1) for c in STATIC], dtype=np.float32)
        return cls(samples.feature_names, flat.min(axis=0), flat.max(axis=0), sizes)

    def temporal(self, samples: Samples) -> np.ndarray:
        if samples.feature_names != self.feature_names:
            raise ValueError("samples were built with another feature set than the scaler")
        x = _transform(samples.temporal, self.feature_names)
        span = np.where(self.maximum > self.minimum, self.maximum - self.minimum, 1.0)
        scaled = np.clip((x - self.minimum) / span, 0.0, 1.0)
        return (scaled * samples.step_mask()[..., None]).astype(np.float32)  # padding stays 0

    def static(self, samples: Samples) -> np.ndarray:
        return (samples.static / self.static_sizes).astype(np.float32)

    def to_dict(self) -> dict[str, object]:
        return {
            "feature_names": list(self.feature_names),
            "minimum": self.minimum.astype(float).tolist(),
            "maximum": self.maximum.astype(float).tolist(),
            "static_sizes": self.static_sizes.astype(float).tolist(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Scaler:
        return cls(
            tuple(data["feature_names"]),
            np.asarray(data["minimum"], dtype=np.float32),
            np.asarray(data["maximum"], dtype=np.float32),
            np.asarray(data["static_sizes"], dtype=np.float32),
        )


def log_transform(temporal: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """log1p of the duration and count features (the rest unchanged), before scaling."""
    return _transform(temporal, names)


def _transform(temporal: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    x = temporal.astype(np.float32, copy=True)
    for j, name in enumerate(names):
        if name in _LOG_FEATURES:
            x[..., j] = np.log1p(np.maximum(x[..., j], 0.0))
    return x
