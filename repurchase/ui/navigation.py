"""Page setup and the menu. Every page starts with `page_setup(name)`: it shows the sign-in form
and stops when nobody is signed in, and stops with a message when the role may not open the
page. A page opened by URL on a freshly started server goes through the same gate.
"""

from __future__ import annotations

import threading

import streamlit as st

from repurchase.accounts.auth import User
from repurchase.config import demo_overrides
from repurchase.demo import synthetic
from repurchase.errors import WarehouseLockedError, WarehouseUnavailableError
from repurchase.services import daily_lists
from repurchase.ui import widgets
from repurchase.ui.cached import clear_caches
from repurchase.ui.mail_view import my_mail
from repurchase.ui.resources import daily_lists_writer, warehouse
from repurchase.ui.routes import HOME, PAGES, PAGES_DIR
from repurchase.ui.session import (
    SESSION_KEY,
    current_user,
    identity_claims,
    remember_language,
    set_cookie,
    sign_in_form,
    sign_out,
)
from repurchase.ui.text import language_switch, plain, t
from repurchase.warehouse.store import Warehouse

_first_start = threading.Lock()  # one first-start build per server process
_built: set[str] = set()  # warehouses found built: not asked again on every page view


def ensure_ready(wh: Warehouse) -> None:
    """A fresh checkout's first start: build the demo (with simulated weeks of use), with a
    progress bar, before anything can be shown. On a warehouse that holds data this only makes
    sure the server's background threads run: the day's lists are written by the nightly job or
    by resources.daily_lists_writer, never by a page view."""
    if str(wh.path) not in _built and daily_lists.needs_first_start(wh):
        with _first_start:
            if daily_lists.needs_first_start(wh):  # not built while this session waited
                from repurchase.services import first_start  # trains: loaded only to run

                bar = st.progress(0.0, text=t("setup.first_start"))
                config = synthetic.DemoConfig(**demo_overrides())
                first_start.prepare(wh, demo_config=config, progress=forward_only(bar))
                bar.empty()
                clear_caches()
    _built.add(str(wh.path))
    daily_lists_writer(str(wh.path))


def forward_only(bar: st.delta_generator.DeltaGenerator):
    """A progress callback for `bar` that never moves it backwards: the steps of a long job
    report fractions of their own, and a bar that jumps back reads as a restart."""
    reached = [0.0]

    def say(fraction: float, message: str) -> None:
        reached[0] = min(max(reached[0], fraction), 1.0)
        bar.progress(reached[0], text=message)

    return say


# An open page nobody touches runs no code, so it would show a user's data until the next
# click however long ago their account was disabled: every signed-in page re-checks on its own
# this often (with session.RECHECK_SECONDS, a browser is signed out within 10 s).
SESSION_WATCH_SECONDS = 4.0


def _watch_session() -> None:
    """Show the sign-in form in place of the page once its session has ended or the account
    changed (current_user signs this browser out then)."""
    try:
        signed_out = current_user() is None
    except WarehouseLockedError:
        return  # the data is busy: look again at the next tick
    if signed_out:
        st.rerun(scope="app")


def page_setup(page: str) -> User:
    """Set the page up; stop with the sign-in form (nobody signed in) or a refusal (role)."""
    file, roles, title, _icon = PAGES[page]
    st.set_page_config(page_title=t(title), layout="wide")
    wh = warehouse()
    try:
        ensure_ready(wh)
        user = current_user()  # before the switch: resuming a session sets the user's language
        language_switch(remember_language)
        if user is None:
            sign_in_form(wh, page)
            st.stop()
    except WarehouseUnavailableError as exc:
        widgets.fail(exc)  # PostgreSQL out of reach: say so, and try again by itself
    except WarehouseLockedError:
        # a job (an import, a retrain) holds the file longer than the lock timeout
        st.warning(t("login.busy"))
        st.stop()
    st.sidebar.caption(
        t("nav.signed_in", name=plain(user.display_name), role=t(f"role.{user.role}"))
    )
    if st.sidebar.button(t("nav.sign_out"), key="nav.sign_out"):
        at_provider = identity_claims() is not None
        try:
            sign_out()
        except WarehouseLockedError:
            st.sidebar.warning(t("login.busy"))
            st.stop()
        if at_provider:  # signed in with the company account: out of both, not only the app
            st.logout()
            st.stop()
        st.rerun()
    my_mail(user)
    with st.sidebar:
        set_cookie(st.session_state[SESSION_KEY])
        st.fragment(run_every=SESSION_WATCH_SECONDS)(_watch_session)()
    if user.role not in roles:
        st.error(t("access.page_denied"))
        st.stop()
    st.title(t(title))
    return user


def navigation() -> None:
    """app.py: the menu for the signed-in role (pages of other roles stay reachable by URL
    only to be refused by their own guard)."""
    try:
        user = current_user()
    except WarehouseLockedError:
        user = None  # the page's own setup says the data is busy
    role = user.role if user else None
    pages = []
    for name, (file, roles, title, icon) in PAGES.items():
        visible = role in roles if role else name == "call_list"
        pages.append(
            st.Page(
                str(PAGES_DIR / file),
                title=t(title),
                icon=icon,
                url_path=name,
                default=name == HOME[role],
                visibility="visible" if visible else "hidden",
            )
        )
    try:
        st.navigation(pages).run()
    except WarehouseUnavailableError as exc:
        # PostgreSQL out of reach in a read the page did not guard: the same words as a
        # guarded one, and the page tries again by itself, never a traceback
        widgets.fail(exc)
