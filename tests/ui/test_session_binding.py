"""A signed-in Streamlit session belongs to the browser that signed in: a session id replayed
by another client, without the session cookie, gets the sign-in page and nothing else."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from repurchase.ui import session as ui_session

from ..reliability.conftest import signed_in

VICTIM = ("xsrf-of-the-victims-browser", None)  # the browser signed in without a cookie yet


def _signed_in(monkeypatch, role: str = "rep") -> AppTest:
    monkeypatch.setattr(ui_session, "_connection", lambda: VICTIM)
    monkeypatch.setattr(ui_session, "_cookie_token", lambda: None)
    return signed_in(role)


def _customers_shown(at: AppTest) -> list[str]:
    return [t.value for t in at.text if "(C" in t.value]


def test_the_browser_that_signed_in_stays_signed_in(app_warehouse, monkeypatch):
    at = _signed_in(monkeypatch)
    at.run()
    assert at.session_state["auth.user"].username == "rep" and _customers_shown(at)
    # the same browser after a reload: it now sends the cookie its sign-in set
    token = at.session_state[ui_session.SESSION_KEY].token
    monkeypatch.setattr(ui_session, "_cookie_token", lambda: token)
    monkeypatch.setattr(ui_session, "_connection", lambda: (VICTIM[0], token))
    at.run()
    assert at.session_state["auth.user"].username == "rep" and _customers_shown(at)


def test_a_session_id_replayed_without_the_cookie_gets_the_sign_in_page(app_warehouse, monkeypatch):
    at = _signed_in(monkeypatch)
    assert _customers_shown(at)
    # another client presents the same Streamlit session: its own XSRF cookie, no session cookie
    monkeypatch.setattr(ui_session, "_connection", lambda: ("xsrf-of-another-client", None))
    at.run()
    assert not at.exception
    assert "auth.user" not in at.session_state
    assert at.text_input(key="login.username")  # the sign-in form, and nothing of the rep's
    assert not _customers_shown(at)
    # the victim's session itself is not ended: their browser signs in again from its cookie
    with app_warehouse.connect() as cur:
        live = cur.execute(
            "select count(*) from user_sessions where revoked_at is null"
        ).fetchone()[0]
    assert live >= 1


def test_a_session_id_replayed_with_another_sessions_cookie_gets_the_sign_in_page(
    app_warehouse, monkeypatch
):
    at = _signed_in(monkeypatch)
    monkeypatch.setattr(ui_session, "_cookie_token", lambda: "a-cookie-of-some-other-session")
    monkeypatch.setattr(
        ui_session,
        "_connection",
        lambda: ("xsrf-of-another-client", "a-cookie-of-some-other-session"),
    )
    at.run()
    assert "auth.user" not in at.session_state and not _customers_shown(at)
