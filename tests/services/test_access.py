"""A rep never sees or changes another rep's customers; the rule lives in the data layer."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from repurchase.accounts import auth
from repurchase.errors import AccessDeniedError
from repurchase.services import access, visits

# the warehouse, import, access and visit-logging tests run on both backends (conftest.py)
pytestmark = pytest.mark.both_backends


@pytest.fixture
def people(app_warehouse):
    rep = auth.authenticate(app_warehouse, "rep", auth.DEMO_PASSWORD)
    manager = auth.authenticate(app_warehouse, "manager", auth.DEMO_PASSWORD)
    admin = auth.authenticate(app_warehouse, "admin", auth.DEMO_PASSWORD)
    with app_warehouse.connect() as cur:
        own = cur.execute(
            "select customer_id from customers where owner_rep_id = $r limit 1", {"r": rep.rep_id}
        ).fetchone()[0]
        other_rep, other = cur.execute(
            "select owner_rep_id, customer_id from customers where owner_rep_id <> $r limit 1",
            {"r": rep.rep_id},
        ).fetchone()
    return app_warehouse, rep, manager, admin, own, other_rep, other


def test_scopes_follow_the_role(people):
    wh, rep, manager, admin, *_ = people
    assert access.rep_ids(wh, rep) == [rep.rep_id]
    team = access.reps_in_scope(wh, manager)
    assert set(team.team) == {manager.team} and rep.rep_id in set(team.rep_id)
    assert set(access.rep_ids(wh, admin)) >= set(team.rep_id)
    owners = set(access.customers(wh, rep).owner_rep_id)
    assert owners == {rep.rep_id}


def test_a_rep_cannot_read_another_reps_customer_or_list(people):
    wh, rep, _manager, admin, own, other_rep, other = people
    assert access.customer_history(wh, rep, own)["profile"].customer_id == own
    with pytest.raises(AccessDeniedError):
        access.customer_history(wh, rep, other)
    with pytest.raises(AccessDeniedError):
        access.customer_history(wh, rep, "no-such-customer")  # same answer: ids cannot be probed
    with pytest.raises(AccessDeniedError):
        access.call_list(wh, rep, other_rep, datetime.now().date())
    assert access.customer_history(wh, admin, other)["profile"].customer_id == other


def test_team_results_are_for_managers_and_admins_only(people):
    wh, rep, manager, _admin, *_ = people
    today = datetime.now().date()
    with pytest.raises(AccessDeniedError):
        access.on_list_visits(wh, rep, today - timedelta(days=30), today)
    visits_seen = access.on_list_visits(wh, manager, today - timedelta(days=30), today)
    assert set(visits_seen.rep_id) <= set(access.rep_ids(wh, manager))


def _earlier_today() -> datetime:
    now = datetime.now()
    return now - (now - datetime.combine(now.date(), datetime.min.time())) / 2


def _visit(customer_id: str, **changes) -> visits.VisitInput:
    base = {
        "customer_id": customer_id,
        # earlier today, also in the first hour after midnight ("an hour ago" was yesterday)
        "visited_at": _earlier_today(),
        "method": "phone",
        "target": "active",
        "purpose": "needs_discovery",
        "result": "no_order",
        "note": "",
        "order_amount": None,
    }
    return visits.VisitInput(**{**base, **changes})


def _count(wh) -> int:
    with wh.connect() as cur:
        return cur.execute("select count(*) from visits").fetchone()[0]


def test_logging_a_visit_for_another_reps_customer_inserts_nothing(people):
    wh, rep, manager, *_rest = people
    other = _rest[-1]
    before = _count(wh)
    with pytest.raises(AccessDeniedError):
        visits.log_visit(wh, rep, _visit(other))
    with pytest.raises(AccessDeniedError):
        visits.log_visit(wh, manager, _visit(other))
    assert _count(wh) == before


def test_a_logged_visit_is_audited_and_shows_at_once(people):
    wh, rep, _manager, _admin, own, *_ = people
    visit_id = visits.log_visit(
        wh,
        rep,
        _visit(own, result="order", order_amount=120.0, note="<script>alert(1)</script> **bold**"),
    )
    history = access.customer_history(wh, rep, own)["visits"]
    stored = history[history.visit_id == visit_id].iloc[0]
    assert stored.note == "<script>alert(1)</script> **bold**"  # kept exactly as typed
    assert stored.entered_by == "rep" and stored.result == "order"
    listed = access.call_list(wh, rep, rep.rep_id, datetime.now().date())
    if own in set(listed.customer_id):
        assert listed.set_index("customer_id").visited_today[own]
    with wh.connect() as cur:
        audit = cur.execute(
            "select action, changed_by from visit_audit where visit_id = $v", {"v": visit_id}
        ).fetchall()
    assert audit == [("create", "rep")]


def test_only_ones_own_entries_of_today_can_be_changed(people):
    wh, rep, _manager, admin, own, _other_rep, other = people
    visit_id = visits.log_visit(wh, rep, _visit(own))
    visits.edit_visit(wh, rep, visit_id, _visit(own, result="order", note="changed"))
    with pytest.raises(AccessDeniedError):
        visits.edit_visit(wh, admin, visit_id, _visit(own))  # not admin's entry
    tomorrow = datetime.now() + timedelta(days=1)
    with pytest.raises(AccessDeniedError, match="final"):
        visits.delete_visit(wh, rep, visit_id, now=tomorrow)
    imported = _first_imported_visit(wh, rep)
    with pytest.raises(AccessDeniedError):
        visits.delete_visit(wh, rep, imported)
    visits.delete_visit(wh, rep, visit_id)
    with wh.connect() as cur:
        actions = [
            r[0]
            for r in cur.execute(
                "select action from visit_audit where visit_id = $v order by audit_id",
                {"v": visit_id},
            ).fetchall()
        ]
        gone = cur.execute(
            "select count(*) from visits where visit_id = $v", {"v": visit_id}
        ).fetchone()[0]
    assert actions == ["create", "edit", "delete"] and gone == 0
    del other


def _first_imported_visit(wh, rep) -> int:
    with wh.connect() as cur:
        return cur.execute(
            "select min(visit_id) from visits where rep_id = $r and source = 'demo'",
            {"r": rep.rep_id},
        ).fetchone()[0]


@pytest.mark.parametrize(
    ("changes", "field", "key"),
    [
        ({"visited_at": datetime.now() + timedelta(hours=2)}, "visited_at", "visit.error.future"),
        ({"visited_at": datetime.now() - timedelta(days=40)}, "visited_at", "visit.error.too_old"),
        ({"order_amount": -1.0, "result": "order"}, "order_amount", "visit.error.amount_negative"),
        ({"order_amount": 50.0}, "order_amount", "visit.error.amount_without_order"),
        ({"note": "x" * 2001}, "note", "visit.error.note_long"),
        ({"method": ""}, "method", "visit.error.required"),
        ({"result": "maybe"}, "result", "visit.error.result"),
    ],
)
def test_a_bad_entry_is_refused_with_the_field_and_reason(people, changes, field, key):
    wh, rep, _manager, _admin, own, *_ = people
    before = _count(wh)
    with pytest.raises(visits.VisitValidationError) as caught:
        visits.log_visit(wh, rep, _visit(own, **changes))
    assert (caught.value.problems[0].field, caught.value.problems[0].key) == (field, key)
    assert _count(wh) == before


def test_a_past_day_without_a_list_shows_no_list_and_writes_nothing(people):
    wh, rep, *_ = people
    long_ago = datetime.now().date() - timedelta(days=90)
    before = wh.table_counts()
    shown = access.call_list(wh, rep, rep.rep_id, long_ago)
    # nothing of the model's (the day was never scored, and reading does not score it); the
    # follow-ups the rep asked for that day, if any, are not the model's
    assert not shown.on_list.any() and shown.p_order.isna().all()
    assert shown.follow_up.all()
    assert wh.table_counts() == before
