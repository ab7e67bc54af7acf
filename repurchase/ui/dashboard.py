"""The only package module that imports streamlit: page setup, sign-in, language, cached
loaders and the few rendering helpers the pages share.

Pages call `page_setup(name)` first: it prepares the warehouse on a fresh checkout, shows the
sign-in form and stops when nobody is signed in, and stops with a message when the signed-in
role may not open the page. A page opened by URL on a freshly started server goes through
the same gate, with or without app.py.

Caching: the warehouse handle and the serving model are resources; query results are cached
with the signed-in user among the arguments (so one user's data is never served to another)
and cleared after a write, an import or a promotion.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAuthError

from repurchase.accounts import auth, company_sign_in, sessions
from repurchase.accounts.auth import User
from repurchase.config import default_warehouse_path, demo_overrides
from repurchase.demo import synthetic
from repurchase.errors import RepurchaseError, WarehouseLockedError
from repurchase.evaluation import backtest
from repurchase.evaluation import outcomes as evaluate
from repurchase.lists import explain, exports, list_actions, team_settings
from repurchase.model import registry, train
from repurchase.services import (
    access,
    demo_guard,
    job_runner,
    jobs,
    team_today,
    visit_queue,
    visits,
    weekly_report,
)
from repurchase.services import first_start as firststart
from repurchase.ui import i18n
from repurchase.warehouse import importer
from repurchase.warehouse.store import Warehouse

USER_KEY = "auth.user"  # set only by the sign-in code below, never by a widget
SESSION_KEY = "auth.session"  # the sessions.Session of this browser (its token: the cookie)
DEAD_COOKIE_KEY = "auth.dead_cookie"  # a cookie found ended: not looked up again
COMPANY_REFUSED_KEY = "auth.company_refused"  # the company sign-in refused in this connection
LANGUAGE_KEY = "ui.language"
LANGUAGE_WIDGET = "ui.language_choice"
PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"

# page -> (file, roles allowed, title key, icon)
PAGES: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "call_list": (
        "call_list.py",
        ("rep", "manager", "admin"),
        "nav.call_list",
        ":material/checklist:",
    ),
    "log_visit": ("log_visit.py", ("rep", "admin"), "nav.log_visit", ":material/edit_note:"),
    "customer": ("customer.py", ("rep", "manager", "admin"), "nav.customer", ":material/person:"),
    "team_today": ("team_today.py", ("manager", "admin"), "nav.team_today", ":material/today:"),
    "cohorts": ("cohorts.py", ("manager", "admin"), "nav.cohorts", ":material/groups:"),
    "model": ("model.py", ("manager", "admin"), "nav.model", ":material/monitoring:"),
    "data": ("data.py", ("admin",), "nav.data", ":material/upload_file:"),
    "users": ("users.py", ("admin",), "nav.users", ":material/manage_accounts:"),
}
HOME = {"rep": "call_list", "manager": "team_today", "admin": "call_list", None: "call_list"}


def may_open(user: User, page: str) -> bool:
    """Whether `user`'s role may open `page` (the same table the page guard reads), so a page
    never offers a button that leads to "not available for your role"."""
    return user.role in PAGES[page][1]


MIN_CELL_ENV = "REPURCHASE_MIN_CELL"

_first_start = threading.Lock()  # one first-start build per server process


# ----------------------------------------------------------------------------- language


def _detected_language() -> str:
    """The browser's language (st.context.locale) if we speak it, else the default."""
    locale = (st.context.locale or "").lower()
    if locale.startswith("zh"):
        return "zh"
    if locale.startswith("en"):
        return "en"
    return i18n.DEFAULT_LANGUAGE


def language() -> str:
    """The language switch's value; before it first renders, the browser's language."""
    chosen = st.session_state.get(LANGUAGE_KEY)
    return chosen if chosen in i18n.LANGUAGES else _detected_language()


def t(key: str, **params: object) -> str:
    return i18n.text(key, language(), **params)


def value(kind: str, code: object) -> str:
    """A stored code (customer type, method, result...) in the user's language; values the
    catalogue does not know (a company's own ERP codes) are shown as they are."""
    return i18n.value_label(kind, code, language())


def label_for(kind: str):
    """A format function for widgets showing stored codes, bound to the language of this run
    (Streamlit may call a widget's format function again outside the run)."""
    lang = language()
    # options render Markdown: a company's own codes (shown as they are) are escaped
    return lambda code: plain(i18n.value_label(kind, code, lang))


def plain(text: object) -> str:
    """User or imported text for a place that would render Markdown (labels, options):
    every Markdown and HTML character escaped, so it shows exactly as typed."""
    return i18n.escape_markdown("" if text is None else str(text))


def account(identity: object) -> str:
    """A company account (often an email) for Markdown, as inline code: shown exactly as it is,
    never as a mailto link (escaping does not stop the autolink) nor as markup. The fence is
    longer than any run of backticks in it, as CommonMark requires."""
    text = "" if identity is None else str(identity)
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def _language_switch() -> None:
    """中文 / English in the sidebar. The choice lives in a session key of its own (a widget's
    state does not survive a page change); other widgets keep their values (stable keys)."""
    if st.session_state.get(LANGUAGE_KEY) not in i18n.LANGUAGES:
        st.session_state[LANGUAGE_KEY] = _detected_language()

    def chosen() -> None:
        st.session_state[LANGUAGE_KEY] = st.session_state[LANGUAGE_WIDGET]

    st.sidebar.radio(
        "Language / 语言",
        list(i18n.LANGUAGES),
        index=i18n.LANGUAGES.index(st.session_state[LANGUAGE_KEY]),
        format_func=lambda code: i18n.LANGUAGE_NAMES[code],
        key=LANGUAGE_WIDGET,
        on_change=chosen,
        horizontal=True,
        label_visibility="collapsed",
    )


