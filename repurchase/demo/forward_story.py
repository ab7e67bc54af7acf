"""The projects story's forward world (forward.py): story_projects.make's history, then its days
stepped on with keyed draws (common random numbers) and reps following a call list.

The story draws every need before any call, up to the history's end. The forward weeks need
more: each customer's process is continued from where its history left it (a steady buyer's
next need one interval after its last; project and occasional buyers start afresh, their gaps
being long and memoryless), from a stream keyed by (seed, customer), so every policy meets the
same needs. Online orders are part of a need (its `self_day`), so they are common too.

Which reps follow the list: every rep. The story is an inside-sales team of about fourteen
seats calling three or four customers a day; its juniors are a handful of seats, and a list
only they followed would move too few calls in eight weeks to tell policies apart.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from repurchase.demo import story_projects as sp
from repurchase.demo.forward import (
    CONTRACT_VISITS,
    FORWARD_STREAM,
    Following,
    ForwardWorld,
    Keyed,
    concat,
    daily_list,
    pick_by,
)
from repurchase.demo.story_projects_world import (
    DELIVERY,
    DISCOVERY,
    EARLY_EFFECT,
    FOLLOW_UP,
    METHOD_EFFECT,
    NOTE_INTEREST,
    NOTE_NONE,
    NOTE_ORDER,
    PLANNING_DAYS,
    PURPOSE_OF_REASON,
    ROTATION,
    SELF_ORDER,
    Calendar,
    Needs,
)

_PURPOSES = (
    "dayoff",
    "calls",
    "adhere",
    "choose",
    "method",
    "convert",
    "follow",
    "follow_days",
    "topup",
    "topup_amount",
    "minute",
    "note",
)
_METHODS = {"im": 0.52, "phone": 0.33, "email": 0.10, "onsite": 0.05}
_KEY_ROTATION = {"onsite": 0.35, "im": 0.40, "phone": 0.25}
_TOP_UP = 0.012
_SPAN = 200  # days of needs drawn beyond the history: more than any forward run asks for


def _method_mean() -> float:
    return float(sum(p * METHOD_EFFECT[m] for m, p in _METHODS.items()))


class _Forward(sp._Simulation):
    """The story's simulation; its days after the history draw keyed numbers."""

    following: Following = Following(levels=None)
    seed: int = 0
    online: list[bool]

    def record_order(self, c: int, day: int, amount: float, *, online: bool) -> None:
        super().record_order(c, day, amount, online=online)
        if day >= self.days:  # the forward orders' channel (the history's is in its truth)
            self.online.append(online)

    def step(self, day: int, lists: dict[str, list[str]] | None, owner: np.ndarray) -> None:
        d = Keyed(self.seed, day, _PURPOSES)
        if day < len(self.cal.working) and self.cal.working[day]:
            for r in np.unique(owner[owner >= 0]):
                self._rep_day(d, int(r), np.flatnonzero(owner == r), owner, day, lists)
        for i in self.self_orders_on.get(day, []):
            if self.needs.status[i] == 0:
                self.fulfil(i, day, online=True)

    def _rep_day(
        self,
        d: Keyed,
        rep: int,
        customers: np.ndarray,
        owner: np.ndarray,
        day: int,
        lists: dict[str, list[str]] | None,
    ) -> None:
        n_reps = len(self.team.rep_id)
        if d.random("dayoff", n_reps)[rep] < 0.05:
            return
        alive = customers[self.book.created_day[customers] <= day]
        if len(alive) == 0:
            return
        weights = self._weights(alive, day)
        total = weights.sum(axis=0)
        k = min(int(d.rng("calls").poisson(self.team.calls_per_day)[rep]), len(alive))
        if k == 0:
            return
        n = len(self.book.segment)
        taken = np.zeros(0, dtype=int)
        rep_id = self.team.rep_id[rep]
        level = str(self.team.frame.level.iat[rep])
        if lists and rep_id in lists and self.following.adopts(level):
            mine = owner == rep
            idx = daily_list(lists[rep_id], self.index, mine, self.last_visit, day, self.following)
            taken = idx[d.random("adhere", n)[idx] < self.following.adherence][:k]
        # the rep's own choice fills the rest: weighted sampling without replacement by keys
        # -log(u) / weight, u keyed per customer, so a customer's luck is the same in any world
        keys = -np.log(np.maximum(d.random("choose", n)[alive], 1e-300)) / total
        keys[np.isin(alive, taken)] = np.inf
        own = alive[np.argsort(keys, kind="stable")[: k - len(taken)]]
        reason = {int(c): int(weights[:, j].argmax()) for j, c in enumerate(alive)}
        for c in [*taken, *own]:
            self._call(d, rep, int(c), day, reason.get(int(c), DISCOVERY))

    def _weights(self, alive: np.ndarray, day: int) -> np.ndarray:
        """The rep's reasons to call each customer (rows: follow-up, delivery, rotation,
        discovery), as the story's own calls weigh them."""
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
        return weights

    def p_convert(self, rep: int, c: int, day: int, method_effect: float) -> float:
        tenure = (day - self.team.hire_day[rep]) / 365.25
        skill = min(0.7, self.team.skill0[rep] + self.team.skill_gain[rep] * min(tenure, 6.0))
        familiar = 1.0 if self.known.get((rep, c), 0) >= 2 else 0.7
        return skill * method_effect * familiar

    def pending(self, c: int, day: int) -> tuple[int, bool]:
        """The need a call on `day` would meet (-1: none) and whether it is open already."""
        needs = self.needs
        lo, hi = needs.first[c], needs.first[c + 1]
        pending = needs.status[lo:hi] == 0
        opens, closes = needs.open[lo:hi], needs.close[lo:hi]
        inside = np.flatnonzero(pending & (opens <= day) & (closes >= day))
        if len(inside):
            return lo + int(inside[0]), True
        soon = np.flatnonzero(pending & (opens > day) & (opens <= day + PLANNING_DAYS))
        return (lo + int(soon[0]), False) if len(soon) else (-1, False)

    def _call(self, d: Keyed, rep: int, c: int, day: int, reason: int) -> None:
        n = len(self.book.segment)
        key = self.book.frame.tag.iat[c] == "key"
        mix = _KEY_ROTATION if reason == ROTATION and key else _METHODS
        method = str(pick_by(d.random("method", n)[c : c + 1], mix)[0])
        target = self.target(c, day)
        need, inside = self.pending(c, day)
        p = self.p_convert(rep, c, day, METHOD_EFFECT[method])
        self.known[(rep, c)] = self.known.get((rep, c), 0) + 1
        self.last_visit[c] = day
        self.follow_up[c] = -1
        amount = np.nan
        if need >= 0:
            if d.random("convert", n)[c] < p * (1.0 if inside else EARLY_EFFECT):
                result, amount = "order", self.needs.amount[need]
                self.fulfil(need, day, online=False)
            else:
                result = "no_order"
                if d.random("follow", n)[c] < 0.55:
                    self.follow_up[c] = day + 2 + int(d.random("follow_days", n)[c] * 5)
        elif day < self.book.churn_day[c] and d.random("topup", n)[c] < _TOP_UP:
            result = "order"
            noise = d.rng("topup_amount").lognormal(0, 0.4, n)[c]
            amount = round(max(20.0, 0.25 * self.book.median_amount[c] * noise), 2)
            self.record_order(c, day, amount, online=False)
        else:
            result = "no_order"
            if d.random("follow", n)[c] < 0.05:
                self.follow_up[c] = day + 20 + int(d.random("follow_days", n)[c] * 21)
        self.visit_rows.append(
            (rep, c, day, method, target, PURPOSE_OF_REASON[reason], result, amount, inside)
            + (self.follow_up[c],)
        )


