"""The Users page's parts: the list of who can sign in, and the forms that change one user
(password, role, company account, access) or add one. Every change is made as the signed-in
admin (ui.admin) and is said once after the rerun that shows the list as it is now.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from repurchase.accounts import auth, passwords, users
from repurchase.accounts.auth import User
from repurchase.errors import RepurchaseError
from repurchase.ui import admin, session, text, widgets
from repurchase.ui.text import t

DONE = "users.done"
ROLES = list(auth.ROLES)


def refused(exc: RepurchaseError) -> None:
    """A refused change, in the user's language."""
    reason = getattr(exc, "reason", None)
    if isinstance(exc, passwords.WeakPasswordError):
        st.error(t(f"users.weak.{reason}", min=passwords.MIN_LENGTH))
    elif isinstance(exc, users.UserAdminError):
        st.error(t(f"users.error.{reason}", name=text.plain(exc.params.get("name", ""))))
    elif isinstance(exc, auth.InvalidAccountError):
        st.error(t(f"users.error.{reason}"))
    else:
        widgets.fail(exc)


def done(message: str) -> None:
    """Say what changed and show the list as it is now (sessions re-read at once)."""
    session.session_changed()
    st.session_state[DONE] = message
    st.rerun()


def text_or_blank(value: object) -> str:
    """A stored text or "" (a missing one comes back from pandas as NaN)."""
    return value if isinstance(value, str) else ""


def _scope(row) -> str:
    if row.role == "rep":
        return t("users.scope.rep", rep_id=row.rep_id)
    if row.role == "manager":
        return t("users.scope.team", team=row.team)
    return t("users.scope.all")


def _status(row) -> str:
    words = t("users.status.active" if row.active else "users.status.disabled")
    return f"{words} · {t('users.status.demo')}" if row.demo else words


def user_list(table: pd.DataFrame, company: bool) -> None:
    """Every user: name, role, scope, status, last sign-in, sessions (and company account)."""
    st.subheader(t("users.list"))
    last_login = table.last_login_at.dt.strftime("%Y-%m-%d %H:%M").fillna("–")
    st.dataframe(  # names are data: table cells show them as text
        pd.DataFrame(
            {
                t("users.col.username"): table.username,
                t("users.col.name"): table.display_name,
                t("users.col.role"): table.role.map(lambda r: t(f"role.{r}")),
                t("users.col.scope"): [_scope(r) for r in table.itertuples()],
                t("users.col.status"): [_status(r) for r in table.itertuples()],
                t("users.col.last_login"): last_login,
                t("users.col.sessions"): table.sessions,
            }
            | ({t("users.col.external_id"): table.external_id.fillna("–")} if company else {})
        ),
        hide_index=True,
        key="users.table",
    )


def _own_token(myself: bool) -> str | None:
    """An admin changing their own sign-in keeps this session."""
    return st.session_state[session.SESSION_KEY].token if myself else None


def password_form(user: User, picked: str, myself: bool) -> None:
    with st.form("users.password_form", clear_on_submit=True):
        st.markdown(f"**{t('users.set_password')}**")
        first = st.text_input(t("users.field.password"), type="password", key="users.pw1")
        again = st.text_input(t("users.field.password_again"), type="password", key="users.pw2")
        st.caption(t("users.rules", min=passwords.MIN_LENGTH))
        if not st.form_submit_button(t("users.do_set_password")):
            return
        if first != again:
            st.error(t("users.passwords_differ"))
            return
        try:
            ended = admin.set_password(user, picked, first, _own_token(myself))
        except RepurchaseError as exc:
            refused(exc)
        else:
            done(t("users.password_set", name=text.plain(picked), n=ended))


def role_form(user: User, picked: str, row: pd.Series, myself: bool) -> None:
    # bound now: Streamlit may call a format function again outside this run
    role_names = {r: t(f"role.{r}") for r in ROLES}
    with st.form("users.role_form"):
        st.markdown(f"**{t('users.set_role')}**")
        role = st.selectbox(
            t("users.field.role"),
            ROLES,
            index=ROLES.index(row.role),
            format_func=role_names.get,
            key=f"users.role.{picked}",
        )
        rep_id = st.text_input(
            t("users.field.rep_id"), value=text_or_blank(row.rep_id), key=f"users.rep.{picked}"
        )
        team = st.text_input(
            t("users.field.team"), value=text_or_blank(row.team), key=f"users.team.{picked}"
        )
        if not st.form_submit_button(t("users.do_set_role"), disabled=myself):
            return
        try:
            ended = admin.set_role(user, picked, role, rep_id.strip(), team.strip())
        except RepurchaseError as exc:
            refused(exc)
        else:
            done(t("users.role_set", name=text.plain(picked), role=t(f"role.{role}"), n=ended))


