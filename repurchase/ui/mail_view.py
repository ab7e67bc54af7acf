"""Reminder mails in the app: each user's own switch (side bar), the follow-ups' calendar
download (call list), and the admins' E-mail block on the Users page: the mail server, who gets
mails (address, opt-out, language) and the latest sends with their failures.

Addresses are data: tables show them as text, Markdown shows them as inline code (never a
mailto link); every write goes through services.reminders / services.mail_settings as the
signed-in user, which authorize it.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pandas as pd
import streamlit as st

from repurchase.accounts.auth import User
from repurchase.errors import RepurchaseError
from repurchase.services import follow_up_calendar, mail_settings, reminders
from repurchase.services.mail_settings import MailSettings, MailSettingsError
from repurchase.ui import widgets
from repurchase.ui.resources import warehouse
from repurchase.ui.text import account, language, plain, t

DONE = "mail.done"
_MINE = "mail.mine.seen"
# The side bar draws on every run: its own read of the address and opt-out is repeated at most
# this often per session, so a job holding the file does not make every run wait for it too.
MINE_SECONDS = 300.0


def _mine(user: User) -> tuple[str | None, bool] | None:
    """The user's address and opt-out as this session last read them, read again when older
    than MINE_SECONDS; None while the data is busy and nothing was read yet."""
    seen = st.session_state.get(_MINE)
    fresh = seen is not None and seen[0] == user.username
    if fresh and time.monotonic() - seen[1] < MINE_SECONDS:
        return seen[2]
    try:
        found = reminders.preferences(warehouse(), user)
    except RepurchaseError:
        return seen[2] if fresh else None  # the data is busy: the page says so where it reads
    st.session_state[_MINE] = (user.username, time.monotonic(), found)
    return found


def my_mail(user: User) -> None:
    """The side bar's E-mail switch for a rep or a manager: where their mails go and whether
    they want them (the opt-out is theirs to set; admins see it on the Users page)."""
    if user.role not in ("rep", "manager"):
        return
    mine = _mine(user)
    if mine is None:
        return
    email, opted_out = mine
    with st.sidebar.expander(t("mail.mine")):
        st.caption(t(f"mail.mine.what.{user.role}"))
        if not email:
            st.caption(t("mail.mine.no_address"))
            return
        st.caption(t("mail.mine.address", email=account(email)))
        wanted = st.toggle(t("mail.mine.receive"), value=not opted_out, key="mail.mine.receive")
        if wanted == opted_out:  # changed: store it for every device
            try:
                reminders.set_opt_out(warehouse(), user, not wanted)
            except RepurchaseError as exc:
                widgets.fail(exc)
            st.session_state[_MINE] = (user.username, time.monotonic(), (email, not wanted))
            st.caption(t("mail.mine.saved_on" if wanted else "mail.mine.saved_off"))


def calendar_download(user: User, rep_id: str, rep_name: str | None, today: date) -> None:
    """The rep's open follow-ups as an .ics file for their calendar, built when clicked (the
    list's reruns never pay for it; the list above has checked the rep is in scope)."""
    wh, lang = warehouse(), language()

    def build() -> bytes:
        body, _ = follow_up_calendar.calendar(
            wh, user, rep_id, rep_name or rep_id, today, lang, datetime.now()
        )
        return body

    widgets.download_button(
        t("mail.ics.download"),
        build,
        follow_up_calendar.file_name(rep_id, today),
        "text/calendar",
        "mail.ics",
        help=t("mail.ics.help"),
    )


# ------------------------------------------------------------------------------ admins


def admin_block(user: User) -> None:
    """The Users page's E-mail block: the server, who gets mails, the latest sends."""
    st.subheader(t("mail.admin.title"))
    if message := st.session_state.pop(DONE, None):
        st.success(message)
    wh = warehouse()
    try:
        settings = mail_settings.current(wh, user)
        people = reminders.addresses(wh, user)
        log = reminders.send_log(wh, user)
    except RepurchaseError as exc:
        widgets.fail(exc)
    if settings.configured:
        st.caption(
            t(
                "mail.admin.on",
                host=plain(settings.host),
                port=settings.port,
                sender=account(settings.sender),
            )
        )
    else:
        st.info(t("mail.admin.off"))
    _failures(log)
    left, right = st.columns(2)
    with left:
        _settings_form(user, settings)
    with right:
        _address_form(user, people)
    _people_table(people)
    _log_table(log)


def _failures(log: pd.DataFrame) -> None:
    week_ago = datetime.now() - timedelta(days=7)
    recent = log[log.queued_at >= week_ago]
    failed = int((recent.status == "failed").sum())
    waiting = int(((recent.status == "pending") & recent.last_error.notna()).sum())
    if failed:
        st.error(t("mail.admin.failures", n=failed))
    if waiting:
        st.warning(t("mail.admin.retrying", n=waiting))


