"""PostgreSQL going away while the app runs is a busy database, not a crash.

The suite's other PostgreSQL tests share one server for the whole run; these stop theirs with
`pg_ctl stop -m immediate` (a crash, as a power cut or an OOM kill would), so the module has a
server of its own, filled once from the app's demo warehouse. Each test uses its own side-file
anchor, hence its own visit queue, and visits no other test writes (its own notes).
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import duckdb
import psycopg
import pytest
import streamlit as st

from repurchase import i18n
from repurchase.accounts import auth
from repurchase.errors import WarehouseUnavailableError
from repurchase.services import move_to_postgres, quick_outcomes, visit_queue, visits
from repurchase.warehouse import postgres
from repurchase.warehouse.store import Warehouse

from ..pg_server import PostgresServer, find_bindir
from .conftest import signed_in

_notes = (f"outage visit {n}" for n in itertools.count(1))


@pytest.fixture(scope="module")
def outage_server(_app_warehouse_file, tmp_path_factory) -> Iterator[tuple[PostgresServer, str]]:
    """A private server (stopped and started by the tests) with the app's demo in it."""
    if find_bindir() is None:
        missing = "no PostgreSQL server binaries (apt-get install -y postgresql)"
        if os.environ.get("REPURCHASE_REQUIRE_POSTGRES") == "1":  # CI: never skipped
            pytest.fail(missing, pytrace=False)
        pytest.skip(missing)
    with PostgresServer() as server:
        # the suite's servers trade durability for speed (pg_server.TEST_SETTINGS); after an
        # immediate stop that loses commits already acknowledged, which is what is tested here
        with psycopg.connect(server.dsn(), autocommit=True) as admin:
            for setting in ("fsync", "synchronous_commit", "full_page_writes"):
                admin.execute(f"alter system set {setting} = on")
            admin.execute("select pg_reload_conf()")
        dsn = server.create_database("outage")
        target = Warehouse(tmp_path_factory.mktemp("outage") / "fill.duckdb", dsn=dsn)
        move_to_postgres.move(Warehouse(_app_warehouse_file, backend="duckdb"), target)
        yield server, dsn
        target.close()


def _halt(server: PostgresServer) -> None:
    """Crash-stop the server, keeping its data (no shutdown checkpoint, connections cut)."""
    command = [server._tool("pg_ctl"), "stop", server._pgdata(), "--mode=immediate", "--wait"]
    server._run(command, "stopping the server at once")


def _resume(server: PostgresServer) -> None:
    """Start the server again on the same port (tests.conf keeps it) after a crash-stop."""
    if (server.data_directory / "postmaster.pid").exists():
        return
    command = [server._tool("pg_ctl"), "start", server._pgdata(), f"--log={server.log_file}"]
    server._run([*command, "--wait", "--timeout=60"], "starting the server again")


@contextmanager
def _down(server: PostgresServer) -> Iterator[None]:
    _halt(server)
    try:
        yield
    finally:
        _resume(server)


@pytest.fixture
def wh(outage_server, tmp_path, monkeypatch) -> Iterator[Warehouse]:
    """The outage database with a fresh anchor (queue folder), set as the app's warehouse."""
    server, dsn = outage_server
    _resume(server)  # a test that failed while the server was down must not fail the next
    anchor = tmp_path / "anchor.duckdb"
    monkeypatch.setenv("REPURCHASE_BACKEND", "postgres")
    monkeypatch.setenv("REPURCHASE_POSTGRES_DSN", dsn)
    monkeypatch.setenv("REPURCHASE_WAREHOUSE", str(anchor))
    yield Warehouse(anchor, dsn=dsn)


def _rep_and_customers(wh: Warehouse) -> tuple[auth.User, list[str]]:
    rep = auth.user(wh, "rep")
    assert rep is not None and rep.rep_id
    with wh.connect() as cur:
        rows = cur.execute(
            "select customer_id from customers where owner_rep_id = $r order by customer_id",
            {"r": rep.rep_id},
        ).fetchall()
    return rep, [r[0] for r in rows]


def _entry(rep: auth.User, customer: str, now: datetime) -> visits.VisitInput:
    visit = visits.VisitInput(
        customer, now, "phone", "active", "relationship", "no_order", next(_notes)
    )
    return visits.with_submission_key(visit, rep)


def _stored(wh: Warehouse, note: str) -> int:
    with wh.connect() as cur:
        return cur.execute("select count(*) from visits where note = $n", {"n": note}).fetchone()[0]


def _now() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)


