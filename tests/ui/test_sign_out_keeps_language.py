"""Signing out while the browser has a request on its way (the session watch's tick, a second
click) must not break the next run: the request carries the language switch's value, and a
switch whose state sign-out had deleted ran its callback against a key that was gone, which
left the page on Streamlit's error before anything was drawn."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from repurchase.ui.text import LANGUAGE_KEY, LANGUAGE_WIDGET


def _page() -> None:
    import streamlit as st

    from repurchase.ui import session, text

    text.language_switch()
    if st.button("Sign out", key="out"):
        session.sign_out(end_session=False)
        st.stop()  # the browser's next request arrives before the switch is drawn again
    st.write(text.t("nav.sign_out"))


def test_a_request_sent_before_sign_out_took_effect_still_switches_the_language():
    at = AppTest.from_function(_page).run()
    assert not at.exception
    at.button(key="out").click().run()
    assert not at.exception
    other = "zh" if at.session_state[LANGUAGE_KEY] == "en" else "en"
    at.radio(key=LANGUAGE_WIDGET).set_value(other).run()
    assert not at.exception, at.exception
    assert at.session_state[LANGUAGE_KEY] == other
    assert at.markdown[-1].value == ("退出登录" if other == "zh" else "Sign out")
