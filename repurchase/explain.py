"""Why a customer is on the list, in words a junior rep understands.

The reasons are facts about the customer as of the list's day (features.anchor_facts), chosen
to mirror what drives the model: the customer's own rhythm, how long since anyone called, the
last call's outcome. They are stored as codes with numbers (`{"code": "due", "every": 34,
"since": 37}`) so the app can say them in either language (i18n.py).
"""

from __future__ import annotations

import math

import pandas as pd

from repurchase import i18n

MAX_REASONS = 3


def _days(value: float) -> int:
    return int(round(value))


RECENT_NO_DEMAND_DAYS = 7


def reasons_for(
    facts: pd.Series, tag: str, no_demand_rate: float | None = None
) -> list[dict[str, object]]:
    """Up to three reasons, most telling first, for one row of `features.anchor_facts`.

    `no_demand_rate`: the share of customers who said "no demand" in the last week yet ordered
    within the horizon, measured on the model's training data. A listed customer who just
    said no gets that figure first: it is the objection a rep raises, and the data's answer."""
    found: list[dict[str, object]] = []
    recent_no = (
        no_demand_rate is not None
        and not math.isnan(facts.days_since_visit)
        and facts.days_since_visit <= RECENT_NO_DEMAND_DAYS
        and facts.last_visit_result == 0
    )
    if recent_no:
        found.append(
            {
                "code": "no_demand_recent",
                "days": _days(facts.days_since_visit),
                "rate": int(round(100 * no_demand_rate)),
            }
        )
    gap, since = facts.mean_order_gap, facts.days_since_order
    if not math.isnan(gap) and not math.isnan(since):
        ratio = since / max(gap, 1.0)
        if 0.75 <= ratio <= 1.6:
            found.append({"code": "due", "every": _days(gap), "since": _days(since)})
        elif ratio > 1.6:
            found.append({"code": "overdue", "every": _days(gap), "since": _days(since)})
    if facts.orders_365 >= 4:
        found.append({"code": "frequent", "orders": int(facts.orders_365)})
    elif not math.isnan(since) and since <= 14:
        found.append({"code": "recent_order", "since": _days(since)})
    if math.isnan(facts.days_since_visit):
        found.append({"code": "never_contacted"})
    elif facts.days_since_visit >= 30:
        found.append({"code": "not_contacted", "days": _days(facts.days_since_visit)})
    elif facts.last_visit_result == 1:
        found.append({"code": "last_visit_order", "days": _days(facts.days_since_visit)})
    elif not recent_no:
        found.append({"code": "last_visit_no_order", "days": _days(facts.days_since_visit)})
    if tag == "key":
        found.append({"code": "key_account"})
    if facts.n_orders == 0:
        found.append({"code": "never_ordered"})
    reasons = found[:MAX_REASONS]
    if facts.n_history < 9:  # always said: the rep must know the score is rough
        reasons = reasons[: MAX_REASONS - 1] + [
            {"code": "little_history", "events": int(facts.n_history)}
        ]
    return reasons


def split(
    reasons: list[dict[str, object]],
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The reasons for listing a customer and those against, each most telling first. A reason
    carries its side (`"side": "against"`); lists written before reasons had sides are all for."""
    against = [r for r in reasons if r.get("side") == "against"]
    return [r for r in reasons if r.get("side") != "against"], against


def say(reason: dict[str, object], language: str = "en") -> str:
    """One reason as a sentence."""
    params = {k: v for k, v in reason.items() if k not in ("code", "side")}
    return i18n.text(f"reason.{reason['code']}", language, **params)
