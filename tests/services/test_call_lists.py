"""The call list page's rules: when a snooze ends, when a score rests on little history, and
the columns and words of the list's download."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from repurchase.accounts.auth import User
from repurchase.services import access, call_lists

DAY = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("day", "days", "until"),
    [
        (date(2026, 6, 30), 1, date(2026, 7, 1)),
        (date(2026, 6, 30), 7, date(2026, 7, 7)),
        (date(2026, 12, 20), 30, date(2027, 1, 19)),
        (date(2028, 2, 28), 1, date(2028, 2, 29)),  # a leap day
    ],
)
def test_a_snooze_ends_days_after_the_day_it_was_made(day, days, until):
    assert call_lists.snooze_until(day, days) == until


def test_the_snooze_end_said_is_the_one_stored(small_warehouse):
    """The page says "snoozed until" the day the customer is back: the one list_actions
    stores as the end of the snooze."""
    wh = small_warehouse
    customer = access.customers(wh, User("boss", "Admin", "admin")).iloc[0]
    rep = User("rep", "Rep", "rep", rep_id=customer.owner_rep_id)
    access.snooze(wh, rep, customer.customer_id, 12, DAY)
    in_force = wh.query("active_list_actions", day=DAY)
    stored = in_force[in_force.customer_id == customer.customer_id].until_day.iloc[0]
    assert pd.Timestamp(stored).date() == call_lists.snooze_until(DAY, 12)


@pytest.mark.parametrize(
    ("n_history", "little"),
    [
        (0, True),
        (8, True),
        (np.int64(3), True),
        (8.0, True),
        (9, False),  # a full window of past events
        (40, False),
        (None, False),  # a list written before the count was kept says nothing
        (float("nan"), False),
        (pd.NA, False),
    ],
)
def test_little_history_is_fewer_events_than_the_window(n_history, little):
    assert call_lists.little_history(n_history) is little


def _list() -> pd.DataFrame:
    """Two rows of a call list: every exported column, plus one the download leaves out."""
    rows = pd.DataFrame(
        {c: [f"{c}-1", f"{c}-2"] for c in call_lists.EXPORT_COLUMNS}
        | {"model_version": ["v1", "v1"]}
    )
    rows["reasons"] = [
        [
            {"code": "frequent", "orders": 5},
            {"code": "never_contacted"},
            {"code": "not_contacted", "days": 40, "side": "against"},
        ],
        [],
    ]
    rows["today_result"] = ["order", None]
    return rows


def test_the_download_has_the_lists_columns_in_order():
    export = call_lists.export_frame(_list(), "en")
    assert list(export.columns) == list(call_lists.EXPORT_COLUMNS)
    assert export.customer_id.tolist() == ["customer_id-1", "customer_id-2"]


@pytest.mark.parametrize(
    ("language", "reasons", "against", "result"),
    [
        (
            "en",
            "5 orders in the last 12 months | Never called so far",
            "Nobody has called for 40 days",
            "Got an order",
        ),
        ("zh", "过去 12 个月下单 5 次 | 还从未回访过", "已 40 天无人回访", "成功拿到订单"),
    ],
)
def test_the_download_says_the_reasons_for_and_against_in_the_users_language(
    language, reasons, against, result
):
    export = call_lists.export_frame(_list(), language)
    assert export.reasons.tolist() == [reasons, ""]
    assert export.reasons_against.tolist() == [against, ""]
    assert export.today_result.tolist() == [result, ""]