# ----------------------------------------------------------------------------- resources


@st.cache_resource(show_spinner=False)
def _warehouse(path: str) -> Warehouse:
    return Warehouse(path)


def warehouse() -> Warehouse:
    """The server's warehouse handle (it opens the file only per unit of work), keyed by path
    so a changed REPURCHASE_WAREHOUSE is never served a stale handle."""
    return _warehouse(str(default_warehouse_path()))


@st.cache_resource(show_spinner=False, max_entries=4)
def _model(path: str, version: str) -> registry.LoadedModel:
    return registry.load(Warehouse(path), version)


def serving_model() -> registry.LoadedModel | None:
    """The serving model, loaded once per server process per version."""
    wh = warehouse()
    version = registry.serving_version(wh)
    return None if version is None else _model(str(wh.path), version)


_ready: dict[str, date] = {}  # warehouse path -> the day its lists were last found ready


def ensure_ready(wh: Warehouse) -> None:
    """On a fresh checkout build the demo (with simulated weeks of use), with a progress bar;
    on the first page view of a day, write today's lists if a model serves and none exist.
    Once per server process and day. (Process state, shared by every session on purpose: it is
    about the warehouse, not about any user.)"""
    today = date.today()
    if _ready.get(str(wh.path)) == today:
        return
    with _first_start:
        if _ready.get(str(wh.path)) == today:  # done while this session waited
            return
        if firststart.needs_demo(wh):
            bar = st.progress(0.0, text=t("setup.first_start"))
            config = synthetic.DemoConfig(**demo_overrides())
            firststart.prepare(wh, demo_config=config, progress=forward_only(bar))
            bar.empty()
        else:
            with st.spinner(t("setup.scoring_today")):
                firststart.prepare(wh)
        clear_caches()
        _ready[str(wh.path)] = today


def forward_only(bar: st.delta_generator.DeltaGenerator):
    """A progress callback for `bar` that never moves it backwards: the steps of a long job
    report fractions of their own, and a bar that jumps back reads as a restart."""
    reached = [0.0]

    def say(fraction: float, message: str) -> None:
        reached[0] = min(max(reached[0], fraction), 1.0)
        bar.progress(reached[0], text=message)

    return say


def min_cell() -> int:
    raw = os.environ.get(MIN_CELL_ENV)
    return int(raw) if raw else evaluate.MIN_VISITS


# ----------------------------------------------------------------------------- sign-in


@st.cache_data(ttl=10, max_entries=1000, show_spinner=False)
def _stored_user(path: str, username: str) -> User | None:
    return auth.user(Warehouse(path), username)


@st.cache_data(ttl=10, max_entries=1000, show_spinner=False)
def _live_session(path: str, token: str) -> str | None:
    """The username of a live session, re-read every few seconds like the user: a session
    ended elsewhere (sign-out in another tab, a password reset, a disabled account) ends
    here too."""
    session = sessions.resume(Warehouse(path), token)
    return None if session is None else session.username


def _client() -> str:
    """The address the browser connects from (behind a reverse proxy on this machine, the one
    it forwards in X-Forwarded-For); the throttle counts failures per name and address."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else auth.LOCAL_CLIENT


def _cookie_token() -> str | None:
    """The session token the browser sent when it opened this connection (a reload, a new tab,
    a link), if any."""
    token = st.context.cookies.get(sessions.COOKIE)
    return token if isinstance(token, str) and token else None  # (AppTest has no cookies)


def _set_cookie(session: sessions.Session | None) -> None:
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
    user = None if session is None else _stored_user(str(wh.path), session.username)
    if user is None:
        st.session_state[DEAD_COOKIE_KEY] = token
        return None
    st.session_state[USER_KEY] = user
    st.session_state[SESSION_KEY] = session
    return user


def current_user() -> User | None:
    """The signed-in user: from this connection's state, else from the session cookie. Its
    session and the user are re-read from the warehouse every few seconds: an ended session,
    a changed role or scope, or a disabled or removed account signs this browser out."""
    wh = warehouse()
    user = st.session_state.get(USER_KEY)
    session = st.session_state.get(SESSION_KEY)
    if not isinstance(user, User) or not isinstance(session, sessions.Session):
        return _resume_from_cookie(wh) or _sign_in_from_identity(wh)
    path = str(wh.path)
    live = _live_session(path, session.token)
    if live != user.username or _stored_user(path, user.username) != user:
        sign_out(end_session=False)
        return None
    return user


# ----------------------------------------------------------------------------- company sign-in
# OpenID Connect through st.login (company_sign_in.py maps the identity to a user). Streamlit
# signs the browser in at the provider and hands the verified ID token's claims over as
# st.user; this code turns them into an app session like a password does.


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


def _identity_claims() -> dict | None:
    """The ID token's claims when the identity provider has signed this browser in."""
    claims = st.user.to_dict()
    return claims if claims.get("is_logged_in") is True else None


