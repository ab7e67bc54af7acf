"""A second synthetic sales team ("projects"), written apart from the demo (synthetic.py).

Benchmarks judged on one generator end up tuned to it. This story shares only the import
contract with the demo; its people, rhythms and rules are its own:

* **Online first.** The company sells through its own e-commerce platform. Most orders arrive
  online with no call at all; a small inside-sales team (about 110 customers per rep) calls
  three or four customers a working day, mostly over WeChat (IM).
* **Three kinds of buyers** (hidden `segment`):
  - *project* buyers (mostly design houses) are quiet for months, then a project starts and they
    order several times within a few weeks (sample, pilot, production), then go quiet again;
  - *steady* buyers (mostly manufacturers) replenish every one to three months, like clockwork;
  - *occasional* buyers (mostly traders) buy now and then, at random.
  Each need opens a buying window of a few days to three weeks. The customer orders online by
  itself inside it with a chance set by the segment, or a call inside the window converts it;
  otherwise the need is lost to a competitor.
* **Calls.** A call inside an open window converts with the rep's skill (grows with tenure),
  better when the rep knows the customer (has called them before) and on site, worse by email;
  an unconverted in-window call usually ends in a quote follow-up a few days later. A call up
  to ten days before a need opens can bring the order forward (half as often): the customer is
  already planning. Any other call almost always hears "no demand". Reps do not see the
  windows: they call
  scheduled follow-ups, customers who just ordered online (delivery follow-up), customers due
  for a relationship call by tag, and dormant customers, plus noise.
* **Seasonality.** Around Chinese New Year demand stops for about three weeks (factories close)
  and comes back as a wave; reps are off during the holiday and the October Golden Week.
* **Churn.** A share of customers (most of all occasional buyers) stop buying for good on a
  hidden date; reps keep calling some of them and hear "no demand".
* **Owner changes.** About a third of the rep seats turn over during the history: the rep
  leaves, teammates cover the book until a junior replacement takes it over. Halfway through, a
  re-organisation moves some customers to another rep. So many customers have been called by
  several reps.
* **New customers** sign up during the history with a first online order.

`make()` is deterministic given its arguments. It returns the contract tables and the hidden
truth (`StoryData.truth()`): every buying window with its outcome, each customer's segment and
churn date, each rep's skill, and whether each call fell inside a window.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from repurchase.demo.common import DETAILS_STREAM, ContractData
from repurchase.demo.story_projects_world import (
    CHINESE_NEW_YEAR,
    DELIVERY,
    DISCOVERY,
    EARLY_EFFECT,
    FOLLOW_UP,
    HOLIDAY,
    METHOD_EFFECT,
    NOTE_INTEREST,
    NOTE_NONE,
    NOTE_ORDER,
    PLANNING_DAYS,
    PURPOSE_OF_REASON,
    ROTATION,
    ROTATION_DAYS,
    Book,
    Calendar,
    Needs,
    Team,
    make_customers,
    make_needs,
    make_team,
)

__all__ = ["CHINESE_NEW_YEAR", "HOLIDAY", "StoryData", "make"]


@dataclass(frozen=True)
class StoryData(ContractData):
    """The import-contract tables of one generated team, and the generator's hidden truth.

    reps: rep_id, name, gender, birth_date, hire_date, level, team, left_date (None if current)
    customers: customer_id, name, customer_type, industry, tag, owner_rep_id, created_date
    visits: rep_id, customer_id, visit_date (Timestamp with time), method, target, purpose,
        result ('order' / 'no_order'), note, order_amount (NaN unless result is 'order')
    orders: customer_id, order_date (date), amount; every order, online or won by a call
    truth_windows: customer_id, window_start, window_end (Timestamps, inclusive), outcome
        ('self_order' / 'visit_order' / 'lost' / 'open'), outcome_date (the order's day, a
        few days before window_start for an order a call brought forward; window_end when
        lost; NaT while open), segment, project (n-th project of a project buyer, else -1)
    truth_customers: customer_id, segment, churn_date (NaT if none in the history),
        median_amount, created_day_in_history (bool)
    truth_reps: rep_id, seat, skill_at_hire, skill_per_year, calls_per_day
    truth_visits: rep_id, customer_id, visit_date, in_window (bool)
    """

    reps: pd.DataFrame
    customers: pd.DataFrame
    visits: pd.DataFrame
    orders: pd.DataFrame
    truth_windows: pd.DataFrame
    truth_customers: pd.DataFrame = field(repr=False)
    truth_reps: pd.DataFrame = field(repr=False)
    truth_visits: pd.DataFrame = field(repr=False)


def make(
    seed: int = 11,
    reps: int = 14,
    customers: int = 1540,
    days: int = 730,
    end: date | None = None,
) -> StoryData:
    """Generate the story: `reps` rep seats, `customers` customers, `days` days ending `end`
    (default: yesterday). Same arguments, same tables; see the module doc for the story.

    The reps table holds `reps` current reps plus those who left during the history.
    """
    story, _sim = simulate(seed, reps, customers, days, end)
    return story


def simulate(
    seed: int = 11,
    reps: int = 14,
    customers: int = 1540,
    days: int = 730,
    end: date | None = None,
    simulation: type[_Simulation] | None = None,
) -> tuple[StoryData, _Simulation]:
    """make()'s story and the simulation that played it (`simulation`: a subclass of the
    story's simulation to play it with, such as the forward world's, which goes on after)."""
    if reps < 1 or customers < 1 or days < 30:
        raise ValueError("the story needs at least one rep, one customer and 30 days")
    end = end or date.today() - timedelta(days=1)
    start = end - timedelta(days=days - 1)
    # One stream per part of the story, so a change in one part leaves the others' draws alone.
    rng_people, rng_needs, rng_calls, rng_text = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)
    )
    cal = Calendar(start, days)
    team = make_team(rng_people, reps, start, days)
    book = make_customers(rng_people, customers, team, days)
    needs = make_needs(rng_needs, book, cal, days)
    sim = (simulation or _Simulation)(rng_calls, team, book, needs, cal, days)
    sim.run()
    story = _package(rng_text, team, book, needs, sim, start, days)
    # contacts and unanswered calls come from a stream of their own, drawn after everything
    # else, so that every other value is what it was before they existed
    return _worklist_details(np.random.default_rng([seed, DETAILS_STREAM]), story), sim


# ----------------------------------------------------------------------------- simulation


class _Simulation:
    """Day by day: reps call (not knowing the windows), then customers order online."""

    def __init__(
        self,
        rng: np.random.Generator,
        team: Team,
        book: Book,
        needs: Needs,
        cal: Calendar,
        days: int,
    ) -> None:
        self.rng, self.team, self.book, self.needs, self.cal, self.days = (
            rng,
            team,
            book,
            needs,
            cal,
            days,
        )
        n = len(book.segment)
        self.last_visit = np.full(n, -(10**6))
        self.last_order = needs.last_order_before.copy()
        self.last_online = needs.last_order_before.copy()
        self.n_orders = needs.orders_before.copy()
        self.follow_up = np.full(n, -1)
        self.known: dict[tuple[int, int], int] = {}  # (rep, customer) -> calls so far
        self.rotation = np.array([ROTATION_DAYS[t] for t in book.frame.tag])
        self.visit_rows: list[tuple] = []
        self.order_rows: list[tuple[int, int, float]] = []  # customer, day, amount
        by_day: dict[int, list[int]] = {}
        for i, d in enumerate(needs.self_day):
            if 0 <= d < days:
                by_day.setdefault(int(d), []).append(i)
        self.self_orders_on = by_day

    def owners(self, day: int) -> np.ndarray:
        """Who answers for each customer today: the seat's rep, or a teammate covering."""
        book, team = self.book, self.team
        seat = book.seat_after if day >= book.reorg_day else book.seat_before
        occupants = team.occupants(day)
        owner = occupants[seat]
        vacant = np.flatnonzero(owner < 0)
        for c in vacant:
            mates = [
                r for s, r in enumerate(occupants) if r >= 0 and team.team[s] == team.team[seat[c]]
            ] or [r for r in occupants if r >= 0]
            owner[c] = mates[book.cover_rank[c] % len(mates)] if mates else -1
        return owner

    def run(self) -> None:
        owner = self.owners(0)
        changes = {int(d) for d in (*self.team.hire_day, *self.team.left_day) if 0 < d < self.days}
        changes.add(self.book.reorg_day)
        for day in range(self.days):
            if day in changes:
                owner = self.owners(day)
            if self.cal.working[day]:
                for r in np.unique(owner[owner >= 0]):
                    self.calls(int(r), np.flatnonzero(owner == r), day)
            for i in self.self_orders_on.get(day, []):
                if self.needs.status[i] == 0:
                    self.fulfil(i, day, online=True)
        late = (self.needs.status == 0) & (self.needs.close < self.days - 1)
        self.needs.status[late] = 3
        self.needs.done_day[late] = self.needs.close[late]

    def calls(self, rep: int, customers: np.ndarray, day: int) -> None:
        rng = self.rng
        if rng.random() < 0.05:  # a day off, training, a trade fair
            return
        alive = customers[self.book.created_day[customers] <= day]
        if len(alive) == 0:
            return
        since_visit = day - self.last_visit[alive]
        since_order = day - self.last_order[alive]
        weights = np.zeros((4, len(alive)))
        due = self.follow_up[alive]
        weights[FOLLOW_UP] = 40.0 * ((due >= 0) & (due <= day))
        just_bought = (day - self.last_online[alive]).clip(0) <= 4
        weights[DELIVERY] = 5.0 * (just_bought & (self.last_visit[alive] < self.last_online[alive]))
        weights[ROTATION] = 2.0 * np.clip(since_visit / self.rotation[alive] - 1, 0, 3)
        dormant = (since_order > 90) & (since_visit > 30)
        weights[DISCOVERY] = 0.25 + 1.2 * dormant
        total = weights.sum(axis=0)
        n = min(int(rng.poisson(self.team.calls_per_day[rep])), len(alive))
        if n == 0:
            return
        chosen = rng.choice(len(alive), size=n, replace=False, p=total / total.sum())
        for j in chosen:
            self.call(rep, int(alive[j]), day, int(weights[:, j].argmax()))

    def call(self, rep: int, c: int, day: int, reason: int) -> None:
        rng, needs = self.rng, self.needs
        purpose = PURPOSE_OF_REASON[reason]
        key = self.book.frame.tag.iat[c] == "key"
        if reason == ROTATION and key:
            method = str(rng.choice(["onsite", "im", "phone"], p=[0.35, 0.40, 0.25]))
        else:
            method = str(rng.choice(["im", "phone", "email", "onsite"], p=[0.52, 0.33, 0.10, 0.05]))
        target = self.target(c, day)
        lo, hi = needs.first[c], needs.first[c + 1]
        pending = needs.status[lo:hi] == 0
        inside = np.flatnonzero(pending & (needs.open[lo:hi] <= day) & (needs.close[lo:hi] >= day))
        # a need about to open: the customer is already planning, and a call can bring it forward
        soon = np.flatnonzero(
            pending & (needs.open[lo:hi] > day) & (needs.open[lo:hi] <= day + PLANNING_DAYS)
        )
        tenure = (day - self.team.hire_day[rep]) / 365.25
        skill = min(0.7, self.team.skill0[rep] + self.team.skill_gain[rep] * min(tenure, 6.0))
        familiar = 1.0 if self.known.get((rep, c), 0) >= 2 else 0.7
        self.known[(rep, c)] = self.known.get((rep, c), 0) + 1
        self.last_visit[c] = day
        self.follow_up[c] = -1
        p_convert = skill * METHOD_EFFECT[method] * familiar
        amount = np.nan
        if len(inside) or len(soon):
            i = lo + int(inside[0] if len(inside) else soon[0])
            if rng.random() < p_convert * (1.0 if len(inside) else EARLY_EFFECT):
                result, amount = "order", needs.amount[i]
                self.fulfil(i, day, online=False)
            else:
                result = "no_order"
                if rng.random() < 0.55:  # the customer has something going on: quote, call back
                    self.follow_up[c] = day + int(rng.integers(2, 7))
        elif day < self.book.churn_day[c] and rng.random() < 0.012:  # an unplanned top-up
            result = "order"
            amount = round(max(20.0, 0.25 * self.book.median_amount[c] * rng.lognormal(0, 0.4)), 2)
            self.record_order(c, day, amount, online=False)
        else:
            result = "no_order"
            if rng.random() < 0.05:
                self.follow_up[c] = day + int(rng.integers(20, 41))
        self.visit_rows.append(
            (rep, c, day, method, target, purpose, result, amount, len(inside) > 0)
            + (self.follow_up[c],)  # the call-back day the rep noted, or -1
        )

    def target(self, c: int, day: int) -> str:
        """The segment an ERP would put on the call, from what the company can see."""
        if self.n_orders[c] == 0:
            return "new_customer"
        if day - self.last_order[c] > 90:
            return "no_order_3m"
        return "first_order" if self.n_orders[c] == 1 else "active"

    def fulfil(self, i: int, day: int, *, online: bool) -> None:
        self.needs.status[i] = 1 if online else 2
        self.needs.done_day[i] = day
        self.record_order(int(self.needs.cust[i]), day, float(self.needs.amount[i]), online=online)

    def record_order(self, c: int, day: int, amount: float, *, online: bool) -> None:
        self.order_rows.append((c, day, amount))
        self.last_order[c] = day
        self.n_orders[c] += 1
        if online:
            self.last_online[c] = day


