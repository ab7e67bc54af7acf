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

from repurchase.demo.synthetic import ContractData

# Stored codes: the demo's vocabulary (i18n translates these), but drawn with this story's mix.
TYPE_MIX = {"trader": 0.40, "manufacturer": 0.35, "design_house": 0.25}
INDUSTRY_MIX = {
    "consumer": 0.30,
    "industrial": 0.25,
    "communications": 0.15,
    "automotive": 0.15,
    "medical": 0.15,
}
SEGMENTS = ("project", "steady", "occasional")
# Which kind of buyer a customer type tends to be (rows follow SEGMENTS).
SEGMENT_BY_TYPE = {
    "design_house": (0.70, 0.10, 0.20),
    "manufacturer": (0.25, 0.55, 0.20),
    "trader": (0.15, 0.35, 0.50),
}
# Industries set the tempo (a factor on every gap) and the size of orders.
TEMPO_BY_INDUSTRY = {
    "consumer": 0.85,
    "communications": 0.95,
    "industrial": 1.0,
    "automotive": 1.2,
    "medical": 1.3,
}
SIZE_BY_INDUSTRY = {
    "consumer": 0.8,
    "communications": 1.0,
    "industrial": 1.1,
    "automotive": 1.6,
    "medical": 1.4,
}
SIZE_BY_TYPE = {"trader": 1.5, "manufacturer": 1.3, "design_house": 0.7}
# Chance that a need is met by an online order without any call.
SELF_ORDER = {"project": 0.72, "steady": 0.82, "occasional": 0.55}
# Chance that a customer stops buying for good at some point (not always inside the history).
CHURN = {"project": 0.30, "steady": 0.22, "occasional": 0.50}
# Days a rep lets pass before a relationship call, by tag.
ROTATION_DAYS = {"key": 21.0, "high_potential": 45.0, "small_medium": 100.0}
METHOD_EFFECT = {"onsite": 1.3, "phone": 1.0, "im": 0.9, "email": 0.55}
PLANNING_DAYS = 10  # a need this close is already being planned; a call can bring it forward
EARLY_EFFECT = 0.5  # ... with this share of the chance a call inside the window has

# First day of the Chinese New Year; the lull and the reps' holiday are set around it.
CHINESE_NEW_YEAR = {
    2015: date(2015, 2, 19),
    2016: date(2016, 2, 8),
    2017: date(2017, 1, 28),
    2018: date(2018, 2, 16),
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
    2033: date(2033, 1, 31),
    2034: date(2034, 2, 19),
    2035: date(2035, 2, 8),
}
LULL = (-10, 14)  # days around New Year's day when no new need opens (factories close)
HOLIDAY = (-2, 6)  # days around New Year's day when reps do not work and nobody orders

_CITIES = list("深广佛珠厦福沪昆常杭温合长郑渝蓉西京津济")
_CITY_NAMES = dict(
    zip(
        _CITIES,
        "深圳 广州 佛山 珠海 厦门 福州 上海 昆山 常州 杭州 温州 合肥 长沙 郑州 重庆 成都 "
        "西安 北京 天津 济南".split(),
        strict=True,
    )
)
_BRAND = list("启航瀚锐晟泓睿铭骏灏旭峰凌越澜卓擎麒锦朗昊奕翔彤岚琪祺")
_SUFFIX = {
    "trader": ["电子商贸有限公司", "元件贸易有限公司", "芯片供应链有限公司"],
    "manufacturer": ["电子制造有限公司", "自动化设备有限公司", "电源科技有限公司"],
    "design_house": ["嵌入式技术有限公司", "物联网科技有限公司", "电子设计服务有限公司"],
}
_FAMILY = list("黎龚范邱骆严夏钟熊金陆贺毛廖邹傅覃侯姜易")
_GIVEN = (
    "子涵 嘉怡 浩然 思远 雨桐 俊杰 一鸣 晓雯 宇航 梓萱 文博 欣然 志强 佳琪 明轩 诗琪 天佑 若曦 "
    "振宇 婉婷"
).split()
_NOTE_ORDER = ["样品确认,下试产单", "项目进入小批量,已下单", "电话确认,客户补货下单", "", ""]
_NOTE_INTEREST = ["客户在评估方案,等报价", "需求确认中,约下周回复", "已发报价单", ""]
_NOTE_NONE = ["近期无采购计划", "项目暂停", "库存还够", "春节后再联系", "", "", ""]

