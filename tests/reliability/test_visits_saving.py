"""Never lose what a rep typed, never store it twice."""

from __future__ import annotations

import math
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime

import pytest
from streamlit.testing.v1 import AppTest

from repurchase.accounts import auth
from repurchase.services import visit_queue, visits
from repurchase.warehouse.store import Warehouse

from ..conftest import REPO
from .conftest import file_held, signed_in

# the warehouse, import, access and visit-logging tests run on both backends (conftest.py)
pytestmark = pytest.mark.both_backends

NOW = datetime(2026, 6, 30, 15, 0)


def _rep_and_customer(wh: Warehouse) -> tuple[auth.User, str]:
    rep = auth.users.add(
        wh, "probe_rep", "a long probe passphrase", "rep", rep_id="R001", by=auth.SYSTEM
    )
    with wh.connect() as cur:
        customer = cur.execute(
            "select min(customer_id) from customers where owner_rep_id = 'R001'"
        ).fetchone()[0]
    return rep, customer


def _visit(customer: str, note: str = "called", amount: float | None = None) -> visits.VisitInput:
    result = "order" if amount else "no_order"
    return visits.VisitInput(customer, NOW, "phone", "active", "relationship", result, note, amount)


def _app_visits(wh: Warehouse) -> int:
    with wh.connect() as cur:
        return cur.execute("select count(*) from visits where source = 'app'").fetchone()[0]


def test_the_same_content_saved_twice_is_one_visit_and_a_change_is_another(small_warehouse):
    rep, customer = _rep_and_customer(small_warehouse)
    first = visits.with_submission_key(_visit(customer, amount=250.0), rep)
    again = visits.with_submission_key(_visit(customer, amount=250.0), rep)
    other = visits.with_submission_key(_visit(customer, amount=260.0), rep)
    a = visits.log_visit(small_warehouse, rep, first, NOW)
    assert visits.log_visit(small_warehouse, rep, again, NOW) == a
    assert visits.log_visit(small_warehouse, rep, other, NOW) != a
    assert _app_visits(small_warehouse) == 2


def test_a_double_click_racing_in_threads_stores_one_visit(small_warehouse):
    rep, customer = _rep_and_customer(small_warehouse)
    entry = visits.with_submission_key(_visit(customer, "raced"), rep)
    ids, errors = [], []

    def save() -> None:
        try:
            ids.append(visits.log_visit(small_warehouse, rep, entry, NOW))
        except Exception as exc:  # noqa: BLE001 - the test reports any
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(ids)) == 1 and len(ids) == 8
    assert _app_visits(small_warehouse) == 1


def test_a_deleted_entry_logged_again_is_stored_again(small_warehouse):
    rep, customer = _rep_and_customer(small_warehouse)
    entry = visits.with_submission_key(_visit(customer, "oops"), rep)
    visit_id = visits.log_visit(small_warehouse, rep, entry, NOW)
    visits.delete_visit(small_warehouse, rep, visit_id, NOW)
    assert visits.log_visit(small_warehouse, rep, entry, NOW) != visit_id
    assert _app_visits(small_warehouse) == 1


@pytest.mark.parametrize("amount", [1e13, math.nan, math.inf, -math.inf])
def test_an_impossible_amount_is_a_named_problem_not_a_crash(small_warehouse, amount):
    rep, customer = _rep_and_customer(small_warehouse)
    with pytest.raises(visits.VisitValidationError) as caught:
        visits.log_visit(small_warehouse, rep, _visit(customer, amount=amount), NOW)
    assert [p.field for p in caught.value.problems] == ["order_amount"]
    assert _app_visits(small_warehouse) == 0


