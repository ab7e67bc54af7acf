"""The few values the product reasons about, in one place: visit results, roles, the list's
size and the prediction horizon. Modules and UI texts follow these; nothing restates them."""

from __future__ import annotations

# A visit ends in an order or not (the ERP's 成功拿到订单 / 暂无采购需求).
RESULTS = ("order", "no_order")

# Who may sign in: a rep sees their own customers, a manager their team, an admin everyone.
ROLES = ("rep", "manager", "admin")

# A junior rep makes a dozen or so calls a day; a list of 15 leaves room to skip.
TOP_N = 15

# The label: any order within four weeks of the prediction time (the paper's window).
HORIZON_DAYS = 28
