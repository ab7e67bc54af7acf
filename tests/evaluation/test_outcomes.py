"""Visit outcomes beyond yes/no: `not_reached`, follow-up dates, contacts, and the
import contract's new optional columns. Pages: tests/pages/test_outcomes_pages.py; the browser:
tests/browser/test_outcomes_browser.py."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from repurchase import codes, i18n
from repurchase.accounts import auth
from repurchase.errors import ImportValidationError
from repurchase.model import features
from repurchase.services import visit_queue, visits
from repurchase.warehouse import importer
from repurchase.warehouse.importing.contract import PHONE
from repurchase.warehouse.store import Warehouse

from ..conftest import REPO, SMALL, SMALL_UNTIL, snapshot
from ..reliability.conftest import file_held

# the warehouse, import, access and visit-logging tests run on both backends (conftest.py)
pytestmark = pytest.mark.both_backends

NOW = datetime(2026, 6, 30, 15, 0)
VISIT_HEADER = "rep_id,customer_id,visit_date,method,target,purpose,result,note,order_amount"
CUSTOMER_HEADER = "customer_id,name,customer_type,industry,tag,owner_rep_id"


def _rep_and_customer(wh: Warehouse) -> tuple[auth.User, str]:
    rep = auth.users.add(
        wh, "probe_rep", "a long probe passphrase", "rep", rep_id="R001", by=auth.SYSTEM
    )
    with wh.connect() as cur:
        customer = cur.execute(
            "select min(customer_id) from customers where owner_rep_id = 'R001'"
        ).fetchone()[0]
    return rep, customer


def _visit(customer: str, result: str = "no_order", **changes) -> visits.VisitInput:
    entry = visits.VisitInput(customer, NOW, "phone", "active", "relationship", result, "", None)
    return visits.VisitInput(**{**entry.__dict__, **changes})


def _stored(wh: Warehouse, visit_id: int) -> tuple:
    with wh.connect() as cur:
        return cur.execute(
            "select result, follow_up_date, order_amount from visits where visit_id = $v",
            {"v": visit_id},
        ).fetchone()


# ----------------------------------------------------------------------------- the app's visits


def test_not_reached_is_the_third_result_everywhere_a_result_is_named():
    assert codes.RESULTS == ("order", "no_order", "not_reached")
    assert i18n.value_label("result", "not_reached", "en") == "Not reached"
    assert i18n.value_label("result", "not_reached", "zh") == "未联系上"
    assert importer.RESULTS["未联系上"] == "not_reached"
    assert importer.RESULTS["not_reached"] == "not_reached"


def test_a_not_reached_call_with_a_follow_up_is_stored_and_edited(small_warehouse):
    rep, customer = _rep_and_customer(small_warehouse)
    entry = _visit(customer, "not_reached", follow_up_date=date(2026, 7, 2))
    visit_id = visits.log_visit(small_warehouse, rep, entry, NOW)
    assert _stored(small_warehouse, visit_id) == ("not_reached", date(2026, 7, 2), None)

    row = visits.entries_today(small_warehouse, rep, NOW.date()).iloc[0]
    assert visits.as_input(row).follow_up_date == date(2026, 7, 2)  # the edit form's start
    changed = visits.VisitInput(**{**visits.as_input(row).__dict__, "result": "no_order"})
    changed = visits.VisitInput(**{**changed.__dict__, "follow_up_date": None})
    visits.edit_visit(small_warehouse, rep, visit_id, changed, NOW)
    assert _stored(small_warehouse, visit_id) == ("no_order", None, None)


def test_a_not_reached_call_has_no_order_amount(small_warehouse):
    rep, customer = _rep_and_customer(small_warehouse)
    with pytest.raises(visits.VisitValidationError) as caught:
        visits.log_visit(
            small_warehouse, rep, _visit(customer, "not_reached", order_amount=5.0), NOW
        )
    assert [(p.field, p.key) for p in caught.value.problems] == [
        ("order_amount", "visit.error.amount_without_order")
    ]


BAD_FOLLOW_UPS = [
    ("the visit's own day", date(2026, 6, 30), "visit.error.follow_up_not_after"),
    ("before the visit", date(2026, 6, 1), "visit.error.follow_up_not_after"),
    (
        "more than a year on",
        date(2026, 6, 30) + timedelta(days=366),
        "visit.error.follow_up_too_far",
    ),
]


@pytest.mark.parametrize(
    ("follow_up", "key"), [c[1:] for c in BAD_FOLLOW_UPS], ids=[c[0] for c in BAD_FOLLOW_UPS]
)
def test_a_bad_follow_up_is_refused_by_field_and_nothing_is_stored(small_warehouse, follow_up, key):
    rep, customer = _rep_and_customer(small_warehouse)
    before = snapshot(small_warehouse)
    with pytest.raises(visits.VisitValidationError) as caught:
        visits.log_visit(small_warehouse, rep, _visit(customer, follow_up_date=follow_up), NOW)
    assert [(p.field, p.key) for p in caught.value.problems] == [("follow_up_date", key)]
    # the message is translated, with the field's own name
    assert i18n.text("log.field.follow_up_date", "en") == "Call back on"
    assert i18n.text(key, "zh", **dict(caught.value.problems[0].params))
    assert snapshot(small_warehouse) == before


def test_a_follow_up_a_year_on_is_accepted():
    entry = _visit("C1", follow_up_date=NOW.date() + timedelta(days=codes.FOLLOW_UP_MAX_DAYS))
    assert visits.check(entry, NOW) == []
    assert visits.check(_visit("C1", follow_up_date=NOW.date() + timedelta(days=1)), NOW) == []


def test_the_follow_up_is_part_of_the_submission_key_only_when_set():
    rep = auth.User("probe", "rep", "R001", None)
    plain = visits.with_submission_key(_visit("C1"), rep)
    later = visits.with_submission_key(_visit("C1", follow_up_date=date(2026, 7, 3)), rep)
    other = visits.with_submission_key(_visit("C1", follow_up_date=date(2026, 7, 4)), rep)
    assert len({plain.submission_id, later.submission_id, other.submission_id}) == 3
    # a visit without one keeps the key it had before follow-ups existed
    fields = ["probe", "C1", "2026-06-30T15:00", "phone", "active", "relationship", "no_order"]
    old = hashlib.sha256("\x1f".join([*fields, "", ""]).encode()).hexdigest()
    assert plain.submission_id == old


# ----------------------------------------------------------------------------- the queue


def test_a_saved_visit_lands_in_the_warehouse_it_was_given_whatever_the_environment_says(
    small_warehouse, monkeypatch
):
    # a handle made with its own dsn (or as a file) must not be swapped for the backend the
    # environment names: the visit would go to another database, or be refused there
    for name in ("REPURCHASE_BACKEND", "REPURCHASE_POSTGRES_DSN"):
        monkeypatch.delenv(name, raising=False)
    wh = small_warehouse
    rep, customer = _rep_and_customer(wh)
    saved = visit_queue.save(wh, rep, visits.with_submission_key(_visit(customer), rep), NOW)
    assert not saved.queued
    assert _stored(wh, saved.visit_id) == ("no_order", None, None)


@pytest.mark.file_only  # the queue exists for when the file is held
def test_queued_visits_with_and_without_a_follow_up_drain_as_typed(small_warehouse, monkeypatch):
    monkeypatch.setenv("REPURCHASE_LOCK_TIMEOUT", "1")
    wh = Warehouse(small_warehouse.path)
    rep, customer = _rep_and_customer(wh)
    entries = [
        visits.with_submission_key(_visit(customer, "not_reached", note="a"), rep),
        visits.with_submission_key(
            _visit(customer, "not_reached", note="b", follow_up_date=date(2026, 7, 1)), rep
        ),
    ]
    with file_held(wh.path):
        assert all(visit_queue.save(wh, rep, e, NOW).queued for e in entries)
    assert visit_queue.drain(wh).stored == 2
    with wh.connect() as cur:
        rows = cur.execute(
            "select note, result, follow_up_date from visits where source = 'app' order by note"
        ).fetchall()
    assert rows == [("a", "not_reached", None), ("b", "not_reached", date(2026, 7, 1))]


def test_a_queue_file_written_before_follow_ups_existed_still_drains(small_warehouse):
    rep, customer = _rep_and_customer(small_warehouse)
    entry = visits.with_submission_key(_visit(customer, note="queued last week"), rep)
    folder = visit_queue.folder(small_warehouse)
    folder.mkdir()
    old_fields = {k: v for k, v in entry.__dict__.items() if k != "follow_up_date"}
    payload = {
        "username": rep.username,
        "queued_at": NOW.isoformat(),
        "visit": {**old_fields, "visited_at": NOW.isoformat()},
    }
    (folder / f"{entry.submission_id}.json").write_text(json.dumps(payload), encoding="utf-8")
    assert [p.customer_id for p in visit_queue.pending(small_warehouse)] == [customer]
    assert visit_queue.drain(small_warehouse).stored == 1
    with small_warehouse.connect() as cur:
        assert cur.execute(
            "select result, follow_up_date from visits where note = 'queued last week'"
        ).fetchall() == [("no_order", None)]


# ----------------------------------------------------------------------------- the import


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_old_visits_file_imports_exactly_as_before(tmp_path):
    """The golden files (no follow-up column) give the content keys they gave before follow-ups
    existed: the fingerprint below was taken with the code on main before this change."""
    wh = Warehouse(tmp_path / "golden.duckdb")
    data = REPO / "tests" / "data"
    importer.import_files(
        wh, [data / f"golden_{k}.csv" for k in ("reps", "customers", "visits", "orders")]
    )
    with wh.connect() as cur:
        keys = [
            r[0] for r in cur.execute("select dedup_key from visits order by visit_id").fetchall()
        ]
        rows = cur.execute(
            "select visit_id, rep_id, customer_id, visited_at, method, target, purpose, result, "
            "note, order_amount from visits order by visit_id"
        ).fetchall()
        contacts = cur.execute("select count(contact_name) from customers").fetchone()[0]
    assert hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16] == "59734de52612428b"
    assert hashlib.sha256(repr(rows).encode()).hexdigest()[:16] == "b1276f02abd4e246"
    assert contacts == 0


def test_new_visit_columns_and_the_erp_label_import(small_warehouse, tmp_path):
    rows = [
        "R001,C00001,2026-06-01 10:15,phone,active,x,未联系上,没人接,,2026-06-03",
        "R001,C00002,2026-06-01,im,active,x,Not_Reached,,,",
        "R001,C00002,2026-06-02,im,active,x,no_order,下月再联系,,2027-06-02",
    ]
    path = _write(tmp_path, "visits.csv", [VISIT_HEADER + ",follow_up_date", *rows])
    assert importer.import_files(small_warehouse, [path]).inserted == {"visits": 3}
    with small_warehouse.connect() as cur:
        got = cur.execute(
            "select result, follow_up_date from visits where source = 'import' order by visit_id"
        ).fetchall()
    assert got == [
        ("not_reached", date(2026, 6, 3)),
        ("not_reached", None),
        ("no_order", date(2027, 6, 2)),  # a year on: the last day allowed
    ]
    # the same file again adds nothing
    assert importer.import_files(small_warehouse, [path]).inserted == {"visits": 0}


BAD_IMPORTS = [
    (
        "follow-up on the visit's day",
        ["R001,C00001,2026-06-01 10:00,phone,active,x,no_order,,,2026-06-01"],
        "follow_up_date",
        "is not after the visit's day (2026-06-01)",
    ),
    (
        "follow-up over a year on",
        ["R001,C00001,2026-06-01,phone,active,x,no_order,,,2027-06-02"],
        "follow_up_date",
        "more than 365 days after the visit",
    ),
    (
        "follow-up not a date",
        ["R001,C00001,2026-06-01,phone,active,x,no_order,,,next week"],
        "follow_up_date",
        "is not a valid ISO-8601 date",
    ),
    (
        "an amount on a call nobody answered",
        ["R001,C00001,2026-06-01,phone,active,x,未联系上,,100,"],
        "order_amount",
        "whose result is not_reached",
    ),
    (
        "a result nobody knows",
        ["R001,C00001,2026-06-01,phone,active,x,unreachable,,,"],
        "result",
        "is not one of",
    ),
]


@pytest.mark.parametrize(
    ("rows", "column", "words"), [c[1:] for c in BAD_IMPORTS], ids=[c[0] for c in BAD_IMPORTS]
)
def test_a_bad_new_visit_value_is_refused_by_file_line_and_column(
    small_warehouse, tmp_path, rows, column, words
):
    good = "R001,C00002,2026-06-01,phone,active,x,no_order,,,2026-06-08"
    path = _write(tmp_path, "visits.csv", [VISIT_HEADER + ",follow_up_date", good, *rows])
    before = snapshot(small_warehouse)
    with pytest.raises(ImportValidationError) as caught:
        importer.import_files(small_warehouse, [path])
    issue = caught.value.issues[0]
    assert (issue.file, issue.line, issue.column) == ("visits.csv", 3, column)
    assert words in issue.message
    assert snapshot(small_warehouse) == before


def _contacts(wh: Warehouse, *ids: str) -> list[tuple]:
    with wh.connect() as cur:
        return cur.execute(
            "select customer_id, name, contact_name, contact_phone from customers "
            "where list_contains($ids, customer_id) order by customer_id",
            {"ids": list(ids)},
        ).fetchall()


def test_contacts_import_and_a_file_without_the_columns_keeps_them(small_warehouse, tmp_path):
    header = CUSTOMER_HEADER + ",contact_name,contact_phone"
    with_contacts = [
        header,
        "C00001,Alpha,trader,consumer,key,R001,王伟,+86 138-0013-8000",
        "C00002,Beta,trader,consumer,key,R001,李娜,(0755) 8888 6666",
        "C00003,Gamma,trader,consumer,key,R001,,",
    ]
    importer.import_files(small_warehouse, [_write(tmp_path, "customers.csv", with_contacts)])
    assert _contacts(small_warehouse, "C00001", "C00002", "C00003") == [
        ("C00001", "Alpha", "王伟", "+86 138-0013-8000"),
        ("C00002", "Beta", "李娜", "(0755) 8888 6666"),
        ("C00003", "Gamma", None, None),  # an empty cell: no contact on record
    ]
    old_file = [CUSTOMER_HEADER, "C00001,Alpha Renamed,trader,consumer,key,R001"]
    importer.import_files(small_warehouse, [_write(tmp_path, "customers.csv", old_file)])
    assert _contacts(small_warehouse, "C00001") == [
        ("C00001", "Alpha Renamed", "王伟", "+86 138-0013-8000")
    ]


@pytest.mark.parametrize(
    "phone",
    ["call me", "138 0013 8000 ext. 5", "12", "++86 138", "138+0013", "1" * 31, "138\u30000013"],
)
def test_a_phone_that_is_not_a_number_is_refused_by_name(small_warehouse, tmp_path, phone):
    lines = [
        CUSTOMER_HEADER + ",contact_name,contact_phone",
        "C00001,Alpha,trader,consumer,key,R001,王伟,13800138000",
        f"C00002,Beta,trader,consumer,key,R001,李娜,{phone}",
    ]
    before = snapshot(small_warehouse)
    with pytest.raises(ImportValidationError) as caught:
        importer.import_files(small_warehouse, [_write(tmp_path, "customers.csv", lines)])
    issue = caught.value.issues[0]
    assert (issue.file, issue.line, issue.column) == ("customers.csv", 3, "contact_phone")
    assert snapshot(small_warehouse) == before


# ----------------------------------------------------------------------------- the demo


def test_the_demo_has_all_three_results_contacts_and_follow_ups_due_on_its_first_day(
    small_demo,
):
    v, c = small_demo.visits, small_demo.customers
    counts = v.result.value_counts()
    assert set(counts.index) == set(codes.RESULTS)
    failed = counts["no_order"] + counts["not_reached"]
    assert 0.1 < counts["not_reached"] / failed < 0.45  # a realistic share of failed calls
    assert c.contact_name.notna().mean() > 0.75 and c.contact_phone.notna().mean() > 0.7
    assert c.contact_phone.dropna().str.match(PHONE).all()  # the import's own rule
    named = c.contact_name.dropna()
    assert named.str.match(r"^[\u4e00-\u9fff]{2,3}$").all()  # Chinese names
    follow_ups = v.dropna(subset=["follow_up_date"])
    day = follow_ups.visit_date.dt.date
    assert (follow_ups.follow_up_date > day).all()
    assert (follow_ups.follow_up_date <= day + timedelta(days=codes.FOLLOW_UP_MAX_DAYS)).all()
    first_day = SMALL["end"] + timedelta(days=1)
    due = follow_ups[follow_ups.follow_up_date == first_day]
    assert set(due.rep_id) == set(v[v.visit_date.dt.date >= first_day - timedelta(days=7)].rep_id)
    assert (follow_ups.follow_up_date > first_day).any()  # and more in the next days


# Fingerprints of the small demo's tables taken with the code before the visit outcomes, with
# the new details read away (not_reached as no_order, no follow-up, no contacts).
BEFORE = {
    "visits": "0b1d825a49fe5f0f",
    "orders": "7ff3606cb85dd506",
    "reps": "0b0aa48b0daf19a9",
    "customers": "ae37c7374b1e91db",
    "truth_windows": "f983bd3ecc014922",
    "truth_customers": "0b03efd430dcd275",
    "truth_reps": "a4efdec9fc079b56",
    "truth_visits": "52e9b4193fc5b232",
}


def _fingerprint(frame: pd.DataFrame) -> str:
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).values.tobytes())
    return digest.hexdigest()[:16]


def test_the_demo_details_leave_every_other_value_as_it_was(small_demo):
    visits_then = small_demo.visits.assign(
        result=small_demo.visits.result.replace({"not_reached": "no_order"})
    ).drop(columns="follow_up_date")
    customers_then = small_demo.customers.drop(columns=["contact_name", "contact_phone"])
    now = {
        "visits": _fingerprint(visits_then),
        "orders": _fingerprint(small_demo.orders),
        "reps": _fingerprint(small_demo.reps),
        "customers": _fingerprint(customers_then),
        **{f"truth_{k}": _fingerprint(f) for k, f in small_demo.truth().items()},
    }
    assert now == BEFORE


@pytest.mark.file_only  # compares two copies of the file
def test_the_models_inputs_read_not_reached_as_a_call_without_an_order(small_warehouse, tmp_path):
    """The demo's features with not_reached stored are those of the same visits stored as
    no_order: the model sees exactly what it saw before the third result existed."""
    shutil.copy(small_warehouse.path, tmp_path / "then.duckdb")
    then = Warehouse(tmp_path / "then.duckdb")
    with then.transaction() as cur:
        cur.execute("update visits set result = 'no_order' where result = 'not_reached'")
        cur.execute("update visits set follow_up_date = null")
    with small_warehouse.connect() as cur:
        stored = cur.execute("select count(*) from visits where result = 'not_reached'")
        assert stored.fetchone()[0] > 100
    now, before = (features.load_history(w, SMALL_UNTIL) for w in (small_warehouse, then))
    assert _fingerprint(now.events) == _fingerprint(before.events)
    anchors = features.weekly_anchors(now, date(2026, 3, 2), date(2026, 5, 25))
    vocabulary = features.fit_vocabulary(now)
    for feature_set in features.FEATURE_SETS:
        got, want = (
            features.build_samples(h, anchors, feature_set, vocabulary, codes.HORIZON_DAYS)
            for h in (now, before)
        )
        assert got.temporal.shape[0] > 500
        assert (got.temporal == want.temporal).all() and (got.labels == want.labels).all()
        assert (got.static == want.static).all()


def test_the_second_story_has_the_new_details_and_nothing_else_moved():
    from repurchase.demo import story_projects

    story = story_projects.make(seed=11, reps=3, customers=200, days=200, end=date(2026, 6, 30))
    assert set(story.visits.result) == set(codes.RESULTS)
    assert story.customers.contact_phone.notna().mean() > 0.7
    assert story.visits.follow_up_date.notna().any()
    then = story.visits.assign(
        result=story.visits.result.replace({"not_reached": "no_order"})
    ).drop(columns="follow_up_date")
    assert _fingerprint(then) == "440a3df160cd8b90"  # taken before the visit outcomes
    assert _fingerprint(story.orders) == "9710a0bf67a65968"


def test_the_customer_timeline_shows_calls_nobody_answered_on_their_own_row():
    from repurchase.ui import charts

    visits_frame = pd.DataFrame(
        {
            "visited_at": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-02-02"]),
            "result": ["order", "no_order", "not_reached"],
            "rep_name": ["A", "B", "B"],
        }
    )
    empty_orders = pd.DataFrame({"order_date": pd.to_datetime([])})
    empty_scores = pd.DataFrame({"score_date": pd.to_datetime([]), "p_order": []})
    fig = charts.customer_timeline(
        visits_frame, empty_orders, empty_scores, lambda k, **p: k, lambda r: r
    )
    assert [(trace.y[0], len(trace.x)) for trace in fig.data] == [
        ("order", 1),
        ("no_order", 1),
        ("not_reached", 1),
    ]


@pytest.mark.file_only  # compares two copies of the file
def test_success_rates_and_the_on_list_evaluation_count_not_reached_as_a_call_without_order(
    small_warehouse, tmp_path
):
    """The same visits with not_reached read as no_order give the same counts and rates: a call
    nobody answered is a call attempt that did not produce an order."""
    from repurchase.evaluation import outcomes as evaluate

    shutil.copy(small_warehouse.path, tmp_path / "then.duckdb")
    then = Warehouse(tmp_path / "then.duckdb")
    with then.transaction() as cur:
        cur.execute("update visits set result = 'no_order' where result = 'not_reached'")
    first, last = date(2026, 1, 1), date(2026, 6, 30)
    pd.testing.assert_frame_equal(
        small_warehouse.query("stats_visit_outcomes"), then.query("stats_visit_outcomes")
    )
    got, want = (evaluate.on_list_visits(w, first, last) for w in (small_warehouse, then))
    assert len(got) > 1000 and got.success.sum() > 0
    pd.testing.assert_frame_equal(evaluate.on_off_table(got), evaluate.on_off_table(want))
    customer = got.customer_id.iloc[0]
    profiles = (w.query("customer_profile", customer_id=customer) for w in (small_warehouse, then))
    assert len({int(p.successful_visits.iloc[0]) for p in profiles}) == 1