# ----------------------------------------------------------------------------- packaging

# An out-of-window call without a note, by method, that reached nobody (WeChat messages go
# unread, phones ring out).
_NOT_REACHED = {"im": 0.35, "phone": 0.40, "email": 0.30, "onsite": 0.05}
_CONTACT_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗")
_CONTACT_GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰涛明超霞平")


def _worklist_details(rng: np.random.Generator, story: StoryData) -> StoryData:
    """The story with contacts on most customers and `not_reached` on some failed calls."""
    n = len(story.customers)
    named = rng.random(n) < 0.85
    surname = rng.choice(_CONTACT_SURNAMES, n)
    given = rng.choice(_CONTACT_GIVEN, (n, 2))
    two = rng.random(n) < 0.6
    mobile = rng.integers(10**9, 10**10, n)
    customers = story.customers.assign(
        contact_name=[
            (s + g[0] + (g[1] if t else "")) if ok else None
            for s, g, t, ok in zip(surname, given, two, named, strict=True)
        ],
        contact_phone=[f"1{m}" if ok else None for m, ok in zip(mobile, named, strict=True)],
    )
    v = story.visits
    windows = story.truth_visits.in_window.to_numpy(dtype=bool)
    chance = v.method.map(_NOT_REACHED).fillna(0.0).to_numpy()
    unreached = (
        (v.result.to_numpy() == "no_order")
        & ~windows
        & (v.note.to_numpy() == "")
        & (rng.random(len(v)) < chance)
    )
    visits = v.assign(result=np.where(unreached, "not_reached", v.result.to_numpy()))
    return dataclasses.replace(story, customers=customers, visits=visits)


