"""The rules the call list page shows a list by: when a snooze ends, when a score rests on too
little history to trust, and the columns of the list's download. Pure functions of a list as
services.access.call_list returns it (no reads, no writes).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from repurchase import i18n
from repurchase.lists import explain
from repurchase.model.features import FEW_HISTORY

# The columns of the list's download, in the order they are written.
EXPORT_COLUMNS = (
    "rank",
    "customer_id",
    "customer_name",
    "contact_name",
    "contact_phone",
    "p_order",
    "p_previous",
    "expected_value",
    "typical_order",
    "churn_risk",
    "at_risk",
    "follow_up",
    "follow_up_date",
    "on_list",
    "status",
    "set_aside_action",
    "set_aside_until",
    "set_aside_reason",
    "today_result",
    "last_visit_at",
    "last_result",
    "days_since_visit",
    "orders_so_far",
    "visited_today",
    "reasons",
    "reasons_against",
)


def snooze_until(day: date, days: int) -> date:
    """The first day a customer snoozed on `day` for `days` days is back on the list (the
    same end list_actions.snooze stores)."""
    return day + timedelta(days=int(days))


def little_history(n_history: object) -> bool:
    """Whether a score rests on fewer past events than the model's window holds (the window is
    padded, so the score is rough). A list written before the count was kept says nothing."""
    return bool(pd.notna(n_history) and n_history < FEW_HISTORY)


def _said(reasons: list[dict[str, object]], language: str) -> str:
    return " | ".join(i18n.reason_text(r, language) for r in reasons)


def export_frame(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """A rep's list (services.access.call_list's columns) as its download: EXPORT_COLUMNS, the
    reasons for and against as sentences in `language` joined by " | ", and today's result
    named in `language`."""
    sides = [explain.split(r) for r in frame.reasons]
    return frame.assign(
        reasons=[_said(for_, language) for for_, _ in sides],
        reasons_against=[_said(against, language) for _, against in sides],
        today_result=frame.today_result.map(lambda r: i18n.value_label("result", r, language)),
    )[list(EXPORT_COLUMNS)]