def _sign_in_from_identity(wh: Warehouse) -> User | None:
    """A browser the identity provider signed in (st.login), with no app session yet: the
    linked user gets one. A refusal is kept for the sign-in page, once per sign-in."""
    claims = _identity_claims()
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
        signed = company_sign_in.sign_in(wh, claims, settings, client=_client())
    except company_sign_in.SignInRefused as exc:
        st.session_state[COMPANY_REFUSED_KEY] = (claims, exc.reason, exc.identity, exc.claim)
        return None
    st.session_state.pop(COMPANY_REFUSED_KEY, None)
    st.session_state.pop(DEAD_COOKIE_KEY, None)
    st.session_state[USER_KEY] = signed.user
    st.session_state[SESSION_KEY] = signed.session
    return signed.user


def _company_sign_in(settings: company_sign_in.Settings) -> None:
    """The "Sign in with <provider>" button, and why the last company sign-in was refused."""
    refused = st.session_state.get(COMPANY_REFUSED_KEY)
    if refused is not None and refused[0] == _identity_claims():
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
        and _identity_claims()
        and st.button(t("company.sign_out_provider"), key="login.company_sign_out")
    ):
        st.session_state.pop(COMPANY_REFUSED_KEY, None)
        st.logout()


def _sign_in(wh: Warehouse, page: str) -> None:
    st.title(t("login.title"))
    _set_cookie(None)  # a cookie of an ended session is of no use: drop it
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
            user = auth.authenticate(wh, username, password, client=_client())
            session = sessions.start(wh, user.username, _client())
        except auth.TooManyAttemptsError as exc:
            st.error(t("login.throttled", seconds=exc.wait_seconds))
        except auth.AccountDisabledError:
            st.error(t("login.disabled"))
        except auth.AuthError:
            st.error(t("login.wrong"))
        else:
            st.session_state.pop(DEAD_COOKIE_KEY, None)
            st.session_state[USER_KEY] = user
            st.session_state[SESSION_KEY] = session
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
        _live_session.clear()
    dead = session.token if isinstance(session, sessions.Session) else None
    for key in list(st.session_state.keys()):
        if key != LANGUAGE_KEY:
            del st.session_state[key]
    if dead:
        st.session_state[DEAD_COOKIE_KEY] = dead


def session_changed() -> None:
    """After an admin changed users: re-read sessions and users now, not in a few seconds."""
    _live_session.clear()
    _stored_user.clear()
    _demo_accounts.clear()


def page_setup(page: str) -> User:
    """Set the page up; stop with the sign-in form (nobody signed in) or a refusal (role)."""
    file, roles, title, _icon = PAGES[page]
    st.set_page_config(page_title=t(title), layout="wide")
    wh = warehouse()
    _language_switch()
    try:
        ensure_ready(wh)
        user = current_user()
        if user is None:
            _sign_in(wh, page)
            st.stop()
    except WarehouseLockedError:
        # a job (an import, a retrain) holds the file longer than the lock timeout
        st.warning(t("login.busy"))
        st.stop()
    st.sidebar.caption(
        t("nav.signed_in", name=plain(user.display_name), role=t(f"role.{user.role}"))
    )
    if st.sidebar.button(t("nav.sign_out"), key="nav.sign_out"):
        at_provider = _identity_claims() is not None
        try:
            sign_out()
        except WarehouseLockedError:
            st.sidebar.warning(t("login.busy"))
            st.stop()
        if at_provider:  # signed in with the company account: out of both, not only the app
            st.logout()
            st.stop()
        st.rerun()
    with st.sidebar:
        _set_cookie(st.session_state[SESSION_KEY])
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
    st.navigation(pages).run()


# ----------------------------------------------------------------------------- cached data
# Every loader takes the signed-in `user`: the cache key includes it, and access.py applies
# the user's scope inside.


@st.cache_data(ttl=60, max_entries=200, show_spinner=False)
def reps_in_scope(user: User) -> pd.DataFrame:
    return access.reps_in_scope(warehouse(), user)


@st.cache_data(ttl=60, max_entries=200, show_spinner=False)
def customers_in_scope(user: User) -> pd.DataFrame:
    return access.customers(warehouse(), user)


@st.cache_data(ttl=60, max_entries=500, show_spinner=False)
def call_list(user: User, rep_id: str, day: date) -> pd.DataFrame:
    return access.call_list(warehouse(), user, rep_id, day)


@st.cache_data(ttl=60, max_entries=500, show_spinner=False)
def customer_history(user: User, customer_id: str) -> dict[str, object]:
    return access.customer_history(warehouse(), user, customer_id)


@st.cache_data(ttl=300, max_entries=100, show_spinner=False)
def team_visits(user: User, first: date, last: date) -> pd.DataFrame:
    return access.on_list_visits(warehouse(), user, first, last)


@st.cache_data(ttl=300, max_entries=50, show_spinner=False)
def list_period() -> tuple[date | None, date | None]:
    period = warehouse().query("list_period").iloc[0]
    if pd.isna(period.first_day):
        return None, None
    return period.first_day.date(), period.last_day.date()


