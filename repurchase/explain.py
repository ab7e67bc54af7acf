"""Why a customer is on the list, in words a junior rep understands.

The reasons are facts about the customer as of the list's day (features.anchor_facts), chosen
to mirror what drives the model: the customer's own rhythm, how long since anyone called, the
last call's outcome. They are stored as codes with numbers (`{"code": "due", "every": 34,
"since": 37}`) so the app can say them in either language (i18n.py).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from repurchase import i18n

MAX_REASONS = 3  # for the call
MAX_AGAINST = 2  # against it: a rep who sees only good news stops trusting the list

RECENT_NO_DEMAND_DAYS = 7  # "no demand" this recent is answered with the measured rate
RECENT_CALL_DAYS = 14  # a call this recent that got nothing speaks against calling again
NOT_DUE_RATIO = 0.5  # less than half the usual gap since the last order: not due yet
LAPSED_RATIO = 4.0  # four usual gaps without an order: the rhythm has broken


def _days(value: float) -> int:
    return int(round(value))


def _known(value: float) -> bool:
    return not math.isnan(value)


def reasons_for(
    facts: pd.Series, tag: str, no_demand_rate: float | None = None
) -> list[dict[str, object]]:
    """Up to three reasons for calling and up to two against, most telling first, for one row
    of `features.anchor_facts`; the ones against carry `"side": "against"` (see `split`).

    Each fact's side is the direction in which it moves the model's score, checked on
    out-of-time scores (`direction_table`, bench/reasons_direction.py). `no_demand_rate`: the
    share of customers who said "no demand" in the last week yet ordered within the horizon,
    measured on the model's training data; a recent "no demand" is said with that figure, the
    data's answer to the objection."""
    return _for(facts, tag)[:MAX_REASONS] + _against(facts, no_demand_rate)[:MAX_AGAINST]


def _rhythm(facts: pd.Series) -> float | None:
    """Days since the last order in units of the customer's usual gap; None without one."""
    gap, since = facts.mean_order_gap, facts.days_since_order
    if not (_known(gap) and _known(since)):
        return None
    return since / max(gap, 1.0)


def _for(facts: pd.Series, tag: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    ratio, since = _rhythm(facts), facts.days_since_order
    if ratio is not None and 0.75 <= ratio <= 1.6:
        found.append({"code": "due", "every": _days(facts.mean_order_gap), "since": _days(since)})
    elif ratio is not None and 1.6 < ratio <= LAPSED_RATIO:
        found.append(
            {"code": "overdue", "every": _days(facts.mean_order_gap), "since": _days(since)}
        )
    if facts.orders_365 >= 4:
        found.append({"code": "frequent", "orders": int(facts.orders_365)})
    elif _known(since) and since <= 14 and ratio is None:
        found.append({"code": "recent_order", "since": _days(since)})
    days_since_visit = facts.days_since_visit
    if not _known(days_since_visit):
        found.append({"code": "never_contacted"})
    elif days_since_visit >= 30:
        found.append({"code": "not_contacted", "days": _days(days_since_visit)})
    elif facts.last_visit_result == 1:
        found.append({"code": "last_visit_order", "days": _days(days_since_visit)})
    if tag == "key":
        found.append({"code": "key_account"})
    if facts.n_history < 9:  # always said: the rep must know the score is rough
        found = found[: MAX_REASONS - 1] + [
            {"code": "little_history", "events": int(facts.n_history)}
        ]
    return found


def _against(facts: pd.Series, no_demand_rate: float | None) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    days_since_visit = facts.days_since_visit
    if _known(days_since_visit) and facts.last_visit_result == 0:
        if no_demand_rate is not None and days_since_visit <= RECENT_NO_DEMAND_DAYS:
            found.append(
                {
                    "code": "no_demand_recent",
                    "days": _days(days_since_visit),
                    "rate": int(round(100 * no_demand_rate)),
                }
            )
        elif days_since_visit <= RECENT_CALL_DAYS:
            found.append({"code": "last_visit_no_order", "days": _days(days_since_visit)})
    ratio, since = _rhythm(facts), facts.days_since_order
    if ratio is not None and ratio < NOT_DUE_RATIO:
        found.append(
            {"code": "not_due", "every": _days(facts.mean_order_gap), "since": _days(since)}
        )
    elif ratio is not None and ratio > LAPSED_RATIO:
        found.append(
            {"code": "lapsed", "every": _days(facts.mean_order_gap), "since": _days(since)}
        )
    elif facts.n_orders > 0 and facts.orders_365 == 0:
        found.append({"code": "quiet_year"})
    if facts.n_orders == 0:
        found.append({"code": "never_ordered"})
    return [{**reason, "side": "against"} for reason in found]


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


# A caveat about the score, not a fact that moves it either way.
NEUTRAL = ("little_history",)


def direction_table(
    reasons: list[list[dict[str, object]]], p: np.ndarray, labels: np.ndarray | None = None
) -> pd.DataFrame:
    """Does each fact point the way the model does? One row per reason code seen: its side,
    how many customers it was said of, the model's mean score with and without it and, with
    `labels` (ordered within the horizon), the order rates. `agrees` is whether customers with
    a reason for (against) score higher (lower) than those without: `reasons` must be said of
    every customer scored, not only the listed ones, and `p` must be out-of-time scores."""
    p = np.asarray(p, dtype=float)
    rows = []
    for code in sorted({r["code"] for rs in reasons for r in rs} - set(NEUTRAL)):
        has = np.array([any(r["code"] == code for r in rs) for rs in reasons])
        side = next(r.get("side", "for") for rs in reasons for r in rs if r["code"] == code)
        if has.all():
            continue  # said of everyone: nothing to compare with
        row = {
            "code": code,
            "side": side,
            "customers": int(has.sum()),
            "mean_p_with": float(p[has].mean()),
            "mean_p_without": float(p[~has].mean()),
        }
        if labels is not None:
            labels = np.asarray(labels, dtype=float)
            row["order_rate_with"] = float(labels[has].mean())
            row["order_rate_without"] = float(labels[~has].mean())
        higher = row["mean_p_with"] > row["mean_p_without"]
        row["agrees"] = bool(higher == (side == "for"))
        rows.append(row)
    return pd.DataFrame(rows)
