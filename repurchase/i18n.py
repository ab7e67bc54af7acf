"""Labels and messages in 中文 and English. Every user-facing string has a key in both."""

from __future__ import annotations

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "zh"  # the users are Chinese sales teams (spec section 5)

CATALOGUE: dict[str, dict[str, str]] = {
    # why a customer is on today's list (explain.py)
    "reason.due": {
        "en": "Usually orders every {every} days; last order {since} days ago: due about now",
        "zh": "通常每 {every} 天下单一次,距上次下单已 {since} 天:差不多该再下单了",
    },
    "reason.overdue": {
        "en": "Usually orders every {every} days but has not for {since} days: overdue",
        "zh": "通常每 {every} 天下单一次,已 {since} 天未下单:已超期",
    },
    "reason.frequent": {
        "en": "{orders} orders in the last 12 months",
        "zh": "过去 12 个月下单 {orders} 次",
    },
    "reason.recent_order": {
        "en": "Ordered {since} days ago",
        "zh": "{since} 天前刚下过单",
    },
    "reason.not_contacted": {
        "en": "Nobody has called for {days} days",
        "zh": "已 {days} 天无人回访",
    },
    "reason.never_contacted": {
        "en": "Never called so far",
        "zh": "还从未回访过",
    },
    "reason.last_visit_order": {
        "en": "Last call {days} days ago ended in an order",
        "zh": "{days} 天前的回访成功拿到订单",
    },
    "reason.last_visit_no_order": {
        "en": "Last call {days} days ago: no demand then",
        "zh": "{days} 天前回访时暂无采购需求",
    },
    "reason.key_account": {"en": "Key account", "zh": "重点客户"},
    "reason.little_history": {
        "en": "Little history ({events} events): this score is rough",
        "zh": "历史记录较少({events} 条),评分仅供参考",
    },
    "reason.never_ordered": {"en": "Has not ordered yet", "zh": "尚未下过单"},
}


def text(key: str, language: str = "en", **params: object) -> str:
    """The message `key` in `language`, with `params` filled in."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    return CATALOGUE[key][language].format(**params)
