"""The demo's simulation, day by day: its reps and customers, their needs, calls and orders.

`Simulation(cfg)` draws the people; `step(day, lists)` plays one day; the `*_frame` methods give
what happened so far in the import contract's shape (see synthetic.py for the story).
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from repurchase.demo.common import CALL_COLUMNS, pick
from repurchase.demo.synthetic_config import (
    AMOUNT_BY_TAG,
    BRANDS,
    CITY_NAMES,
    CONVERT_BY_METHOD,
    CUSTOMER_TYPES,
    CV_BY_TYPE,
    CYCLE_BY_INDUSTRY,
    CYCLE_BY_TAG,
    CYCLE_BY_TYPE,
    GIVEN,
    INDUSTRIES,
    KEY_ONSITE,
    KIND_WORDS,
    LAPSE_BY_TAG,
    OUT_OF_WINDOW,
    OUT_OF_WINDOW_AMOUNT,
    ROTATION_DAYS,
    SELF_ORDER_BY_TYPE,
    SURNAMES,
    TAGS,
    DemoConfig,
)
from repurchase.demo.synthetic_draws import CallDraws

_VISIT_FRAME = [*CALL_COLUMNS, "_in_window"]


def _years(days: np.ndarray | float) -> np.ndarray | float:
    return np.asarray(days) / 365.25


def _in_time_order(visits: pd.DataFrame) -> pd.DataFrame:
    return visits.sort_values(["visit_date", "rep_id", "customer_id"], kind="stable")


# ----------------------------------------------------------------------------- people


def make_reps(cfg: DemoConfig, rng: np.random.Generator) -> pd.DataFrame:
    """Current reps plus the predecessors whose books they took over."""
    n = cfg.reps
    end = cfg.end_date
    n_senior = max(1, round(n * 0.10)) if n >= 4 else 0
    n_mid = max(1, round(n * 0.15)) if n >= 4 else 0
    levels = np.array(["junior"] * (n - n_senior - n_mid) + ["mid"] * n_mid + ["senior"] * n_senior)
    rng.shuffle(levels)
    tenure_years = np.empty(n)
    ages = np.empty(n)
    for i, level in enumerate(levels):
        if level == "junior":
            # paper, Table 3: 34 of 58 juniors under a year, 20 at 1-2 years, 4 over 2 years
            band = rng.choice(3, p=[0.58, 0.35, 0.07])
            tenure_years[i] = rng.uniform(*[(0.05, 1.0), (1.0, 2.0), (2.0, 2.8)][band])
            # age bands 21-25 / 26-30 / 31-40 in the paper's 27 / 21 / 10 shape
            age_band = rng.choice(3, p=[0.46, 0.36, 0.18])
            ages[i] = rng.uniform(*[(21, 26), (26, 31), (31, 41)][age_band])
        elif level == "mid":
            tenure_years[i] = rng.uniform(2.0, 4.5)
            ages[i] = rng.uniform(26, 38)
        else:
            tenure_years[i] = rng.uniform(4.0, 9.0)
            ages[i] = rng.uniform(30, 45)
        ages[i] = max(ages[i], 21.0 + tenure_years[i])
    hire = [end - timedelta(days=int(t * 365.25)) for t in tenure_years]
    birth = [end - timedelta(days=int(a * 365.25)) for a in ages]
    genders = np.where(rng.random(n) < 0.57, "M", "F")
    n_teams = max(1, int(np.ceil(n / cfg.team_size)))
    teams = [f"T{(i % n_teams) + 1:02d}" for i in range(n)]
    reps = pd.DataFrame(
        {
            "rep_id": [f"R{i + 1:03d}" for i in range(n)],
            "name": [_person_name(rng) for _ in range(n)],
            "gender": genders,
            "birth_date": birth,
            "hire_date": hire,
            "level": levels,
            "team": teams,
            "left_date": pd.NaT,
            "book": np.arange(n),
        }
    )
    # A book whose rep joined after the history starts had a predecessor, who left shortly
    # before (teammates covered the gap).
    start = cfg.start_date
    former = []
    for i, row in reps.iterrows():
        if row.hire_date > start:
            gap = int(rng.integers(3, 21))
            left = row.hire_date - timedelta(days=gap)
            former.append(
                {
                    "rep_id": f"X{i + 1:03d}",
                    "name": _person_name(rng),
                    "gender": "M" if rng.random() < 0.55 else "F",
                    "birth_date": left - timedelta(days=int(rng.uniform(23, 35) * 365.25)),
                    "hire_date": left - timedelta(days=int(rng.uniform(1.0, 3.0) * 365.25)),
                    "level": "junior",
                    "team": row.team,
                    "left_date": left,
                    "book": row.book,
                }
            )
    if former:
        reps = pd.concat([reps, pd.DataFrame(former)], ignore_index=True)
    for col in ("birth_date", "hire_date", "left_date"):
        reps[col] = pd.to_datetime(reps[col]).dt.date
    return reps


def _person_name(rng: np.random.Generator) -> str:
    given = "".join(rng.choice(GIVEN, size=int(rng.integers(1, 3))))
    return str(rng.choice(SURNAMES)) + given


def make_customers(
    cfg: DemoConfig, rng: np.random.Generator, reps: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    current = reps[reps.left_date.isna()].sort_values("book")
    sizes = rng.integers(cfg.customers_per_rep[0], cfg.customers_per_rep[1] + 1, size=len(current))
    n = int(sizes.sum())
    book = np.repeat(current.book.to_numpy(), sizes)
    owner = np.repeat(current.rep_id.to_numpy(), sizes)
    ctype = pick(rng, CUSTOMER_TYPES, n)
    industry = pick(rng, INDUSTRIES, n)
    tag = pick(rng, TAGS, n)
    cycle = (
        np.array([CYCLE_BY_TYPE[t] for t in ctype])
        * np.array([CYCLE_BY_INDUSTRY[i] for i in industry])
        * np.array([CYCLE_BY_TAG[t] for t in tag])
        * rng.lognormal(0.0, 0.35, n)
    ).clip(14, 300)
    cv = (np.array([CV_BY_TYPE[t] for t in ctype]) * rng.uniform(0.7, 1.3, n)).clip(0.08, 0.8)
    window = (5 + 0.15 * cycle * rng.uniform(0.6, 1.4, n)).clip(5, 21)
    # 70 % were customers before the history starts; the rest join during it (first order)
    created_offset = np.where(
        rng.random(n) < 0.70,
        -rng.integers(30, 1500, n),
        rng.integers(0, max(cfg.days - 30, 1), n),
    )
    start = cfg.start_date
    created = [start + timedelta(days=int(d)) for d in created_offset]
    city = np.array(CITY_NAMES)[rng.integers(0, len(CITY_NAMES), n)]
    brand = np.array(BRANDS)[rng.integers(0, len(BRANDS), (n, 2))]
    kind = rng.integers(0, 3, n)
    names = [
        f"{city[i]}{brand[i, 0]}{brand[i, 1]}{KIND_WORDS[t][kind[i]]}有限公司"
        for i, t in enumerate(ctype)
    ]
    ids = [f"C{i + 1:05d}" for i in range(n)]
    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "name": names,
            "customer_type": ctype,
            "industry": industry,
            "tag": tag,
            "owner_rep_id": owner,
            "created_date": created,
        }
    )
    self_order = np.array([SELF_ORDER_BY_TYPE[t] for t in ctype]) * rng.uniform(0.6, 1.4, n)
    truth = pd.DataFrame(
        {
            "customer_id": ids,
            "book": book,
            "cycle_days": cycle,
            "cycle_cv": cv,
            "window_days": window,
            "lapse_per_cycle": [LAPSE_BY_TAG[t] for t in tag],
            "self_order_share": self_order.clip(0.05, 0.9),
            "created_offset": created_offset,
        }
    )
    return customers, truth


# ----------------------------------------------------------------------------- the simulation


class Simulation:
    """Day-by-day state of every customer and rep; `run()` produces the event tables."""

    def __init__(self, cfg: DemoConfig, seed_offset: int = 0) -> None:
        self.cfg = cfg
        self.rng = np.random.default_rng(cfg.seed + seed_offset)
        rng = self.rng
        self.reps = make_reps(cfg, rng)
        self.customers, self.ctruth = make_customers(cfg, rng, self.reps)
        self.start = cfg.start_date
        n = len(self.customers)
        self.n = n
        ct = self.ctruth
        self.cycle = ct.cycle_days.to_numpy()
        self.cv = ct.cycle_cv.to_numpy()
        self.window_len = ct.window_days.to_numpy()
        self.lapse = ct.lapse_per_cycle.to_numpy()
        # daily hazard of an online order inside a window, so that P(self order) ~ share
        share = ct.self_order_share.to_numpy()
        self.self_hazard = 1.0 - (1.0 - share) ** (1.0 / self.window_len)
        self.created = ct.created_offset.to_numpy()
        self.book = ct.book.to_numpy()
        self.tag = self.customers.tag.to_numpy()
        self.ctype = self.customers.customer_type.to_numpy()
        self.rotation = np.array([ROTATION_DAYS[t] for t in self.tag])
        self.amount_scale = np.array([AMOUNT_BY_TAG[t] for t in self.tag])

        # buying state: next need day, open window end (or -1), lapsed flag
        phase = rng.uniform(0, 1, n) * self.cycle
        self.need_day = np.where(self.created < 0, phase, np.inf)
        self.window_end = np.full(n, -1.0)
        self.window_start = np.full(n, -1.0)
        self.lapsed = np.zeros(n, dtype=bool)
        # what reps can observe
        self.last_contact = np.where(self.created < 0, -rng.uniform(0, 40, n), np.nan)
        # the CRM knows what customers bought before the exported history starts
        pre = self.created < 0
        history_days = np.clip(-self.created, 0, 720)
        self.order_count = np.where(pre, rng.poisson(0.5 * history_days / self.cycle), 0)
        bought = self.order_count > 0
        self.last_order = np.where(bought, -rng.uniform(0, 1.5, n) * self.cycle, np.nan)
        self.mean_interval = np.where(
            self.order_count > 1, self.cycle * rng.lognormal(0, 0.2, n), np.nan
        )

        # reps: skill grows with tenure; per-rep daily call volume
        reps = self.reps
        nr = len(reps)
        self.rep_ids = reps.rep_id.to_numpy()
        self.rep_index = {r: i for i, r in enumerate(self.rep_ids)}
        self.cust_index = {c: i for i, c in enumerate(self.customers.customer_id)}
        hire = pd.to_datetime(reps.hire_date)
        self.rep_hire_offset = (hire - pd.Timestamp(self.start)).dt.days.to_numpy()
        left = pd.to_datetime(reps.left_date)
        self.rep_left_offset = np.where(
            left.isna(), np.inf, (left - pd.Timestamp(self.start)).dt.days.fillna(0).to_numpy()
        )
        level = reps.level.to_numpy()
        self.rep_level = level
        self.rep_book = reps.book.to_numpy()
        self.rep_team = reps.team.to_numpy()
        self.skill0 = rng.normal(0.24, 0.04, nr).clip(0.12, 0.36)
        self.skill_gain = rng.normal(0.20, 0.05, nr).clip(0.08, 0.32)
        self.calls_per_day = rng.uniform(*cfg.visits_per_rep_day, nr)
        self.calls_per_day[level == "senior"] *= 0.8  # seniors spend time on key accounts
        self.noise = np.where(level == "junior", 1.0, 0.7) * rng.uniform(0.8, 1.2, nr)

        self.windows: list[tuple[int, float, float, str, float]] = []
        self.window_index = np.full(n, -1)
        self.visit_rows: list[dict[str, np.ndarray]] = []
        self._visit_chunks: list[pd.DataFrame] = []
        self._converted = 0
        self.order_rows: list[dict[str, np.ndarray]] = []

    # -- helpers ------------------------------------------------------------------------------

    def tenure_years(self, rep_idx: np.ndarray, day: int) -> np.ndarray:
        return np.maximum(_years(day - self.rep_hire_offset[rep_idx]), 0.0)

    def skill(self, rep_idx: np.ndarray, day: int) -> np.ndarray:
        t = self.tenure_years(rep_idx, day)
        return self.skill0[rep_idx] + self.skill_gain[rep_idx] * (1.0 - np.exp(-t / 1.0))

    def interval(self, idx: np.ndarray) -> np.ndarray:
        cv = self.cv[idx]
        shape = 1.0 / cv**2
        return self.rng.gamma(shape, self.cycle[idx] / shape)

    def schedule_next(self, idx: np.ndarray, from_day: np.ndarray, today: int) -> None:
        """After a need is met or lost: lapse, or set the next need one interval later."""
        if len(idx) == 0:
            return
        lapse = self.rng.random(len(idx)) < self.lapse[idx]
        nxt = np.maximum(from_day + self.interval(idx), today + 1)
        self.need_day[idx] = np.where(lapse, np.inf, nxt)
        self.lapsed[idx] |= lapse
        self.window_end[idx] = -1.0
        self.window_start[idx] = -1.0
        self.window_index[idx] = -1

    def close_window(self, idx: np.ndarray, outcome: str, day: int) -> None:
        for i in idx:
            w = self.window_index[i]
            if w >= 0:
                cid, ws, we, _, _ = self.windows[w]
                self.windows[w] = (cid, ws, we, outcome, float(day))

    def record_orders(self, idx: np.ndarray, day: int, amount: np.ndarray, source: str) -> None:
        if len(idx) == 0:
            return
        self.order_rows.append(
            {"cust": idx, "day": np.full(len(idx), day), "amount": amount, "source": source}
        )
        prev = self.last_order[idx]
        gap = day - prev
        known = ~np.isnan(self.mean_interval[idx])
        self.mean_interval[idx] = np.where(
            np.isnan(prev), np.nan, np.where(known, 0.7 * self.mean_interval[idx] + 0.3 * gap, gap)
        )
        self.last_order[idx] = day
        self.order_count[idx] += 1

    def amount(self, idx: np.ndarray) -> np.ndarray:
        return np.round(self.amount_scale[idx] * self.rng.lognormal(0, 0.6, len(idx)), 2)

    # -- one day ------------------------------------------------------------------------------

    def owners_on(self, day: int) -> np.ndarray:
        """Index of the rep serving each customer's book on `day` (-1: nobody, covered later)."""
        serving = np.full(self.rep_book.max() + 1, -1)
        active = (self.rep_hire_offset <= day) & (day < self.rep_left_offset)
        for r in np.flatnonzero(active):
            serving[self.rep_book[r]] = r
        return serving[self.book]

    def step(self, day: int, lists: dict[str, list[str]] | None) -> None:
        rng = self.rng
        n = self.n
        # customers joining today arrive with a first online order
        joining = np.flatnonzero(self.created == day)
        if len(joining):
            self.last_contact[joining] = day
            self.record_orders(joining, day, self.amount(joining), "self")
            self.need_day[joining] = day + self.interval(joining)

        # lapsed customers sometimes come back
        back = np.flatnonzero(self.lapsed & (rng.random(n) < 1 / 365))
        if len(back):
            self.lapsed[back] = False
            self.need_day[back] = day + rng.uniform(0, 30, len(back))

        # needs arising today open a window
        opening = np.flatnonzero((self.window_end < 0) & (self.need_day <= day))
        for i in opening:
            self.window_index[i] = len(self.windows)
            self.windows.append(
                (int(i), float(day), float(day + self.window_len[i]), "open", np.nan)
            )
        self.window_start[opening] = day
        self.window_end[opening] = day + self.window_len[opening]

        # online orders inside open windows, without any call
        in_window = self.window_end >= day
        self_orders = np.flatnonzero(in_window & (rng.random(n) < self.self_hazard))
        if len(self_orders):
            self.record_orders(self_orders, day, self.amount(self_orders), "self")
            self.close_window(self_orders, "self_order", day)
            self.schedule_next(self_orders, np.full(len(self_orders), float(day)), day)

        if (self.start + timedelta(days=day)).weekday() < 5:
            self.calls(day, lists)

        # windows that ran out unmet are lost; the rhythm goes on from the need
        lost = np.flatnonzero((self.window_end >= 0) & (self.window_end < day))
        if len(lost):
            self.close_window(lost, "lost", day)
            self.schedule_next(lost, self.window_start[lost], day)

    def calls(self, day: int, lists: dict[str, list[str]] | None) -> None:
        rng = self.rng
        owner = self.owners_on(day)
        exists = self.created <= day
        active = np.flatnonzero((self.rep_hire_offset <= day) & (day < self.rep_left_offset))
        # uncovered books (gap between predecessor and successor) go to a teammate
        uncovered = exists & (owner < 0)
        for b in np.unique(self.book[uncovered]):
            team = self.rep_team[self.rep_book == b][0]
            mates = active[self.rep_team[active] == team]
            if len(mates):
                owner[uncovered & (self.book == b)] = rng.choice(mates)
        # the odd day off: a teammate covers a handful of calls
        caller = owner.copy()
        covering = np.flatnonzero(exists & (owner >= 0) & (rng.random(self.n) < 0.015))
        covering_team = self.rep_team[owner[covering]]
        for team in np.unique(covering_team):
            mates = active[self.rep_team[active] == team]
            sel = covering[covering_team == team]
            caller[sel] = mates[rng.integers(0, len(mates), len(sel))]
        eligible = exists & (caller >= 0)
        if not eligible.any():
            return

        # the rep's own choice: rotation + intuition ("due" by observed rhythm) + noise
        since = day - np.nan_to_num(self.last_contact, nan=-60.0)
        rotation = np.log1p(since / self.rotation)
        since_order = day - self.last_order
        with np.errstate(invalid="ignore"):
            due = np.exp(
                -0.5
                * ((since_order - self.mean_interval) / np.maximum(0.35 * self.mean_interval, 1.0))
                ** 2
            )
        due = np.nan_to_num(due, nan=0.0)
        rep = np.where(eligible, caller, 0)
        tenure = self.tenure_years(rep, day)
        intuition = (0.4 + 1.2 * (1 - np.exp(-tenure / 1.5))) * due
        noise = rng.gumbel(0, 0.6, self.n) * self.noise[rep]
        score = 1.5 * rotation + intuition + noise
        if lists:
            score = self.follow_lists(score, caller, lists, day)

        # each rep calls their k best-scored customers today
        candidates = np.flatnonzero(eligible)
        order = candidates[np.lexsort((-score[candidates], caller[candidates]))]
        group = caller[order]
        starts = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
        sizes = np.diff(np.r_[starts, len(order)])
        rank = np.arange(len(order)) - np.repeat(starts, sizes)
        k = rng.poisson(self.calls_per_day)
        chosen = order[rank < k[group]]
        if len(chosen):
            self.resolve(chosen, caller[chosen], day)

    def follow_lists(
        self, score: np.ndarray, caller: np.ndarray, lists: dict[str, list[str]], day: int
    ) -> np.ndarray:
        """Adopting reps take each customer of their list with probability `adherence`, in list
        order, ahead of their own choices."""
        adoption = self.cfg.adoption
        boosted = score.copy()
        for rep_id, customers in lists.items():
            r = self.rep_index.get(rep_id)
            if r is None or self.rep_level[r] not in adoption.levels:
                continue
            idx = np.array(
                [self.cust_index[c] for c in customers if c in self.cust_index], dtype=int
            )
            idx = idx[caller[idx] == r]
            idx = idx[~(self.last_contact[idx] >= day - adoption.recent_days)]
            taken = idx[self.rng.random(len(idx)) < adoption.adherence]
            boosted[taken] = 1e6 - np.arange(len(taken))
        return boosted

    def resolve(
        self, idx: np.ndarray, reps: np.ndarray, day: int, draws: CallDraws | None = None
    ) -> None:
        """Play `reps`' calls to customers `idx` on `day`: how each is made, whether it wins
        an order and what the CRM records, then the orders and the needs they meet. `draws`
        gives the random numbers (default: this simulation's stream, in turn)."""
        draws = draws or CallDraws(self)
        method = draws.method(idx)
        onsite = (self.tag[idx] == "key") & (draws.uniform("onsite", idx) < KEY_ONSITE)
        method = np.where(onsite, "onsite", method)
        open_window = self.window_end[idx] >= day
        p = self.skill(reps, day) * np.array([CONVERT_BY_METHOD[x] for x in method])
        p = np.where(open_window, p, OUT_OF_WINDOW)
        success = draws.uniform("convert", idx) < p
        amount = np.where(success, draws.amount(idx), np.nan)
        amount = np.where(open_window, amount, np.round(amount * OUT_OF_WINDOW_AMOUNT, 2))

        # target segment as the CRM shows it at the time of the call
        since_order = day - self.last_order[idx]
        target = np.select(
            [self.order_count[idx] == 0, self.order_count[idx] == 1, since_order > 90],
            ["new_customer", "first_order", "no_order_3m"],
            "active",
        )
        delivery = (since_order <= 14) & (draws.uniform("delivery", idx) < 0.5)
        purpose = np.where(delivery, "delivery_follow_up", draws.usual_purpose(idx))
        notes = draws.note(idx, success)
        self.visit_rows.append(
            {
                "cust": idx,
                "rep": reps,
                "day": np.full(len(idx), day),
                "minute": draws.minute(idx),
                "method": method,
                "target": target,
                "purpose": purpose,
                "success": success,
                "note": notes,
                "amount": amount,
                "in_window": open_window,
            }
        )
        self.last_contact[idx] = day
        won = idx[success]
        if len(won):
            self.record_orders(won, day, amount[success], "visit")
            met = won[self.window_end[won] >= day]
            self.close_window(met, "visit_order", day)
            draws.schedule(met, np.full(len(met), float(day)), day)

    # -- output -------------------------------------------------------------------------------

    def visits_frame(self, *, ordered: bool = True) -> pd.DataFrame:
        """Visits so far in the contract's shape (plus the hidden `_in_window`). Rows are
        converted once and cached, so the adoption simulation can ask for the history every
        week without paying for all of it again; `ordered=False` skips the final sort."""
        if self._converted < len(self.visit_rows):
            self._visit_chunks.append(self._visit_chunk(self.visit_rows[self._converted :]))
            self._converted = len(self.visit_rows)
        if not self._visit_chunks:
            return pd.DataFrame(columns=_VISIT_FRAME)
        frame = pd.concat(self._visit_chunks, ignore_index=True)
        if not ordered:
            return frame
        return _in_time_order(frame).reset_index(drop=True)

    def visits_since(self, row: int) -> pd.DataFrame:
        """The visits of `visit_rows[row:]` as `visits_frame` gives them, in time order (the
        index: each visit's place among those rows)."""
        rows = self.visit_rows[row:]
        if not rows:
            return pd.DataFrame(columns=_VISIT_FRAME)
        return _in_time_order(self._visit_chunk(rows))

    def _visit_chunk(self, rows: list[dict[str, np.ndarray]]) -> pd.DataFrame:
        cols = {k: np.concatenate([r[k] for r in rows]) for k in rows[0]}
        start = pd.Timestamp(self.start)
        when = (
            start
            + pd.to_timedelta(cols["day"], unit="D")
            + pd.to_timedelta(cols["minute"], unit="m")
        )
        return pd.DataFrame(
            {
                "rep_id": self.rep_ids[cols["rep"]],
                "customer_id": self.customers.customer_id.to_numpy()[cols["cust"]],
                "visit_date": when,
                "method": cols["method"],
                "target": cols["target"],
                "purpose": cols["purpose"],
                "result": np.where(cols["success"], "order", "no_order"),
                "note": cols["note"],
                "order_amount": cols["amount"],
                "_in_window": cols["in_window"],
            }
        )

    def orders_frame(self) -> pd.DataFrame:
        if not self.order_rows:
            return pd.DataFrame(columns=["customer_id", "order_date", "amount", "_source"])
        cust = np.concatenate([r["cust"] for r in self.order_rows])
        day = np.concatenate([r["day"] for r in self.order_rows])
        amount = np.concatenate([r["amount"] for r in self.order_rows])
        source = np.concatenate([np.full(len(r["cust"]), r["source"]) for r in self.order_rows])
        frame = pd.DataFrame(
            {
                "customer_id": self.customers.customer_id.to_numpy()[cust],
                "order_date": (pd.Timestamp(self.start) + pd.to_timedelta(day, unit="D")).date,
                "amount": amount,
                "_source": source,
            }
        )
        return frame.sort_values(["order_date", "customer_id"], kind="stable").reset_index(
            drop=True
        )

    def windows_frame(self) -> pd.DataFrame:
        start = pd.Timestamp(self.start)
        w = pd.DataFrame(self.windows, columns=["cust", "start", "end", "outcome", "outcome_day"])
        ids = self.customers.customer_id.to_numpy()
        return pd.DataFrame(
            {
                "customer_id": ids[w.cust.to_numpy(dtype=int)] if len(w) else [],
                "window_start": start + pd.to_timedelta(w.start, unit="D"),
                "window_end": start + pd.to_timedelta(np.floor(w.end), unit="D"),
                "outcome": w.outcome,
                "outcome_date": start + pd.to_timedelta(w.outcome_day, unit="D"),
            }
        )