@st.cache_data(ttl=300, max_entries=50, show_spinner=False)
def holdout_lift(
    user: User, first: date, last: date, reps: tuple[str, ...]
) -> evaluate.HoldoutLift:
    """The hold-out lift for `reps`, which must all be in the user's scope."""
    access.require_manager(user)
    allowed = set(access.rep_ids(warehouse(), user))
    return evaluate.holdout_lift(warehouse(), first, last, reps=[r for r in reps if r in allowed])


def model_overview(user: User) -> dict[str, pd.DataFrame]:
    """The Model page's tables. Cached per serving version, read live: a version promoted by
    another process (the nightly job, another app server on the same database) shows at once,
    not when the cache expires; this process clears its caches only after its own changes."""
    access.require_manager(user)
    return _model_overview(user, registry.serving_version(warehouse()))


@st.cache_data(ttl=300, max_entries=20, show_spinner=False)
def _model_overview(user: User, serving: str | None) -> dict[str, pd.DataFrame]:
    """`serving` is only the cache key (see model_overview)."""
    access.require_manager(user)
    wh = warehouse()
    first, last = list_period()
    model = serving_model()
    return {
        "versions": registry.versions(wh),
        "gate": (
            pd.DataFrame(model.gate).assign(serves=lambda g: g.method == model.serving_method)
            if model is not None and model.gate
            else pd.DataFrame()
        ),
        "backtest": wh.query("latest_backtest"),
        "predictions": wh.query("latest_backtest_predictions"),
        # the lists of the reps the user may see, never another team's
        "version_table": (
            evaluate.version_table(wh, first, last, reps=access.rep_ids(wh, user))
            if first
            else pd.DataFrame()
        ),
    }


@st.cache_data(ttl=60, max_entries=20, show_spinner=False)
def visit_choices() -> dict[str, list[str]]:
    from repurchase.services import visits

    return visits.choices(warehouse())


def gate_verdict(gate: pd.DataFrame) -> str:
    """Which method makes the lists and why, in plain words (the gate of the serving run:
    columns method, list_precision, serves)."""
    network = gate[gate.method == "network"].iloc[0]
    peers = gate[gate.method != "network"]
    best = peers.loc[peers.list_precision.idxmax()] if len(peers) else network
    served = gate[gate.serves].iloc[0]
    margin = best.get("margin_se", 0.0) if served.method == "network" else 0.0
    words = {
        "margin": f"{0.0 if pd.isna(margin) else margin:.1%}",
        "precision": f"{network.list_precision:.1%}",
        "peer": t(f"method.{(best if served.method == 'network' else served).method}"),
        "peer_precision": f"{(best if served.method == 'network' else served).list_precision:.1%}",
    }
    key = "model.serves_network" if served.method == "network" else "model.serves_peer"
    return t(key, **words)


def clear_caches() -> None:
    """After a write, an import or a promotion: every cached result may be stale."""
    st.cache_data.clear()


def clear_lists_and_history() -> None:
    """After a visit is logged, changed or deleted: the lists, the customer's history and the
    manager's view of today all count it."""
    call_list.clear()
    customer_history.clear()
    team_visits.clear()
    team_day.clear()
    _weekly_report.clear()


# ----------------------------------------------------------------------------- visits

QUEUE_DRAIN_SECONDS = 5.0


@st.cache_resource(show_spinner=False)
def _queue_drainer(path: str) -> threading.Thread:
    """One thread per server process that writes queued visits once the file frees. It looks
    at the queue folder only (no file open) while nothing is queued."""
    wh = Warehouse(path)

    def work() -> None:
        while True:
            time.sleep(QUEUE_DRAIN_SECONDS)
            if visit_queue.pending(wh):
                if visit_queue.drain(wh).stored:
                    st.cache_data.clear()

    thread = threading.Thread(target=work, name="visit-queue-drainer", daemon=True)
    thread.start()
    return thread


def save_visit(user: User, visit: visits.VisitInput) -> visit_queue.Saved:
    """Log a visit from the form: stored, or queued durably while a job holds the file."""
    wh = warehouse()
    _queue_drainer(str(wh.path))
    outcome = visit_queue.save(wh, user, visit, datetime.now())
    if not outcome.queued:
        clear_lists_and_history()
    return outcome


def edit_visit(user: User, visit_id: int, visit: visits.VisitInput) -> None:
    """Change one of the user's own entries of today (audited)."""
    visits.edit_visit(warehouse(), user, visit_id, visit)
    clear_lists_and_history()


def delete_visit(user: User, visit_id: int) -> None:
    """Delete one of the user's own entries of today (audited)."""
    visits.delete_visit(warehouse(), user, visit_id)
    clear_lists_and_history()


def entries_today(user: User, day: date) -> pd.DataFrame:
    """The visits the user logged in the app on `day` (never cached: they just typed them)."""
    return visits.entries_today(warehouse(), user, day)


def queued_visits_notice(user: User) -> None:
    """Tell the rep about their visits still waiting in the queue, and about any the
    warehouse refused when the queue was written (shown once, then dismissed)."""
    wh = warehouse()
    waiting = visit_queue.pending(wh, user.username)
    if waiting:
        _queue_drainer(str(wh.path))
        st.info(t("log.pending", count=len(waiting)))
    refused = visit_queue.failed(wh, user.username)
    if refused:
        reasons = "; ".join(f"{e.customer_id} {e.visited_at:%Y-%m-%d %H:%M}" for e in refused)
        st.warning(t("log.queue_failed", count=len(refused), reasons=plain(reasons)))
        visit_queue.dismiss_failed(wh, user.username)


