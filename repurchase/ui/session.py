"""Signing in, keeping a browser signed in across reloads (the session cookie), company sign-in
and signing out.

The signed-in `User` lives on the server in `st.session_state`; nothing the browser sends can
change it. Its session and the account are re-read every few seconds, and every write re-reads
the account inside its own transaction (accounts.auth.acting).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAuthError

from repurchase import config
from repurchase.accounts import addresses, auth, company_sign_in, sessions, users
from repurchase.accounts.auth import User
from repurchase.errors import RepurchaseError, WarehouseLockedError
from repurchase.ui.resources import warehouse
from repurchase.ui.routes import HOME, PAGES, PAGES_DIR
from repurchase.ui.text import LANGUAGE_KEY, LANGUAGE_WIDGET, account, plain, t
from repurchase.warehouse.store import Warehouse

USER_KEY = "auth.user"  # set only by the sign-in code below, never by a widget
SESSION_KEY = "auth.session"  # the sessions.Session of this browser (its token: the cookie)
DEAD_COOKIE_KEY = "auth.dead_cookie"  # a cookie found ended: not looked up again
CONNECTION_KEY = "auth.connection"  # the connection that signed in (see _same_browser)
XSRF_COOKIE = "_streamlit_xsrf"
COMPANY_REFUSED_KEY = "auth.company_refused"  # the company sign-in refused in this connection


# How old an open page's knowledge of its session and user may be. With the page's watch
# (navigation.SESSION_WATCH_SECONDS) it bounds how long a browser keeps showing a user's data
# after their account is disabled, removed or changed elsewhere: the README says 10 s.
RECHECK_SECONDS = 5


# One read of every live session and user per server, shared by all its open pages: each page
# re-checks itself every few seconds (navigation.SESSION_WATCH_SECONDS), and a read per page
# would cost 300 open pages some 75 queries a second. A resource, not data: not copied for
# each of the pages that look it up.
@st.cache_resource(ttl=RECHECK_SECONDS, max_entries=4, show_spinner=False)
def _live(path: str) -> sessions.Live:
    return sessions.live(Warehouse(path))


@st.cache_data(ttl=RECHECK_SECONDS, max_entries=1000, show_spinner=False)
def _live_session(path: str, token: str) -> str | None:
    """The username of one live session, read on its own: a session begun since the shared
    read, one that ended, or one whose last use is due to be written (sessions.resume marks
    it used every few minutes, so that a session in use never ends as idle)."""
    session = sessions.resume(Warehouse(path), token)
    return None if session is None else session.username


@st.cache_data(ttl=RECHECK_SECONDS, max_entries=1000, show_spinner=False)
def _stored_user(path: str, username: str) -> User | None:
    return auth.user(Warehouse(path), username)


def live_username(path: str, token: str) -> str | None:
    """The username of a live session, as this server read it at most RECHECK_SECONDS ago: a
    session ended elsewhere (sign-out in another tab, a password reset, a disabled account)
    ends here too. Only a session the shared read does not show live is read on its own."""
    now, settings = datetime.now(), sessions.SessionSettings()
    stored = _live(path).session(token, now, settings)
    if stored is None or now - stored.last_seen_at >= sessions.touch_every(settings):
        return _live_session(path, token)
    return stored.username


def stored_user(path: str, username: str) -> User | None:
    """The user as this server read it at most RECHECK_SECONDS ago (None if disabled or
    removed); one created since the shared read is read on its own."""
    found = _live(path).users.get(username)
    return found if found is not None else _stored_user(path, username)


def client_address() -> str:
    """The address the browser connects from (behind a proxy named in
    REPURCHASE_TRUSTED_PROXIES, the one it forwards in X-Forwarded-For); the throttle counts
    failures per name and address."""
    address = st.context.ip_address
    forwarded = ", ".join(st.context.headers.get_all("X-Forwarded-For"))
    return addresses.resolve(
        address if isinstance(address, str) and address else None,
        forwarded,
        config.trusted_proxies_setting(),
        config.server_forwarded_allow_setting(),
    )


def _cookie_token() -> str | None:
    """The session token the browser sent when it opened this connection (a reload, a new tab,
    a link), if any."""
    token = st.context.cookies.get(sessions.COOKIE)
    return token if isinstance(token, str) and token else None  # (AppTest has no cookies)


def set_cookie(session: sessions.Session | None) -> None:
    """Store the session's token in the browser (None: delete it). Streamlit reads cookies
    but cannot set them, so a line of our own JavaScript does: SameSite=Strict (never sent by
    another site's page), Secure when the page came over https, Max-Age = the session's
    absolute limit (an Expires date, so the element is the same on every run). The token is
    URL-safe base64 and json-quoted: it cannot break out of the string."""
    if session is None:
        lasts = "Max-Age=0"
    else:
        lasts = format_datetime(session.expires_at.astimezone(UTC), usegmt=True)
        lasts = f"Expires={lasts}"
    value = session.token if session else ""
    cookie = f"{sessions.COOKIE}={value}; Path=/; {lasts}; SameSite=Strict"
    st.html(
        "<script>document.cookie = "
        f"{json.dumps(cookie)} + (location.protocol === 'https:' ? '; Secure' : '');"
        "</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def _resume_from_cookie(wh: Warehouse) -> User | None:
    """A new connection (reload, new tab, link) carrying the cookie of a live session."""
    token = _cookie_token()
    if not token or token == st.session_state.get(DEAD_COOKIE_KEY):
        return None
    session = sessions.resume(wh, token)
    user = None if session is None else stored_user(str(wh.path), session.username)
    if user is None:
        st.session_state[DEAD_COOKIE_KEY] = token
        return None
    # No rerun for a language that changes here: nothing is drawn before the user is known
    # (navigation and page_setup ask first), and a rerun before st.navigation has chosen the
    # page would land a reload of /cohorts on the home page.
    _signed_in(user, session)
    return user


def _connection() -> tuple[str | None, str | None]:
    """What tells this browser's connection from another client's: Streamlit's XSRF cookie,
    which each browser gets for itself, and the session cookie the connection came with
    (None where there are no cookies, as in AppTest)."""
    mark = st.context.cookies.get(XSRF_COOKIE)
    return (mark if isinstance(mark, str) and mark else None), _cookie_token()


def _signed_in(user: User, session: sessions.Session) -> None:
    """This Streamlit session is now `user`'s, bound to the connection that signed in, and
    speaks the language the user last chose (on any device); before they ever chose, the one
    this browser already shows."""
    st.session_state.pop(DEAD_COOKIE_KEY, None)
    st.session_state[USER_KEY] = user
    st.session_state[SESSION_KEY] = session
    st.session_state[CONNECTION_KEY] = _connection()
    own = users.language(warehouse(), user.username)
    if own is not None:
        st.session_state[LANGUAGE_KEY] = own


def remember_language(chosen: str) -> None:
    """The language switch's choice, stored with the signed-in user (nobody signed in: kept
    for this browser session only). A failed write leaves the choice for this session."""
    user = st.session_state.get(USER_KEY)
    if not isinstance(user, User):
        return
    try:
        users.set_language(warehouse(), user, chosen)
    except RepurchaseError:  # busy or the account changed: this session still switches
        st.toast(t("common.language_not_saved"))


def _same_browser(session: sessions.Session) -> bool:
    """Whether this run comes from the browser that holds `session`: it sent the session's
    cookie, or it is the connection that signed in (whose cookie, set by that sign-in, the
    connection has not sent yet). A Streamlit session id replayed by another client, with
    neither, is not enough."""
    if _cookie_token() == session.token:
        return True
    return _connection() == st.session_state.get(CONNECTION_KEY)


def current_user() -> User | None:
    """The signed-in user: from this connection's state, else from the session cookie. Its
    session and the user are re-read from the warehouse every few seconds: an ended session,
    a changed role or scope, or a disabled or removed account signs this browser out."""
    wh = warehouse()
    user = st.session_state.get(USER_KEY)
    session = st.session_state.get(SESSION_KEY)
    if not isinstance(user, User) or not isinstance(session, sessions.Session):
        return _resume_from_cookie(wh) or _sign_in_from_identity(wh)
    if not _same_browser(session):
        # another client presenting this session's id: it gets the sign-in page, and this
        # Streamlit session is signed out (the browser that holds the cookie signs in again
        # from it on its next connection)
        sign_out(end_session=False)
        return None
    path = str(wh.path)
    try:
        live = live_username(path, session.token)
        stored = stored_user(path, user.username)
    except WarehouseLockedError:
        # A job holds the file past the lock timeout just as the re-check is due. The session
        # was live at its last check, and every write re-reads the account inside its own
        # transaction (a queued visit when it is stored), so the page goes on with it: signing
        # the user out here would drop what they just typed.
        return user
    if live != user.username or stored != user:
        sign_out(end_session=False)
        return None
    return user


def company_settings() -> company_sign_in.Settings | None:
    """The company sign-in settings from .streamlit/secrets.toml; None without an [auth]
    section (passwords only)."""
    if not st.secrets.load_if_toml_exists():
        return None
    return company_sign_in.settings_from(st.secrets.to_dict())


def company_sign_in_configured() -> bool:
    """Whether secrets.toml turns company sign-in on (misconfigured counts: the sign-in page
    says what is wrong)."""
    try:
        return company_settings() is not None
    except company_sign_in.CompanySignInSettingsError:
        return True


def identity_claims() -> dict | None:
    """The ID token's claims when the identity provider has signed this browser in."""
    claims = st.user.to_dict()
    return claims if claims.get("is_logged_in") is True else None


