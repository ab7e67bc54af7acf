"""Starting or cancelling a job re-reads the admin inside the transaction that records it: an
admin disabled, removed or demoted a moment ago starts nothing and cancels nothing."""

from __future__ import annotations

import os

import pytest

from repurchase.accounts import auth, users
from repurchase.errors import AccessDeniedError
from repurchase.services import job_runner
from repurchase.warehouse.store import Warehouse

pytestmark = pytest.mark.both_backends

CHANGES = {
    "disabled": lambda wh: users.disable(wh, "probe_admin", by=auth.SYSTEM),
    "removed": lambda wh: users.remove(wh, "probe_admin", by=auth.SYSTEM),
    "made a rep": lambda wh: users.set_role(
        wh, "probe_admin", "rep", rep_id="R001", by=auth.SYSTEM
    ),
}


def _admins(wh: Warehouse) -> auth.User:
    """The admin as signed in, and another one, so that the first may be disabled."""
    users.add(wh, "other_admin", "another long passphrase", "admin", by=auth.SYSTEM)
    return users.add(wh, "probe_admin", "a long probe passphrase", "admin", by=auth.SYSTEM)


def _jobs(wh: Warehouse) -> list[tuple]:
    with wh.connect() as cur:
        return cur.execute(
            "select job_id, requested_by, cancel_requested_by from jobs order by job_id"
        ).fetchall()


@pytest.mark.parametrize("change", CHANGES)
def test_an_admin_changed_just_before_starting_a_job_is_refused(small_warehouse, change):
    wh = small_warehouse
    admin = _admins(wh)
    CHANGES[change](wh)
    with pytest.raises(auth.AccountChangedError, match="probe_admin"):
        job_runner.start(wh, "backtest", {}, admin)
    assert _jobs(wh) == []  # nothing recorded, no worker started
    assert job_runner.running(wh) == {}


@pytest.mark.parametrize("change", CHANGES)
def test_an_admin_changed_just_before_cancelling_a_job_is_refused(small_warehouse, change):
    wh = small_warehouse
    admin = _admins(wh)
    job_id = job_runner.claim(wh, "backtest", {}, "someone", "cli", pid=os.getpid())
    CHANGES[change](wh)
    with pytest.raises(auth.AccountChangedError):
        job_runner.cancel(wh, job_id, admin)
    assert _jobs(wh) == [(job_id, "someone", None)]
    job_runner._finish(wh, job_id, "succeeded", "test", None)


def test_an_admin_as_stored_cancels_and_is_named_and_the_command_line_is_named_too(
    small_warehouse,
):
    wh = small_warehouse
    admin = _admins(wh)
    first = job_runner.claim(wh, "backtest", {}, "someone", "cli", pid=os.getpid())
    assert job_runner.cancel(wh, first, admin).cancel_requested_by == "probe_admin"
    job_runner._finish(wh, first, "cancelled", None, "test")
    second = job_runner.claim(wh, "backtest", {}, "someone", "cli", pid=os.getpid())
    cancelled = job_runner.cancel(wh, second, auth.SYSTEM)
    assert cancelled.cancel_requested_by == job_runner.cli_user()
    job_runner._finish(wh, second, "cancelled", None, "test")


@pytest.mark.parametrize("role", ["rep", "manager"])
def test_only_an_admin_starts_or_cancels_a_job(small_warehouse, role):
    wh = small_warehouse
    _admins(wh)
    job_id = job_runner.claim(wh, "backtest", {}, "someone", "cli", pid=os.getpid())
    with wh.connect() as cur:
        rep_id, team = cur.execute("select rep_id, team from reps order by rep_id").fetchone()
    user = users.add(
        wh, "not_admin", "a long probe passphrase", role, rep_id=rep_id, team=team, by=auth.SYSTEM
    )
    with pytest.raises(AccessDeniedError, match="may not start or cancel jobs"):
        job_runner.start(wh, "backtest", {}, user)
    with pytest.raises(AccessDeniedError, match="may not start or cancel jobs"):
        job_runner.cancel(wh, job_id, user)
    assert _jobs(wh) == [(job_id, "someone", None)]
    job_runner._finish(wh, job_id, "succeeded", "test", None)
