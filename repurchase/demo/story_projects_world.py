"""The world of the projects story (story_projects.py): its calendar, its team and their
seats, its customers and every buying need each of them will have.

The needs are drawn before any call is simulated; the simulation then decides which of them a
call or the customer's own online order meets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from repurchase.demo.common import pick

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
NOTE_ORDER = ["样品确认,下试产单", "项目进入小批量,已下单", "电话确认,客户补货下单", "", ""]
NOTE_INTEREST = ["客户在评估方案,等报价", "需求确认中,约下周回复", "已发报价单", ""]
NOTE_NONE = ["近期无采购计划", "项目暂停", "库存还够", "春节后再联系", "", "", ""]

PURPOSE_OF_REASON = ("quote_follow_up", "delivery_follow_up", "relationship", "needs_discovery")
FOLLOW_UP, DELIVERY, ROTATION, DISCOVERY = range(4)


# ----------------------------------------------------------------------------- calendar


class Calendar:
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
class Team:
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


def make_team(rng: np.random.Generator, seats: int, start: date, days: int) -> Team:
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
    return Team(
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
class Book:
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


def make_customers(rng: np.random.Generator, n: int, team: Team, days: int) -> Book:
    kinds = pick(rng, TYPE_MIX, n)
    industry = pick(rng, INDUSTRY_MIX, n)
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
    return Book(
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
class Needs:
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


def make_needs(rng: np.random.Generator, book: Book, cal: Calendar, days: int) -> Needs:
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
    return Needs(
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
    cal: Calendar,
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
