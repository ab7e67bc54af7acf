"""One tap per call on the call list page (AppTest): a tap stores one visit and folds the card
to its outcome in the same run, with an Undo that removes exactly that visit; a bad amount is
refused on the card with nothing stored; managers and past days get no outcome buttons."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from repurchase import i18n
from repurchase.services import quick_outcomes

from ..reliability.conftest import signed_in

TODAY = date.today()


def _first_open(at) -> str:
    """The customer of the first card offering the outcome buttons."""
    key = next(b.key for b in at.button if b.key and b.key.startswith("list.tap_no_order."))
    return key.split(".")[2]


def _tap_keys(at, customer_id: str) -> set[str]:
    return {
        b.key
        for b in at.button
        if b.key
        and b.key.startswith(("list.tap_not_reached.", "list.tap_no_order.", "list.tap_order."))
        and b.key.split(".")[2] == customer_id
    }


def _key(at, prefix: str, customer_id: str) -> str:
    return next(b.key for b in at.button if b.key and b.key.startswith(f"{prefix}.{customer_id}."))


def _visits_today(wh, customer_id: str) -> list[tuple]:
    with wh.connect() as cur:
        return cur.execute(
            "select visit_id, result, order_amount, method from visits where customer_id = $c"
            " and visited_at >= $d order by visit_id",
            {"c": customer_id, "d": datetime.combine(TODAY, datetime.min.time())},
        ).fetchall()


def _texts(at) -> list[str]:
    return (
        [s.value for s in at.success] + [c.value for c in at.caption] + [i.value for i in at.info]
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_tap_stores_one_visit_folds_the_card_and_undo_removes_exactly_it(app_warehouse, lang):
    wh = app_warehouse
    tr = lambda key, **p: i18n.text(key, lang, **p)  # noqa: E731
    at = signed_in("rep", language=lang)
    cid = _first_open(at)
    n = len({b.key.split(".")[2] for b in at.button if b.key.startswith("list.tap_no_order.")})
    before = _tap_keys(at, cid)
    assert len(before) == 3  # not reached, no demand, order
    at.button(key=_key(at, "list.tap_no_order", cid)).click().run()
    assert not at.exception
    stored = _visits_today(wh, cid)
    assert [(v[1], v[3]) for v in stored] == [("no_order", "phone")]
    assert not _tap_keys(at, cid)  # folded: the card shows its outcome, no buttons to tap
    done = tr("tap.done", time=f"{_visited_at(wh, stored[0][0]):%H:%M}", result="")
    assert any(s.startswith(done) for s in _texts(at))
    assert tr("tap.progress", done=1, n=n) in _texts(at)
    undo = f"list.tap_undo.{cid}.{stored[0][0]}"
    assert undo in {b.key for b in at.button}

    at.run()  # a rerun (a language switch, another widget) stores nothing
    assert len(_visits_today(wh, cid)) == 1

    at.button(key=undo).click().run()
    assert not at.exception
    assert _visits_today(wh, cid) == []
    assert _tap_keys(at, cid) == before  # the card as it was, ready for the next tap
    assert any(cid in s and s.startswith(tr("tap.undone", name="")[:4]) for s in _texts(at))
    with wh.connect() as cur:
        audit = cur.execute(
            "select action, changed_by from visit_audit where visit_id = $v order by audit_id",
            {"v": stored[0][0]},
        ).fetchall()
    assert audit == [("create", "rep"), ("delete", "rep")]


def _visited_at(wh, visit_id: int) -> datetime:
    with wh.connect() as cur:
        return cur.execute(
            "select visited_at from visits where visit_id = $v", {"v": visit_id}
        ).fetchone()[0]


def test_an_order_is_stored_with_its_amount_as_typed_on_a_chinese_keyboard(app_warehouse):
    at = signed_in("rep", language="zh")
    cid = _first_open(at)
    at.text_input(key=_amount_key(at, cid)).input("１２，５００")
    at.button(key=_key(at, "list.tap_order", cid)).click().run()
    assert not at.exception
    assert [(v[1], v[2]) for v in _visits_today(app_warehouse, cid)] == [("order", 12500)]
    assert any("12,500" in s for s in _texts(at))


def _amount_key(at, customer_id: str) -> str:
    return next(
        w.key
        for w in at.text_input
        if w.key and w.key.startswith(f"list.tap_amount.{customer_id}.")
    )


@pytest.mark.parametrize(
    ("button", "typed", "key", "params"),
    [
        ("list.tap_order", "", "tap.error.amount_missing", {}),
        ("list.tap_order", "abc", "visit.error.amount_not_number", {}),
        ("list.tap_order", "-300", "visit.error.amount_negative", {}),
        ("list.tap_order", "1" * 20, "visit.error.amount_too_large", {"max": 999_999_999_999.99}),
        ("list.tap_no_order", "300", "tap.error.amount_not_order", {}),
    ],
)
def test_a_bad_amount_is_refused_on_the_card_and_nothing_stored(
    app_warehouse, button, typed, key, params
):
    at = signed_in("rep", language="en")
    cid = _first_open(at)
    buttons = _tap_keys(at, cid)
    at.text_input(key=_amount_key(at, cid)).input(typed)
    at.button(key=_key(at, button, cid)).click().run()
    assert not at.exception
    said = [e.value for e in at.error]
    assert said == [f"{i18n.text('log.field.order_amount')}: {i18n.text(key, 'en', **params)}"]
    assert _visits_today(app_warehouse, cid) == []
    assert _tap_keys(at, cid) == buttons  # the card stays as it was, ready to correct


def test_a_manager_and_a_past_day_get_no_outcome_buttons(app_warehouse):
    manager = signed_in("manager", language="en")
    manager.switch_page("pages/call_list.py").run()
    assert not manager.exception
    assert not [b for b in manager.button if b.key and b.key.startswith("list.tap_")]
    rep = signed_in("rep", language="en")
    rep.date_input(key="list.day").set_value(TODAY - timedelta(days=1)).run()
    assert not rep.exception
    assert not [b for b in rep.button if b.key and b.key.startswith("list.tap_")]


def test_the_card_state_changes_with_a_call_and_comes_back_with_its_undo():
    drawn = quick_outcomes.card_state("2026-12-01 10:00:00", None)
    assert drawn == quick_outcomes.card_state("2026-12-01 10:00:00", None)
    assert drawn != quick_outcomes.card_state("2026-12-06 09:12:31", "no_order")
