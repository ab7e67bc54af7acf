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
* What a worklist needs (issue 11): contacts on most customers, calls nobody answered recorded
  as `not_reached`, follow-up dates on some failed calls (some due on the demo's first day),
  all drawn afterwards from a random stream of their own so nothing else moves.

`make()` returns the tables of the import contract plus the hidden truth (`DemoData.truth_*`):
the windows with their outcomes, each customer's rhythm, each rep's skill. The truth is written
beside the warehouse, never into it, so the model cannot learn from it.

An optional `Adoption` makes reps follow a call list from a given date (issue: evaluation demo);
with real data nothing is simulated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

# ----------------------------------------------------------------------------- vocabularies
# Codes are the stored values; the UI translates them (i18n).

CUSTOMER_TYPES = {"trader": 0.35, "manufacturer": 0.40, "design_house": 0.25}
INDUSTRIES = {
    "consumer": 0.35,
    "industrial": 0.20,
    "communications": 0.15,
    "automotive": 0.15,
    "medical": 0.15,
}
TAGS = {"key": 0.12, "high_potential": 0.23, "small_medium": 0.65}
METHODS = {"phone": 0.55, "im": 0.30, "onsite": 0.08, "email": 0.07}
PURPOSES = ("needs_discovery", "quote_follow_up", "relationship", "delivery_follow_up")
TARGETS = ("new_customer", "first_order", "no_order_3m", "active")

# Mean days between needs: base by type, times industry and tag factors.
_CYCLE_BY_TYPE = {"trader": 45.0, "manufacturer": 60.0, "design_house": 110.0}
_CYCLE_BY_INDUSTRY = {
    "consumer": 0.85,
    "industrial": 1.10,
    "communications": 1.0,
    "automotive": 1.30,
    "medical": 1.50,
}
_CYCLE_BY_TAG = {"key": 0.70, "high_potential": 0.90, "small_medium": 1.25}
# Coefficient of variation of the interval between needs: how regular the rhythm is.
_CV_BY_TYPE = {"trader": 0.30, "manufacturer": 0.10, "design_house": 0.20}
# Chance per cycle that the customer stops buying.
_LAPSE_BY_TAG = {"key": 0.02, "high_potential": 0.04, "small_medium": 0.06}
# Chance that a window ends in an online order without any call (traders buy online most).
_SELF_ORDER_BY_TYPE = {"trader": 0.45, "manufacturer": 0.30, "design_house": 0.20}
_CONVERT_BY_METHOD = {"phone": 1.0, "im": 0.85, "onsite": 1.25, "email": 0.7}
_AMOUNT_BY_TAG = {"key": 60_000.0, "high_potential": 20_000.0, "small_medium": 6_000.0}
# Days between rotation calls a rep aims for, by tag.
_ROTATION_DAYS = {"key": 9.0, "high_potential": 16.0, "small_medium": 26.0}

_SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
)
_GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕鹏辉宇浩凯健俊帆亮晨婷雪琳晶欣"
)
_CITY_NAMES = [
    "深圳",
    "上海",
    "苏州",
    "杭州",
    "宁波",
    "无锡",
    "东莞",
    "广州",
    "成都",
    "武汉",
    "西安",
    "南京",
    "合肥",
    "厦门",
    "青岛",
    "天津",
]
_BRANDS = list("华科创芯达联微电讯智恒信鑫源泰安博瑞新宏通明诚远拓")
_KIND_WORDS = {
    "trader": ["电子贸易", "元器件商行", "供应链"],
    "manufacturer": ["电子科技", "精密制造", "电器"],
    "design_house": ["方案设计", "微电子研究所", "智能技术"],
}
_NOTES_ORDER = ["客户确认下单", "已报价,客户当场下单", "补货需求,已下单", "项目量产,下单备货", ""]
_NOTES_NO_ORDER = [
    "暂无采购计划",
    "客户库存充足,下月再跟进",
    "项目还在评估中",
    "未接通,稍后再联系",
    "发送了新品资料",
    "",
    "",
]


History = Callable[[], tuple[pd.DataFrame, pd.DataFrame]]


@dataclass(frozen=True)
class Adoption:
    """Reps follow a call list from `start`: a rep of `levels` calls each customer on that
    day's list with probability `adherence` (unless someone called it in the last few days),
    ahead of their own choices; the rest of the day goes as usual.

    `lists(day, history)` returns {rep_id: [customer_id, ...]} for that morning; calling
    `history()` gives `(visits, orders)` so far in the import-contract shape (built only when
    asked for, as it costs a concatenation of everything simulated).
    """

    start: date
    lists: Callable[[date, History], dict[str, list[str]]]
    adherence: float = 0.6
    levels: tuple[str, ...] = ("junior",)
    recent_days: int = 5  # a rep does not call again a customer called this recently


