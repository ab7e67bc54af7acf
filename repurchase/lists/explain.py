"""Why a customer is on the list, in words a junior rep understands.

The reasons are facts about the customer as of the list's day (features.anchor_facts), chosen
to mirror what drives the model: the customer's own rhythm, how long since anyone called, the
last call's outcome. They are stored as codes with numbers (`{"code": "due", "every": 34,
"since": 37}`) so the app can say them in either language (i18n.reason_text): no words here.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

MAX_REASONS = 3  # for the call
MAX_AGAINST = 2  # against it: a rep who sees only good news stops trusting the list

RECENT_NO_DEMAND_DAYS = 7  # "no demand" this recent is answered with the measured rate
RECENT_CALL_DAYS = 14  # a call this recent is worth saying whichever way it went
NOT_DUE_RATIO = 0.5  # less than half the usual gap since the last order
LAPSED_RATIO = 4.0  # four usual gaps without an order: the rhythm has broken

# Which way a fact points is not the same in every business: on our demo a customer who said
# "no demand" last week scores higher than the rest (reps call the active ones), in the
# projects story lower; a recent order lowers the chance in a rhythm business and raises it in a
# catalogue business (CDNOW). So the side of each fact is measured on the serving model's own
# scores (`measure_sides`), and a fact is said only on the side the model agrees with. Facts
# whose words take a side ("due about now", "may have moved on") are said only on that side.
NATURAL_SIDE: dict[str, str | None] = {
    "no_demand_recent": "for",  # "... yet 31 % of them ordered": the data's answer
    "due": "for",
    "frequent": "for",
    "key_account": "for",
    "overdue": None,
    "recent_order": None,
    "last_visit_order": None,
    "last_visit_no_order": None,
    "not_contacted": None,
    "never_contacted": None,
    "not_due": "against",
    "lapsed": "against",
    "quiet_year": "against",
    "never_ordered": "against",
}
# A fact is said when customers with it score at least 10 % higher (lower) than those without,
# and at least this many customers of the day have it: below that the direction is noise.
SIDE_MARGIN = 0.10
SIDE_MIN_CUSTOMERS = 20


def _days(value: float) -> int:
    return int(round(value))


def _known(value: float) -> bool:
    return not math.isnan(value)


def facts_of(
    facts: pd.Series, tag: str, no_demand_rate: float | None = None
) -> list[dict[str, object]]:
    """Every fact worth saying about one row of `features.anchor_facts`, most telling first,
    without a side: `reasons_for` picks the sides."""
    found: list[dict[str, object]] = []
    days_since_visit, since = facts.days_since_visit, facts.days_since_order
    recent_no = (
        _known(days_since_visit)
        and facts.last_visit_result == 0
        and days_since_visit <= RECENT_CALL_DAYS
    )
    if recent_no and no_demand_rate is not None and days_since_visit <= RECENT_NO_DEMAND_DAYS:
        found.append(
            {
                "code": "no_demand_recent",
                "days": _days(days_since_visit),
                "rate": int(round(100 * no_demand_rate)),
            }
        )
    elif recent_no:
        found.append({"code": "last_visit_no_order", "days": _days(days_since_visit)})
    gap = facts.mean_order_gap
    if _known(gap) and _known(since):
        ratio, every = since / max(gap, 1.0), _days(gap)
        if ratio < NOT_DUE_RATIO:
            found.append({"code": "not_due", "every": every, "since": _days(since)})
        elif 0.75 <= ratio <= 1.6:
            found.append({"code": "due", "every": every, "since": _days(since)})
        elif 1.6 < ratio <= LAPSED_RATIO:
            found.append({"code": "overdue", "every": every, "since": _days(since)})
        elif ratio > LAPSED_RATIO:
            found.append({"code": "lapsed", "every": every, "since": _days(since)})
    elif _known(since) and since <= 14:
        found.append({"code": "recent_order", "since": _days(since)})
    if facts.orders_365 >= 4:
        found.append({"code": "frequent", "orders": int(facts.orders_365)})
    elif (
        facts.n_orders > 0
        and facts.orders_365 == 0
        and not any(f["code"] == "lapsed" for f in found)
    ):
        found.append({"code": "quiet_year"})
    if not _known(days_since_visit):
        found.append({"code": "never_contacted"})
    elif days_since_visit >= 30:
        found.append({"code": "not_contacted", "days": _days(days_since_visit)})
    elif facts.last_visit_result == 1:
        found.append({"code": "last_visit_order", "days": _days(days_since_visit)})
    if tag == "key":
        found.append({"code": "key_account"})
    if facts.n_orders == 0:
        found.append({"code": "never_ordered"})
    return found


def reasons_for(
    facts: pd.Series,
    tag: str,
    no_demand_rate: float | None = None,
    sides: dict[str, str | None] | None = None,
) -> list[dict[str, object]]:
    """Up to three reasons for calling and up to two against, most telling first, for one row
    of `features.anchor_facts`; the ones against carry `"side": "against"` (see `split`).

    `sides`: code -> "for", "against" or None (not said), as `measure_sides` found them for
    the serving model; without it, NATURAL_SIDE (facts without a side of their own unsaid).
    `no_demand_rate`: the share of customers who said "no demand" in the last week yet ordered
    within the horizon, measured on the model's training data; a recent "no demand" is said
    with it, the data's answer to the objection."""
    sides = NATURAL_SIDE if sides is None else sides
    for_: list[dict[str, object]] = []
    against: list[dict[str, object]] = []
    for fact in facts_of(facts, tag, no_demand_rate):
        side = sides.get(str(fact["code"]))
        if side == "for":
            for_.append(fact)
        elif side == "against":
            against.append({**fact, "side": "against"})
    for_ = for_[:MAX_REASONS]
    if facts.n_history < 9:  # always said: the rep must know the score is rough
        for_ = for_[: MAX_REASONS - 1] + [
            {"code": "little_history", "events": int(facts.n_history)}
        ]
    return for_ + against[:MAX_AGAINST]


