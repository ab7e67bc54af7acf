"""The seeded demo generator: a sales team, its customers, two years of visits and orders.

The generative story (also in the README):

* Every customer has a buying rhythm: needs arise every `cycle_days` (set by customer type,
  industry and tag, times a per-customer factor), with gamma jitter whose spread also depends on
  the type (manufacturers buy like clockwork, traders do not). A need opens a buying window of
  one to four weeks.
* Inside an open window the customer may order online by itself (an order with no visit), or a
  rep's call converts it with a probability set by the rep's skill, which grows with tenure.
  An unmet window closes as lost. Outside windows a call rarely ends in a small order.
* Customers lapse (stop buying) with a small chance per cycle and sometimes come back.
* Reps do not know the windows. Each working day a rep calls a dozen or so of the customers they
  own, chosen by rotation (longest since last contact, key accounts more often), intuition
  (customers whose observed order rhythm says "due", a skill that also grows with tenure) and
  plenty of noise. Reps hired during the history took over a book from a predecessor; teammates
  cover the gap and the odd day off, so several reps can have visited one customer.
* Rep cohorts follow the paper's shape: most reps are juniors under a year of tenure, aged
  21-40, both genders.
* What a worklist needs: contacts on most customers, calls nobody answered recorded
  as `not_reached`, follow-up dates on some failed calls (some due on the demo's first day),
  all drawn afterwards from a random stream of their own so nothing else moves.

`make()` returns the tables of the import contract plus the hidden truth (`DemoData.truth_*`):
the windows with their outcomes, each customer's rhythm, each rep's skill. The truth is written
beside the warehouse, never into it, so the model cannot learn from it.

An optional `Adoption` makes reps follow a call list from a given date (the evaluation demo);
with real data nothing is simulated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import pandas as pd

from repurchase.demo.common import DETAILS_STREAM, ContractData
from repurchase.demo.synthetic_config import (
    CUSTOMER_TYPES,
    GIVEN,
    INDUSTRIES,
    METHODS,
    PURPOSES,
    SURNAMES,
    TAGS,
    TARGETS,
    Adoption,
    DemoConfig,
    History,
)
from repurchase.demo.synthetic_simulation import Simulation

__all__ = [
    "CUSTOMER_TYPES",
    "INDUSTRIES",
    "METHODS",
    "PURPOSES",
    "TAGS",
    "TARGETS",
    "Adoption",
    "ContractData",
    "DemoConfig",
    "DemoData",
    "History",
    "make",
    "people",
]


@dataclass
class DemoData(ContractData):
    """Contract-shaped tables (`reps`, `customers`, `visits`, `orders`) and the hidden truth."""

    config: DemoConfig
    reps: pd.DataFrame
    customers: pd.DataFrame
    visits: pd.DataFrame
    orders: pd.DataFrame
    truth_windows: pd.DataFrame
    truth_customers: pd.DataFrame
    truth_reps: pd.DataFrame
    truth_visits: pd.DataFrame = field(repr=False)


Progress = Callable[[float, str], None]


def make(
    config: DemoConfig | None = None, *, progress: Progress | None = None, **overrides: object
) -> DemoData:
    """Generate a demo data set. Same config (seed, sizes, end date) gives identical tables.

    `make(seed=7, reps=4, customers_per_rep=(20, 30), days=200, end=date(2026, 6, 30))` is a
    small one for tests. `progress(fraction, message)` is told how far the simulation got.
    """
    cfg = config or DemoConfig()
    if overrides:
        cfg = DemoConfig(**{**cfg.__dict__, **overrides})
    if cfg.reps < 1 or cfg.days < 1:
        raise ValueError("a demo needs at least one rep and one day")
    lo, hi = cfg.customers_per_rep
    if not 1 <= lo <= hi:
        raise ValueError(
            f"customers_per_rep must be (low, high) with 1 <= low <= high, got {lo, hi}"
        )
    sim = Simulation(cfg)
    lists = None

    def history() -> tuple[pd.DataFrame, pd.DataFrame]:
        visits = _contract_visits(sim.visits_frame(ordered=False))
        return visits, sim.orders_frame().drop(columns="_source")

    for day in range(cfg.days):
        today = cfg.start_date + timedelta(days=day)
        if cfg.adoption is not None and today >= cfg.adoption.start and today.weekday() < 5:
            lists = cfg.adoption.lists(today, history)
        sim.step(day, lists)
        if progress and (day % 30 == 0 or day == cfg.days - 1):
            progress((day + 1) / cfg.days, f"simulated {today.isoformat()}")
    return _package(cfg, sim)


def people(
    config: DemoConfig | None = None, **overrides: object
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reps and customers `make` will generate for this config, without simulating."""
    cfg = config or DemoConfig()
    if overrides:
        cfg = DemoConfig(**{**cfg.__dict__, **overrides})
    sim = Simulation(cfg)
    customers = sim.customers.copy()
    customers["created_date"] = pd.to_datetime(customers.created_date).dt.date
    return sim.reps.drop(columns="book"), _with_contacts(cfg, customers)