PURPOSE_OF_REASON = ("quote_follow_up", "delivery_follow_up", "relationship", "needs_discovery")
_FOLLOW_UP, _DELIVERY, _ROTATION, _DISCOVERY = range(4)


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
    if reps < 1 or customers < 1 or days < 30:
        raise ValueError("the story needs at least one rep, one customer and 30 days")
    end = end or date.today() - timedelta(days=1)
    start = end - timedelta(days=days - 1)
    # One stream per part of the story, so a change in one part leaves the others' draws alone.
    rng_people, rng_needs, rng_calls, rng_text = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)
    )
    cal = _Calendar(start, days)
    team = _make_team(rng_people, reps, start, days)
    book = _make_customers(rng_people, customers, team, days)
    needs = _make_needs(rng_needs, book, cal, days)
    sim = _Simulation(rng_calls, team, book, needs, cal, days)
    sim.run()
    story = _package(rng_text, team, book, needs, sim, start, days)
    # contacts and unanswered calls come from a stream of their own, drawn after everything
    # else, so that every other value is what it was before they existed (issue 11)
    return _worklist_details(np.random.default_rng([seed, _DETAILS_STREAM]), story)


# ----------------------------------------------------------------------------- calendar


class _Calendar:
    """Working days, holidays and the New Year lull over the history (and a year beyond, where
    needs generated near the end may fall)."""

    def __init__(self, start: date, days: int) -> None:
        self.start = start
        span = days + 400
        dates = pd.date_range(start, periods=span, freq="D")
        self.weekday = dates.day_of_week.to_numpy()
        self.holiday = np.zeros(span, dtype=bool)
        lull = np.zeros(span, dtype=bool)
        for year in range(start.year - 1, dates[-1].year + 1):
            new_year = CHINESE_NEW_YEAR.get(year, date(year, 2, 5))  # outside the table: near
            offset = (new_year - start).days
            lull[max(0, offset + LULL[0]) : max(0, offset + LULL[1] + 1)] = True
            self.holiday[max(0, offset + HOLIDAY[0]) : max(0, offset + HOLIDAY[1] + 1)] = True
            golden = (date(year, 10, 1) - start).days
            self.holiday[max(0, golden) : max(0, golden + 7)] = True
        self.working = (self.weekday < 5) & ~self.holiday
        # first day at or after d that is outside the lull
        self.after_lull = np.arange(span)
        for d in range(span - 2, -1, -1):
            if lull[d]:
                self.after_lull[d] = self.after_lull[d + 1]
        self.lull = lull
        # first day at or after d on which a business orders (no holiday)
        self.open_for_orders = np.arange(span)
        for d in range(span - 2, -1, -1):
            if self.holiday[d]:
                self.open_for_orders[d] = self.open_for_orders[d + 1]

    def reopen(self, day: int, rng: np.random.Generator) -> int:
        """A need that would open in the lull opens some days after it, in the restart wave."""
        if day < 0 or day >= len(self.lull) or not self.lull[day]:
            return day
        return int(self.after_lull[day] + rng.exponential(6.0))

    def order_day(self, day: int, rng: np.random.Generator) -> int:
        """The day an online order is placed: not on a holiday, rarely at a weekend."""
        if day < 0 or day >= len(self.weekday):
            return day
        day = int(self.open_for_orders[day])
        if day < len(self.weekday) and self.weekday[day] >= 5 and rng.random() < 0.7:
            day += 7 - int(self.weekday[day])  # placed on Monday instead
        return day


# ----------------------------------------------------------------------------- people