def _settings_form(user: User, settings: MailSettings) -> None:
    names = {s: t(f"mail.security.{s}") for s in mail_settings.SECURITY}
    with st.form("mail.settings_form"):
        st.markdown(f"**{t('mail.admin.settings')}**")
        host = st.text_input(t("mail.field.host"), value=settings.host, key="mail.host")
        a, b = st.columns(2)
        port = a.number_input(
            t("mail.field.port"), 1, 65535, value=int(settings.port), step=1, key="mail.port"
        )
        security = b.selectbox(
            t("mail.field.security"),
            list(mail_settings.SECURITY),
            index=list(mail_settings.SECURITY).index(settings.security),
            format_func=names.get,
            key="mail.security",
        )
        sender = st.text_input(t("mail.field.sender"), value=settings.sender, key="mail.sender")
        login = a.text_input(t("mail.field.username"), value=settings.username, key="mail.user")
        password = b.text_input(
            t("mail.field.password"),
            type="password",
            key="mail.password",
            help=t("mail.field.password_help"),
        )
        if settings.password:
            st.caption(t("mail.field.password_set"))
        base_url = st.text_input(
            t("mail.field.base_url"), value=settings.base_url, key="mail.base_url"
        )
        if not st.form_submit_button(t("mail.do_save")):
            return
    wanted = MailSettings(
        host=host,
        port=int(port),
        security=security,
        username=login,
        password=password,
        sender=sender,
        base_url=base_url,
        timeout_seconds=settings.timeout_seconds,
    )
    try:
        mail_settings.save(warehouse(), user, wanted)
    except MailSettingsError as exc:
        st.error(t(f"mail.error.{exc.reason}"))
        return
    except RepurchaseError as exc:
        widgets.fail(exc)
    st.session_state.pop("mail.password", None)  # a typed password never stays in the page
    st.session_state[DONE] = t("mail.saved")
    st.rerun()


def _address_form(user: User, people: pd.DataFrame) -> None:
    """Pick a user (outside the form, so the field shows their address), then set it."""
    names = people.set_index("username").display_name
    current = people.set_index("username").email
    st.markdown(f"**{t('mail.admin.set_email')}**")
    picked = st.selectbox(
        t("mail.admin.email_user"),
        people.username.tolist(),
        format_func=lambda n: f"{n} · {names[n]}",
        key="mail.address_user",
    )
    if picked is None:
        return
    with st.form("mail.address_form"):
        had = current[picked] if isinstance(current[picked], str) else ""
        email = st.text_input(t("mail.admin.email_field"), value=had, key=f"mail.address.{picked}")
        if not st.form_submit_button(t("mail.admin.do_set_email")):
            return
    try:
        reminders.set_email(warehouse(), user, picked, email)
    except MailSettingsError as exc:
        st.error(t(f"mail.error.{exc.reason}"))
        return
    except RepurchaseError as exc:
        widgets.fail(exc)
    st.session_state[DONE] = t("mail.admin.email_set", name=plain(picked))
    st.rerun()


def _receives(row) -> str:
    if not isinstance(row.email, str) or not row.email.strip():
        return t("mail.no_address")
    return t("mail.no_opted_out") if row.email_opt_out else t("mail.yes")


def _people_table(people: pd.DataFrame) -> None:
    st.markdown(f"**{t('mail.admin.addresses')}**")
    st.dataframe(  # addresses and names are data: table cells show them as text
        pd.DataFrame(
            {
                t("mail.col.user"): people.username,
                t("mail.col.name"): people.display_name,
                t("mail.col.role"): people.role.map(lambda r: t(f"role.{r}")),
                t("mail.col.email"): people.email.fillna("–"),
                t("mail.col.receives"): [_receives(r) for r in people.itertuples()],
                t("mail.col.language"): people.language.fillna("–"),
            }
        ),
        hide_index=True,
        key="mail.people",
    )


def _log_table(log: pd.DataFrame) -> None:
    st.markdown(f"**{t('mail.admin.log')}**")
    if log.empty:
        st.caption(t("mail.admin.log_empty"))
        return
    when = log.last_attempt_at.dt.strftime("%Y-%m-%d %H:%M").fillna("–")
    st.dataframe(
        pd.DataFrame(
            {
                t("mail.col.kind"): log.kind.map(lambda k: t(f"mail.kind.{k}")),
                t("mail.col.to"): log.recipient,
                t("mail.col.period"): log.period.astype(str),
                t("mail.col.status"): log.status.map(lambda s: t(f"mail.status.{s}")),
                t("mail.col.attempts"): log.attempts,
                t("mail.col.when"): when,
                t("mail.col.error"): log.last_error.fillna(""),
            }
        ),
        hide_index=True,
        key="mail.log",
    )
