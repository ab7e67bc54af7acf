"""One tap per call: the amount a rep types, the visit a tap stores (once, whatever is tapped
twice), its Undo (exactly that visit, audited), and what is refused with nothing stored."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta

import pytest

from repurchase.accounts import auth
from repurchase.errors import AccessDeniedError
from repurchase.services import quick_outcomes, visit_queue
from repurchase.services.quick_outcomes import Tap
from repurchase.services.visits import AMOUNT_MAX, VisitValidationError

from ..reliability.conftest import file_held

pytestmark = pytest.mark.both_backends


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1200", 1200.0),
        (" 1200.5 ", 1200.5),
        ("12,500.25", 12500.25),
        ("12 500", 12500.0),
        ("１２５００", 12500.0),  # full-width, as a Chinese keyboard types it
        ("１２，５００", 12500.0),
        ("¥800", 800.0),
        ("￥800", 800.0),
        ("800元", 800.0),
        ("0.01", 0.01),
        ("999999999999.99", AMOUNT_MAX),
    ],
)
def test_an_amount_is_read_as_people_type_it(typed, amount):
    assert quick_outcomes.parse_amount(typed) == amount


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("", "tap.error.amount_missing"),
        ("   ", "tap.error.amount_missing"),
        (None, "tap.error.amount_missing"),
        ("abc", "visit.error.amount_not_number"),
        ("12abc", "visit.error.amount_not_number"),
        ("1e5", "visit.error.amount_not_number"),
        ("nan", "visit.error.amount_not_number"),
        ("inf", "visit.error.amount_not_number"),
        ("12,5", "visit.error.amount_not_number"),
        ("1.234", "visit.error.amount_not_number"),
        ("1..2", "visit.error.amount_not_number"),
        ("-5", "visit.error.amount_negative"),
        ("－５", "visit.error.amount_negative"),
        ("0", "tap.error.amount_zero"),
        ("0.00", "tap.error.amount_zero"),
        ("1000000000000", "visit.error.amount_too_large"),
        ("9" * 40, "visit.error.amount_too_large"),
    ],
)
def test_a_bad_amount_is_refused_with_its_reason(typed, key):
    with pytest.raises(VisitValidationError) as refused:
        quick_outcomes.parse_amount(typed)
    assert [(p.field, p.key) for p in refused.value.problems] == [("order_amount", key)]


@pytest.fixture
def people(app_warehouse):
    wh = app_warehouse
    rep = auth.authenticate(wh, "rep", auth.DEMO_PASSWORD)
    manager = auth.authenticate(wh, "manager", auth.DEMO_PASSWORD)
    with wh.connect() as cur:
        own = cur.execute(
            "select customer_id from customers where owner_rep_id = $r order by 1 limit 1",
            {"r": rep.rep_id},
        ).fetchone()[0]
        other = cur.execute(
            "select customer_id from customers where owner_rep_id <> $r order by 1 limit 1",
            {"r": rep.rep_id},
        ).fetchone()[0]
    return wh, rep, manager, own, other


def _visits(wh, customer_id: str) -> list[tuple]:
    with wh.connect() as cur:
        return cur.execute(
            "select visit_id, method, result, order_amount, entered_by, source from visits"
            " where customer_id = $c and visited_at >= $d order by visit_id",
            {"c": customer_id, "d": datetime.combine(date.today(), datetime.min.time())},
        ).fetchall()


def _audit(wh, visit_id: int) -> list[tuple]:
    with wh.connect() as cur:
        return cur.execute(
            "select action, changed_by, before, after from visit_audit where visit_id = $v"
            " order by audit_id",
            {"v": visit_id},
        ).fetchall()


def test_a_tap_stores_one_phone_visit_and_a_double_tap_stores_nothing_more(people):
    wh, rep, _manager, own, _other = people
    tap = Tap(own, "order", "１２，５００", card_state="drawn-1")
    first = quick_outcomes.record(wh, rep, tap)
    again = quick_outcomes.record(wh, rep, tap)  # the second tap of a double tap
    # the other button pressed on the same card before it was drawn anew: the same call
    slip = quick_outcomes.record(wh, rep, Tap(own, "no_order", "", card_state="drawn-1"))
    assert not first.queued and first.visit_id == again.visit_id == slip.visit_id
    stored = _visits(wh, own)
    assert stored == [(first.visit_id, "phone", "order", 12500.0, "rep", "app")]
    assert [a[:2] for a in _audit(wh, first.visit_id)] == [("create", "rep")]
    # the card drawn after the tap has a new state: a second call later is a second visit
    later = quick_outcomes.record(wh, rep, Tap(own, "not_reached", "", card_state="drawn-2"))
    assert later.visit_id != first.visit_id
    assert [v[2] for v in _visits(wh, own)] == ["order", "not_reached"]


def test_taps_at_the_same_moment_store_one_visit(people):
    wh, rep, _manager, own, _other = people
    tap = Tap(own, "no_order", "", card_state="same")
    saved: list[visit_queue.Saved] = []
    threads = [
        threading.Thread(target=lambda: saved.append(quick_outcomes.record(wh, rep, tap)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(saved) == 4 and len({s.visit_id for s in saved}) == 1
    assert len(_visits(wh, own)) == 1


def test_undo_removes_exactly_that_visit_audited_and_the_card_can_be_tapped_again(people):
    wh, rep, _manager, own, _other = people
    kept = quick_outcomes.record(wh, rep, Tap(own, "not_reached", "", card_state="a")).visit_id
    tapped = quick_outcomes.record(wh, rep, Tap(own, "no_order", "", card_state="b")).visit_id
    quick_outcomes.undo(wh, rep, tapped)
    assert [v[0] for v in _visits(wh, own)] == [kept]
    audit = _audit(wh, tapped)
    assert [a[:2] for a in audit] == [("create", "rep"), ("delete", "rep")]
    assert json.loads(audit[1][2])["result"] == "no_order" and audit[1][3] is None
    # Undo brings the card's previous state back; the same tap from it is a new visit
    again = quick_outcomes.record(wh, rep, Tap(own, "order", "300", card_state="b"))
    assert again.visit_id not in (kept, tapped)
    assert [v[2] for v in _visits(wh, own)] == ["not_reached", "order"]


def test_undo_is_refused_for_anything_but_the_users_own_entry_of_today(people):
    wh, rep, manager, own, _other = people
    visit_id = quick_outcomes.record(wh, rep, Tap(own, "no_order", "", card_state="x")).visit_id
    with pytest.raises(AccessDeniedError):
        quick_outcomes.undo(wh, manager, visit_id)
    with pytest.raises(AccessDeniedError, match="final"):
        quick_outcomes.undo(wh, rep, visit_id, now=datetime.now() + timedelta(days=1))
    assert [v[0] for v in _visits(wh, own)] == [visit_id]


@pytest.mark.parametrize(
    ("outcome", "typed", "key"),
    [
        ("order", "", "tap.error.amount_missing"),
        ("order", "-20", "visit.error.amount_negative"),
        ("order", "twelve", "visit.error.amount_not_number"),
        ("order", "1" * 16, "visit.error.amount_too_large"),
        ("no_order", "500", "tap.error.amount_not_order"),
        ("not_reached", "500", "tap.error.amount_not_order"),
        ("maybe", "", "visit.error.result"),
    ],
)
def test_a_bad_tap_stores_nothing(people, outcome, typed, key):
    wh, rep, _manager, own, _other = people
    with pytest.raises(VisitValidationError) as refused:
        quick_outcomes.record(wh, rep, Tap(own, outcome, typed, card_state="s"))
    assert [p.key for p in refused.value.problems] == [key]
    assert _visits(wh, own) == []


def test_a_manager_or_another_reps_customer_is_refused_and_nothing_stored(people):
    wh, rep, manager, own, other = people
    with pytest.raises(AccessDeniedError):
        quick_outcomes.record(wh, rep, Tap(other, "no_order", "", card_state="s"))
    with pytest.raises(AccessDeniedError):
        quick_outcomes.record(wh, manager, Tap(own, "no_order", "", card_state="s"))
    assert _visits(wh, own) == [] and _visits(wh, other) == []


def test_the_segment_is_what_a_crm_shows_at_the_call(people):
    wh, _rep, _manager, own, _other = people
    today = date.today()
    with wh.transaction() as cur:
        cur.execute("delete from orders where customer_id = $c", {"c": own})
        cur.execute("delete from visits where customer_id = $c", {"c": own})
    assert quick_outcomes.segment(wh, own, today) == "new_customer"
    with wh.transaction() as cur:
        cur.execute(
            "insert into orders (customer_id, order_date, amount, source)"
            " values ($c, $d, 100, 'erp')",
            {"c": own, "d": today - timedelta(days=120)},
        )
    assert quick_outcomes.segment(wh, own, today) == "no_order_3m"
    assert quick_outcomes.segment(wh, own, today - timedelta(days=100)) == "first_order"
    with wh.transaction() as cur:
        cur.execute(
            "insert into orders (customer_id, order_date, amount, source)"
            " values ($c, $d, 100, 'erp')",
            {"c": own, "d": today - timedelta(days=10)},
        )
    assert quick_outcomes.segment(wh, own, today) == "active"


@pytest.mark.file_only
def test_a_tap_while_a_job_holds_the_file_is_queued_once_and_stored_later(people):
    wh, rep, _manager, own, _other = people
    tap = Tap(own, "no_order", "", card_state="busy", orders_so_far=1)
    with file_held(wh.path):
        first = quick_outcomes.record(wh, rep, tap)
        again = quick_outcomes.record(wh, rep, tap)
    assert first.queued and again.queued and first.submission_id == again.submission_id
    assert len(visit_queue.pending(wh, "rep")) == 1
    visit_queue.drain(wh)
    assert [v[2] for v in _visits(wh, own)] == ["no_order"]
    with wh.connect() as cur:
        target = cur.execute(
            "select target from visits where visit_id = $v", {"v": _visits(wh, own)[0][0]}
        ).fetchone()[0]
    assert target == "first_order"  # the card's count of orders, the file being held