@pytest.mark.file_only  # the queue exists for when the file is held
def test_a_visit_typed_while_a_job_holds_the_file_is_queued_then_stored_once(
    small_warehouse, monkeypatch
):
    monkeypatch.setenv("REPURCHASE_LOCK_TIMEOUT", "1")
    wh = Warehouse(small_warehouse.path)
    rep, customer = _rep_and_customer(wh)
    entries = [visits.with_submission_key(_visit(customer, f"held {i}"), rep) for i in range(3)]
    with file_held(wh.path):
        outcomes = [visit_queue.save(wh, rep, e, NOW) for e in entries]
        assert all(o.queued for o in outcomes)
        assert [p.submission_id for p in visit_queue.pending(wh, rep.username)] == [
            e.submission_id for e in entries
        ]
        assert visit_queue.drain(wh).waiting == 3  # still held: nothing lost, nothing stored
    drained = visit_queue.drain(wh)
    assert (drained.stored, drained.failed, drained.waiting) == (3, 0, 0)
    assert visit_queue.pending(wh) == []
    with wh.connect() as cur:
        notes = [
            r[0]
            for r in cur.execute(
                "select note from visits where source = 'app' order by visit_id"
            ).fetchall()
        ]
    assert notes == ["held 0", "held 1", "held 2"]  # in the order they were typed
    # the same form saved again after the queue drained: still one visit
    assert visit_queue.save(wh, rep, entries[0], NOW).visit_id is not None
    assert _app_visits(wh) == 3


@pytest.mark.file_only  # the queue exists for when the file is held
def test_a_queued_visit_the_warehouse_refuses_is_reported_not_dropped(small_warehouse, monkeypatch):
    monkeypatch.setenv("REPURCHASE_LOCK_TIMEOUT", "1")
    wh = Warehouse(small_warehouse.path)
    rep, customer = _rep_and_customer(wh)
    entry = visits.with_submission_key(_visit(customer, "reassigned meanwhile"), rep)
    with file_held(wh.path):
        assert visit_queue.save(wh, rep, entry, NOW).queued
    with wh.transaction() as cur:
        cur.execute(
            "update customers set owner_rep_id = 'R002' where customer_id = $c", {"c": customer}
        )
    assert visit_queue.drain(wh).failed == 1
    refused = visit_queue.failed(wh, rep.username)
    assert [(r.customer_id, r.submission_id) for r in refused] == [(customer, entry.submission_id)]
    assert "may not log" in refused[0].reason
    assert _app_visits(wh) == 0


def _lines(path) -> int:
    return len(path.read_text().split()) if path.exists() else 0


def _burst_script(path, acks) -> str:
    return textwrap.dedent(
        f"""
        import sys
        from datetime import datetime, timedelta
        from repurchase.accounts import auth
        from repurchase.services import visit_queue, visits
        from repurchase.warehouse.store import Warehouse
        wh = Warehouse({str(path)!r})
        rep = auth.user(wh, "probe_rep")
        now = datetime(2026, 6, 30, 15, 0)
        with open({str(acks)!r}, "a") as acks:
            for i in range(100000):
                entry = visits.VisitInput(sys.argv[1], now - timedelta(minutes=i % 600),
                                          "phone", "active", "relationship", "no_order",
                                          f"burst {{i}}")
                entry = visits.with_submission_key(entry, rep)
                visit_queue.save(wh, rep, entry, now)
                acks.write(entry.submission_id + "\\n")  # the rep saw "saved"
                acks.flush()
        """
    )


