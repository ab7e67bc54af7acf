"""The measured choices of the worklist on a hand-made week (numbers checked by hand) and on the
Model page in both languages."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from repurchase import i18n
from repurchase.accounts import auth
from repurchase.evaluation import worklist_measures

from ..conftest import REPO

WEEK = date(2026, 5, 4)


def _values() -> pd.DataFrame:
    # one rep, four candidates; top 2. By probability: A (no order) and B (order of 100).
    # By value: C (order of 1000) and B. D was called within the week without an order.
    return pd.DataFrame(
        {
            "week": WEEK,
            "customer_id": ["A", "B", "C", "D"],
            "rep_id": "R1",
            "label": [0, 1, 1, 1],
            "p_order": [0.9, 0.8, 0.3, 0.85],
            "typical_order": [50.0, 120.0, 900.0, 10.0],
            "baseline_order": [50.0, 200.0, 400.0, 10.0],
            "expected_value": [45.0, 96.0, 270.0, 8.5],
            "baseline_value": [45.0, 160.0, 120.0, 8.5],
            "priced_in_horizon": [0, 1, 2, 1],
            "spend": [0.0, 100.0, 1000.0, 20.0],
            "recent_no_order": [False, False, False, True],
        }
    )


def test_value_measures_by_hand():
    m = worklist_measures.value_measures(_values(), top_n=2)
    assert (m["weeks"], m["candidates"], m["ordered_priced"], m["top_n"]) == (1, 4, 3, 2)
    # actual mean order: B 100, C 500, D 20
    assert m["order_size"]["model"]["mae"] == pytest.approx((20 + 400 + 10) / 3)
    assert m["order_size"]["baseline"]["mae"] == pytest.approx((100 + 100 + 10) / 3)
    assert m["order_size"]["model"]["mdape"] == pytest.approx(0.5)  # 0.2, 0.8, 0.5
    assert m["expected_value"]["model"]["mae"] == pytest.approx((45 + 4 + 730 + 11.5) / 4)
    assert m["expected_value"]["actual_mean"] == pytest.approx(1120 / 4)
    ranking = m["ranking"]
    assert ranking["probability"]["value_per_call"] == pytest.approx((0 + 20) / 2)  # A, D
    assert ranking["probability"]["precision"] == 0.5
    assert ranking["value"]["value_per_call"] == pytest.approx((1000 + 100) / 2)  # C, B
    assert ranking["value"]["precision"] == 1.0
    assert ranking["value (own average)"]["value_per_call"] == pytest.approx(550)  # B, C
    rule = m["recall_rule"]
    assert rule["left_off"] == 1
    assert rule["with"]["value_per_call"] == pytest.approx((0 + 100) / 2)  # A, B


def _churn() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "week": WEEK,
            "customer_id": list("ABCDE"),
            "churn_risk": [0.9, 0.6, 0.1, 0.0, 0.2],
            "at_risk": [True, True, False, False, False],
            "baseline_at_risk": [True, True, True, False, False],
            "lapsed": [True, False, True, False, True],
        }
    )


def test_churn_measures_by_hand():
    m = worklist_measures.churn_measures(_churn())
    assert m["model"]["precision"] == 0.5 and m["model"]["recall"] == pytest.approx(1 / 3)
    assert m["baseline"]["precision"] == pytest.approx(2 / 3)
    assert m["baseline"]["recall"] == pytest.approx(2 / 3)
    assert m["lapse_rate"] == 0.6 and m["weeks"] == 1
    assert worklist_measures.churn_measures(pd.DataFrame()) == {"weeks": 0}


def test_the_measures_read_as_text():
    measures = {
        **worklist_measures.value_measures(_values(), 2),
        "churn": worklist_measures.churn_measures(_churn()),
    }
    text = worklist_measures.measures_text(measures)
    assert "ranked by value" in text and "550 per call" in text
    assert "churn flag (1 weeks" in text and "precision 50.0%, recall 33.3%" in text


def _model_page(language: str) -> AppTest:
    """The Model page as the demo's manager sees it."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["ui.language"] = language
    at.run()
    at.text_input(key="login.username").input("manager")
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button[0].click().run()
    at.switch_page("pages/model.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_model_page_shows_the_measures(app_warehouse, language):
    measures = {
        **worklist_measures.value_measures(_values(), 2),
        "churn": worklist_measures.churn_measures(_churn()),
    }
    with app_warehouse.transaction() as cur:
        cur.execute(
            "insert into backtest_runs (config, seconds, measures) values ('{}', 1, $m)",
            {"m": json.dumps(measures)},
        )
    at = _model_page(language)
    assert i18n.text("measures.title", language) in [h.value for h in at.subheader]
    marks = {"value": "measures.model", "ranking": "measures.per_call", "churn": "measures.recall"}
    tables = {}
    for d in at.dataframe:
        for name, key in marks.items():
            if i18n.text(key, language) in d.value.columns:
                tables[name] = d.value
    assert set(tables) == set(marks)
    ranking = tables["ranking"]
    row = ranking[ranking.iloc[:, 0] == i18n.text("measures.by_value", language)]
    assert row.iloc[0, 1] == "550" and row.iloc[0, 2] == "100.0%"
    churn = tables["churn"]
    assert churn.iloc[0].tolist()[1:3] == ["50.0%", "33.3%"]
    value = tables["value"]
    assert value.iloc[1, 1] == "50.0%"  # order size median APE of the model
    captions = " ".join(c.value for c in at.caption)
    assert "60%" in captions  # the lapse rate in the churn caption
    assert np.isfinite(measures["order_size"]["model"]["mae"])


def test_with_no_backtest_at_all_the_measures_say_so_not_run_it_again(app_warehouse):
    with app_warehouse.transaction() as cur:
        cur.execute("delete from backtest_results")
        cur.execute("delete from backtest_runs")
    at = _model_page("en")
    said = [i.value for i in at.info]
    assert i18n.text("measures.none", "en") not in said
    assert i18n.text("model.no_backtest_manager", "en") in said