@dataclass(frozen=True)
class DemoConfig:
    """Sizes of the demo. Defaults: the issue's 60 reps, 150-300 customers each, two years."""

    seed: int = 7
    reps: int = 60
    customers_per_rep: tuple[int, int] = (150, 300)
    days: int = 730
    end: date | None = None  # last simulated day; default: yesterday, so "today" has a list
    visits_per_rep_day: tuple[float, float] = (9.0, 15.0)
    team_size: int = 10
    adoption: Adoption | None = None

    @property
    def end_date(self) -> date:
        return self.end or (date.today() - timedelta(days=1))

    @property
    def start_date(self) -> date:
        return self.end_date - timedelta(days=self.days - 1)


class ContractData:
    """Shared by the generated data sets: the four import-contract tables (the frames
    `importer.import_frames` takes) and the hidden truth, by name. Subclasses are dataclasses
    with the fields reps, customers, visits, orders and truth_windows, truth_customers,
    truth_reps, truth_visits."""

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "reps": self.reps,
            "customers": self.customers,
            "visits": self.visits,
            "orders": self.orders,
        }

    def truth(self) -> dict[str, pd.DataFrame]:
        return {
            "windows": self.truth_windows,
            "customers": self.truth_customers,
            "reps": self.truth_reps,
            "visits": self.truth_visits,
        }


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