# ----------------------------------------------------------------------------- rendering


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
        # options render Markdown (and so HTML, links, images): imported text is escaped
        format_func=lambda c: plain(f"{c} · {names[c]}"),
        key=widget_key,
    )


def say_reasons(reasons: list[dict[str, object]], skip: tuple[str, ...] = ()) -> list[str]:
    """The reasons as sentences in the user's language, leaving out codes in `skip` (facts
    the page already shows elsewhere)."""
    return [explain.say(r, language()) for r in reasons if r["code"] not in skip]


def _pct(value: float, fmt: str = "{:.1%}") -> str:
    return "–" if pd.isna(value) else fmt.format(value)


# Columns of a visit table and their labels, in the order the pages show them.
_VISIT_COLUMNS = {
    "visited_at": "common.when",
    "rep_name": "common.rep",
    "method": "log.method",
    "result": "log.result",
    "note": "log.note",
    "order_amount": "log.field.order_amount",
    "follow_up_date": "log.field.follow_up_date",
    "entered_by": "customer.entered_by",
}


def visit_table(visits: pd.DataFrame, key: str, entered_by: bool = False) -> pd.DataFrame:
    """Show visits (access.customer_history's shape) with codes in the user's language and
    notes as plain table cells; return the frame shown, for a download."""
    columns = [c for c in _VISIT_COLUMNS if entered_by or c != "entered_by"]
    if "follow_up_date" not in visits.columns:  # visits read before follow-ups existed
        visits = visits.assign(follow_up_date=None)
    shown = visits.assign(
        visited_at=visits.visited_at.map(_when),
        method=visits.method.map(lambda v: value("method", v)),
        result=visits.result.map(lambda v: value("result", v)),
        # empty cells stay empty (a missing amount or note is not the word "None")
        order_amount=visits.order_amount.map(lambda v: "" if pd.isna(v) else f"{v:,.2f}"),
        follow_up_date=visits.follow_up_date.map(lambda v: _when(v, "%Y-%m-%d")),
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
        column_config={c: t(_VISIT_COLUMNS[c]) for c in columns},
    )
    return shown


def cohort_labels(table: pd.DataFrame) -> list[str]:
    """The rows of evaluate.on_off_table named in the user's language."""
    lang = language()
    return [
        i18n.cohort_label(d, c, lang) for d, c in zip(table.dimension, table.cohort, strict=True)
    ]


def _rate_with_interval(rate: float, low: float, high: float) -> str:
    if pd.isna(rate):
        return "–"
    return f"{rate:.1%} ({low:.1%}–{high:.1%})"


def cohort_display(table: pd.DataFrame) -> pd.DataFrame:
    """evaluate.on_off_table as the cohort page shows it: translated groups, each side's rate
    with its 95 % interval in one cell (so the table fits and lift and p stay in view), counts,
    as text ("–" where a side has no visits)."""
    return pd.DataFrame(
        {
            t("cohorts.cohort"): cohort_labels(table),
            t("cohorts.reps"): table.reps,
            t("cohorts.on_list_ci"): [
                _rate_with_interval(r, lo, hi)
                for r, lo, hi in zip(table.on_rate, table.on_low, table.on_high, strict=True)
            ],
            t("cohorts.on_visits"): table.on_visits,
            t("cohorts.off_list_ci"): [
                _rate_with_interval(r, lo, hi)
                for r, lo, hi in zip(table.off_rate, table.off_low, table.off_high, strict=True)
            ],
            t("cohorts.off_visits"): table.off_visits,
            t("cohorts.lift"): table.lift.map(lambda v: _pct(v, "{:+.0%}")),
            t("cohorts.p_value"): table.p_value.map(lambda v: _pct(v, "{:.3f}")),
        }
    )


