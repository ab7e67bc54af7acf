"""The demo's sizes and the rates of its generative story (the story: synthetic.py).

Codes are the stored values; the UI translates them (i18n).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

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
CYCLE_BY_TYPE = {"trader": 45.0, "manufacturer": 60.0, "design_house": 110.0}
CYCLE_BY_INDUSTRY = {
    "consumer": 0.85,
    "industrial": 1.10,
    "communications": 1.0,
    "automotive": 1.30,
    "medical": 1.50,
}
CYCLE_BY_TAG = {"key": 0.70, "high_potential": 0.90, "small_medium": 1.25}
# Coefficient of variation of the interval between needs: how regular the rhythm is.
CV_BY_TYPE = {"trader": 0.30, "manufacturer": 0.10, "design_house": 0.20}
# Chance per cycle that the customer stops buying.
LAPSE_BY_TAG = {"key": 0.02, "high_potential": 0.04, "small_medium": 0.06}
# Chance that a window ends in an online order without any call (traders buy online most).
SELF_ORDER_BY_TYPE = {"trader": 0.45, "manufacturer": 0.30, "design_house": 0.20}
CONVERT_BY_METHOD = {"phone": 1.0, "im": 0.85, "onsite": 1.25, "email": 0.7}
KEY_ONSITE = 0.25  # share of the calls to key accounts made on site, whatever the method drawn
# A call outside a window ends in an order this often, of this share of the usual amount.
OUT_OF_WINDOW = 0.012
OUT_OF_WINDOW_AMOUNT = 0.3
# What a call is for when it is not a delivery follow-up (half the calls within two weeks of
# an order are).
USUAL_PURPOSES = dict(zip(PURPOSES[:3], (0.6, 0.2, 0.2), strict=True))
AMOUNT_BY_TAG = {"key": 60_000.0, "high_potential": 20_000.0, "small_medium": 6_000.0}
# Days between rotation calls a rep aims for, by tag.
ROTATION_DAYS = {"key": 9.0, "high_potential": 16.0, "small_medium": 26.0}

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕鹏辉宇浩凯健俊帆亮晨婷雪琳晶欣"
)
CITY_NAMES = [
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
BRANDS = list("华科创芯达联微电讯智恒信鑫源泰安博瑞新宏通明诚远拓")
KIND_WORDS = {
    "trader": ["电子贸易", "元器件商行", "供应链"],
    "manufacturer": ["电子科技", "精密制造", "电器"],
    "design_house": ["方案设计", "微电子研究所", "智能技术"],
}
NOTES_ORDER = ["客户确认下单", "已报价,客户当场下单", "补货需求,已下单", "项目量产,下单备货", ""]
NOTES_NO_ORDER = [
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
    """Sizes of the demo. Defaults: 60 reps, 150-300 customers each, two years."""

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
