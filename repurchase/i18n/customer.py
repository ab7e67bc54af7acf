"""A customer's page: the owner, the visits and the scores over time."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "customer.pick": {"en": "Customer", "zh": "客户"},
    "customer.owner": {"en": "Owner rep", "zh": "负责销售"},
    "customer.visits": {"en": "Visits", "zh": "回访次数"},
    "customer.successful": {"en": "Visits with an order", "zh": "成功拿到订单"},
    "customer.orders": {"en": "Orders", "zh": "订单数"},
    "customer.orders_help": {
        "en": "Days with an order: an order record or a visit that ended in an order, counted "
        "once per day, as on the call list. Several visits with an order on one day are one "
        "order.",
        "zh": "有订单的天数:订单记录或成功拿到订单的回访,每天计一次,与回访名单一致。"
        "同一天多次成功回访计为一个订单。",
    },
    "customer.order": {"en": "Order", "zh": "订单"},
    "customer.score": {"en": "Chance of an order", "zh": "下单概率"},
    "customer.visits_named": {"en": "Visits: {result}", "zh": "回访:{result}"},
    "customer.timeline_title": {
        "en": "Visits, orders and score over time",
        "zh": "回访、订单与评分时间线",
    },
    "customer.latest_score": {
        "en": "Latest score: {p} chance of an order (scored {day})",
        "zh": "最新评分:下单概率 {p}(评分日 {day})",
    },
    "customer.visit_table": {"en": "All visits", "zh": "全部回访记录"},
    "customer.entered_by": {"en": "Entered by", "zh": "录入人"},
}
