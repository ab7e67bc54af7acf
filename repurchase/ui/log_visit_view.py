"""The log-a-visit page's parts: the form and its save, the customer's recent visits, and the
user's own entries of today, each editable or deletable (audited).
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from repurchase.accounts.auth import User
from repurchase.errors import RepurchaseError
from repurchase.services import visits
from repurchase.ui import actions, cached, display, resources, text, widgets
from repurchase.ui.text import t

JUST_SAVED = "log.just_saved"  # (customer, message key) of the save the last rerun followed


def after_save() -> None:
    """Say what the last save did, and empty the form for the next visit.

    A save ends with a rerun that empties the form. A second click on Save (a double click, a
    click on a stale form after a reconnect) submits the same content again, and the same
    content has the same submission key (visits.with_submission_key): it is stored once.
    Fields are emptied only in a run that is not itself a Save, so a submission keeps its
    values."""
    submitting = bool(st.session_state.get("log.save_button"))
    saved = st.session_state.pop(JUST_SAVED, None)
    if saved is None:
        return
    if not submitting:
        # set, not deleted: a deleted key lets the browser send its old value back
        st.session_state.update(
            {
                "log.result": "no_order",
                "log.amount": None,
                "log.note": "",
                "log.when": resources.now(),
                "log.follow_up": None,
            }
        )
    customer, message = saved
    st.success(t(message, customer=text.plain(customer)))


def _result(key: str, chosen: str) -> str:
    return st.radio(
        t("log.result"),
        list(visits.RESULTS),
        horizontal=True,
        index=visits.RESULTS.index(chosen),
        format_func=text.markdown_label_for("result"),
        key=key,
    )


def visit_form(user: User, now: datetime) -> tuple[str, visits.VisitInput | None]:
    """The form: the customer picked, and the visit typed when Save was clicked (else None)."""
    choices = cached.visit_choices()
    with st.form("log.form", clear_on_submit=False):
        customer_id = widgets.pick_customer(
            user, "log.customer", "log.customer_choice", "log.customer"
        )
        when = st.datetime_input(t("log.when"), value=now, max_value=now, key="log.when")
        first, second, third = st.columns(3)
        picked = {
            field: box.selectbox(
                t(f"log.{field}"),
                choices[field],
                format_func=text.label_for(field),
                key=f"log.{field}",
            )
            for field, box in (("method", first), ("target", second), ("purpose", third))
        }
        result = _result("log.result", "no_order")  # most calls end without one
        amount = st.number_input(
            t("log.amount"),
            min_value=0.0,
            max_value=visits.AMOUNT_MAX,
            value=None,
            step=100.0,
            key="log.amount",
        )
        follow_up = widgets.follow_up_input("log.follow_up")
        note = st.text_area(t("log.note"), max_chars=visits.NOTE_MAX, key="log.note")
        submitted = st.form_submit_button(t("log.save"), type="primary", key="log.save_button")
    if not submitted:
        return customer_id, None
    entry = visits.VisitInput(
        customer_id,
        when,
        picked["method"],
        picked["target"],
        picked["purpose"],
        result,
        note or "",
        amount,
        follow_up_date=follow_up,
    )
    return customer_id, visits.with_submission_key(entry, user)


def _problems(exc: visits.VisitValidationError) -> None:
    for problem in exc.problems:
        field = t("log.field." + problem.field)
        st.error(f"{field}: {t(problem.key, **dict(problem.params))}")


def save(user: User, entry: visits.VisitInput) -> None:
    """Store (or queue) the visit and rerun with an empty form; say what is wrong if refused."""
    try:
        outcome = actions.save_visit(user, entry)
    except visits.VisitValidationError as exc:
        _problems(exc)
    except RepurchaseError as exc:
        widgets.fail(exc)
    else:
        st.session_state["log.customer"] = entry.customer_id
        st.session_state[JUST_SAVED] = (entry.customer_id, outcome.message)
        st.rerun()


def recent_and_today(user: User, customer_id: str, day: date) -> None:
    """The customer's last five visits, then the user's own entries of `day`."""
    try:
        history = cached.customer_history(user, customer_id)["visits"].head(5)
        entries = cached.entries_today(user, day)
    except RepurchaseError as exc:
        widgets.fail(exc)
    st.subheader(t("log.recent", customer=text.plain(customer_id)))
    widgets.visit_table(history, key="log.recent_table")

    st.subheader(t("log.today"))
    if entries.empty:
        st.caption(t("log.today_none"))
    for row in entries.itertuples(index=False):
        label = f"{row.visited_at:%H:%M} · {row.customer_id} · {text.value('result', row.result)}"
        with st.expander(text.plain(label)):
            _entry(user, entries, row)


def _edited(entries: pd.DataFrame, row, result: str, note: str, follow_up: object):
    """The stored entry with the result, note and follow-up changed (an amount only with an
    order)."""
    stored = visits.as_input(entries[entries.visit_id == row.visit_id].iloc[0])
    return visits.VisitInput(
        stored.customer_id,
        stored.visited_at,
        stored.method,
        stored.target,
        stored.purpose,
        result,
        note,
        stored.order_amount if result == "order" else None,
        follow_up_date=follow_up,
    )


def _entry(user: User, entries: pd.DataFrame, row) -> None:
    """One entry of today: what it says, a form to change it, a button to delete it."""
    st.text(row.customer_name)
    if isinstance(row.note, str) and row.note:
        st.text(row.note)
    if display.follow_up_text(row.follow_up_date):
        st.caption(display.follow_up_text(row.follow_up_date))
    with st.form(f"log.edit.{row.visit_id}"):
        new_result = _result(f"log.edit.result.{row.visit_id}", row.result)
        new_follow_up = widgets.follow_up_input(
            f"log.edit.follow_up.{row.visit_id}", row.follow_up_date
        )
        new_note = st.text_area(
            t("log.note"),
            value=row.note if isinstance(row.note, str) else "",
            max_chars=visits.NOTE_MAX,
            key=f"log.edit.note.{row.visit_id}",
        )
        save_edit = st.form_submit_button(t("log.edit_save"))
    if save_edit:
        changed = _edited(entries, row, new_result, new_note, new_follow_up)
        try:
            actions.edit_visit(user, int(row.visit_id), changed)
        except visits.VisitValidationError as exc:
            _problems(exc)
        except RepurchaseError as exc:
            widgets.fail(exc)
        else:
            st.rerun()
    if st.button(t("log.delete"), key=f"log.delete.{row.visit_id}"):
        try:
            actions.delete_visit(user, int(row.visit_id))
        except RepurchaseError as exc:
            widgets.fail(exc)
        st.rerun()
