"""The Model page's words before there is anything to show: who can start a backtest, and
lists that exist but are too new for the table of model versions."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from repurchase import i18n
from repurchase.accounts import auth
from repurchase.evaluation import worklist_measures

from ..conftest import REPO
from ..evaluation.test_backtest_small_data import weekly_results
from ..evaluation.test_worklist_measures import _churn, _values


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


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_backtest_too_small_to_tell_the_methods_apart_says_so_plainly(app_warehouse, language):
    """3 reps and 60 customers: no rep had more visited customers in a week than a list
    takes, so every method listed all of them and showed the same precision."""
    churn = worklist_measures.churn_measures(_churn())
    churn["model"].update(precision=float("nan"), flagged=0)  # a flag that flagged nobody
    measures = {**worklist_measures.value_measures(_values(), 2), "churn": churn}
    weekly = weekly_results(candidates=36, listed=36)
    with app_warehouse.transaction() as cur:
        cur.execute(
            "insert into backtest_runs (run_id, config, seconds, measures) values (1, '{}', 1, $m)",
            {"m": json.dumps(measures)},
        )
        cur.register("weekly", weekly.assign(run_id=1))
        cur.execute(
            "insert into backtest_results (run_id, week, method, precision, listed, candidates,"
            " auc, brier, reps_success_rate, base_rate) select run_id, week, method, precision,"
            " listed, candidates, auc, brier, reps_success_rate, base_rate from weekly"
        )
    at = _model_page("manager", language)
    warned = [w.value for w in at.warning]
    expected = i18n.text(
        "model.too_small.lists_take_all", language, weeks=3, candidates="108", left_off="0%"
    )
    assert expected in warned
    summary = next(d.value for d in at.dataframe if "lift_min" in d.value.columns)
    assert summary.set_index("method").brier["random"] == "–"
    assert all(v.startswith(("+", "-", "–")) for v in summary.lift_max)  # a lift, signed
    cells = [str(c) for d in at.dataframe for c in d.value.astype(str).to_numpy().ravel()]
    assert not [c for c in cells if "nan" in c.lower() or c in ("None", "inf%")]
