"""Finding: reloading the page or opening a link signed you out. Sessions now live in the
warehouse (only a hash of the cookie's token), survive a new connection, expire when idle or
old, and end on sign-out, a password reset, a role change, disabling or removing the user."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from repurchase.accounts import auth, sessions, users
from repurchase.ui import session as ui_session

from ..conftest import REPO

NOW = datetime(2026, 6, 1, 9, 0)


@pytest.fixture
def wh(small_warehouse):
    users.add(small_warehouse, "li.na", "kitchen window blue", "rep", rep_id="R001", by=auth.SYSTEM)
    users.add(small_warehouse, "boss", "sunflower table 42", "admin", by=auth.SYSTEM)
    return small_warehouse


def test_only_the_hash_of_a_token_is_stored_and_it_finds_its_user(wh):
    session = sessions.start(wh, "li.na", "10.0.0.5", now=NOW)
    with wh.connect() as cur:
        stored = cur.execute("select token_hash, client from user_sessions").fetchall()
    assert stored == [(sessions.token_hash(session.token), "10.0.0.5")]
    assert session.token not in str(stored) and len(session.token) >= 43  # 256 random bits
    assert sessions.resume(wh, session.token, now=NOW + timedelta(hours=1)).username == "li.na"
    assert sessions.resume(wh, session.token + "x", now=NOW) is None


def test_idle_and_absolute_limits(wh):
    settings = sessions.SessionSettings(idle=timedelta(hours=2), absolute=timedelta(hours=5))
    idle = sessions.start(wh, "li.na", None, now=NOW, settings=settings)
    assert sessions.resume(wh, idle.token, now=NOW + timedelta(hours=3), settings=settings) is None
    busy = sessions.start(wh, "li.na", None, now=NOW, settings=settings)
    for hour in range(1, 5):  # used every hour: never idle...
        at = NOW + timedelta(hours=hour)
        assert sessions.resume(wh, busy.token, now=at, settings=settings), hour
    # ...but never older than the absolute limit
    assert sessions.resume(wh, busy.token, now=NOW + timedelta(hours=5), settings=settings) is None
    assert busy.max_age(NOW) == 5 * 3600


def _last_seen(wh, token: str) -> datetime:
    with wh.connect() as cur:
        return cur.execute(
            "select last_seen_at from user_sessions where token_hash = $h",
            {"h": sessions.token_hash(token)},
        ).fetchone()[0]


def test_a_resume_within_minutes_of_the_last_write_only_reads(wh, monkeypatch):
    """The app resumes the session every few seconds per browser: that must not be a write
    transaction each time (a page view would wait behind a job like a write)."""
    session = sessions.start(wh, "li.na", None, now=NOW)
    writes = []
    transaction = sessions.retry.transaction
    monkeypatch.setattr(
        sessions.retry,
        "transaction",
        lambda warehouse, fn, *a, **k: writes.append(fn) or transaction(warehouse, fn, *a, **k),
    )
    for seconds in (10, 20, 290):
        at = NOW + timedelta(seconds=seconds)
        assert sessions.resume(wh, session.token, now=at).username == "li.na"
    assert writes == [] and _last_seen(wh, session.token) == NOW
    later = NOW + sessions.TOUCH_EVERY + timedelta(seconds=1)
    assert sessions.resume(wh, session.token, now=later).username == "li.na"
    assert len(writes) == 1 and _last_seen(wh, session.token) == later
    assert sessions.resume(wh, session.token, now=later + timedelta(seconds=10))
    assert len(writes) == 1


def test_an_idle_session_still_ends_and_a_busy_one_with_a_short_idle_limit_does_not(wh):
    settings = sessions.SessionSettings(idle=timedelta(minutes=2), absolute=timedelta(days=1))
    busy = sessions.start(wh, "li.na", None, now=NOW, settings=settings)
    idle = sessions.start(wh, "li.na", None, now=NOW, settings=settings)
    for step in range(1, 16):  # used every 20 s for 5 minutes, longer than TOUCH_EVERY
        at = NOW + timedelta(seconds=20 * step)
        assert sessions.resume(wh, busy.token, now=at, settings=settings), step
    assert sessions.resume(wh, idle.token, now=at, settings=settings) is None
    with wh.connect() as cur:
        why = cur.execute(
            "select revoked_why from user_sessions where token_hash = $h",
            {"h": sessions.token_hash(idle.token)},
        ).fetchone()[0]
    assert why == "idle"
    # ended for good: resuming it again, even "earlier", finds nothing
    assert sessions.resume(wh, idle.token, now=NOW, settings=settings) is None


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv(sessions.IDLE_ENV, "0.5")
    monkeypatch.setenv(sessions.ABSOLUTE_ENV, "2")
    settings = sessions.SessionSettings()
    assert (settings.idle, settings.absolute) == (timedelta(minutes=30), timedelta(days=2))


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (
            lambda wh: users.set_password(wh, "li.na", "another long secret", by=auth.SYSTEM),
            "password",
        ),
        (lambda wh: users.set_role(wh, "li.na", "rep", rep_id="R002", by=auth.SYSTEM), "role"),
        (lambda wh: users.disable(wh, "li.na", by=auth.SYSTEM), "disabled"),
        (lambda wh: users.remove(wh, "li.na", by=auth.SYSTEM), "removed"),
        (
            lambda wh: users.sign_out_everywhere(wh, "li.na", by=auth.SYSTEM),
            "signed-out-everywhere",
        ),
    ],
)
def test_changes_to_a_user_end_all_their_sessions_in_every_browser(wh, change, why):
    phone = sessions.start(wh, "li.na", "10.0.0.5")
    laptop = sessions.start(wh, "li.na", "10.0.0.6")
    other = sessions.start(wh, "boss", "10.0.0.7")
    change(wh)
    assert sessions.resume(wh, phone.token) is None
    assert sessions.resume(wh, laptop.token) is None
    assert sessions.resume(wh, other.token).username == "boss"  # nobody else's
    with wh.connect() as cur:
        whys = cur.execute(
            "select distinct revoked_why from user_sessions where username = 'li.na'"
        ).fetchall()
    assert whys == [(why,)]


def test_sign_out_ends_only_that_session(wh):
    phone = sessions.start(wh, "li.na", None)
    laptop = sessions.start(wh, "li.na", None)
    sessions.end(wh, phone.token)
    assert sessions.resume(wh, phone.token) is None
    assert sessions.resume(wh, laptop.token).username == "li.na"


# ----------------------------------------------------------------------------- in the app


def _app(page: str = "app.py") -> AppTest:
    at = AppTest.from_file(str(REPO / page), default_timeout=120)
    at.session_state["ui.language"] = "en"
    return at


def _sign_in(at: AppTest, name: str = "rep") -> AppTest:
    at.run()
    at.text_input(key="login.username").input(name)
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    return at


def test_a_new_connection_with_the_cookie_is_signed_in_and_sign_out_ends_it(
    app_warehouse, monkeypatch
):
    first = _sign_in(_app())
    session = first.session_state[ui_session.SESSION_KEY]
    assert first.session_state[ui_session.USER_KEY].role == "rep"
    # the page hands the token to the browser as a SameSite=Strict cookie
    script = [h.proto.body for h in first.get("html") if sessions.COOKIE in h.proto.body]
    assert script and session.token in script[0] and "SameSite=Strict" in script[0]

    # a reload, a new tab or a link: a new connection that sends the cookie
    monkeypatch.setattr(ui_session, "_cookie_token", lambda: session.token)
    reloaded = _app("pages/customer.py").run()
    assert not reloaded.exception
    assert [t.value for t in reloaded.title] == ["Customer"]
    assert reloaded.session_state[ui_session.USER_KEY].username == "rep"

    reloaded.sidebar.button(key="nav.sign_out").click().run()
    assert [t.value for t in reloaded.title] == ["Sign in"]
    cleared = [h.proto.body for h in reloaded.get("html") if sessions.COOKIE in h.proto.body]
    assert cleared and "Max-Age=0" in cleared[0]
    # the cookie opens nothing any more, in any tab
    again = _app("pages/customer.py").run()
    assert [t.value for t in again.title] == ["Sign in"]
    assert sessions.resume(app_warehouse, session.token) is None


def test_a_password_reset_elsewhere_signs_an_open_browser_out(app_warehouse):
    at = _sign_in(_app())
    users.set_password(app_warehouse, "rep", "another long secret", by=auth.SYSTEM)
    ui_session.session_changed()  # what the few seconds of caching would do by themselves
    at.switch_page("pages/call_list.py").run()
    assert [t.value for t in at.title] == ["Sign in"]
    assert ui_session.USER_KEY not in at.session_state
