"""Display names of stored codes (customer type, method, result...) in both languages; codes a
company's ERP adds have none and show as they are."""

from __future__ import annotations

VALUES: dict[str, dict[str, dict[str, str]]] = {
    "customer_type": {
        "trader": {"en": "Trader", "zh": "贸易商"},
        "manufacturer": {"en": "Manufacturer", "zh": "生产厂家"},
        "design_house": {"en": "Design house", "zh": "研发方案商"},
    },
    "industry": {
        "consumer": {"en": "Consumer electronics", "zh": "消费电子"},
        "industrial": {"en": "Industrial", "zh": "工业控制"},
        "communications": {"en": "Communications", "zh": "通信"},
        "automotive": {"en": "Automotive", "zh": "汽车电子"},
        "medical": {"en": "Medical electronics", "zh": "医疗电子"},
    },
    "tag": {
        "key": {"en": "Key account", "zh": "重点客户"},
        "high_potential": {"en": "High potential", "zh": "高潜质客户"},
        "small_medium": {"en": "Small/medium", "zh": "中小型客户"},
    },
    "method": {
        "phone": {"en": "Phone", "zh": "电话"},
        "im": {"en": "IM (QQ/WeChat)", "zh": "即时通讯(QQ/微信)"},
        "onsite": {"en": "On-site", "zh": "上门拜访"},
        "email": {"en": "Email", "zh": "邮件"},
    },
    "target": {
        "new_customer": {"en": "Not yet ordered", "zh": "未下单客户"},
        "first_order": {"en": "First-order customer", "zh": "首单客户"},
        "no_order_3m": {"en": "No order in 3 months", "zh": "3个月内未下单"},
        "active": {"en": "Active customer", "zh": "活跃客户"},
    },
    "purpose": {
        "needs_discovery": {"en": "Needs discovery", "zh": "挖掘需求"},
        "quote_follow_up": {"en": "Quote follow-up", "zh": "报价跟进"},
        "relationship": {"en": "Relationship", "zh": "客户维护"},
        "delivery_follow_up": {"en": "Delivery follow-up", "zh": "交付跟进"},
    },
    "result": {
        "order": {"en": "Got an order", "zh": "成功拿到订单"},
        "no_order": {"en": "No demand", "zh": "暂无采购需求"},
        "not_reached": {"en": "Not reached", "zh": "未联系上"},
    },
    "level": {
        "junior": {"en": "Junior", "zh": "初级"},
        "mid": {"en": "Mid", "zh": "中级"},
        "senior": {"en": "Senior", "zh": "高级"},
    },
    "gender": {"M": {"en": "Male", "zh": "男"}, "F": {"en": "Female", "zh": "女"}},
    # the cohorts of evaluation/outcomes.on_off_table
    "tenure": {
        "< 1 y": {"en": "< 1 y", "zh": "不足 1 年"},
        "1-2 y": {"en": "1-2 y", "zh": "1-2 年"},
        "> 2 y": {"en": "> 2 y", "zh": "2 年以上"},
    },
    "age": {
        "21-25": {"en": "21-25", "zh": "21-25 岁"},
        "26-30": {"en": "26-30", "zh": "26-30 岁"},
        "> 30": {"en": "> 30", "zh": "30 岁以上"},
    },
}