def _continued_needs(seed: int, sim: _Forward, days: int) -> Needs:
    """The history's needs plus each customer's needs opening in [days, days + _SPAN), with
    every need's status carried over."""
    old, book, cal = sim.needs, sim.book, sim.cal
    rows: list[tuple[int, int, int, int, float, int]] = []
    for c in range(len(book.segment)):
        churn = int(book.churn_day[c])
        stop = min(days + _SPAN, churn)
        if stop <= days:
            continue
        rng = np.random.default_rng([seed, FORWARD_STREAM, 1, c])
        seg, tempo = str(book.segment[c]), float(book.tempo[c])
        mine = old.open[old.first[c] : old.first[c + 1]]
        for opens, length, scale in _openings(rng, cal, seg, tempo, mine, days, stop):
            when = -1
            if rng.random() < SELF_ORDER[seg]:
                when = cal.order_day(opens + int(rng.uniform(0, length)), rng)
                when = -1 if when >= churn else when
            amount = round(max(20.0, book.median_amount[c] * scale * rng.lognormal(0, 0.45)), 2)
            close = min(opens + length, churn - 1)
            rows.append((c, opens, max(close, when), when, amount, -1))
    new = np.array(rows, dtype=float).reshape(-1, 6)
    cust = np.r_[old.cust, new[:, 0].astype(int)]
    opens = np.r_[old.open, new[:, 1].astype(int)]
    order = np.lexsort((opens, cust))  # stable: a customer's history needs come first
    merged = Needs(
        cust=cust[order],
        open=opens[order],
        close=np.r_[old.close, new[:, 2].astype(int)][order],
        self_day=np.r_[old.self_day, new[:, 3].astype(int)][order],
        amount=np.r_[old.amount, new[:, 4]][order],
        project=np.r_[old.project, new[:, 5].astype(int)][order],
        first=np.searchsorted(cust[order], np.arange(len(book.segment) + 1)),
        orders_before=old.orders_before,
        last_order_before=old.last_order_before,
    )
    merged.status = np.r_[old.status, np.zeros(len(new), dtype=np.int8)][order]
    merged.done_day = np.r_[old.done_day, np.full(len(new), -1)][order]
    return merged