def test_a_visit_saved_after_the_database_crashed_is_queued_then_stored_once(outage_server, wh):
    """The probe of the issue: a save works, the server is crash-stopped, the next save is
    queued (not a raw duckdb.IOException), and stored once when the server is back."""
    server, _ = outage_server
    rep, customers = _rep_and_customers(wh)
    now = _now()
    before = _entry(rep, customers[0], now)
    assert not visit_queue.save(wh, rep, before, now).queued
    during = _entry(rep, customers[1], now)
    with _down(server):
        saved = visit_queue.save(wh, rep, during, now)
        assert saved.queued
        assert [p.submission_id for p in visit_queue.pending(wh)] == [during.submission_id]
    assert visit_queue.drain(wh).stored == 1
    assert visit_queue.pending(wh) == [] and visit_queue.failed(wh) == []
    assert _stored(wh, before.note) == 1
    assert _stored(wh, during.note) == 1


def test_a_read_while_the_database_is_down_says_so_and_the_next_one_works(outage_server, wh):
    server, _ = outage_server
    wh.schema_version()  # attached: the process has a pool of connections
    with _down(server):
        with pytest.raises(WarehouseUnavailableError, match="cannot reach the PostgreSQL"):
            wh.query("visit_choices")
    assert not wh.query("visit_choices").empty


