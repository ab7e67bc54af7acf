"""The language a user chooses is stored with the user (migration 0021): a reload, a new tab
or another device signs in speaking it; before sign-in the browser's language is used."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from repurchase import i18n
from repurchase.accounts import auth, users
from repurchase.ui import text

from ..conftest import REPO


def _browser(language: str) -> AppTest:
    """A new browser session whose own language (before any sign-in) is `language`."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state[text.LANGUAGE_KEY] = language
    return at.run()


def _sign_in(at: AppTest, name: str) -> AppTest:
    at.text_input(key="login.username").input(name)
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.exception and at.session_state["auth.user"].username == name
    return at


def test_a_language_chosen_once_is_spoken_in_every_later_session_of_that_user(app_warehouse):
    first = _sign_in(_browser("en"), "rep")
    assert users.language(app_warehouse, "rep") is None  # not chosen yet: nothing stored
    first.radio(key=text.LANGUAGE_WIDGET).set_value("zh").run()
    assert not first.exception
    assert users.language(app_warehouse, "rep") == "zh"

    other = _browser("en")  # a reload, a new tab, another device: the browser says English
    assert i18n.text("login.username", "en") in [w.label for w in other.text_input]
    _sign_in(other, "rep")
    assert other.session_state[text.LANGUAGE_KEY] == "zh"
    assert other.radio(key=text.LANGUAGE_WIDGET).value == "zh"
    titles = [title.value for title in other.title]
    assert titles and all(re.search("[\u4e00-\u9fff]", title) for title in titles), titles

    manager = _sign_in(_browser("en"), "manager")  # another user keeps their own
    assert manager.session_state[text.LANGUAGE_KEY] == "en"


def test_only_a_known_language_is_stored(app_warehouse):
    rep = auth.user(app_warehouse, "rep")
    with pytest.raises(ValueError, match="unknown language"):
        users.set_language(app_warehouse, rep, "fr")
    users.set_language(app_warehouse, rep, "en")
    assert users.language(app_warehouse, "rep") == "en"