def _openings(
    rng: np.random.Generator,
    cal: Calendar,
    segment: str,
    tempo: float,
    past: np.ndarray,
    days: int,
    stop: int,
) -> list[tuple[int, int, float]]:
    """(open day, length, size factor) of one customer's needs in [days, stop), by the story's
    rules for its segment."""
    out: list[tuple[int, int, float]] = []
    if segment == "steady":
        last = int(past.max()) if len(past) else None
        t = days + rng.uniform(0, tempo)
        for _ in range(50):  # the next replenishment after the last one, not before the end
            if last is None:
                break
            t = last + tempo * rng.gamma(1 / 0.18**2, 0.18**2)
            if t >= days:
                break
        while t < stop:
            opens = cal.reopen(int(t), rng)
            out.append((opens, int(rng.integers(5, 15)), 1.0))
            t = opens + tempo * rng.gamma(1 / 0.18**2, 0.18**2)
    elif segment == "project":
        t = days + rng.exponential(tempo)
        while t < stop:
            begins = cal.reopen(int(t), rng)
            length = int(rng.integers(14, 76))
            offsets = np.sort(rng.uniform(0, length, rng.poisson(2.8)))
            scales = [0.35] + [float(rng.uniform(0.9, 1.8)) for _ in offsets]
            for offset, scale in zip([0.0, *offsets], scales, strict=True):
                out.append((cal.reopen(begins + int(offset), rng), int(rng.integers(3, 11)), scale))
            t = begins + length + rng.exponential(tempo)
    else:
        t = days + rng.exponential(tempo)
        while t < stop:
            opens = cal.reopen(int(t), rng)
            out.append((opens, int(rng.integers(7, 22)), 0.8))
            t = opens + rng.exponential(tempo)
    return [o for o in out if days <= o[0] < stop]


