"""The log and customer pages with the new outcomes, driven with AppTest: a call
nobody answered with a follow-up saved from the form and shown, a bad follow-up refused by
field in both languages, the edit form, and the customer's contact with a tap-to-call link."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from repurchase.ui import text

from ..reliability.conftest import signed_in


def _on_the_log_page(language: str = "en"):
    at = signed_in("rep", language=language)
    at.switch_page("pages/log_visit.py").run()
    assert not at.exception
    return at


def _app_visits(wh) -> pd.DataFrame:
    with wh.connect() as cur:
        return cur.execute(
            "select customer_id, result, follow_up_date, note from visits where source = 'app' "
            "order by visit_id"
        ).df()


def test_a_not_reached_call_with_a_follow_up_is_saved_from_the_form_and_shown(app_warehouse):
    at = _on_the_log_page()
    assert at.date_input(key="log.follow_up").value is None  # empty by default
    tomorrow = date.today() + timedelta(days=1)
    at.radio(key="log.result").set_value("not_reached")
    at.date_input(key="log.follow_up").set_value(tomorrow)
    at.text_area(key="log.note").input("rang out")
    at.button(key="log.save_button").click().run()
    assert not at.exception
    assert any("Saved the visit" in s.value for s in at.success)
    stored = _app_visits(app_warehouse)
    assert stored[["result", "note"]].values.tolist() == [["not_reached", "rang out"]]
    assert pd.Timestamp(stored.follow_up_date.iloc[0]).date() == tomorrow
    # the form is empty again, the follow-up too
    assert at.date_input(key="log.follow_up").value is None
    recent = at.dataframe[0].value  # the latest visits to the customer
    assert recent.iloc[0]["result"] == "Not reached"
    assert recent.iloc[0]["follow_up_date"] == f"{tomorrow:%Y-%m-%d}"
    assert f"Call back on {tomorrow:%Y-%m-%d}" in [c.value for c in at.caption]


@pytest.mark.parametrize(
    ("language", "field", "words"),
    [
        ("en", "Call back on: ", "must be after the visit's day"),
        ("zh", "下次跟进日期:", "必须晚于"),
    ],
)
def test_a_follow_up_on_the_visits_own_day_is_refused_by_field(
    app_warehouse, language, field, words
):
    at = _on_the_log_page(language)
    before = app_warehouse.table_counts()["visits"]
    at.date_input(key="log.follow_up").set_value(date.today())
    at.button(key="log.save_button").click().run()
    assert not at.exception
    assert len(at.error) == 1
    assert at.error[0].value.startswith(field) and words in at.error[0].value
    assert app_warehouse.table_counts()["visits"] == before


def test_the_edit_form_changes_the_result_and_the_follow_up(app_warehouse):
    at = _on_the_log_page()
    at.button(key="log.save_button").click().run()  # a "no demand" call, no follow-up
    visit_id = int(_app_visits_ids(app_warehouse)[0])
    in_a_week = date.today() + timedelta(days=7)
    at.radio(key=f"log.edit.result.{visit_id}").set_value("not_reached")
    at.date_input(key=f"log.edit.follow_up.{visit_id}").set_value(in_a_week)
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert not at.exception
    stored = _app_visits(app_warehouse)
    assert stored.result.tolist() == ["not_reached"]
    assert pd.Timestamp(stored.follow_up_date.iloc[0]).date() == in_a_week
    # a follow-up too far ahead is refused in the edit form too, by field
    at.date_input(key=f"log.edit.follow_up.{visit_id}").set_value(
        date.today() + timedelta(days=400)
    )
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert [e.value for e in at.error] == ["Call back on: at most 365 days after the visit"]
    assert pd.Timestamp(_app_visits(app_warehouse).follow_up_date.iloc[0]).date() == in_a_week


def _app_visits_ids(wh) -> list[int]:
    with wh.connect() as cur:
        return [
            r[0] for r in cur.execute("select visit_id from visits where source = 'app'").fetchall()
        ]


def _own_customer(wh, rep_id: str) -> str:
    with wh.connect() as cur:
        return cur.execute(
            "select min(customer_id) from customers where owner_rep_id = $r", {"r": rep_id}
        ).fetchone()[0]


def test_the_customer_page_shows_the_contact_with_a_tap_to_call_link(app_warehouse):
    at = signed_in("rep")
    customer = _own_customer(app_warehouse, at.session_state["auth.user"].rep_id)
    name, phone = "王*伟* <b>", "+86 (138) 0013-8000"
    with app_warehouse.transaction() as cur:
        cur.execute(
            "update customers set contact_name = $n, contact_phone = $p where customer_id = $c",
            {"n": name, "p": phone, "c": customer},
        )
    at.session_state["customer.id"] = customer
    at.switch_page("pages/customer.py").run()
    assert not at.exception
    line = next(m.value for m in at.markdown if "tel:" in m.value)
    assert "(tel:+8613800138000)" in line  # the link: digits and the leading + only
    assert f"[{text.plain(phone)}]" in line  # the number as stored, escaped
    assert any(e.value.endswith(f": {name}") for e in at.text)  # the name as text


def test_a_customer_without_a_contact_says_so(app_warehouse):
    at = signed_in("rep", language="zh")
    customer = _own_customer(app_warehouse, at.session_state["auth.user"].rep_id)
    with app_warehouse.transaction() as cur:
        cur.execute(
            "update customers set contact_name = null, contact_phone = null where customer_id = $c",
            {"c": customer},
        )
    at.session_state["customer.id"] = customer
    at.switch_page("pages/customer.py").run()
    assert not at.exception
    assert "暂无联系人信息" in [e.value for e in at.text]