# ----------------------------------------------------------------------------- worklist details
# Contacts, calls nobody answered and follow-up dates are drawn after the
# simulation from a random stream of their own: every simulated value (visits, orders, amounts,
# the truth) is exactly what it was before they existed, so the model's inputs (a not-reached
# call is a call without an order) and its quality figures on the demo do not move.
_CONTACT_SHARE = 0.88  # customers with a contact person on record
_PHONE_SHARE = 0.93  # of those, with a phone number
_AREA_CODES = ["0755", "021", "0512", "0571", "0574", "0510", "0769", "020", "028", "027"]
_MOBILE_PREFIXES = ["130", "133", "135", "136", "138", "139", "150", "158", "177", "186", "189"]
# A failed call whose note says nobody picked up was not reached; one without a note was, this
# often, by method (a phone rings out more often than a meeting falls through).
_UNANSWERED_NOTE = "未接通,稍后再联系"
_NOT_REACHED_BY_METHOD = {"phone": 0.45, "im": 0.35, "email": 0.25, "onsite": 0.05}
# (note or result, share that gets a follow-up, earliest and latest day after the visit)
_FOLLOW_UPS = [
    ("not_reached", 0.40, 1, 3),
    ("客户库存充足,下月再跟进", 0.70, 25, 35),
    ("项目还在评估中", 0.40, 7, 21),
]


def _with_contacts(cfg: DemoConfig, customers: pd.DataFrame) -> pd.DataFrame:
    """Customers with `contact_name` and `contact_phone` (None for some), from a stream of
    their own: `people()` gives the same ones without simulating."""
    rng = np.random.default_rng([cfg.seed, DETAILS_STREAM, 0])
    n = len(customers)
    named = rng.random(n) < _CONTACT_SHARE
    with_phone = named & (rng.random(n) < _PHONE_SHARE)
    # drawn for all customers at once (13k one by one took a second of the demo's build)
    given = np.array(GIVEN)[rng.integers(0, len(GIVEN), (n, 2))]
    names = pd.Series(np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)]) + given[:, 0]
    names = names.where(rng.random(n) < 0.5, names + given[:, 1])  # one or two given characters
    return customers.assign(
        contact_name=names.where(named, None).to_numpy(),
        contact_phone=_phones(rng, n).where(with_phone, None).to_numpy(),
    )


def _with_outcomes(cfg: DemoConfig, visits: pd.DataFrame) -> pd.DataFrame:
    """Visits with `not_reached` results and a `follow_up_date` (None for most), from a
    stream of their own."""
    rng = np.random.default_rng([cfg.seed, DETAILS_STREAM, 1])
    m = len(visits)
    failed = visits.result.to_numpy() == "no_order"
    note = visits.note.to_numpy()
    chance = visits.method.map(_NOT_REACHED_BY_METHOD).fillna(0.0).to_numpy()
    draw = rng.random(m)
    unreached = failed & ((note == _UNANSWERED_NOTE) | ((note == "") & (draw < chance)))
    result = np.where(unreached, "not_reached", visits.result.to_numpy())

    day = visits.visit_date.dt.normalize()
    follow_up = pd.Series(pd.NaT, index=visits.index, dtype="datetime64[ns]")
    draw, offset = rng.random(m), rng.random(m)
    for what, share, first, last in _FOLLOW_UPS:
        which = (result == what) if what == "not_reached" else (failed & (note == what))
        which &= draw < share
        days = first + np.floor(offset * (last - first + 1))
        follow_up = follow_up.mask(which, day + pd.to_timedelta(days, unit="D"))
    today = pd.Timestamp(cfg.end_date) + pd.Timedelta(days=1)
    follow_up = _kept_or_pending(visits.customer_id, day, follow_up, today)
    follow_up = _due_on_the_first_day(cfg, visits.rep_id, day, result, follow_up)
    return visits.assign(
        result=result,
        follow_up_date=follow_up.dt.date.astype(object).where(follow_up.notna(), None),
    )


