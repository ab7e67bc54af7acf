"""The demo's forward world (forward.py): synthetic.make's history, then its days stepped on
with keyed draws (common random numbers) and reps following a call list.

The history runs through `Simulation.step` untouched, so it is `make()`'s. The forward day below
is that step rewritten draw for draw: each `self.rng` call becomes a full-size keyed draw. The
calls it chooses are played by `Simulation.resolve` itself, given keyed draws (`_KeyedCalls`).
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from repurchase.demo import synthetic
from repurchase.demo.forward import (
    CONTRACT_VISITS,
    Following,
    ForwardWorld,
    Keyed,
    concat,
    daily_list,
    pick_by,
)
from repurchase.demo.synthetic_config import (
    CONVERT_BY_METHOD,
    KEY_ONSITE,
    METHODS,
    NOTES_NO_ORDER,
    NOTES_ORDER,
    OUT_OF_WINDOW,
    OUT_OF_WINDOW_AMOUNT,
    USUAL_PURPOSES,
    DemoConfig,
)
from repurchase.demo.synthetic_draws import CallDraws
from repurchase.demo.synthetic_simulation import Simulation

_PURPOSES = (
    "back",
    "back_day",
    "self",
    "self_amount",
    "interval",
    "lapse",
    "uncovered",
    "cover",
    "cover_pick",
    "noise",
    "calls",
    "adhere",
    "method",
    "onsite",
    "convert",
    "visit_amount",
    "delivery",
    "purpose",
    "note",
    "minute",
)
_MEAN_LOGNORMAL = float(np.exp(0.6**2 / 2))  # E[lognormal(0, 0.6)]: the amount's noise


def _method_mean(key_onsite: float) -> float:
    """E[CONVERT_BY_METHOD] over the demo's method mix, with this share sent on site."""
    p = np.array(list(METHODS.values()))
    mix = float((p / p.sum()) @ np.array([CONVERT_BY_METHOD[m] for m in METHODS]))
    return (1 - key_onsite) * mix + key_onsite * CONVERT_BY_METHOD["onsite"]