@dataclass
class _Team:
    rep_id: list[str]
    seat: np.ndarray  # seat each rep sits in
    team: np.ndarray  # team of each seat
    hire_day: np.ndarray  # day index of hire (negative: before the history)
    left_day: np.ndarray  # day index of leaving; a large number while employed
    skill0: np.ndarray
    skill_gain: np.ndarray
    calls_per_day: np.ndarray
    seat_reps: list[list[int]]  # per seat, its occupants in order
    frame: pd.DataFrame

    def occupants(self, day: int) -> np.ndarray:
        """The rep in each seat on `day`, -1 while the seat is vacant."""
        out = np.full(len(self.seat_reps), -1)
        for s, occupants in enumerate(self.seat_reps):
            for r in occupants:
                if self.hire_day[r] <= day < self.left_day[r]:
                    out[s] = r
        return out


def _person(rng: np.random.Generator) -> str:
    return str(rng.choice(_FAMILY)) + str(rng.choice(_GIVEN))


def _make_team(rng: np.random.Generator, seats: int, start: date, days: int) -> _Team:
    """Reps: one per seat at the start; some seats turn over (leave, vacancy, junior hire)."""
    never = 10**6
    team_of_seat = np.arange(seats) % (2 if seats >= 6 else 1)
    rows: list[dict] = []
    seat_reps: list[list[int]] = [[] for _ in range(seats)]
    # tenure at the start of the history: many new, a long tail of veterans
    tenure0 = np.clip(rng.lognormal(np.log(1.0), 0.9, seats), 0.1, 9.0)
    for s in range(seats):
        rows.append({"seat": s, "hire_day": -int(tenure0[s] * 365.25), "left_day": never})
    turnover = rng.permutation(seats)[: round(0.3 * seats) if seats >= 3 else 0]
    for s in sorted(turnover):
        left = int(rng.integers(min(90, days // 4), max(days - 90, days // 4 + 1)))
        rows[s]["left_day"] = left
        hired = left + int(rng.integers(14, 46))
        if hired < days:
            rows.append({"seat": int(s), "hire_day": hired, "left_day": never})
    for r, row in enumerate(rows):
        seat_reps[row["seat"]].append(r)
    n = len(rows)
    hire_day = np.array([row["hire_day"] for row in rows])
    left_day = np.array([row["left_day"] for row in rows])
    age_at_hire = rng.uniform(22.0, 31.0, n)
    # level is the one in the ERP now (or when the rep left): set by tenure, with exceptions
    last_day = np.minimum(left_day, days - 1)
    tenure_then = (last_day - hire_day) / 365.25 + rng.normal(0, 0.4, n)
    level = np.where(tenure_then < 2.0, "junior", np.where(tenure_then < 4.5, "mid", "senior"))
    frame = pd.DataFrame(
        {
            "rep_id": [f"P-R{r + 1:02d}" for r in range(n)],
            "name": [_person(rng) for _ in range(n)],
            "gender": np.where(rng.random(n) < 0.5, "M", "F"),
            "birth_date": [
                start + timedelta(days=int(h - a * 365.25))
                for h, a in zip(hire_day, age_at_hire, strict=True)
            ],
            "hire_date": [start + timedelta(days=int(h)) for h in hire_day],
            "level": level,
            "team": [("east", "south")[team_of_seat[row["seat"]]] for row in rows],
            "left_date": [start + timedelta(days=int(d)) if d < never else None for d in left_day],
        }
    )
    return _Team(
        rep_id=list(frame.rep_id),
        seat=np.array([row["seat"] for row in rows]),
        team=team_of_seat,
        hire_day=hire_day,
        left_day=left_day,
        skill0=np.clip(rng.normal(0.26, 0.05, n), 0.10, 0.40),
        skill_gain=np.clip(rng.normal(0.05, 0.015, n), 0.01, 0.09),
        calls_per_day=rng.uniform(3.1, 5.1, n),
        seat_reps=seat_reps,
        frame=frame,
    )


@dataclass
class _Book:
    frame: pd.DataFrame  # contract columns except owner_rep_id
    segment: np.ndarray
    created_day: np.ndarray  # negative for customers older than the history
    churn_day: np.ndarray  # a large number for customers who never churn
    median_amount: np.ndarray
    tempo: np.ndarray  # customer's own gap scale (cycle or project gap), days
    seat_before: np.ndarray
    seat_after: np.ndarray  # after the re-organisation
    reorg_day: int
    cover_rank: np.ndarray  # which teammate covers a vacant seat's customer


def _pick(rng: np.random.Generator, mix: dict[str, float], n: int) -> np.ndarray:
    keys = np.array(list(mix))
    p = np.array(list(mix.values()))
    return keys[rng.choice(len(keys), size=n, p=p / p.sum())]


def _make_customers(rng: np.random.Generator, n: int, team: _Team, days: int) -> _Book:
    kinds = _pick(rng, TYPE_MIX, n)
    industry = _pick(rng, INDUSTRY_MIX, n)
    segment = np.array([SEGMENTS[rng.choice(3, p=SEGMENT_BY_TYPE[k])] for k in kinds], dtype=object)
    # most customers predate the history; some sign up during it
    newcomer = rng.random(n) < 0.15
    created_day = np.where(newcomer, rng.integers(0, days, n), -rng.integers(30, 2500, n)).astype(
        int
    )
    tempo_factor = np.array([TEMPO_BY_INDUSTRY[i] for i in industry])
    tempo = (
        np.where(
            segment == "steady",
            rng.lognormal(np.log(66), 0.35, n),  # days between replenishments
            np.where(
                segment == "project",
                rng.lognormal(np.log(220), 0.40, n),  # days between project starts
                rng.lognormal(np.log(190), 0.45, n),  # days between occasional needs
            ),
        )
        * tempo_factor
    )
    size = np.array(
        [SIZE_BY_TYPE[k] * SIZE_BY_INDUSTRY[i] for k, i in zip(kinds, industry, strict=True)]
    )
    median_amount = rng.lognormal(np.log(1800), 0.8, n) * size
    churns = rng.random(n) < np.array([CHURN[s] for s in segment])
    # a churner stops at a uniform moment of their life, some after the history ends
    life_start = np.maximum(created_day, 0)
    churn_day = np.where(
        churns, life_start + (rng.random(n) * (days + 240 - life_start)).astype(int), 10**6
    )
    # tag: the team's judgement of yearly spend, noisy
    orders_per_year = np.where(
        segment == "steady",
        365 / tempo,
        np.where(segment == "project", 3.8 * 365 / tempo, 365 / tempo),
    )
    judged = median_amount * orders_per_year * rng.lognormal(0, 0.6, n)
    rank = judged.argsort()[::-1].argsort() / n
    tag = np.where(rank < 0.12, "key", np.where(rank < 0.37, "high_potential", "small_medium"))
    seats = len(team.seat_reps)
    seat_before = rng.permutation(np.arange(n) % seats)
    moved = rng.random(n) < 0.08
    seat_after = np.where(
        moved, (seat_before + rng.integers(1, max(seats, 2), n)) % seats, seat_before
    )
    city = rng.choice(_CITIES, n)
    names = [
        _CITY_NAMES[c] + "".join(rng.choice(_BRAND, 2)) + str(rng.choice(_SUFFIX[k]))
        for c, k in zip(city, kinds, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "customer_id": [f"P-C{i + 1:05d}" for i in range(n)],
            "name": names,
            "customer_type": kinds,
            "industry": industry,
            "tag": tag,
        }
    )
    return _Book(
        frame=frame,
        segment=segment,
        created_day=created_day,
        churn_day=churn_day,
        median_amount=median_amount,
        tempo=tempo,
        seat_before=seat_before,
        seat_after=seat_after,
        reorg_day=int(days * 0.55),
        cover_rank=rng.integers(0, 1000, n),
    )


# ----------------------------------------------------------------------------- needs


@dataclass
class _Needs:
    """Every buying window, sorted by customer then opening day. `status`: 0 pending,
    1 self_order, 2 visit_order, 3 lost."""

    cust: np.ndarray
    open: np.ndarray
    close: np.ndarray
    self_day: np.ndarray  # -1: the customer will not order online by itself
    amount: np.ndarray
    project: np.ndarray
    first: np.ndarray  # per customer, index of its first need (len(cust) + 1 entries)
    # what the company knew of each customer when the history starts (orders before day 0)
    orders_before: np.ndarray
    last_order_before: np.ndarray  # day index (negative); -10**6 if none
    status: np.ndarray = field(init=False)
    done_day: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.status = np.zeros(len(self.cust), dtype=np.int8)
        self.done_day = np.full(len(self.cust), -1)


def _make_needs(rng: np.random.Generator, book: _Book, cal: _Calendar, days: int) -> _Needs:
    """Needs arise whatever the reps do: their timing is the customers' own business."""
    rows: list[tuple[int, int, int, int, float, int]] = []
    n = len(book.segment)
    orders_before = np.zeros(n, dtype=int)
    last_order_before = np.full(n, -(10**6))
    for c in range(n):
        own, before = _customer_needs(
            rng,
            cal,
            str(book.segment[c]),
            born=int(book.created_day[c]),
            stop=min(days, int(book.churn_day[c])),
            churn=int(book.churn_day[c]),
            tempo=float(book.tempo[c]),
            median=float(book.median_amount[c]),
        )
        rows.extend((c, *need) for need in sorted(own))
        orders_before[c] = len(before)
        last_order_before[c] = max(before, default=-(10**6))
    arr = np.array(rows, dtype=object) if rows else np.empty((0, 6), dtype=object)
    cust = arr[:, 0].astype(int)
    return _Needs(
        cust=cust,
        open=arr[:, 1].astype(int),
        close=arr[:, 2].astype(int),
        self_day=arr[:, 3].astype(int),
        amount=arr[:, 4].astype(float),
        project=arr[:, 5].astype(int),
        first=np.searchsorted(cust, np.arange(n + 1)),
        orders_before=orders_before,
        last_order_before=last_order_before,
    )


def _customer_needs(
    rng: np.random.Generator,
    cal: _Calendar,
    segment: str,
    *,
    born: int,
    stop: int,
    churn: int,
    tempo: float,
    median: float,
) -> tuple[list[tuple[int, int, int, float, int]], list[int]]:
    """One customer's needs opening in [0, stop) as (open, close, self_day, amount, project),
    and the days of the online orders they placed before the history (negative). Nothing is
    bought from the `churn` day on: windows end before it."""
    own: list[tuple[int, int, int, float, int]] = []
    before: list[int] = []
    p_self = SELF_ORDER[segment]

    def amount(scale: float = 1.0) -> float:
        return round(max(20.0, median * scale * rng.lognormal(0, 0.45)), 2)

    def add(opens: int, length: int, value: float, project: int = -1) -> None:
        if opens >= stop:
            return
        when = None
        if rng.random() < p_self:
            # when in the window the customer gets round to ordering online
            when = cal.order_day(opens + int(rng.uniform(0, length)), rng)
            if when >= churn:
                when = None  # gone before getting round to it
        if opens < 0:  # before the history: only that they ordered is remembered
            if when is not None and when < 0:
                before.append(when)
            return
        close = min(opens + length, churn - 1)
        if when is None:
            own.append((opens, close, -1, value, project))
        else:
            own.append((opens, max(close, when), when, value, project))

    # start the processes before the history, so that day 0 finds customers mid-rhythm
    warm_up = -400
    if born > warm_up:  # a customer signs up with a first online order
        first_day = cal.order_day(born, rng)
        if born < 0:
            before.append(born)
        elif first_day < stop:
            own.append((first_day, first_day, first_day, amount(0.5), -1))
        t = float(born)
    else:
        t = float(warm_up)
    if segment == "steady":
        t += rng.uniform(0, tempo)
        while t < stop:
            opens = cal.reopen(int(t), rng)
            add(opens, int(rng.integers(5, 15)), amount())
            t = opens + tempo * rng.gamma(1 / 0.18**2, 0.18**2)  # CV 0.18
    elif segment == "project":
        t += rng.exponential(tempo if born < 0 else tempo / 2)
        project = 0
        while t < stop:
            begins = cal.reopen(int(t), rng)
            length = int(rng.integers(14, 76))
            offsets = np.sort(rng.uniform(0, length, rng.poisson(2.8)))
            # a sample order, then pilot and production orders that are larger
            scales = [0.35] + [float(rng.uniform(0.9, 1.8)) for _ in offsets]
            for offset, scale in zip([0.0, *offsets], scales, strict=True):
                opens = cal.reopen(begins + int(offset), rng)
                add(opens, int(rng.integers(3, 11)), amount(scale), project)
            project += 1
            t = begins + length + rng.exponential(tempo)
    else:
        t += rng.exponential(tempo)
        while t < stop:
            opens = cal.reopen(int(t), rng)
            add(opens, int(rng.integers(7, 22)), amount(0.8))
            t = opens + rng.exponential(tempo)
    return own, before


# ----------------------------------------------------------------------------- simulation


class _Simulation:
    """Day by day: reps call (not knowing the windows), then customers order online."""

    def __init__(
        self,
        rng: np.random.Generator,
        team: _Team,
        book: _Book,
        needs: _Needs,
        cal: _Calendar,
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
        weights[_FOLLOW_UP] = 40.0 * ((due >= 0) & (due <= day))
        just_bought = (day - self.last_online[alive]).clip(0) <= 4
        weights[_DELIVERY] = 5.0 * (
            just_bought & (self.last_visit[alive] < self.last_online[alive])
        )
        weights[_ROTATION] = 2.0 * np.clip(since_visit / self.rotation[alive] - 1, 0, 3)
        dormant = (since_order > 90) & (since_visit > 30)
        weights[_DISCOVERY] = 0.25 + 1.2 * dormant
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
        if reason == _ROTATION and key:
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

_DETAILS_STREAM = 11
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
    team: _Team,
    book: _Book,
    needs: _Needs,
    sim: _Simulation,
    start: date,
    days: int,
) -> StoryData:
    base = pd.Timestamp(start)
    ids = book.frame.customer_id.to_numpy()
    rep_ids = np.array(team.rep_id)
    final_owner = sim.owners(days - 1)
    customers = book.frame.assign(
        owner_rep_id=rep_ids[final_owner],
        created_date=[start + timedelta(days=int(d)) for d in book.created_day],
    )
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
        rng.choice(_NOTE_ORDER, len(v)),
        np.where(v.in_window, rng.choice(_NOTE_INTEREST, len(v)), rng.choice(_NOTE_NONE, len(v))),
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
    visits = visits.sort_values(["visit_date", "customer_id"], kind="stable", ignore_index=True)
    truth_visits = visits[["rep_id", "customer_id", "visit_date", "in_window"]].copy()
    visits = visits.drop(columns="in_window")
    o = pd.DataFrame(sim.order_rows, columns=["cust", "day", "amount"])
    orders = pd.DataFrame(
        {
            "customer_id": ids[o.cust.to_numpy(dtype=int)],
            "order_date": (base + pd.to_timedelta(o.day.to_numpy(dtype=int), unit="D")).date,
            "amount": o.amount.astype(float).round(2),
        }
    ).sort_values(["order_date", "customer_id"], kind="stable", ignore_index=True)
    in_history = (needs.open >= 0) & (needs.open < days)
    outcome = np.array(["open", "self_order", "visit_order", "lost"])[needs.status]
    done = pd.Series(needs.done_day)
    windows = pd.DataFrame(
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
    churned = book.churn_day < days
    truth_customers = pd.DataFrame(
        {
            "customer_id": ids,
            "segment": book.segment.astype(str),
            "churn_date": pd.Series(
                base + pd.to_timedelta(np.where(churned, book.churn_day, 0), unit="D")
            ).where(churned),
            "median_amount": book.median_amount.round(2),
            "created_day_in_history": book.created_day >= 0,
        }
    )
    truth_reps = pd.DataFrame(
        {
            "rep_id": rep_ids,
            "seat": team.seat,
            "skill_at_hire": team.skill0,
            "skill_per_year": team.skill_gain,
            "calls_per_day": team.calls_per_day,
        }
    )
    return StoryData(
        reps=team.frame,
        customers=customers,
        visits=visits,
        orders=orders,
        truth_windows=windows,
        truth_customers=truth_customers,
        truth_reps=truth_reps,
        truth_visits=truth_visits,
    )
