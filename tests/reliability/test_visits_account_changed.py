"""A disable, a removal or a reassignment holds from the next write on: every visit write
re-reads the account it acts for inside its own transaction, not when the signed-in copy of the
user is next refreshed."""

from __future__ import annotations

from datetime import datetime

import pytest

from repurchase.accounts import auth, users
from repurchase.errors import AccessDeniedError
from repurchase.services import visit_queue, visits
from repurchase.warehouse.store import Warehouse

from .conftest import file_held

pytestmark = pytest.mark.both_backends

NOW = datetime(2026, 6, 30, 15, 0)

# what happens to the rep's account between signing in and saving
CHANGES = {
    "disabled": lambda wh: users.disable(wh, "moved_rep", by=auth.SYSTEM),
    "removed": lambda wh: users.remove(wh, "moved_rep", by=auth.SYSTEM),
    "reassigned": lambda wh: users.set_role(wh, "moved_rep", "rep", rep_id="R002", by=auth.SYSTEM),
    "made a manager": lambda wh: users.set_role(
        wh, "moved_rep", "manager", team="T01", by=auth.SYSTEM
    ),
}


def _rep_and_customer(wh: Warehouse) -> tuple[auth.User, str]:
    """A rep of R001 as signed in, and one of R001's customers."""
    rep = users.add(
        wh, "moved_rep", "a long probe passphrase", "rep", rep_id="R001", by=auth.SYSTEM
    )
    with wh.connect() as cur:
        customer = cur.execute(
            "select min(customer_id) from customers where owner_rep_id = 'R001'"
        ).fetchone()[0]
    return rep, customer


def _visit(customer: str, note: str = "called") -> visits.VisitInput:
    return visits.VisitInput(customer, NOW, "phone", "active", "relationship", "no_order", note)


def _stored(wh: Warehouse) -> list[tuple]:
    with wh.connect() as cur:
        return cur.execute(
            "select visit_id, note from visits where source = 'app' order by visit_id"
        ).fetchall()


def _audits(wh: Warehouse) -> int:
    with wh.connect() as cur:
        return cur.execute("select count(*) from visit_audit").fetchone()[0]


@pytest.mark.parametrize("change", CHANGES)
def test_a_save_right_after_the_account_changed_is_refused_and_nothing_is_stored(
    small_warehouse, change
):
    rep, customer = _rep_and_customer(small_warehouse)
    CHANGES[change](small_warehouse)
    with pytest.raises(auth.AccountChangedError, match="moved_rep"):
        visits.log_visit(small_warehouse, rep, _visit(customer), NOW)
    with pytest.raises(auth.AccountChangedError):  # the form's path, with its submission key
        keyed = visits.with_submission_key(_visit(customer), rep)
        visits.log_visit(small_warehouse, rep, keyed, NOW)
    assert _stored(small_warehouse) == [] and _audits(small_warehouse) == 0


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("write", ["edit", "delete"])
def test_an_edit_or_delete_right_after_the_account_changed_is_refused(
    small_warehouse, change, write
):
    rep, customer = _rep_and_customer(small_warehouse)
    today = datetime.now().replace(second=0, microsecond=0)
    entry = visits.VisitInput(customer, today, "phone", "active", "relationship", "no_order", "a")
    visit_id = visits.log_visit(small_warehouse, rep, entry, today)
    CHANGES[change](small_warehouse)
    with pytest.raises(auth.AccountChangedError):
        if write == "edit":
            changed = visits.VisitInput(
                customer, today, "phone", "active", "relationship", "no_order", "b"
            )
            visits.edit_visit(small_warehouse, rep, visit_id, changed, today)
        else:
            visits.delete_visit(small_warehouse, rep, visit_id, today)
    assert _stored(small_warehouse) == [(visit_id, "a")] and _audits(small_warehouse) == 1


def test_the_account_unchanged_saves_as_before_and_a_rep_of_r002_still_may_not(small_warehouse):
    rep, customer = _rep_and_customer(small_warehouse)
    visit_id = visits.log_visit(small_warehouse, rep, _visit(customer), NOW)
    assert _stored(small_warehouse) == [(visit_id, "called")]
    # signed in afresh after the reassignment: the account is as stored, the customer is not theirs
    users.set_role(small_warehouse, "moved_rep", "rep", rep_id="R002", by=auth.SYSTEM)
    again = auth.user(small_warehouse, "moved_rep")
    with pytest.raises(AccessDeniedError, match="may not log visits"):
        visits.log_visit(small_warehouse, again, _visit(customer, "again"), NOW)


@pytest.mark.file_only  # the queue exists for when the file is held
@pytest.mark.parametrize("change", CHANGES)
def test_a_queued_visit_of_an_account_changed_meanwhile_is_not_stored(
    small_warehouse, monkeypatch, change
):
    monkeypatch.setenv("REPURCHASE_LOCK_TIMEOUT", "1")
    wh = Warehouse(small_warehouse.path)
    rep, customer = _rep_and_customer(wh)
    entry = visits.with_submission_key(_visit(customer, "queued"), rep)
    with file_held(wh.path):
        assert visit_queue.save(wh, rep, entry, NOW).queued
    CHANGES[change](wh)
    assert visit_queue.drain(wh).failed == 1
    refused = visit_queue.failed(wh, rep.username)
    assert [r.submission_id for r in refused] == [entry.submission_id]
    assert "changed or disabled" in refused[0].reason
    assert _stored(wh) == []


@pytest.mark.file_only  # the queue exists for when the file is held
def test_a_queued_visit_of_an_account_unchanged_is_stored(small_warehouse, monkeypatch):
    monkeypatch.setenv("REPURCHASE_LOCK_TIMEOUT", "1")
    wh = Warehouse(small_warehouse.path)
    rep, customer = _rep_and_customer(wh)
    entry = visits.with_submission_key(_visit(customer, "queued"), rep)
    with file_held(wh.path):
        assert visit_queue.save(wh, rep, entry, NOW).queued
    assert visit_queue.drain(wh).stored == 1
    assert [note for _, note in _stored(wh)] == ["queued"]