def _kept_or_pending(
    customer_id: pd.Series, day: pd.Series, follow_up: pd.Series, today: pd.Timestamp
) -> pd.Series:
    """The simulated reps did not plan their calls by follow-up dates, so a drawn date is kept
    only where the history agrees with it: a call-back that happened (the customer's next call
    came within a week of the date asked for; the date becomes that call's day) or one still
    pending (no later call yet) and at most two days overdue on the demo's "today". Otherwise
    every rep would start with a dozen or more call-backs nobody made; a real team keeps up."""
    order = np.lexsort((day.to_numpy(), customer_id.to_numpy()))
    ordered_customer = customer_id.to_numpy()[order]
    ordered_day = day.to_numpy()[order]
    same = np.r_[ordered_customer[1:] == ordered_customer[:-1], False]
    next_day = np.where(same, np.r_[ordered_day[1:], ordered_day[:1]], np.datetime64("NaT"))
    following = pd.Series(pd.NaT, index=day.index, dtype="datetime64[ns]")
    following.iloc[order] = next_day
    asked = follow_up.notna()
    pending = asked & following.isna() & (follow_up >= today - pd.Timedelta(days=2))
    kept = asked & (following > day) & ((following - follow_up).abs() <= pd.Timedelta(days=7))
    return following.where(kept, follow_up.where(pending))


def _due_on_the_first_day(
    cfg: DemoConfig, rep_id: pd.Series, day: pd.Series, result: np.ndarray, follow_up: pd.Series
) -> pd.Series:
    """Every rep who called someone in the last week without an order has a follow-up due on
    the demo's "today" (the day after the history), so the first list shows what one is."""
    today = pd.Timestamp(cfg.end_date) + pd.Timedelta(days=1)
    recent = (result != "order") & (day >= today - pd.Timedelta(days=7)).to_numpy()
    due = set(rep_id[(follow_up == today).to_numpy()])
    # the latest such call of each rep without one (rows are in time order): "call back
    # tomorrow" when made yesterday
    latest = rep_id[recent].drop_duplicates(keep="last")
    follow_up.loc[latest[~latest.isin(due)].index] = today
    return follow_up


def _phones(rng: np.random.Generator, n: int) -> pd.Series:
    """Chinese mobile and landline numbers, written as people write them: 13800138000,
    +86 138-0013-8000, (0755) 8888-6666."""
    style = rng.random(n)
    prefix = pd.Series(np.array(_MOBILE_PREFIXES)[rng.integers(0, len(_MOBILE_PREFIXES), n)])
    middle = pd.Series(rng.integers(0, 10**4, n)).map("{:04d}".format)
    last = pd.Series(rng.integers(0, 10**4, n)).map("{:04d}".format)
    area = pd.Series(np.array(_AREA_CODES)[rng.integers(0, len(_AREA_CODES), n)])
    exchange = pd.Series(rng.integers(2000, 10**4, n)).astype(str)
    mobile = prefix + middle + last
    plus = "+86 " + prefix + "-" + middle + "-" + last
    landline = "(" + area + ") " + exchange + "-" + last
    return mobile.where(style >= 0.30, plus.where(style >= 0.15, landline))


def _contract_visits(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["_in_window"])


def _package(cfg: DemoConfig, sim: Simulation) -> DemoData:
    visits = sim.visits_frame()
    orders = sim.orders_frame()
    reps = sim.reps.drop(columns="book")
    customers = sim.customers.copy()
    customers["created_date"] = pd.to_datetime(customers.created_date).dt.date
    customers = _with_contacts(cfg, customers)
    visits = _with_outcomes(cfg, visits)
    truth_visits = visits[["rep_id", "customer_id", "visit_date", "_in_window"]].rename(
        columns={"_in_window": "in_window"}
    )
    truth_reps = pd.DataFrame(
        {
            "rep_id": sim.rep_ids,
            "skill_at_hire": sim.skill0,
            "skill_gain": sim.skill_gain,
            "calls_per_day": sim.calls_per_day,
        }
    )
    truth_customers = sim.ctruth.drop(columns=["book", "created_offset"]).assign(
        lapsed_at_end=sim.lapsed
    )
    return DemoData(
        config=cfg,
        reps=reps,
        customers=customers,
        visits=_contract_visits(visits),
        orders=orders.drop(columns="_source"),
        truth_windows=sim.windows_frame(),
        truth_customers=truth_customers,
        truth_reps=truth_reps,
        truth_visits=truth_visits,
    )
