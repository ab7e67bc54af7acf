"""The few values the product reasons about, in one place: visit results, roles, the list's
size and the prediction horizon. Modules and UI texts follow these; nothing restates them."""

from __future__ import annotations

# A visit ends in an order, in no demand now, or nobody was reached (the ERP's 成功拿到订单 /
# 暂无采购需求 / 未联系上). Only `order` is a success: a not-reached call is a call attempt
# without an order everywhere it is counted (features, success rates, the on-list evaluation).
RESULTS = ("order", "no_order", "not_reached")

# The import contract's columns of a visit, in the contract's order (spec section 2): what the
# importer reads and what the demo's simulated calls fill.
VISIT_COLUMNS = (
    "rep_id",
    "customer_id",
    "visit_date",
    "method",
    "target",
    "purpose",
    "result",
    "note",
    "order_amount",
)

# Who may sign in: a rep sees their own customers, a manager their team, an admin everyone.
ROLES = ("rep", "manager", "admin")

# A junior rep makes a dozen or so calls a day; a list of 15 leaves room to skip.
TOP_N = 15

# The label: any order within four weeks of the prediction time (the paper's window).
HORIZON_DAYS = 28

# What a list can be ranked by: the chance of an order in the horizon, the expected order
# value, the call effect (how much a call this week raises the chance: the orders a call wins
# that would not have come anyway) and the call effect times the typical order.
RANKINGS = ("probability", "value", "effect", "effect_value")
# A team's setting (team_settings.rank_by) is one of them or "auto": what the serving model's
# gate chose from what each ranking wins (model metrics `ranking_choice`), the default.
RANK_AUTO = "auto"
RANK_BY = (RANK_AUTO, *RANKINGS)
DEFAULT_RANK_BY = RANK_AUTO
# What "auto" serves when the model measured nothing (an older model): the chance of an order.
FALLBACK_RANKING = "probability"


# A visit may ask to call back on a later day, at most this far ahead (a year: further than
# that is a typo, or a plan no list should carry).
FOLLOW_UP_MAX_DAYS = 365
# A follow-up nobody made stays on the list, marked overdue, this many days after its date;
# then it leaves (the customer's history still shows it). Without a limit a rep who missed a
# few weeks of call-backs finds dozens of stale ones above every customer the model picked.
FOLLOW_UP_OVERDUE_DAYS = 14

# Setting a listed customer aside: snooze and skip.
# Why a rep skips a listed customer today (each translated in i18n as
# `worklist.skip_reason.<code>`): the few answers that tell the evaluation and the manager
# something; the note carries the rest.
SKIP_REASONS = ("in_touch_otherwise", "customer_away", "not_my_customer", "other")

# A snooze keeps a customer off the rep's lists for 1-30 days: long enough for a holiday or a
# project pause, short enough that nobody is forgotten.
SNOOZE_DAYS = (1, 30)

# A skip's note is a reminder, not a report.
SKIP_NOTE_MAX = 200
