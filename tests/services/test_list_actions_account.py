"""A snooze, skip or Undo re-reads the account it acts for inside its own transaction: a rep
disabled or moved to another rep a moment ago (their browser still holds the old copy) sets
nothing aside."""

from __future__ import annotations

from datetime import date

import pytest

from repurchase.accounts import auth
from repurchase.errors import AccessDeniedError
from repurchase.services import access

from ..conftest import snapshot

CHANGES = {
    "disabled": "update users set disabled_at = now() where username = 'rep'",
    "moved to another rep": (
        "update users set rep_id = (select min(rep_id) from reps where rep_id != users.rep_id) "
        "where username = 'rep'"
    ),
    "made a manager": "update users set role = 'manager', rep_id = null where username = 'rep'",
}


def _rep_and_customer(wh):
    rep = auth.user(wh, "rep")
    with wh.connect() as cur:
        customer = cur.execute(
            "select min(customer_id) from customers where owner_rep_id = $r", {"r": rep.rep_id}
        ).fetchone()[0]
    return rep, customer


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("action", ["snooze", "skip"])
def test_a_set_aside_right_after_an_account_change_is_refused(app_warehouse, change, action):
    rep, customer = _rep_and_customer(app_warehouse)
    with app_warehouse.transaction() as cur:
        cur.execute(CHANGES[change])
    before = snapshot(app_warehouse)
    with pytest.raises(AccessDeniedError):
        if action == "snooze":
            access.snooze(app_warehouse, rep, customer, 7, date.today())
        else:
            access.skip(app_warehouse, rep, customer, "customer_away", None, date.today())
    assert snapshot(app_warehouse) == before


def test_an_undo_right_after_a_disable_is_refused(app_warehouse):
    rep, customer = _rep_and_customer(app_warehouse)
    done = access.snooze(app_warehouse, rep, customer, 7, date.today())
    with app_warehouse.transaction() as cur:
        cur.execute(CHANGES["disabled"])
    before = snapshot(app_warehouse)
    with pytest.raises(AccessDeniedError):
        access.undo_list_action(app_warehouse, rep, done.action_id, date.today())
    assert snapshot(app_warehouse) == before
