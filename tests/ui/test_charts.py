"""Charts carry the numbers of the tables they draw (asserted on figure data, not images)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from repurchase import i18n
from repurchase.ui import charts


def text(key: str, **params: object) -> str:
    return i18n.text(key, "en", **params)


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dimension": ["overall", "tenure"],
            "cohort": ["all", "< 1 y"],
            "on_rate": [0.20, 0.10],
            "on_low": [0.15, 0.02],
            "on_high": [0.26, 0.30],
            "on_visits": [400, 12],
            "off_rate": [0.10, 0.05],
            "off_low": [0.08, 0.02],
            "off_high": [0.12, 0.11],
            "off_visits": [900, 60],
            "small": [False, True],
        }
    )


def test_cohort_bars_show_rates_intervals_and_grey_small_cells(table):
    fig = charts.cohort_bars(table, ["All", "Tenure < 1 y"], text)
    on, off = fig.data
    assert list(on.x) == ["All", "Tenure &lt; 1 y"]  # plotly shows the entity as "<"
    np.testing.assert_allclose(on.y, [0.20, 0.10])
    np.testing.assert_allclose(on.error_y.array, [0.06, 0.20])
    np.testing.assert_allclose(on.error_y.arrayminus, [0.05, 0.08])
    assert list(on.marker.color) == [charts.ON_COLOUR, charts.SMALL_COLOUR]
    assert list(off.customdata) == [900, 60]
    assert fig.layout.title.text == "Visit success on-list vs off-list (95 % intervals)"
    assert (
        charts.cohort_bars(
            table, ["总计", "入职年数 不足 1 年"], lambda k, **p: i18n.text(k, "zh", **p)
        ).layout.title.text
        == "名单内与名单外回访成功率(95% 区间)"
    )


def test_backtest_curves_draw_each_model_against_the_reps():
    table1 = pd.DataFrame(
        {
            "week": ["2026-06-29", "2026-07-06"],
            "model/paper": [0.4, 0.5],
            "model/paper lift": [1.0, 2.0],
            "reps_success_rate": [0.07, 0.08],
            "base_rate": [0.3, 0.31],
        }
    )
    fig = charts.backtest_curves(table1, text)
    names = [trace.name for trace in fig.data]
    assert names == ["Model (paper)", "Reps' own success rate", "Base rate of visited customers"]
    np.testing.assert_allclose(fig.data[0].y, [0.4, 0.5])


def test_the_customer_timeline_has_visits_orders_and_scores():
    visits = pd.DataFrame(
        {
            "visited_at": pd.to_datetime(["2026-01-01", "2026-02-01"]),
            "result": ["order", "no_order"],
            "rep_name": ["A", "B"],
        }
    )
    orders = pd.DataFrame({"order_date": pd.to_datetime(["2026-01-01"])})
    scores = pd.DataFrame(
        {"score_date": pd.to_datetime(["2026-01-05", "2026-01-12"]), "p_order": [0.3, 0.4]}
    )
    fig = charts.customer_timeline(visits, orders, scores, text, lambda r: r)
    assert [len(trace.x) for trace in fig.data] == [1, 1, 1, 2]
    np.testing.assert_allclose(fig.data[-1].y, [0.3, 0.4])


def test_rep_names_reach_hovers_and_labels_as_text_never_as_plotly_html():
    name = '<b>B</b><a href="https://evil.example">x</a> & co'
    visits = pd.DataFrame(
        {
            "visited_at": pd.to_datetime(["2026-01-01"]),
            "result": ["order"],
            "rep_name": [name],
        }
    )
    orders = pd.DataFrame({"order_date": pd.to_datetime([])})
    scores = pd.DataFrame({"score_date": pd.to_datetime([]), "p_order": []})
    fig = charts.customer_timeline(visits, orders, scores, text, lambda r: r)
    shown = list(fig.data[0].customdata)
    assert shown == [
        '&lt;b&gt;B&lt;/b&gt;&lt;a href="https://evil.example"&gt;x&lt;/a&gt; &amp; co'
    ]
    table = pd.DataFrame(
        {
            **{f"{side}_{k}": [0.1] for side in ("on", "off") for k in ("rate", "low", "high")},
            "on_visits": [10],
            "off_visits": [10],
            "small": [False],
        }
    )
    bars = charts.cohort_bars(table, [f"Team {name}"], text)
    assert all("<" not in label and ">" not in label for trace in bars.data for label in trace.x)