def _pick(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    keys = np.array(list(weights))
    p = np.array(list(weights.values()), dtype=float)
    return keys[rng.choice(len(keys), size=n, p=p / p.sum())]


def _years(days: np.ndarray | float) -> np.ndarray | float:
    return np.asarray(days) / 365.25


# ----------------------------------------------------------------------------- people


def _make_reps(cfg: DemoConfig, rng: np.random.Generator) -> pd.DataFrame:
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
    given = "".join(rng.choice(_GIVEN, size=int(rng.integers(1, 3))))
    return str(rng.choice(_SURNAMES)) + given


def _make_customers(
    cfg: DemoConfig, rng: np.random.Generator, reps: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    current = reps[reps.left_date.isna()].sort_values("book")
    sizes = rng.integers(cfg.customers_per_rep[0], cfg.customers_per_rep[1] + 1, size=len(current))
    n = int(sizes.sum())
    book = np.repeat(current.book.to_numpy(), sizes)
    owner = np.repeat(current.rep_id.to_numpy(), sizes)
    ctype = _pick(rng, CUSTOMER_TYPES, n)
    industry = _pick(rng, INDUSTRIES, n)
    tag = _pick(rng, TAGS, n)
    cycle = (
        np.array([_CYCLE_BY_TYPE[t] for t in ctype])
        * np.array([_CYCLE_BY_INDUSTRY[i] for i in industry])
        * np.array([_CYCLE_BY_TAG[t] for t in tag])
        * rng.lognormal(0.0, 0.35, n)
    ).clip(14, 300)
    cv = (np.array([_CV_BY_TYPE[t] for t in ctype]) * rng.uniform(0.7, 1.3, n)).clip(0.08, 0.8)
    window = (5 + 0.15 * cycle * rng.uniform(0.6, 1.4, n)).clip(5, 21)
    # 70 % were customers before the history starts; the rest join during it (first order)
    created_offset = np.where(
        rng.random(n) < 0.70,
        -rng.integers(30, 1500, n),
        rng.integers(0, max(cfg.days - 30, 1), n),
    )
    start = cfg.start_date
    created = [start + timedelta(days=int(d)) for d in created_offset]
    city = np.array(_CITY_NAMES)[rng.integers(0, len(_CITY_NAMES), n)]
    brand = np.array(_BRANDS)[rng.integers(0, len(_BRANDS), (n, 2))]
    kind = rng.integers(0, 3, n)
    names = [
        f"{city[i]}{brand[i, 0]}{brand[i, 1]}{_KIND_WORDS[t][kind[i]]}有限公司"
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
    self_order = np.array([_SELF_ORDER_BY_TYPE[t] for t in ctype]) * rng.uniform(0.6, 1.4, n)
    truth = pd.DataFrame(
        {
            "customer_id": ids,
            "book": book,
            "cycle_days": cycle,
            "cycle_cv": cv,
            "window_days": window,
            "lapse_per_cycle": [_LAPSE_BY_TAG[t] for t in tag],
            "self_order_share": self_order.clip(0.05, 0.9),
            "created_offset": created_offset,
        }
    )
    return customers, truth


# ----------------------------------------------------------------------------- the simulation


class _Simulation:
    """Day-by-day state of every customer and rep; `run()` produces the event tables."""

    def __init__(self, cfg: DemoConfig, seed_offset: int = 0) -> None:
        self.cfg = cfg
        self.rng = np.random.default_rng(cfg.seed + seed_offset)
        rng = self.rng
        self.reps = _make_reps(cfg, rng)
        self.customers, self.ctruth = _make_customers(cfg, rng, self.reps)
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
        self.rotation = np.array([_ROTATION_DAYS[t] for t in self.tag])
        self.amount_scale = np.array([_AMOUNT_BY_TAG[t] for t in self.tag])

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

    def resolve(self, idx: np.ndarray, reps: np.ndarray, day: int) -> None:
        rng = self.rng
        m = len(idx)
        tag = self.tag[idx]
        method = _pick(rng, METHODS, m)
        method = np.where((tag == "key") & (rng.random(m) < 0.25), "onsite", method)
        open_window = self.window_end[idx] >= day
        p = self.skill(reps, day) * np.array([_CONVERT_BY_METHOD[x] for x in method])
        p = np.where(open_window, p, 0.012)
        success = rng.random(m) < p
        amount = np.where(success, self.amount(idx), np.nan)
        amount = np.where(open_window, amount, np.round(amount * 0.3, 2))

        # target segment as the CRM shows it at the time of the call
        since_order = day - self.last_order[idx]
        target = np.select(
            [self.order_count[idx] == 0, self.order_count[idx] == 1, since_order > 90],
            ["new_customer", "first_order", "no_order_3m"],
            "active",
        )
        recent_order = since_order <= 14
        purpose = np.where(
            recent_order & (rng.random(m) < 0.5),
            "delivery_follow_up",
            np.array(PURPOSES[:3])[rng.choice(3, size=m, p=[0.6, 0.2, 0.2])],
        )
        notes = np.where(
            success,
            rng.choice(_NOTES_ORDER, size=m),
            rng.choice(_NOTES_NO_ORDER, size=m),
        )
        minute = rng.integers(9 * 60, 18 * 60, m)
        self.visit_rows.append(
            {
                "cust": idx,
                "rep": reps,
                "day": np.full(m, day),
                "minute": minute,
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
            self.schedule_next(met, np.full(len(met), float(day)), day)

    # -- output -------------------------------------------------------------------------------

    def visits_frame(self, *, ordered: bool = True) -> pd.DataFrame:
        """Visits so far in the contract's shape (plus the hidden `_in_window`). Rows are
        converted once and cached, so the adoption simulation can ask for the history every
        week without paying for all of it again; `ordered=False` skips the final sort."""
        columns = [
            "rep_id",
            "customer_id",
            "visit_date",
            "method",
            "target",
            "purpose",
            "result",
            "note",
            "order_amount",
            "_in_window",
        ]
        if self._converted < len(self.visit_rows):
            self._visit_chunks.append(self._visit_chunk(self.visit_rows[self._converted :]))
            self._converted = len(self.visit_rows)
        if not self._visit_chunks:
            return pd.DataFrame(columns=columns)
        frame = pd.concat(self._visit_chunks, ignore_index=True)
        if not ordered:
            return frame
        return frame.sort_values(
            ["visit_date", "rep_id", "customer_id"], kind="stable"
        ).reset_index(drop=True)

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
    sim = _Simulation(cfg)
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
    sim = _Simulation(cfg)
    customers = sim.customers.copy()
    customers["created_date"] = pd.to_datetime(customers.created_date).dt.date
    return sim.reps.drop(columns="book"), _with_contacts(cfg, customers)


# ----------------------------------------------------------------------------- worklist details
# Contacts, calls nobody answered and follow-up dates (issue 11) are drawn after the
# simulation from a random stream of their own: every simulated value (visits, orders, amounts,
# the truth) is exactly what it was before they existed, so the model's inputs (a not-reached
# call is a call without an order) and its quality figures on the demo do not move.
_DETAILS_STREAM = 11
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
    rng = np.random.default_rng([cfg.seed, _DETAILS_STREAM, 0])
    n = len(customers)
    named = rng.random(n) < _CONTACT_SHARE
    with_phone = named & (rng.random(n) < _PHONE_SHARE)
    # drawn for all customers at once (13k one by one took a second of the demo's build)
    given = np.array(_GIVEN)[rng.integers(0, len(_GIVEN), (n, 2))]
    names = pd.Series(np.array(_SURNAMES)[rng.integers(0, len(_SURNAMES), n)]) + given[:, 0]
    names = names.where(rng.random(n) < 0.5, names + given[:, 1])  # one or two given characters
    return customers.assign(
        contact_name=names.where(named, None).to_numpy(),
        contact_phone=_phones(rng, n).where(with_phone, None).to_numpy(),
    )


def _with_outcomes(cfg: DemoConfig, visits: pd.DataFrame) -> pd.DataFrame:
    """Visits with `not_reached` results and a `follow_up_date` (None for most), from a
    stream of their own."""
    rng = np.random.default_rng([cfg.seed, _DETAILS_STREAM, 1])
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


def _package(cfg: DemoConfig, sim: _Simulation) -> DemoData:
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