def _sign_in_from_identity(wh: Warehouse) -> User | None:
    """A browser the identity provider signed in (st.login), with no app session yet: the
    linked user gets one. A refusal is kept for the sign-in page, once per sign-in."""
    claims = identity_claims()
    try:
        settings = company_settings() if claims else None
    except company_sign_in.CompanySignInSettingsError:
        return None  # the sign-in page says what is wrong
    if settings is None:
        return None
    refused = st.session_state.get(COMPANY_REFUSED_KEY)
    if refused is not None and refused[0] == claims:
        return None  # refused already: asked again only after a new sign-in or a reload
    try:
        signed = company_sign_in.sign_in(wh, claims, settings, client=client_address())
    except company_sign_in.SignInRefused as exc:
        st.session_state[COMPANY_REFUSED_KEY] = (claims, exc.reason, exc.identity, exc.claim)
        return None
    st.session_state.pop(COMPANY_REFUSED_KEY, None)
    st.session_state.pop(DEAD_COOKIE_KEY, None)
    _signed_in(signed.user, signed.session)
    return signed.user


def _company_sign_in(settings: company_sign_in.Settings) -> None:
    """The "Sign in with <provider>" button, and why the last company sign-in was refused."""
    refused = st.session_state.get(COMPANY_REFUSED_KEY)
    if refused is not None and refused[0] == identity_claims():
        _, reason, identity, claim = refused
        say = st.info if reason in company_sign_in.SIGN_IN_AGAIN else st.error
        say(t(f"company.refused.{reason}", identity=account(identity), claim=plain(claim)))
    label = (
        t("company.button", provider=plain(settings.provider_name))
        if settings.provider_name
        else t("company.button_default")
    )
    if st.button(label, type="primary", key="login.company", icon=":material/domain:"):
        try:
            st.login(settings.provider or None)
        except StreamlitAuthError as exc:  # [auth] incomplete: its message names the key
            st.error(t("company.settings_error", message=plain(exc)))
    if (
        refused is not None
        and identity_claims()
        and st.button(t("company.sign_out_provider"), key="login.company_sign_out")
    ):
        st.session_state.pop(COMPANY_REFUSED_KEY, None)
        st.logout()