def test_kill_9_during_a_burst_of_saves_loses_no_visit_that_was_shown_as_saved(
    small_warehouse, tmp_path
):
    rep, customer = _rep_and_customer(small_warehouse)
    acks = tmp_path / "acks.txt"
    proc = subprocess.Popen(
        [sys.executable, "-c", _burst_script(small_warehouse.path, acks), customer], cwd=REPO
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and _lines(acks) < 30:
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    acknowledged = set(acks.read_text().split())
    assert len(acknowledged) >= 30
    wh = Warehouse(small_warehouse.path)
    visit_queue.drain(wh)
    with wh.connect() as cur:
        stored = {
            r[0] for r in cur.execute("select submission_id from visit_submissions").fetchall()
        }
        app_rows = cur.execute("select count(*) from visits where source = 'app'").fetchone()[0]
    assert acknowledged <= stored
    assert app_rows == len(stored)  # every stored visit has one submission, none twice


def _on_the_log_page() -> AppTest:
    at = signed_in("rep")
    at.switch_page("pages/log_visit.py").run()
    assert not at.exception
    return at


def test_the_form_saves_once_and_empties_itself(app_warehouse):
    at = _on_the_log_page()
    before = _app_visits(app_warehouse)
    for _ in range(2):  # the second click sends the form as it was
        at.radio(key="log.result").set_value("order")
        at.number_input(key="log.amount").set_value(250.0)
        at.text_area(key="log.note").input("twice?")
        at.button(key="log.save_button").click().run()
        assert not at.exception
        assert any("Saved the visit" in s.value for s in at.success)
    assert _app_visits(app_warehouse) == before + 1
    # after a save the form is empty again, ready for the next visit
    assert at.text_area(key="log.note").value == ""
    assert at.number_input(key="log.amount").value is None


@pytest.mark.file_only  # the queue exists for when the file is held
def test_the_form_tells_the_rep_the_visit_is_safe_while_a_job_holds_the_file(
    app_warehouse, monkeypatch
):
    at = _on_the_log_page()
    monkeypatch.setenv("REPURCHASE_LOCK_TIMEOUT", "1")
    at.text_area(key="log.note").input("typed during the nightly job")
    with file_held(app_warehouse.path):
        at.button(key="log.save_button").click().run()
        assert not at.exception
        assert any("busy with a job" in s.value for s in at.success)
        assert any("busy with an import" in e.value for e in at.error)
    assert len(visit_queue.pending(app_warehouse)) == 1
    visit_queue.drain(app_warehouse)
    with app_warehouse.connect() as cur:
        assert (
            cur.execute(
                "select count(*) from visits where note = 'typed during the nightly job'"
            ).fetchone()[0]
            == 1
        )


@pytest.mark.file_only  # the queue exists for when the file is held
def test_the_nightly_job_stores_queued_visits_before_it_reads_history(small_warehouse, monkeypatch):
    from repurchase.lists import score
    from repurchase.services import jobs

    monkeypatch.setenv("REPURCHASE_LOCK_TIMEOUT", "1")
    wh = Warehouse(small_warehouse.path)
    rep, customer = _rep_and_customer(wh)
    entry = visits.with_submission_key(_visit(customer, "typed during the job"), rep)
    with file_held(wh.path):
        assert visit_queue.save(wh, rep, entry, NOW).queued
    seen = []
    monkeypatch.setattr(jobs, "retrain", lambda w, *a, **k: seen.append(_app_visits(w)))
    monkeypatch.setattr(score, "score_day", lambda *a, **k: None)
    jobs.nightly(wh, NOW.date())
    assert seen == [1] and visit_queue.pending(wh) == []


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_a_visit_typed_while_the_database_cannot_be_reached_is_kept_then_stored_once(
    small_warehouse, monkeypatch
):
    """PostgreSQL down (a restart, a network cut) is the server's "busy": the typed visit is
    kept on the server's disk and written when the database answers again, not lost."""
    import socket

    rep, customer = _rep_and_customer(small_warehouse)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    down = Warehouse(
        small_warehouse.path, dsn=f"host=127.0.0.1 port={closed} dbname=x connect_timeout=2"
    )
    entry = visits.with_submission_key(_visit(customer, "typed while the database was down"), rep)
    saved = visit_queue.save(down, rep, entry, NOW)
    assert saved.queued
    assert visit_queue.drain(small_warehouse).stored == 1
    assert visit_queue.drain(small_warehouse).stored == 0  # once
    with small_warehouse.connect() as cur:
        stored = cur.execute(
            "select count(*) from visits where note = 'typed while the database was down'"
        ).fetchone()[0]
    assert stored == 1


@pytest.mark.file_only  # the queue's own folder
def test_an_entry_another_drainer_stores_while_the_queue_is_listed_is_not_an_error(
    small_warehouse, monkeypatch
):
    """200 sessions saving at once (bench/backends.py) had one save fail with
    FileNotFoundError: the queue listed an entry that a concurrent drainer then removed."""
    from pathlib import Path

    rep, customer = _rep_and_customer(small_warehouse)
    folder = visit_queue.folder(small_warehouse)
    folder.mkdir(parents=True, exist_ok=True)
    real_glob = Path.glob

    def listing_with_a_vanished_entry(self, pattern):
        yield from real_glob(self, pattern)
        if self == folder:
            yield folder / "stored-meanwhile.json"  # listed, then gone

    monkeypatch.setattr(Path, "glob", listing_with_a_vanished_entry)
    entry = visits.with_submission_key(_visit(customer, "saved beside a vanished entry"), rep)
    saved = visit_queue.save(small_warehouse, rep, entry, NOW)
    assert saved.visit_id is not None and not saved.queued