def _package(
    rng: np.random.Generator,
    team: Team,
    book: Book,
    needs: Needs,
    sim: _Simulation,
    start: date,
    days: int,
) -> StoryData:
    """The simulated team in the import contract's shape, beside the hidden truth."""
    ids = book.frame.customer_id.to_numpy()
    rep_ids = np.array(team.rep_id)
    customers = book.frame.assign(
        owner_rep_id=rep_ids[sim.owners(days - 1)],
        created_date=[start + timedelta(days=int(d)) for d in book.created_day],
    )
    visits = _visits(rng, sim, rep_ids, ids, start)
    return StoryData(
        reps=team.frame,
        customers=customers,
        visits=visits.drop(columns="in_window"),
        orders=_orders(sim, ids, start),
        truth_windows=_truth_windows(needs, book, ids, start, days),
        truth_customers=_truth_customers(book, ids, start, days),
        truth_reps=pd.DataFrame(
            {
                "rep_id": rep_ids,
                "seat": team.seat,
                "skill_at_hire": team.skill0,
                "skill_per_year": team.skill_gain,
                "calls_per_day": team.calls_per_day,
            }
        ),
        truth_visits=visits[["rep_id", "customer_id", "visit_date", "in_window"]].copy(),
    )


def _visits(
    rng: np.random.Generator, sim: _Simulation, rep_ids: np.ndarray, ids: np.ndarray, start: date
) -> pd.DataFrame:
    """Every simulated call as a contract visit (time of day and note drawn here), in time
    order, with the hidden `in_window` beside it."""
    base = pd.Timestamp(start)
    v = pd.DataFrame(
        sim.visit_rows,
        columns=[
            "rep",
            "cust",
            "day",
            "method",
            "target",
            "purpose",
            "result",
            "order_amount",
            "in_window",
            "follow_up_day",
        ],
    )
    # calls happen in office hours; the minute is noise
    minutes = rng.integers(9 * 60, 18 * 60 + 30, len(v))
    notes = np.where(
        v.result == "order",
        rng.choice(NOTE_ORDER, len(v)),
        np.where(v.in_window, rng.choice(NOTE_INTEREST, len(v)), rng.choice(NOTE_NONE, len(v))),
    )
    visits = pd.DataFrame(
        {
            "rep_id": rep_ids[v.rep.to_numpy(dtype=int)],
            "customer_id": ids[v.cust.to_numpy(dtype=int)],
            "visit_date": base
            + pd.to_timedelta(v.day.to_numpy(dtype=int), unit="D")
            + pd.to_timedelta(minutes, unit="min"),
            "method": v.method.astype(str),
            "target": v.target,
            "purpose": v.purpose,
            "result": v.result,
            "note": notes,
            "order_amount": v.order_amount.astype(float),
        }
    )
    # the call-back day the rep noted (a quote follow-up, "call again next month")
    planned = v.follow_up_day.to_numpy(dtype=int)
    visits["follow_up_date"] = [
        start + timedelta(days=int(d)) if d > day else None
        for d, day in zip(planned, v.day.to_numpy(dtype=int), strict=True)
    ]
    visits["in_window"] = v.in_window.to_numpy(dtype=bool)
    return visits.sort_values(["visit_date", "customer_id"], kind="stable", ignore_index=True)


