"""The customer page's parts for acting on a customer: correcting the contact (reps their own
customers, managers their team's), handing the customer to another rep of the team (managers
and admins), and the record of both. Every write clears the caches: the lists, the pickers
and the pages of everyone on this server read the change at once."""

from __future__ import annotations

import time
from datetime import date

import pandas as pd
import streamlit as st

from repurchase.accounts.auth import User
from repurchase.errors import RepurchaseError
from repurchase.services import customer_changes
from repurchase.ui import cached
from repurchase.ui.display import when
from repurchase.ui.resources import warehouse
from repurchase.ui.text import plain, t

FLASH = "customer.flash"  # a message that outlives the rerun a change triggers
FLASH_SECONDS = 10.0


def refused_text(exc: RepurchaseError) -> str:
    """Why a change was refused, in the reader's language, ready for Markdown (the ids it
    quotes are data: escaped)."""
    params = {k: plain(v) for k, v in getattr(exc, "params", {}).items()}
    return t(exc.key, **params) if hasattr(exc, "key") else plain(str(exc))


@st.cache_data(ttl=60, max_entries=200, show_spinner=False)
def changes(user: User, customer_id: str) -> pd.DataFrame:
    return customer_changes.changes(warehouse(), user, customer_id)


@st.cache_data(ttl=60, max_entries=200, show_spinner=False)
def reassign_targets(user: User, from_rep: str, day: date) -> pd.DataFrame:
    return customer_changes.reassign_targets(warehouse(), user, from_rep, day)


def done(message: str, key: str = FLASH) -> None:
    """After a change: every cached read may show the old state; say what happened after the
    rerun that shows the new one."""
    cached.clear_caches()
    st.session_state[key] = (message, time.monotonic())
    st.rerun()


def flash(key: str = FLASH) -> None:
    """The message of the change just made. It stays for FLASH_SECONDS rather than one run: a
    rerun the user did not cause (a widget settling, the session check) must not wipe it
    before it is read."""
    shown = st.session_state.get(key)
    if not shown:
        return
    message, at = shown
    if time.monotonic() - at > FLASH_SECONDS:
        del st.session_state[key]
        return
    st.success(message)


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def contact_form(user: User, customer_id: str, profile: pd.Series) -> None:
    """The contact as stored, to correct; the problems of a bad entry right under it."""
    if not customer_changes.may_correct_contact(user):
        return
    shown = (_text(profile["contact_name"]), _text(profile["contact_phone"]))
    with st.expander(t("customer.contact_title")), st.form(f"customer.contact.{customer_id}"):
        name = st.text_input(
            t("customer.contact_name"),
            value=shown[0],
            max_chars=customer_changes.CONTACT_NAME_MAX,
            key=f"customer.contact_name.{customer_id}",
        )
        phone = st.text_input(
            t("customer.contact_phone"),
            value=shown[1],
            help=t("customer.contact_phone_help"),
            key=f"customer.contact_phone.{customer_id}",
        )
        st.caption(t("customer.contact_import_note"))
        if not st.form_submit_button(t("customer.contact_save"), type="primary"):
            return
        try:
            changed = customer_changes.correct_contact(
                warehouse(), user, customer_id, name, phone, expected=shown
            )
        except customer_changes.ContactValidationError as bad:
            for problem in bad.problems:
                st.error(t(problem.key, **dict(problem.params)))
            return
        except customer_changes.ChangeRefusedError as exc:
            cached.clear_caches()  # the form showed an old contact: read the stored one
            st.error(refused_text(exc))
            return
    done(t("customer.contact_saved" if changed else "customer.contact_same"))


def reassign(user: User, customer_id: str, profile: pd.Series) -> None:
    """Hand the customer to another working rep of the owner's team (managers, admins)."""
    if not customer_changes.may_reassign(user):
        return
    owner = str(profile["owner_rep_id"])
    with st.expander(t("customer.reassign_title")):
        targets = reassign_targets(user, owner, date.today())
        if targets.empty:
            st.info(t("customer.reassign_none"))
            return
        names = targets.set_index("rep_id").name
        to_rep = st.selectbox(
            t("customer.reassign_to"),
            names.index.tolist(),
            format_func=lambda r: f"{r} · {names[r]}",  # options are plain text
            key=f"customer.reassign_to.{customer_id}",
        )
        st.caption(t("customer.reassign_note", rep=plain(owner)))
        if not st.button(
            t("customer.reassign_button"), key=f"customer.reassign.{customer_id}", type="primary"
        ):
            return
        try:
            customer_changes.reassign(
                warehouse(), user, [customer_id], to_rep, date.today(), expected_owner=owner
            )
        except customer_changes.ChangeRefusedError as exc:
            cached.clear_caches()
            st.error(refused_text(exc))
            return
    done(t("customer.reassigned", rep=plain(f"{to_rep} · {names[to_rep]}")))


def _described(change: str, values: dict) -> str:
    if change == "owner":
        return _text(values.get("owner_rep_id"))
    return " · ".join(v for v in (_text(values.get(k)) for k in values) if v) or "–"


def history(user: User, customer_id: str) -> None:
    """The changes made in the app to the customer, newest first, as plain table cells."""
    found = changes(user, customer_id)
    if found.empty:
        return
    st.subheader(t("customer.changes_title"))
    table = pd.DataFrame(
        {
            t("customer.changes_col.at"): found.changed_at.map(when),
            t("customer.changes_col.by"): found.changed_by,
            t("customer.changes_col.what"): found.change.map(lambda c: t(f"customer.change.{c}")),
            t("customer.changes_col.before"): [
                _described(c, v) for c, v in zip(found.change, found.before, strict=True)
            ],
            t("customer.changes_col.after"): [
                _described(c, v) for c, v in zip(found.change, found.after, strict=True)
            ],
        }
    )
    st.dataframe(table, hide_index=True, key="customer.changes")
