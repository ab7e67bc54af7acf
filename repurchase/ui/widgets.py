"""Small pieces of page the pages share: the customer picker, a visit table, a download button,
an error that stops the page.
"""

from __future__ import annotations

import time
from functools import partial

import pandas as pd
import streamlit as st

from repurchase import i18n
from repurchase.accounts.auth import User
from repurchase.errors import RepurchaseError, WarehouseUnavailableError
from repurchase.lists import exports
from repurchase.services import (
    visit_queue,
)
from repurchase.ui.cached import customers_in_scope
from repurchase.ui.display import VISIT_COLUMNS, contact_line, when
from repurchase.ui.resources import queue_drainer, warehouse
from repurchase.ui.text import language, plain, t, value


def queued_visits_notice(user: User) -> None:
    """Tell the rep about their visits still waiting in the queue, and about any the
    warehouse refused when the queue was written (shown until the rep says they saw it: a
    page view only reads)."""
    wh = warehouse()
    waiting = visit_queue.pending(wh, user.username)
    if waiting:
        queue_drainer(str(wh.path))
        st.info(t("log.pending", count=len(waiting)))
    refused = visit_queue.failed(wh, user.username)
    if refused:
        reasons = "; ".join(f"{e.customer_id} {e.visited_at:%Y-%m-%d %H:%M}" for e in refused)
        st.warning(t("log.queue_failed", count=len(refused), reasons=plain(reasons)))
        if st.button(t("log.queue_failed_seen"), key="log.queue_failed_seen"):
            visit_queue.dismiss_failed(wh, user.username)
            st.rerun()


def pick_customer(user: User, label_key: str, widget_key: str, wanted_key: str) -> str:
    """A picker over the user's own customers (id and name); preselects the one a
    previous page asked for in `wanted_key` if it is among them. Stops if there is none."""
    customers = customers_in_scope(user)
    if customers.empty:
        st.info(t("log.no_customers"))
        st.stop()
    ids = customers.customer_id.tolist()
    names = customers.set_index("customer_id").name
    wanted = st.session_state.get(wanted_key)
    return st.selectbox(
        t(label_key),
        ids,
        index=ids.index(wanted) if wanted in ids else 0,
        # a selectbox's options are plain text: names show exactly as typed
        format_func=lambda c: f"{c} · {names[c]}",
        key=widget_key,
    )


def contact(box, name: object, phone: object) -> None:
    """The contact line in `box`: the name as text, the number a tap-to-call link."""
    line, call = contact_line(name, phone)
    box.text(line)
    if call:
        box.markdown(call)


def visit_table(visits: pd.DataFrame, key: str, entered_by: bool = False) -> pd.DataFrame:
    """Show visits (access.customer_history's shape) with codes in the user's language and
    notes as plain table cells; return the frame shown, for a download."""
    columns = [c for c in VISIT_COLUMNS if entered_by or c != "entered_by"]
    if "follow_up_date" not in visits.columns:  # visits read before follow-ups existed
        visits = visits.assign(follow_up_date=None)
    shown = visits.assign(
        visited_at=visits.visited_at.map(when),
        method=visits.method.map(lambda v: value("method", v)),
        result=visits.result.map(lambda v: value("result", v)),
        # empty cells stay empty (a missing amount or note is not the word "None")
        order_amount=visits.order_amount.map(lambda v: "" if pd.isna(v) else f"{v:,.2f}"),
        follow_up_date=visits.follow_up_date.map(lambda v: when(v, "%Y-%m-%d")),
        **{
            c: visits[c].map(lambda v: "" if v is None or pd.isna(v) else v)
            for c in ("rep_name", "note", "entered_by")
            if c in visits.columns
        },
    )[columns]
    st.dataframe(
        shown,
        hide_index=True,
        key=key,
        column_config={c: t(VISIT_COLUMNS[c]) for c in columns},
    )
    return shown


def error_text(exc: RepurchaseError) -> str:
    """A package error as the user reads it (Markdown-safe)."""
    key = {
        "AccessDeniedError": "access.denied",
        "ModelNotFoundError": "error.no_model",
        "WarehouseLockedError": "error.locked",
        "WarehouseUnavailableError": "error.unavailable",
        "DiskFullError": "error.disk_full",
    }.get(type(exc).__name__)
    return t(key) if key else plain(str(exc))  # messages quote values from files


# A page that met a database out of reach runs itself again this often, so it comes back by
# itself once the database answers (the process reconnects on its own).
UNAVAILABLE_RETRY_SECONDS = 5.0


def fail(exc: RepurchaseError) -> None:
    """Show a package error to the user and stop the page."""
    st.error(error_text(exc))
    if isinstance(exc, WarehouseUnavailableError):
        _run_again_soon()
    st.stop()


def _run_again_soon() -> None:
    shown = time.monotonic()

    def tick() -> None:
        # the fragment's first run is part of this page run: only later ticks start a new one
        if time.monotonic() - shown >= UNAVAILABLE_RETRY_SECONDS:
            st.rerun(scope="app")

    st.fragment(run_every=UNAVAILABLE_RETRY_SECONDS)(tick)()


def download(frame: pd.DataFrame, name: str, key: str) -> None:
    """A CSV for people: codes in the user's language, rounded numbers, no formulas. Made
    when the button is clicked, not on every run of the page that shows the button."""
    lang = language()

    def csv() -> bytes:
        label = partial(i18n.value_label, language=lang)
        return exports.csv_bytes(exports.for_people(frame, label))

    download_button(t("common.download_csv"), csv, name, "text/csv", key)


def download_button(
    label: str, data, file_name: str, mime: str, key: str, help: str | None = None
) -> None:
    """Every download of the app. A click never reruns the page: a download changes nothing
    it shows, and under load the rerun could land before the browser fetched the file, which
    then never came."""
    st.download_button(
        label, data, file_name=file_name, mime=mime, key=key, help=help, on_click="ignore"
    )


def follow_up_input(key: str, value: object = None) -> object:
    """The optional "call back on" date of the visit forms (empty unless given)."""
    return st.date_input(
        t("log.follow_up"),
        value=None if value is None or pd.isna(value) else pd.Timestamp(value).date(),
        key=key,
        help=t("log.follow_up_help"),
        format="YYYY-MM-DD",
    )