class _Forward(Simulation):
    """The demo's Simulation, whose days after the history draw keyed numbers."""

    following: Following = Following()

    def step(self, day: int, lists: dict[str, list[str]] | None) -> None:
        if day < self.cfg.days:  # the history: make()'s sequential draws
            super().step(day, lists)
            return
        d = Keyed(self.cfg.seed, day, _PURPOSES)
        n = self.n
        back = np.flatnonzero(self.lapsed & (d.random("back", n) < 1 / 365))
        self.lapsed[back] = False
        self.need_day[back] = day + d.random("back_day", n)[back] * 30
        opening = np.flatnonzero((self.window_end < 0) & (self.need_day <= day))
        for i in opening:
            self.window_index[i] = len(self.windows)
            window = (int(i), float(day), float(day + self.window_len[i]), "open", np.nan)
            self.windows.append(window)
        self.window_start[opening] = day
        self.window_end[opening] = day + self.window_len[opening]
        in_window = self.window_end >= day
        selfo = np.flatnonzero(in_window & (d.random("self", n) < self.self_hazard))
        if len(selfo):
            self.record_orders(selfo, day, self._amount(d, "self_amount", selfo), "self")
            self.close_window(selfo, "self_order", day)
            self._schedule(d, selfo, np.full(len(selfo), float(day)), day)
        if (self.start + timedelta(days=day)).weekday() < 5:
            self._calls(d, day, lists)
        lost = np.flatnonzero((self.window_end >= 0) & (self.window_end < day))
        if len(lost):
            self.close_window(lost, "lost", day)
            self._schedule(d, lost, self.window_start[lost], day)

    def _amount(self, d: Keyed, purpose: str, idx: np.ndarray) -> np.ndarray:
        noise = d.rng(purpose).lognormal(0, 0.6, self.n)
        return np.round(self.amount_scale[idx] * noise[idx], 2)

    def _schedule(self, d: Keyed, idx: np.ndarray, from_day: np.ndarray, today: int) -> None:
        shape = 1.0 / self.cv**2
        interval = d.rng("interval").gamma(shape, self.cycle / shape)[idx]
        lapse = d.random("lapse", self.n)[idx] < self.lapse[idx]
        self.need_day[idx] = np.where(lapse, np.inf, np.maximum(from_day + interval, today + 1))
        self.lapsed[idx] |= lapse
        self.window_end[idx] = -1.0
        self.window_start[idx] = -1.0
        self.window_index[idx] = -1

    def _callers(self, d: Keyed, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Who calls each customer today (-1: nobody) and the active reps."""
        owner = self.owners_on(day)
        exists = self.created <= day
        active = np.flatnonzero((self.rep_hire_offset <= day) & (day < self.rep_left_offset))
        pick = d.random("uncovered", int(self.rep_book.max()) + 1)
        for b in np.unique(self.book[exists & (owner < 0)]):
            mates = active[self.rep_team[active] == self.rep_team[self.rep_book == b][0]]
            if len(mates):
                owner[exists & (owner < 0) & (self.book == b)] = mates[int(pick[b] * len(mates))]
        caller = owner.copy()
        covering = np.flatnonzero(exists & (owner >= 0) & (d.random("cover", self.n) < 0.015))
        u = d.random("cover_pick", self.n)
        for i in covering:
            mates = active[self.rep_team[active] == self.rep_team[owner[i]]]
            caller[i] = mates[int(u[i] * len(mates))]
        return np.where(exists, caller, -1), active

    def _calls(self, d: Keyed, day: int, lists: dict[str, list[str]] | None) -> None:
        caller, _active = self._callers(d, day)
        eligible = caller >= 0
        if not eligible.any():
            return
        since = day - np.nan_to_num(self.last_contact, nan=-60.0)
        rotation = np.log1p(since / self.rotation)
        since_order = day - self.last_order
        with np.errstate(invalid="ignore"):
            spread = np.maximum(0.35 * self.mean_interval, 1.0)
            due = np.exp(-0.5 * ((since_order - self.mean_interval) / spread) ** 2)
        due = np.nan_to_num(due, nan=0.0)
        rep = np.where(eligible, caller, 0)
        intuition = (0.4 + 1.2 * (1 - np.exp(-self.tenure_years(rep, day) / 1.5))) * due
        noise = d.rng("noise").gumbel(0, 0.6, self.n) * self.noise[rep]
        score = 1.5 * rotation + intuition + noise
        if lists:
            score = self._follow(d, score, caller, lists, day)
        candidates = np.flatnonzero(eligible)
        order = candidates[np.lexsort((-score[candidates], caller[candidates]))]
        group = caller[order]
        starts = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
        sizes = np.diff(np.r_[starts, len(order)])
        rank = np.arange(len(order)) - np.repeat(starts, sizes)
        k = d.rng("calls").poisson(self.calls_per_day)
        chosen = order[rank < k[group]]
        if len(chosen):
            self.resolve(chosen, caller[chosen], day, _KeyedCalls(self, d))

    def _follow(
        self,
        d: Keyed,
        score: np.ndarray,
        caller: np.ndarray,
        lists: dict[str, list[str]],
        day: int,
    ) -> np.ndarray:
        """Adopting reps take today's part of their list, each customer with probability
        `adherence`, in list order, ahead of their own choices."""
        rule = self.following
        boosted = score.copy()
        adhere = d.random("adhere", self.n)
        for rep_id, ranked in lists.items():
            r = self.rep_index.get(rep_id)
            if r is None or not rule.adopts(str(self.rep_level[r])):
                continue
            idx = daily_list(ranked, self.cust_index, caller == r, self.last_contact, day, rule)
            taken = idx[adhere[idx] < rule.adherence]
            boosted[taken] = 1e6 - np.arange(len(taken))
        return boosted


class _KeyedCalls(CallDraws):
    """A forward day's call draws: each a full-size keyed draw, indexed by the customers
    called, so the order they are asked for in does not matter."""

    sim: _Forward

    def __init__(self, sim: _Forward, d: Keyed) -> None:
        super().__init__(sim)
        self.d = d

    def uniform(self, purpose: str, idx: np.ndarray) -> np.ndarray:
        return self.d.random(purpose, self.sim.n)[idx]

    def method(self, idx: np.ndarray) -> np.ndarray:
        return pick_by(self.uniform("method", idx), METHODS)

    def amount(self, idx: np.ndarray) -> np.ndarray:
        return self.sim._amount(self.d, "visit_amount", idx)

    def usual_purpose(self, idx: np.ndarray) -> np.ndarray:
        return pick_by(self.uniform("purpose", idx), USUAL_PURPOSES)

    def note(self, idx: np.ndarray, success: np.ndarray) -> np.ndarray:
        u = self.uniform("note", idx)
        return np.where(
            success,
            np.array(NOTES_ORDER)[(u * len(NOTES_ORDER)).astype(int)],
            np.array(NOTES_NO_ORDER)[(u * len(NOTES_NO_ORDER)).astype(int)],
        )

    def minute(self, idx: np.ndarray) -> np.ndarray:
        return self.d.rng("minute").integers(9 * 60, 18 * 60, self.sim.n)[idx]

    def schedule(self, idx: np.ndarray, from_day: np.ndarray, today: int) -> None:
        self.sim._schedule(self.d, idx, from_day, today)


class DemoWorld(ForwardWorld):
    """The demo (synthetic.py) as a forward world."""

    def __init__(self, cfg: DemoConfig, sim: _Forward, data: synthetic.DemoData) -> None:
        self.cfg, self.sim, self.data = cfg, sim, data
        self.seed = cfg.seed
        self.start = cfg.start_date
        self.first_day = cfg.end_date + timedelta(days=1)
        self.day = cfg.days
        self._visits0 = len(sim.visit_rows)
        self._orders0 = len(sim.order_rows)

    @classmethod
    def build(
        cls,
        seed: int = 7,
        *,
        following: Following | None = None,
        **sizes: object,
    ) -> DemoWorld:
        """The world after `synthetic.make(seed=seed, **sizes)`'s history (same tables)."""
        cfg = DemoConfig(**{**DemoConfig().__dict__, "seed": seed, **sizes})
        sim = _Forward(cfg)
        sim.following = following or Following()
        for day in range(cfg.days):
            sim.step(day, None)
        return cls(cfg, sim, synthetic._package(cfg, sim))

    def run_day(self, lists: dict[str, list[str]] | None) -> None:
        self.sim.step(self.day, lists)
        self.day += 1

    def frames(self) -> dict[str, pd.DataFrame]:
        visits = self.sim.visits_since(self._visits0)
        visits = visits.drop(columns="_in_window").assign(follow_up_date=None)
        orders = self._forward_order_frame().drop(columns="at_call")
        tables = self.data.tables()
        return {
            **tables,
            "visits": concat(tables["visits"], visits[list(CONTRACT_VISITS)]),
            "orders": concat(tables["orders"], orders),
        }

    def _forward_order_frame(self) -> pd.DataFrame:
        rows = self.sim.order_rows[self._orders0 :]
        if not rows:
            return pd.DataFrame(columns=["customer_id", "order_date", "amount", "at_call"])
        cust = np.concatenate([r["cust"] for r in rows])
        day = np.concatenate([r["day"] for r in rows])
        at_call = np.concatenate([np.full(len(r["cust"]), r["source"] == "visit") for r in rows])
        frame = pd.DataFrame(
            {
                "customer_id": self.sim.customers.customer_id.to_numpy()[cust],
                "order_date": (pd.Timestamp(self.start) + pd.to_timedelta(day, unit="D")).date,
                "amount": np.concatenate([r["amount"] for r in rows]),
                "at_call": at_call,
            }
        )
        return frame.sort_values(["order_date", "customer_id"], kind="stable", ignore_index=True)

    def forward_orders(self) -> pd.DataFrame:
        return self._forward_order_frame()

    def forward_visits(self) -> pd.DataFrame:
        return self.sim.visits_since(self._visits0)[
            ["rep_id", "customer_id", "visit_date", "result"]
        ]

    def truth_effect(self, day: int | None = None) -> pd.DataFrame:
        """As the world stands before `day` (default: the next day) is simulated: a customer in
        an open window (or one opening that day) gains expected conversion x the chance that no
        self-order would have met the need in the window's remaining days; anyone else the small
        out-of-window rate."""
        sim = self.sim
        day = self.day if day is None else day
        opening = (sim.window_end < 0) & (sim.need_day <= day)
        end = np.where(opening, day + sim.window_len, sim.window_end)
        open_now = (sim.window_end >= day) | opening
        owner = sim.owners_on(day)
        rep = np.maximum(owner, 0)
        convert = sim.skill(rep, day) * np.where(
            sim.tag == "key", _method_mean(KEY_ONSITE), _method_mean(0.0)
        )
        no_self = (1.0 - sim.self_hazard) ** (np.floor(end) - day + 1)
        effect = np.where(open_now, convert * no_self, OUT_OF_WINDOW)
        amount = sim.amount_scale * _MEAN_LOGNORMAL * np.where(open_now, 1.0, OUT_OF_WINDOW_AMOUNT)
        return pd.DataFrame(
            {
                "customer_id": sim.customers.customer_id.to_numpy(),
                "rep_id": np.where(owner >= 0, sim.rep_ids[rep], None),
                "call_effect": np.where(sim.created <= day, effect, 0.0),
                "amount": amount,
            }
        )
