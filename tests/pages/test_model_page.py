"""The Model page's words before there is anything to show: who can start a backtest, and
lists that exist but are too new for the table of model versions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from repurchase import i18n
from repurchase.accounts import auth

from ..conftest import REPO


def _model_page(role: str, language: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["ui.language"] = language
    at.run()
    at.text_input(key="login.username").input(role)
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button[0].click().run()
    at.switch_page("pages/model.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize(
    ("role", "key"), [("manager", "model.no_backtest_manager"), ("admin", "model.no_backtest")]
)
def test_without_a_backtest_the_page_points_to_the_data_page_not_a_command(
    app_warehouse, role, key, language
):
    with app_warehouse.transaction() as cur:
        cur.execute("delete from backtest_results")
        cur.execute("delete from backtest_runs")
    at = _model_page(role, language)
    said = [i.value for i in at.info]
    assert i18n.text(key, language) in said
    assert not any("python -m" in line for line in said)
    data_page = i18n.text("nav.data", language)
    assert any(data_page in line for line in said)
    if role == "admin":  # the button's own words, so the admin finds it
        assert any(i18n.text("jobs.do_backtest", language) in line for line in said)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_todays_lists_alone_are_not_called_no_lists(app_warehouse, language):
    today = date.today()
    with app_warehouse.transaction() as cur:
        cur.execute("delete from call_lists where list_date < $day", {"day": today})
    assert not app_warehouse.query("list_period").first_day.isna().iloc[0]
    at = _model_page("manager", language)
    said = [i.value for i in at.info]
    assert i18n.text("cohorts.no_lists", language) not in said
    ready = f"{today + timedelta(days=7):%Y-%m-%d}"
    expected = i18n.text("model.lists_too_new", language, first=f"{today:%Y-%m-%d}", ready=ready)
    assert expected in said