def _when(value: object, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime(fmt)


def versions_display(versions: pd.DataFrame) -> pd.DataFrame:
    """registry.versions as the Model page lists them: labels and statuses in the user's
    language, dates as text, empty cells empty (never "None")."""
    return pd.DataFrame(
        {
            t("model.version"): versions.version,
            t("model.status"): versions.status.map(lambda s: t(f"model.status.{s}")),
            t("model.created"): versions.created_at.map(_when),
            t("model.history_from"): versions.train_start.map(lambda v: _when(v, "%Y-%m-%d")),
            t("model.trained_until"): versions.train_end.map(lambda v: _when(v, "%Y-%m-%d")),
            t("model.promoted"): versions.promoted_at.map(_when),
            t("model.valid_auc"): versions.valid_auc.map(lambda v: _pct(v, "{:.3f}")),
            t("model.valid_precision"): versions.precision_at_n.map(_pct),
            t("model.network"): versions.architecture.fillna(""),
        }
    )


def fail(exc: RepurchaseError) -> None:
    """Show a package error to the user and stop the page."""
    key = {
        "AccessDeniedError": "access.denied",
        "ModelNotFoundError": "error.no_model",
        "WarehouseLockedError": "error.locked",
    }.get(type(exc).__name__)
    st.error(t(key) if key else plain(str(exc)))  # messages quote values from files
    st.stop()


def download(frame: pd.DataFrame, name: str, key: str) -> None:
    """A CSV for people: codes in the user's language, rounded numbers, no formulas."""
    lang = language()
    readable = exports.for_people(frame, lambda kind, code: i18n.value_label(kind, code, lang))
    st.download_button(
        t("common.download_csv"),
        exports.csv_bytes(readable),
        file_name=name,
        mime="text/csv",
        key=key,
    )


# ----------------------------------------------------------------------------- jobs

# What the Data page's buttons run (tests make them small): the nightly job with the default
# training, and the default backtest up to today.
RETRAIN_TRAINING = train.TrainConfig()
BACKTEST = backtest.BacktestConfig()
JOBS_REFRESH_SECONDS = 2.0  # the Data page's job panel redraws itself this often
_finished_seen: dict[str, int] = {}  # warehouse path -> latest finished job this process saw


def start_retrain(user: User) -> int:
    """Start the nightly job (retrain, promote if not worse, score today) in a background
    worker; returns its job id at once. Raises JobBusyError if a retrain is running."""
    access.require_admin(user)
    params = jobs.train_params(RETRAIN_TRAINING, today=date.today())
    return job_runner.start(warehouse(), "nightly", params, user.username)


def start_backtest(user: User) -> int:
    """Start the rolling backtest up to today in a background worker; returns its job id."""
    access.require_admin(user)
    params = jobs.backtest_params(replace(BACKTEST, end=date.today()))
    return job_runner.start(warehouse(), "backtest", params, user.username)


def cancel_job(user: User, job_id: int) -> job_runner.Job:
    access.require_admin(user)
    return job_runner.cancel(warehouse(), job_id, user.username)


def recent_jobs(user: User, limit: int = 10) -> list[job_runner.Job]:
    """The latest jobs as every admin sees them (never cached: the panel shows live progress).
    When one finished since this server last looked, cached results may be stale (a new model
    may serve): they are cleared."""
    access.require_admin(user)
    wh = warehouse()
    found = job_runner.recent(wh, limit)
    latest = max((j.job_id for j in found if not j.active), default=0)
    seen = _finished_seen.setdefault(str(wh.path), latest)
    if latest > seen:
        _finished_seen[str(wh.path)] = latest
        clear_caches()
    return found


def jobs_table(found: list[job_runner.Job]) -> pd.DataFrame:
    """Jobs for people: translated names and statuses, the job's own words as text."""

    def minutes(job: job_runner.Job) -> str:
        if job.started_at is None:
            return ""
        end = job.finished_at or now()
        return f"{max((end - job.started_at).total_seconds(), 0) / 60:.1f}"

    return pd.DataFrame(
        {
            t("jobs.col.job"): [job.job_id for job in found],
            t("jobs.col.what"): [t(f"jobs.action.{job.action}") for job in found],
            t("jobs.col.status"): [t(f"jobs.status.{job.status}") for job in found],
            t("jobs.col.by"): [job.requested_by for job in found],
            t("jobs.col.started"): [f"{job.created_at:%Y-%m-%d %H:%M}" for job in found],
            t("jobs.col.minutes"): [minutes(job) for job in found],
            t("jobs.col.result"): [job_result(job) for job in found],
        }
    )


def job_result(job: job_runner.Job) -> str:
    """How a job ended, in the reader's language where the job recorded it as data; else the
    job's own words (an unexpected error's message), as text."""
    data = job.result or {}
    if job.status == "succeeded":
        if "version" in data:
            key = "jobs.result.promoted" if data["promoted"] else "jobs.result.not_promoted"
            return t(key, version=data["version"])
        if "backtest_run" in data:
            return t("jobs.result.backtest", run=data["backtest_run"], weeks=data["weeks"])
        if "folders" in data:
            return t("jobs.result.cleaned", folders=data["folders"], versions=data["versions"])
    if job.status == "cancelled":
        if job.cancel_requested_by:
            return t("jobs.result.cancelled", by=job.cancel_requested_by)
        return t("jobs.result.interrupted")
    if job.status == "failed" and "dead" in data:
        return t(f"jobs.result.dead_{data['dead']}")
    return job.outcome or job.error or ""


def check_upload(user: User, files: list) -> importer.ValidationReport:
    """Read and check uploaded files (a dry run: nothing is written)."""
    access.require_admin(user)
    read = [importer.read_file(f.name, name=f.name, data=f.getvalue()) for f in files]
    return importer.validate(warehouse(), read)


def import_checked(user: User, report: importer.ValidationReport) -> importer.ImportReport:
    """Write a clean report's rows (one transaction), as the signed-in admin."""
    access.require_admin(user)
    result = importer.write(warehouse(), report, imported_by=user.username)
    clear_caches()
    return result


def is_demo_warehouse() -> bool:
    """Whether the warehouse holds the demo (recorded by the demo build, never inferred)."""
    return demo_guard.is_demo(warehouse())


def replace_demo(
    user: User, report: importer.ValidationReport, admin: demo_guard.NewAdmin | None
) -> demo_guard.Replaced:
    """The Data page's confirmed first import into the demo: back up, import and remove the
    demo in one transaction. An admin signed in with the demo's account (removed with the
    demo) gets `admin`, their own account, created in that transaction, and is signed in
    with it, so nobody is locked out."""
    access.require_admin(user)
    done = demo_guard.replace_demo_and_import(
        warehouse(), report, imported_by=user.username, admin=admin
    )
    clear_caches()
    if done.admin is not None:  # signed in as their own account, as _sign_in does it
        st.session_state[USER_KEY] = done.admin
        st.session_state[SESSION_KEY] = sessions.start(warehouse(), done.admin.username, _client())
    return done


def now() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)