def test_saves_from_many_threads_across_a_crash_are_each_stored_exactly_once(outage_server, wh):
    """Several sessions save while the server is crash-stopped under them: a save that said
    "stored" is stored once, every other one is queued, and the drain stores each once (a
    save cut during its commit may have landed: its submission key keeps it single)."""
    server, _ = outage_server
    rep, customers = _rep_and_customers(wh)
    now = _now()
    outcomes: dict[str, visit_queue.Saved] = {}
    notes: dict[str, str] = {}
    raised: list[BaseException] = []
    acknowledged = threading.Semaphore(0)
    halted = threading.Event()

    def saver(index: int) -> None:
        try:
            for n in itertools.count():
                entry = _entry(rep, customers[(index + n) % len(customers)], now)
                outcomes[entry.submission_id] = visit_queue.save(wh, rep, entry, now)
                notes[entry.submission_id] = entry.note
                acknowledged.release()
                if halted.is_set():
                    return  # one save at least met the server down
                if n >= 40:  # the crash never came: the assertions below say so
                    return
        except BaseException as exc:  # noqa: BLE001 (any escape is the failure under test)
            raised.append(exc)

    threads = [threading.Thread(target=saver, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(6):  # in the middle of the saves: some have landed, more are under way
            assert acknowledged.acquire(timeout=120)
        _halt(server)
        halted.set()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        halted.set()
        _resume(server)
    assert raised == []
    stored = {k for k, saved in outcomes.items() if not saved.queued}
    queued = {k for k, saved in outcomes.items() if saved.queued}
    assert stored and queued
    assert all(outcomes[k].unreachable for k in queued)
    assert {p.submission_id for p in visit_queue.pending(wh)} == queued
    assert all(_stored(wh, notes[k]) == 1 for k in stored)
    visit_queue.drain(wh)
    assert visit_queue.pending(wh) == [] and visit_queue.failed(wh) == []
    assert {k: _stored(wh, notes[k]) for k in outcomes} == dict.fromkeys(outcomes, 1)


def test_a_save_whose_commit_landed_as_the_server_went_is_not_stored_twice(
    outage_server, wh, monkeypatch
):
    """The commit reached PostgreSQL, its answer did not: the rep's visit is queued (the app
    cannot know it landed), and the drain finds its submission key and stores nothing more."""
    rep, customers = _rep_and_customers(wh)
    now = _now()
    entry = _entry(rep, customers[2], now)
    real = postgres.Cursor.execute
    cut = []

    def answer_lost(self, query, parameters=None):
        done = real(self, query, parameters)
        if query == "commit" and not cut:
            cut.append(query)
            raise postgres.unavailable(wh.dsn, RuntimeError("server closed the connection"))
        return done

    monkeypatch.setattr(postgres.Cursor, "execute", answer_lost)
    saved = visit_queue.save(wh, rep, entry, now)
    monkeypatch.undo()
    assert saved.queued and cut
    assert _stored(wh, entry.note) == 1  # it did land
    assert visit_queue.drain(wh).waiting == 0
    assert visit_queue.pending(wh) == []
    assert _stored(wh, entry.note) == 1


def test_a_tap_on_a_card_while_the_database_is_down_is_queued_then_stored_once(outage_server, wh):
    server, _ = outage_server
    rep, customers = _rep_and_customers(wh)
    now = datetime.now().replace(microsecond=0)
    tap = quick_outcomes.Tap(
        customers[3], "order", "1,250", quick_outcomes.card_state(None, None), orders_so_far=2
    )
    with _down(server):
        saved = quick_outcomes.record(wh, rep, tap, now)
        again = quick_outcomes.record(wh, rep, tap, now)  # a tap sent again on reconnect
    assert saved.queued and saved.unreachable and again.submission_id == saved.submission_id
    assert [p.submission_id for p in visit_queue.pending(wh)] == [saved.submission_id]
    visit_queue.drain(wh)
    with wh.connect() as cur:
        rows = cur.execute(
            "select v.result, v.order_amount from visits v join visit_submissions s "
            "on s.visit_id = v.visit_id where s.submission_id = $s",
            {"s": saved.submission_id},
        ).fetchall()
    assert [(r, float(a)) for r, a in rows] == [("order", 1250.0)]


def test_saves_on_pooled_connections_a_restart_broke_are_stored_once(outage_server, wh):
    """The server restarted between two saves: this process's pooled connections are dead
    (nobody told it). The next saves are stored or queued, never an error, each once."""
    server, _ = outage_server
    rep, customers = _rep_and_customers(wh)
    now = _now()

    def hold() -> None:  # several connections in the pool, not just one
        with wh.transaction() as cur:
            cur.execute("select count(*) from visits").fetchall()
            time.sleep(0.2)

    warm = [threading.Thread(target=hold) for _ in range(4)]
    for thread in warm:
        thread.start()
    for thread in warm:
        thread.join()
    with _down(server):
        pass
    entries = [_entry(rep, customers[n % len(customers)], now) for n in range(6)]
    saved = [visit_queue.save(wh, rep, entry, now) for entry in entries]
    visit_queue.drain(wh)
    assert visit_queue.pending(wh) == [] and visit_queue.failed(wh) == []
    assert [_stored(wh, e.note) for e in entries] == [1] * len(entries)
    assert all(s.visit_id is not None or s.unreachable for s in saved)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_page_says_the_visit_is_kept_and_a_read_says_the_database_is_away(
    outage_server, wh, language
):
    """The form on a page signed in before the crash: Save tells the rep, in their language,
    that the visit is kept and written when the database answers (no Streamlit error, no
    raw duckdb.IOException); a page that only reads says the database cannot be reached;
    once it is back the same page works again without a restart."""
    server, _ = outage_server
    at = signed_in("rep", language=language)
    at.switch_page("pages/log_visit.py").run()
    assert not at.exception
    note = next(_notes)
    with _down(server):
        at.text_area(key="log.note").input(note)
        at.button(key="log.save_button").click().run()
        assert not at.exception
        customer = at.session_state["log.customer"]
        kept = i18n.text("log.queued_unreachable", language, customer=customer)
        assert kept in [s.value for s in at.success]
        assert len(visit_queue.pending(wh)) == 1
        st.cache_data.clear()  # what a minute's wait would do: the reads go to the database
        st.cache_resource.clear()
        at.switch_page("app.py").run()  # the rep's home page (the call list), routed by app.py
        assert not at.exception
        assert i18n.text("error.unavailable", language) in [e.value for e in at.error]
    visit_queue.drain(wh)  # this or the server's drainer thread: either way once
    assert _stored(wh, note) == 1
    at.switch_page("pages/call_list.py").run()
    assert not at.exception and not at.error
    assert at.session_state["list.day"]  # the call list is drawn again


@pytest.mark.parametrize(
    ("message", "unreachable"),
    [
        ('IO Error: Unable to connect to Postgres at "host=h password=s3cret": refused', True),
        ('Failed to prepare COPY "...": server closed the connection unexpectedly', True),
        ("terminating connection due to administrator command", True),
        ("FATAL: the database system is starting up", True),
        ("FATAL: the database system is shutting down", True),
        ("could not receive data from server: Connection reset by peer", True),
        ('duplicate key value violates unique constraint "visits_pkey"', False),
        ("could not serialize access due to concurrent update", False),
        ('Catalog Error: Table with name "nope" does not exist', False),
    ],
)
def test_a_server_gone_away_reads_as_unavailable_and_nothing_else_does(message, unreachable):
    translated = postgres.translate(duckdb.Error(message), "host=h password=s3cret")
    assert isinstance(translated, WarehouseUnavailableError) is unreachable
    assert "s3cret" not in str(translated)