def sign_in_form(wh: Warehouse, page: str) -> None:
    st.title(t("login.title"))
    set_cookie(None)  # a cookie of an ended session is of no use: drop it
    try:
        settings = company_settings()
    except company_sign_in.CompanySignInSettingsError as exc:
        st.error(t("company.settings_error", message=plain(exc)))
        settings = None
    if settings is not None:
        _company_sign_in(settings)
        if not settings.password_sign_in:
            return
        st.caption(t("company.or_password"))
    with st.form("login.form"):
        username = st.text_input(t("login.username"), key="login.username")
        password = st.text_input(t("login.password"), type="password", key="login.password")
        submitted = st.form_submit_button(t("login.submit"), type="primary")
    if submitted:
        try:
            user = auth.authenticate(wh, username, password, client=client_address())
            session = sessions.start(wh, user.username, client_address())
        except auth.TooManyAttemptsError as exc:
            st.error(t("login.throttled", seconds=exc.wait_seconds))
        except auth.AccountDisabledError:
            st.error(t("login.disabled"))
        except auth.AuthError:
            st.error(t("login.wrong"))
        else:
            _signed_in(user, session)
            home = HOME[user.role]
            if page == HOME[None] and page != home:
                # signed in on the start page: go to the role's own (a manager's today);
                # a page opened by its link stays where it is
                st.switch_page(str(PAGES_DIR / PAGES[home][0]))
            st.rerun()
    if demo_accounts(wh):
        st.info(t("login.demo_accounts", password=auth.DEMO_PASSWORD))
        st.table(
            pd.DataFrame(
                {
                    t("login.username"): ["rep", "manager", "admin"],
                    t("login.role"): [t("role.rep"), t("role.manager"), t("role.admin")],
                }
            )
        )


@st.cache_data(ttl=60, show_spinner=False)
def _demo_accounts(path: str) -> bool:
    return auth.demo_accounts(Warehouse(path))


def demo_accounts(wh: Warehouse) -> bool:
    """Show the demo's accounts on the sign-in page only while they exist."""
    return _demo_accounts(str(wh.path))


def sign_out(end_session: bool = True) -> None:
    """Forget the user in this connection; with `end_session` (the sign-out button) also end
    the session in the warehouse, so the cookie opens nothing in any tab. The sign-in form
    that follows deletes the cookie."""
    session = st.session_state.get(SESSION_KEY)
    if end_session and isinstance(session, sessions.Session):
        sessions.end(warehouse(), session.token)
        _live.clear()
        _live_session.clear()
    dead = session.token if isinstance(session, sessions.Session) else None
    for key in list(st.session_state.keys()):
        # The language switch keeps its own key: deleting a widget's key drops its value but
        # not its on_change, and a request the browser sent before the sign-out took effect
        # (the session watch's tick, a second click) would call it on the missing key.
        if key not in (LANGUAGE_KEY, LANGUAGE_WIDGET):
            del st.session_state[key]
    if dead:
        st.session_state[DEAD_COOKIE_KEY] = dead


def session_changed() -> None:
    """After an admin changed users: re-read sessions and users now, not in a few seconds."""
    _live.clear()
    _live_session.clear()
    _stored_user.clear()
    _demo_accounts.clear()


def adopt(user: User) -> None:
    """Sign this browser in as `user` with a new session (an admin who replaced the demo's
    account by their own, in the same transaction as the import)."""
    _signed_in(user, sessions.start(warehouse(), user.username, client_address()))