def _orders(sim: _Simulation, ids: np.ndarray, start: date) -> pd.DataFrame:
    """Every order, online or won by a call, in day order."""
    o = pd.DataFrame(sim.order_rows, columns=["cust", "day", "amount"])
    return pd.DataFrame(
        {
            "customer_id": ids[o.cust.to_numpy(dtype=int)],
            "order_date": (
                pd.Timestamp(start) + pd.to_timedelta(o.day.to_numpy(dtype=int), unit="D")
            ).date,
            "amount": o.amount.astype(float).round(2),
        }
    ).sort_values(["order_date", "customer_id"], kind="stable", ignore_index=True)


def _truth_windows(
    needs: Needs, book: Book, ids: np.ndarray, start: date, days: int
) -> pd.DataFrame:
    """The buying windows that opened inside the history, with their outcomes."""
    base = pd.Timestamp(start)
    in_history = (needs.open >= 0) & (needs.open < days)
    outcome = np.array(["open", "self_order", "visit_order", "lost"])[needs.status]
    done = pd.Series(needs.done_day)
    return pd.DataFrame(
        {
            "customer_id": ids[needs.cust],
            "window_start": base + pd.to_timedelta(needs.open, unit="D"),
            "window_end": base + pd.to_timedelta(needs.close, unit="D"),
            "outcome": outcome,
            "outcome_date": (base + pd.to_timedelta(done, unit="D")).where(done >= 0),
            "segment": book.segment[needs.cust].astype(str),
            "project": needs.project,
        }
    )[in_history].reset_index(drop=True)


def _truth_customers(book: Book, ids: np.ndarray, start: date, days: int) -> pd.DataFrame:
    """Each customer's hidden segment, churn date and typical order."""
    churned = book.churn_day < days
    return pd.DataFrame(
        {
            "customer_id": ids,
            "segment": book.segment.astype(str),
            "churn_date": pd.Series(
                pd.Timestamp(start)
                + pd.to_timedelta(np.where(churned, book.churn_day, 0), unit="D")
            ).where(churned),
            "median_amount": book.median_amount.round(2),
            "created_day_in_history": book.created_day >= 0,
        }
    )