class StoryWorld(ForwardWorld):
    """The projects story (story_projects.py) as a forward world."""

    @classmethod
    def build(
        cls,
        seed: int = 11,
        *,
        reps: int = 14,
        customers: int = 1540,
        days: int = 730,
        end: date | None = None,
        following: Following | None = None,
    ) -> StoryWorld:
        """The world after `story_projects.make(seed, reps, customers, days, end)`'s history
        (the same tables: make()'s own steps, played by the forward simulation)."""
        story, sim = sp.simulate(seed, reps, customers, days, end, simulation=_Forward)
        start = (end or date.today() - timedelta(days=1)) - timedelta(days=days - 1)
        sim.seed, sim.online = seed, []
        sim.following = following or Following(levels=None)
        return cls(seed, start, days, sim, story)

    def __init__(self, seed: int, start: date, days: int, sim: _Forward, story: sp.StoryData):
        self.seed, self.start, self.sim, self.story = seed, start, sim, story
        self.first_day = start + timedelta(days=days)
        self.day = days
        sim.needs = _continued_needs(seed, sim, days)
        by_day: dict[int, list[int]] = {}
        for i, when in enumerate(sim.needs.self_day):
            if when >= days:
                by_day.setdefault(int(when), []).append(i)
        sim.self_orders_on = by_day
        sim.index = {c: i for i, c in enumerate(story.customers.customer_id)}
        self.owner = sim.owners(days - 1)
        self._visits0, self._orders0 = len(sim.visit_rows), len(sim.order_rows)
        self._ids = story.customers.customer_id.to_numpy()

    def run_day(self, lists: dict[str, list[str]] | None) -> None:
        self.sim.step(self.day, lists, self.owner)
        self.day += 1

    def _forward_rows(self) -> pd.DataFrame:
        columns = ["rep", "cust", "day", "method", "target", "purpose", "result", "order_amount"]
        rows = pd.DataFrame(
            self.sim.visit_rows[self._visits0 :], columns=[*columns, "in_window", "follow_up_day"]
        )
        return rows

    def _forward_visit_frame(self) -> pd.DataFrame:
        v = self._forward_rows()
        if v.empty:
            return pd.DataFrame(columns=list(CONTRACT_VISITS))
        day = v.day.to_numpy(dtype=int)
        cust = v.cust.to_numpy(dtype=int)
        minute, note_u = self._minutes_and_notes(day, cust)
        notes = np.where(
            v.result == "order",
            np.array(NOTE_ORDER)[(note_u * len(NOTE_ORDER)).astype(int)],
            np.where(
                v.in_window.to_numpy(dtype=bool),
                np.array(NOTE_INTEREST)[(note_u * len(NOTE_INTEREST)).astype(int)],
                np.array(NOTE_NONE)[(note_u * len(NOTE_NONE)).astype(int)],
            ),
        )
        follow = v.follow_up_day.to_numpy(dtype=int)
        return pd.DataFrame(
            {
                "rep_id": np.array(self.sim.team.rep_id)[v.rep.to_numpy(dtype=int)],
                "customer_id": self._ids[cust],
                "visit_date": pd.Timestamp(self.start)
                + pd.to_timedelta(day, unit="D")
                + pd.to_timedelta(minute, unit="min"),
                "method": v.method.astype(str),
                "target": v.target,
                "purpose": v.purpose,
                "result": v.result,
                "note": notes,
                "order_amount": v.order_amount.astype(float),
                "follow_up_date": [
                    self.start + timedelta(days=int(f)) if f > t else None
                    for f, t in zip(follow, day, strict=True)
                ],
            }
        ).sort_values(["visit_date", "customer_id"], kind="stable", ignore_index=True)

    def _minutes_and_notes(self, day: np.ndarray, cust: np.ndarray) -> tuple[np.ndarray, ...]:
        """Each call's minute and note draw, keyed by (day, customer) like every forward draw."""
        minute, note = np.zeros(len(day), dtype=int), np.zeros(len(day))
        n = len(self._ids)
        for t in np.unique(day):
            at = day == t
            d = Keyed(self.seed, int(t), _PURPOSES)
            minute[at] = d.rng("minute").integers(540, 1110, n)[cust[at]]
            note[at] = d.random("note", n)[cust[at]]
        return minute, note

    def frames(self) -> dict[str, pd.DataFrame]:
        tables = self.story.tables()
        orders = self.forward_orders().drop(columns="at_call")
        return {
            **tables,
            "visits": concat(tables["visits"], self._forward_visit_frame()),
            "orders": concat(tables["orders"], orders),
        }

    def forward_orders(self) -> pd.DataFrame:
        rows = self.sim.order_rows[self._orders0 :]
        o = pd.DataFrame(rows, columns=["cust", "day", "amount"])
        online = np.asarray(self.sim.online, dtype=bool)
        return pd.DataFrame(
            {
                "customer_id": self._ids[o.cust.to_numpy(dtype=int)],
                "order_date": (
                    pd.Timestamp(self.start) + pd.to_timedelta(o.day.to_numpy(dtype=int), unit="D")
                ).date,
                "amount": o.amount.astype(float).round(2),
                "at_call": ~online,
            }
        ).sort_values(["order_date", "customer_id"], kind="stable", ignore_index=True)

    def forward_visits(self) -> pd.DataFrame:
        v = self._forward_rows()
        return pd.DataFrame(
            {
                "rep_id": np.array(self.sim.team.rep_id)[v.rep.to_numpy(dtype=int)],
                "customer_id": self._ids[v.cust.to_numpy(dtype=int)],
                "visit_date": pd.Timestamp(self.start)
                + pd.to_timedelta(v.day.to_numpy(dtype=int), unit="D"),
                "result": v.result,
            }
        )

    def truth_effect(self, day: int | None = None) -> pd.DataFrame:
        """As the world stands before `day` (default: the next day): a customer with a pending
        need, open or opening within the planning days, that the customer would not meet by an
        online order gains p_convert (x EARLY_EFFECT while only planned); a customer without
        such a need the small top-up rate while not churned; else nothing."""
        sim = self.sim
        day = self.day if day is None else day
        mix = _method_mean()
        effect = np.zeros(len(self._ids))
        amount = 0.25 * sim.book.median_amount
        for c in range(len(self._ids)):
            rep = int(self.owner[c])
            if rep < 0 or sim.book.created_day[c] > day:
                continue
            need, inside = sim.pending(c, day)
            if need < 0:
                effect[c] = _TOP_UP if day < sim.book.churn_day[c] else 0.0
            elif sim.needs.self_day[need] < 0:
                p = sim.p_convert(rep, c, day, mix)
                effect[c] = p * (1.0 if inside else EARLY_EFFECT)
                amount[c] = sim.needs.amount[need]
            else:
                amount[c] = sim.needs.amount[need]
        rep_ids = np.array(sim.team.rep_id)
        return pd.DataFrame(
            {
                "customer_id": self._ids,
                "rep_id": np.where(self.owner >= 0, rep_ids[np.maximum(self.owner, 0)], None),
                "call_effect": effect,
                "amount": amount,
            }
        )