# ---- issue 11, value and churn models, team ranking, backtest (helper: models)
@st.cache_data(ttl=300, max_entries=20, show_spinner=False)
def backtest_measures(user: User) -> dict | None:
    """The value, ranking, re-call and churn measures of the latest backtest run (managers and
    admins; the figures pool every rep, like the rest of the backtest)."""
    access.require_manager(user)
    latest = warehouse().query("latest_backtest_measures")
    if latest.empty or pd.isna(latest.measures.iloc[0]):
        return None
    return json.loads(latest.measures.iloc[0])


def measure_tables(measures: dict) -> dict[str, pd.DataFrame]:
    """The Model page's three tables from a run's measures, labelled in the user's language."""
    size, ev = measures["order_size"], measures["expected_value"]
    value = pd.DataFrame(
        {
            t("measures.figure"): [
                t("measures.size_mae"),
                t("measures.size_mdape"),
                t("measures.value_mae"),
                t("measures.value_rmse"),
            ],
            t("measures.model"): [
                f"{size['model']['mae']:,.0f}",
                f"{size['model']['mdape']:.1%}",
                f"{ev['model']['mae']:,.0f}",
                f"{ev['model']['rmse']:,.0f}",
            ],
            t("measures.baseline"): [
                f"{size['baseline']['mae']:,.0f}",
                f"{size['baseline']['mdape']:.1%}",
                f"{ev['baseline']['mae']:,.0f}",
                f"{ev['baseline']['rmse']:,.0f}",
            ],
        }
    )
    ranking = measures["ranking"]
    lists = [
        (t("measures.by_probability"), ranking["probability"]),
        (t("measures.by_value"), ranking["value"]),
        (t("measures.by_own_average"), ranking["value (own average)"]),
        (t("measures.with_rule"), measures["recall_rule"]["with"]),
    ]
    per_call = pd.DataFrame(
        {
            t("measures.list"): [name for name, _ in lists],
            t("measures.per_call"): [f"{row['value_per_call']:,.0f}" for _, row in lists],
            t("measures.precision"): [f"{row['precision']:.1%}" for _, row in lists],
            t("measures.calls"): [row["calls"] for _, row in lists],
        }
    )
    tables = {"value": value, "ranking": per_call}
    risk = measures.get("churn", {})
    if risk.get("weeks"):
        rules = [(t("measures.flag"), risk["model"]), (t("measures.twice_gap"), risk["baseline"])]
        tables["churn"] = pd.DataFrame(
            {
                t("measures.rule"): [name for name, _ in rules],
                t("measures.precision"): [f"{q['precision']:.1%}" for _, q in rules],
                t("measures.recall"): [f"{q['recall']:.1%}" for _, q in rules],
                t("measures.flagged"): [q["flagged"] for _, q in rules],
            }
        )
    return tables


# ---- end of issue 11, models


# ---- issue 11, reasons for and against, the change since the previous list
# ---- end of issue 11, reasons


# ---- issue 11, visit outcomes, follow-ups, contacts, import contract (helper: outcomes)
def follow_up_text(day: object) -> str:
    """ "Call back on 2026-07-03", or "" for a visit without a follow-up."""
    shown = _when(day, "%Y-%m-%d")
    return t("log.follow_up_shown", day=shown) if shown else ""


def follow_up_input(key: str, value: object = None) -> object:
    """The optional "call back on" date of the visit forms (empty unless given)."""
    return st.date_input(
        t("log.follow_up"),
        value=None if value is None or pd.isna(value) else pd.Timestamp(value).date(),
        key=key,
        help=t("log.follow_up_help"),
        format="YYYY-MM-DD",
    )


# ---- end of issue 11, outcomes


# ---- issue 11, the call list's cards, snooze and skip (helper: worklist)
# What the call list's cards show beyond a score, and the rep's snooze / skip / Undo. The
# actions take today's date here, never the day a page shows: a past list is history.


def may_set_aside(user: User) -> bool:
    """Whether the page offers snooze and skip (reps, and admins acting in the app)."""
    return access.may_set_aside(user)


@st.cache_data(ttl=60, max_entries=500, show_spinner=False)
def drifting_away(user: User, rep_id: str, day: date) -> pd.DataFrame:
    return access.drifting_away(warehouse(), user, rep_id, day)


def _list_changed() -> None:
    """A snooze, skip or Undo changes the list (and who moved up) and the manager's counts."""
    clear_lists_and_history()
    drifting_away.clear()


def snooze(user: User, customer_id: str, days: int) -> list_actions.Done:
    done = access.snooze(warehouse(), user, customer_id, days, date.today())
    _list_changed()
    return done


def skip(user: User, customer_id: str, reason: str, note: str | None) -> list_actions.Done:
    done = access.skip(warehouse(), user, customer_id, reason, note, date.today())
    _list_changed()
    return done


def undo_list_action(user: User, action_id: int) -> None:
    access.undo_list_action(warehouse(), user, action_id, date.today())
    _list_changed()


_PHONE_DIGITS = 20  # E.164 allows 15; room for an extension, not for a story