def measure_sides(
    facts: pd.DataFrame, tags: pd.Series, p: np.ndarray, no_demand_rate: float | None = None
) -> dict[str, str | None]:
    """Which side each fact is on for this model: customers with the fact score higher (for)
    or lower (against) than those without, by SIDE_MARGIN, among at least SIDE_MIN_CUSTOMERS.
    `facts`: features.anchor_facts of every customer scored (not only the listed ones), `p`
    their scores in the same order, `tags` indexed by customer_id. A fact whose words take a
    side is not said when the model disagrees; one too rare to measure keeps its own side (or
    is not said, if it has none)."""
    said = [
        facts_of(row, tags[row.customer_id], no_demand_rate)
        for row in facts.itertuples(index=False)
    ]
    table = direction_table(said, p)
    sides = dict(NATURAL_SIDE)
    for row in table.itertuples(index=False):
        if row.customers < SIDE_MIN_CUSTOMERS or row.mean_p_without <= 0:
            continue
        ratio = row.mean_p_with / row.mean_p_without
        measured = (
            "for" if ratio >= 1 + SIDE_MARGIN else "against" if ratio <= 1 - SIDE_MARGIN else None
        )
        natural = NATURAL_SIDE.get(row.code)
        sides[row.code] = measured if natural in (None, measured) else None
    return sides


# A list is scored at the start of its day: once the customer has been called that day, the
# facts about the last call, or about how long nobody called, describe a call that is no
# longer the last one ("Last call 5 days ago brought no order" after today's order).
ABOUT_THE_LAST_CALL = (
    "no_demand_recent",
    "last_visit_no_order",
    "last_visit_order",
    "not_contacted",
    "never_contacted",
)


def after_a_call_today(reasons: list[dict[str, object]]) -> list[dict[str, object]]:
    """The reasons that still hold once the customer was called on the list's day."""
    return [r for r in reasons if r["code"] not in ABOUT_THE_LAST_CALL]


def split(
    reasons: list[dict[str, object]],
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The reasons for listing a customer and those against, each most telling first. A reason
    carries its side (`"side": "against"`); lists written before reasons had sides are all for."""
    against = [r for r in reasons if r.get("side") == "against"]
    return [r for r in reasons if r.get("side") != "against"], against


# What a call wins, said from the call-effect estimate (model/effect.py). A customer likely to
# order online by itself is worth saying as a reason *against* calling now whatever the list
# ranks by: the order would come without the call. A call's own effect is said for a list
# ranked by it, when it is worth a point or more.
ORDERS_ONLINE_CHANCE = 0.5
CALL_WINS_POINTS = 1


def effect_reasons(
    call_effect: float, p_self: float, ranked_by: str
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """(for, against) reasons from one customer's call effect and chance of ordering without a
    call; none when the model made no estimate (NaN)."""
    for_: list[dict[str, object]] = []
    against: list[dict[str, object]] = []
    if not _known(call_effect) or not _known(p_self):
        return for_, against
    points = int(round(100 * call_effect))
    if ranked_by in ("effect", "effect_value") and points >= CALL_WINS_POINTS:
        for_.append({"code": "call_wins", "points": points})
    if p_self >= ORDERS_ONLINE_CHANCE:
        against.append({"code": "orders_online", "chance": int(round(100 * p_self))})
    return for_, against


def with_effect(
    reasons: list[dict[str, object]], call_effect: float, p_self: float, ranked_by: str
) -> list[dict[str, object]]:
    """`reasons` (reasons_for's) with what a call wins: its effect first among the reasons for
    (within MAX_REASONS), "likely to order online without a call" first among those against."""
    for_, against = split(reasons)
    wins, online = effect_reasons(call_effect, p_self, ranked_by)
    caveats = [r for r in for_ if r["code"] in NEUTRAL]
    facts = [r for r in for_ if r["code"] not in NEUTRAL]
    for_ = (wins + facts)[: MAX_REASONS - len(caveats)] + caveats
    against = [{**r, "side": "against"} for r in online] + against
    return for_ + against[:MAX_AGAINST]


# A caveat about the score, not a fact that moves it either way.
NEUTRAL = ("little_history",)


def direction_table(
    reasons: list[list[dict[str, object]]], p: np.ndarray, labels: np.ndarray | None = None
) -> pd.DataFrame:
    """Does each fact point the way the model does? One row per reason code seen: its side,
    how many customers it was said of, the model's mean score with and without it and, with
    `labels` (ordered within the horizon), the order rates. `agrees` is whether customers with
    a reason for (against) score higher (lower) than those without, `outcomes_agree` whether
    they then ordered more (less) often: `reasons` must be said of every customer scored, not
    only the listed ones, and `p` must be out-of-time scores."""
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
        if labels is not None:
            more = row["order_rate_with"] > row["order_rate_without"]
            row["outcomes_agree"] = bool(more == (side == "for"))
        rows.append(row)
    return pd.DataFrame(rows)
