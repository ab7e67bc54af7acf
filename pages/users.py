"""Admin: who can sign in. Add users, set a password, change a role, link a company account
(company sign-in), disable, enable, remove, sign a user out everywhere; every change that alters
what a user may do signs them out in every browser (repurchase/users.py, the same functions as
`python -m repurchase users`)."""

import pandas as pd
import streamlit as st

from repurchase.accounts import auth, passwords, users
from repurchase.errors import RepurchaseError
from repurchase.ui import navigation, resources, session, text, widgets

user = navigation.page_setup("users")
t = text.t
wh = resources.warehouse()


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
    st.session_state["users.done"] = message
    st.rerun()


if message := st.session_state.pop("users.done", None):
    st.success(message)

try:
    table = users.list_users(wh, by=user)
except RepurchaseError as exc:
    widgets.fail(exc)


def text_or_blank(value: object) -> str:
    """A stored text or "" (a missing one comes back from pandas as NaN)."""
    return value if isinstance(value, str) else ""


def scope(row: pd.Series) -> str:
    if row.role == "rep":
        return t("users.scope.rep", rep_id=row.rep_id)
    if row.role == "manager":
        return t("users.scope.team", team=row.team)
    return t("users.scope.all")


# company accounts are shown where company sign-in is on, or where a user already has one
company = session.company_sign_in_configured() or table.external_id.notna().any()


def status(row: pd.Series) -> str:
    words = t("users.status.active" if row.active else "users.status.disabled")
    return f"{words} · {t('users.status.demo')}" if row.demo else words


st.subheader(t("users.list"))
st.dataframe(  # names are data: table cells show them as text
    pd.DataFrame(
        {
            t("users.col.username"): table.username,
            t("users.col.name"): table.display_name,
            t("users.col.role"): table.role.map(lambda r: t(f"role.{r}")),
            t("users.col.scope"): [scope(r) for r in table.itertuples()],
            t("users.col.status"): [status(r) for r in table.itertuples()],
            t("users.col.last_login"): table.last_login_at.dt.strftime("%Y-%m-%d %H:%M").fillna(
                "–"
            ),
            t("users.col.sessions"): table.sessions,
        }
        | ({t("users.col.external_id"): table.external_id.fillna("–")} if company else {})
    ),
    hide_index=True,
    key="users.table",
)

roles = list(auth.ROLES)
# bound now: Streamlit may call a format function again outside this run
role_names = {r: t(f"role.{r}") for r in roles}
st.subheader(t("users.manage"))
names = table.username.tolist()
picked = st.selectbox(
    t("users.pick"),
    names,
    format_func=lambda n: text.plain(f"{n} · {table.set_index('username').display_name[n]}"),
    key="users.pick",
)
row = table.set_index("username").loc[picked]
myself = picked == user.username
if myself:
    st.caption(t("users.self_note"))

left, middle, right = st.columns(3)
with left, st.form("users.password_form", clear_on_submit=True):
    st.markdown(f"**{t('users.set_password')}**")
    first = st.text_input(t("users.field.password"), type="password", key="users.pw1")
    again = st.text_input(t("users.field.password_again"), type="password", key="users.pw2")
    st.caption(t("users.rules", min=passwords.MIN_LENGTH))
    if st.form_submit_button(t("users.do_set_password")):
        if first != again:
            st.error(t("users.passwords_differ"))
        else:
            keep = st.session_state[session.SESSION_KEY].token if myself else None
            try:
                ended = users.set_password(wh, picked, first, by=user, keep_token=keep)
            except RepurchaseError as exc:
                refused(exc)
            else:
                done(t("users.password_set", name=text.plain(picked), n=ended))

with middle, st.form("users.role_form"):
    st.markdown(f"**{t('users.set_role')}**")
    role = st.selectbox(
        t("users.field.role"),
        roles,
        index=roles.index(row.role),
        format_func=role_names.get,
        key=f"users.role.{picked}",
    )
    rep_id = st.text_input(
        t("users.field.rep_id"), value=text_or_blank(row.rep_id), key=f"users.rep.{picked}"
    )
    team = st.text_input(
        t("users.field.team"), value=text_or_blank(row.team), key=f"users.team.{picked}"
    )
    if st.form_submit_button(t("users.do_set_role"), disabled=myself):
        try:
            ended = users.set_role(
                wh, picked, role, rep_id=rep_id.strip(), team=team.strip(), by=user
            )
        except RepurchaseError as exc:
            refused(exc)
        else:
            done(t("users.role_set", name=text.plain(picked), role=t(f"role.{role}"), n=ended))

with right:
    st.markdown(f"**{t('users.access')}**")
    try:
        if row.active and st.button(t("users.do_disable"), key="users.disable", disabled=myself):
            done(t("users.disabled", name=text.plain(picked), n=users.disable(wh, picked, by=user)))
        if not row.active and st.button(t("users.do_enable"), key="users.enable"):
            users.enable(wh, picked, by=user)
            done(t("users.enabled", name=text.plain(picked)))
        if st.button(t("users.do_sign_out"), key="users.sign_out", disabled=myself):
            ended = users.sign_out_everywhere(wh, picked, by=user)
            done(t("users.signed_out", name=text.plain(picked), n=ended))
        sure = st.checkbox(
            t("users.confirm_remove", name=text.plain(picked)),
            key=f"users.sure.{picked}",
            disabled=myself,
        )
        if st.button(t("users.do_remove"), key="users.remove", disabled=myself or not sure):
            users.remove(wh, picked, by=user)
            done(t("users.removed", name=text.plain(picked)))
    except RepurchaseError as exc:
        refused(exc)

if company:
    with st.form("users.external_form"):
        st.markdown(f"**{t('users.set_external_id')}**")
        linked = st.text_input(
            t("users.col.external_id"),
            value=text_or_blank(row.external_id),
            key=f"users.external.{picked}",
            help=t("users.external_id_help"),
        )
        if st.form_submit_button(t("users.do_set_external_id")):
            try:
                keep = st.session_state[session.SESSION_KEY].token if myself else None
                ended = users.set_external_id(wh, picked, linked, by=user, keep_token=keep)
            except RepurchaseError as exc:
                refused(exc)
            else:
                value = auth.normalise_external_id(linked)
                done(
                    t("users.external_id_cleared", name=text.plain(picked), n=ended)
                    if value is None
                    else t(
                        "users.external_id_set",
                        name=text.plain(picked),
                        identity=text.account(value),
                        n=ended,
                    )
                )

st.subheader(t("users.add"))
with st.form("users.add_form", clear_on_submit=False):
    a, b = st.columns(2)
    name = a.text_input(t("users.field.username"), key="users.new_name")
    shown = b.text_input(t("users.field.name"), key="users.new_shown")
    new_role = a.selectbox(
        t("users.field.role"), roles, format_func=role_names.get, key="users.new_role"
    )
    new_rep = a.text_input(t("users.field.rep_id"), key="users.new_rep")
    new_team = b.text_input(t("users.field.team"), key="users.new_team")
    new_external = (
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
    if st.form_submit_button(t("users.do_add"), type="primary"):
        if first != again:
            st.error(t("users.passwords_differ"))
        else:
            try:
                added = users.add(
                    wh,
                    name,
                    # with a company account and no password typed: no password at all
                    None if new_external.strip() and not first else first,
                    new_role,
                    display_name=shown.strip() or None,
                    rep_id=new_rep.strip() or None,
                    team=new_team.strip() or None,
                    external_id=new_external.strip() or None,
                    by=user,
                )
            except RepurchaseError as exc:
                refused(exc)
            else:
                done(t("users.added", name=text.plain(added.username)))