def tel_href(phone: object) -> str | None:
    """A `tel:` link for a stored phone number: only its digits, with a leading + if it
    starts with one (full-width digits, as typed on a Chinese keyboard, count). Anything
    else in the value (spaces, dashes, markup, a script) never reaches the href; a value
    without digits, or with more than a phone number has, gets no link."""
    if phone is None or (isinstance(phone, float) and pd.isna(phone)):
        return None
    text = unicodedata.normalize("NFKC", str(phone)).strip()
    digits = "".join(c for c in text if "0" <= c <= "9")
    if not digits or len(digits) > _PHONE_DIGITS:
        return None
    return f"tel:{'+' if text.startswith('+') else ''}{digits}"


def contact_markdown(name: object, phone: object) -> str:
    """The card's contact line as Markdown: name and number escaped (user data), the number
    a tap-to-call link when it has digits."""
    parts = []
    if isinstance(name, str) and name.strip():
        parts.append(plain(name.strip()))
    if isinstance(phone, str) and phone.strip():
        href = tel_href(phone)
        shown = plain(phone.strip())
        parts.append(f"[{shown}]({href})" if href else shown)
    return f"{t('worklist.contact')}: {' · '.join(parts)}" if parts else t("worklist.no_contact")


def money(amount: object) -> str:
    """An amount in currency units with thousands separators ("–" when unknown)."""
    if amount is None or pd.isna(amount):
        return "–"
    return f"{float(amount):,.0f}"


def change_since_previous(p_order: object, p_previous: object) -> str | None:
    """The change of the chance since the previous list, in points (↑ +6 pts / ↓ -4 pts);
    None when there was no previous list."""
    if p_previous is None or pd.isna(p_previous) or p_order is None or pd.isna(p_order):
        return None
    points = round((float(p_order) - float(p_previous)) * 100)
    if points > 0:
        return t("worklist.change_up", points=points)
    if points < 0:
        return t("worklist.change_down", points=points)
    return t("worklist.change_none")


def list_action_error(exc: list_actions.ListActionError) -> str:
    """A refused snooze, skip or Undo in the user's language."""
    return t(exc.key, **exc.params)


# ---- end of issue 11, worklist


# ---- issue 11, the manager's today and the weekly report (helper: manager)
# The manager's today and the weekly report (team_today.py and weekly_report.py hold the
# numbers); the per-team ranking switch of the Data page (team_settings.py).


@st.cache_data(ttl=60, max_entries=200, show_spinner=False)
def team_day(user: User, day: date, team: str | None = None) -> team_today.TeamPeriod:
    return team_today.team_day(warehouse(), user, day, team)


@st.cache_data(ttl=120, max_entries=100, show_spinner=False)
def _weekly_report(
    user: User, day: date, team: str | None, lang: str, minute: datetime
) -> weekly_report.Report:
    return weekly_report.build(warehouse(), user, day, lang, minute, team)


def weekly_report_html(user: User, day: date, team: str | None = None) -> weekly_report.Report:
    """The report of `day`'s week in the user's language. It says when it was generated, to
    the minute: the minute is part of the cache key, so a page rerun reuses it within that
    minute and never hands out an older one."""
    return _weekly_report(user, day, team, language(), now())


def team_day_display(period: team_today.TeamPeriod, with_team: bool) -> pd.DataFrame:
    """team_today.TeamPeriod as the page shows it: one row per rep and a totals row, labels in
    the user's language, rates with their intervals and counts as text (the report's words)."""
    rows = [*period.reps.iterrows()]
    shown = []
    for _, row in rows:
        shown.append((row.rep_id, row["name"], team_name(row.team), row))
    shown.append((t("team.totals"), "", "", period.totals))
    table = {
        t("team.col.rep"): [r[0] for r in shown],
        t("team.col.name"): [r[1] for r in shown],
    }
    if with_team:
        table[t("team.col.team")] = [r[2] for r in shown]
    for column in ("listed", "ordered", "no_demand", "not_reached", "snoozed", "skipped", "open"):
        table[t(f"team.col.{column}")] = [int(r[3][column]) for r in shown]
    table[t("team.col.worked_share")] = [team_today.share_text(r[3].worked_share) for r in shown]
    # the short numbers first: the week's rates with intervals are wide and may scroll
    table[t("team.col.at_risk")] = [int(r[3].at_risk) for r in shown]
    table[t("team.col.on_list")] = [team_today.success_text(r[3], "on") for r in shown]
    table[t("team.col.off_list")] = [team_today.success_text(r[3], "off") for r in shown]
    return pd.DataFrame(table)


def team_name(team: object) -> str:
    """A team for a table cell: its name as stored, or "(no team)"."""
    return t("team.no_team") if team is None or pd.isna(team) or team == "" else str(team)


def team_label(team: object) -> str:
    """A team as a widget option shows it (escaped: options render Markdown)."""
    return plain(team_name(team))


@st.cache_data(ttl=60, max_entries=20, show_spinner=False)
def team_settings_table(user: User) -> pd.DataFrame:
    return team_settings.settings(warehouse(), user)


def set_team_ranking(user: User, team: str, by: str) -> None:
    """Save a team's ranking (admins only); takes effect from the next list written."""
    team_settings.set_rank_by(warehouse(), user, team, by)
    team_settings_table.clear()


# ---- end of issue 11, manager