def access_buttons(user: User, picked: str, row: pd.Series, myself: bool) -> None:
    """Disable or enable, sign out everywhere, remove (after a tick)."""
    st.markdown(f"**{t('users.access')}**")
    name = text.plain(picked)
    try:
        if row.active and st.button(t("users.do_disable"), key="users.disable", disabled=myself):
            done(t("users.disabled", name=name, n=admin.disable(user, picked)))
        if not row.active and st.button(t("users.do_enable"), key="users.enable"):
            admin.enable(user, picked)
            done(t("users.enabled", name=name))
        if st.button(t("users.do_sign_out"), key="users.sign_out", disabled=myself):
            ended = admin.sign_out_everywhere(user, picked)
            done(t("users.signed_out", name=name, n=ended))
        sure = st.checkbox(
            t("users.confirm_remove", name=name), key=f"users.sure.{picked}", disabled=myself
        )
        if st.button(t("users.do_remove"), key="users.remove", disabled=myself or not sure):
            admin.remove(user, picked)
            done(t("users.removed", name=name))
    except RepurchaseError as exc:
        refused(exc)


def external_form(user: User, picked: str, row: pd.Series, myself: bool) -> None:
    """Link the user to a company account, or clear the link."""
    with st.form("users.external_form"):
        st.markdown(f"**{t('users.set_external_id')}**")
        linked = st.text_input(
            t("users.col.external_id"),
            value=text_or_blank(row.external_id),
            key=f"users.external.{picked}",
            help=t("users.external_id_help"),
        )
        if not st.form_submit_button(t("users.do_set_external_id")):
            return
        try:
            ended = admin.set_external_id(user, picked, linked, _own_token(myself))
        except RepurchaseError as exc:
            refused(exc)
            return
        value = auth.normalise_external_id(linked)
        name = text.plain(picked)
        if value is None:
            done(t("users.external_id_cleared", name=name, n=ended))
        else:
            done(t("users.external_id_set", name=name, identity=text.account(value), n=ended))


def manage(user: User, table: pd.DataFrame, company: bool) -> None:
    """Pick a user, then change their password, role, access or company account."""
    st.subheader(t("users.manage"))
    names = table.set_index("username").display_name
    picked = st.selectbox(
        t("users.pick"),
        table.username.tolist(),
        format_func=lambda n: f"{n} · {names[n]}",
        key="users.pick",
    )
    row = table.set_index("username").loc[picked]
    myself = picked == user.username
    if myself:
        st.caption(t("users.self_note"))
    left, middle, right = st.columns(3)
    with left:
        password_form(user, picked, myself)
    with middle:
        role_form(user, picked, row, myself)
    with right:
        access_buttons(user, picked, row, myself)
    if company:
        external_form(user, picked, row, myself)


def add_form(user: User, company: bool) -> None:
    """A new user: name, role, rep or team, password (optional with a company account)."""
    st.subheader(t("users.add"))
    role_names = {r: t(f"role.{r}") for r in ROLES}
    with st.form("users.add_form", clear_on_submit=False):
        a, b = st.columns(2)
        name = a.text_input(t("users.field.username"), key="users.new_name")
        shown = b.text_input(t("users.field.name"), key="users.new_shown")
        role = a.selectbox(
            t("users.field.role"), ROLES, format_func=role_names.get, key="users.new_role"
        )
        rep_id = a.text_input(t("users.field.rep_id"), key="users.new_rep")
        team = b.text_input(t("users.field.team"), key="users.new_team")
        external = (
            a.text_input(
                t("users.field.external_id"),
                key="users.new_external",
                help=t("users.external_id_help"),
            )
            if company
            else ""
        )
        first = a.text_input(t("users.field.password"), type="password", key="users.new_pw1")
        again = b.text_input(t("users.field.password_again"), type="password", key="users.new_pw2")
        st.caption(t("users.rules", min=passwords.MIN_LENGTH))
        if company:
            st.caption(t("users.password_optional"))
        if not st.form_submit_button(t("users.do_add"), type="primary"):
            return
        if first != again:
            st.error(t("users.passwords_differ"))
            return
        try:
            added = admin.add_user(
                user,
                name,
                # with a company account and no password typed: no password at all
                None if external.strip() and not first else first,
                role,
                display_name=shown.strip() or None,
                rep_id=rep_id.strip() or None,
                team=team.strip() or None,
                external_id=external.strip() or None,
            )
        except RepurchaseError as exc:
            refused(exc)
        else:
            done(t("users.added", name=text.plain(added.username)))
