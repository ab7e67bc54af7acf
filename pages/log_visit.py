"""Log a visit in a few clicks; edit or delete today's own entries (audited)."""

import streamlit as st

from repurchase.errors import RepurchaseError
from repurchase.services import visits
from repurchase.ui import actions, cached, display, navigation, resources, text, widgets

user = navigation.page_setup("log_visit")
t = text.t

# A save ends with a rerun that empties the form. A second click on Save (a double click, a
# click on a stale form after a reconnect) submits the same content again, and the same
# content has the same submission key (visits.with_submission_key): it is stored once.
# Fields are emptied only in a run that is not itself a Save, so a submission keeps its values.
submitting = bool(st.session_state.get("log.save_button"))
saved = st.session_state.pop("log.just_saved", None)
if saved is not None and not submitting:
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
if saved is not None:
    customer, queued = saved
    if queued:
        st.success(t("log.queued", customer=text.plain(customer)))
    else:
        st.success(t("log.saved", customer=text.plain(customer)))

if cached.customers_in_scope(user).empty:  # before the form: a form cannot stop half-drawn
    st.info(t("log.no_customers"))
    st.stop()
choices = cached.visit_choices()
now = resources.now()

with st.form("log.form", clear_on_submit=False):
    customer_id = widgets.pick_customer(user, "log.customer", "log.customer_choice", "log.customer")
    when = st.datetime_input(t("log.when"), value=now, max_value=now, key="log.when")
    first, second, third = st.columns(3)
    method = first.selectbox(
        t("log.method"), choices["method"], format_func=text.label_for("method"), key="log.method"
    )
    target = second.selectbox(
        t("log.target"), choices["target"], format_func=text.label_for("target"), key="log.target"
    )
    purpose = third.selectbox(
        t("log.purpose"),
        choices["purpose"],
        format_func=text.label_for("purpose"),
        key="log.purpose",
    )
    result = st.radio(
        t("log.result"),
        list(visits.RESULTS),
        horizontal=True,
        index=visits.RESULTS.index("no_order"),  # most calls end without one
        format_func=text.label_for("result"),
        key="log.result",
    )
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

if submitted:
    entry = visits.VisitInput(
        customer_id,
        when,
        method,
        target,
        purpose,
        result,
        note or "",
        amount,
        follow_up_date=follow_up,
    )
    entry = visits.with_submission_key(entry, user)
    try:
        outcome = actions.save_visit(user, entry)
    except visits.VisitValidationError as exc:
        for problem in exc.problems:
            st.error(f"{t('log.field.' + problem.field)}: {t(problem.key, **dict(problem.params))}")
    except RepurchaseError as exc:
        widgets.fail(exc)
    else:
        st.session_state["log.customer"] = customer_id
        st.session_state["log.just_saved"] = (customer_id, outcome.queued)
        st.rerun()

widgets.queued_visits_notice(user)

try:
    history = cached.customer_history(user, customer_id)["visits"].head(5)
    entries = cached.entries_today(user, now.date())
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
        st.text(row.customer_name)
        if isinstance(row.note, str) and row.note:
            st.text(row.note)
        if display.follow_up_text(row.follow_up_date):
            st.caption(display.follow_up_text(row.follow_up_date))
        with st.form(f"log.edit.{row.visit_id}"):
            new_result = st.radio(
                t("log.result"),
                list(visits.RESULTS),
                horizontal=True,
                index=list(visits.RESULTS).index(row.result),
                format_func=text.label_for("result"),
                key=f"log.edit.result.{row.visit_id}",
            )
            new_follow_up = widgets.follow_up_input(
                f"log.edit.follow_up.{row.visit_id}", row.follow_up_date
            )
            new_note = st.text_area(
                t("log.note"),
                value=row.note if isinstance(row.note, str) else "",
                max_chars=visits.NOTE_MAX,
                key=f"log.edit.note.{row.visit_id}",
            )
            save = st.form_submit_button(t("log.edit_save"))
        if save:
            stored = visits.as_input(entries[entries.visit_id == row.visit_id].iloc[0])
            changed = visits.VisitInput(
                stored.customer_id,
                stored.visited_at,
                stored.method,
                stored.target,
                stored.purpose,
                new_result,
                new_note,
                stored.order_amount if new_result == "order" else None,
                follow_up_date=new_follow_up,
            )
            try:
                actions.edit_visit(user, int(row.visit_id), changed)
            except visits.VisitValidationError as exc:
                for problem in exc.problems:
                    field = t("log.field." + problem.field)
                    st.error(f"{field}: {t(problem.key, **dict(problem.params))}")
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
