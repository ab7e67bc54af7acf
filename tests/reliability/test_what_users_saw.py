"""What users saw: the hold-out with its interval and a verdict in plain words,
dates and labels in the user's language, no "None", tables that fit, a progress bar that only
moves forward."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from repurchase import i18n
from repurchase.evaluation import outcomes as evaluate
from repurchase.ui import charts, navigation

from .conftest import signed_in


@pytest.mark.parametrize(
    ("treated", "control", "verdict"),
    [
        ((300, 1000), (20, 100), "helps"),
        ((220, 1000), (20, 100), "unclear"),
        ((100, 1000), (30, 100), "hurts"),
    ],
)
def test_the_holdout_verdict_follows_its_interval(treated, control, verdict):
    lift = evaluate.HoldoutLift(treated[1], treated[0], control[1], control[0], 7)
    low, high = lift.difference_interval
    assert lift.verdict == verdict
    assert (low > 0) == (verdict == "helps") and (high < 0) == (verdict == "hurts")


def test_the_cohort_page_says_the_holdout_interval_and_verdict_and_the_table_fits(
    app_warehouse,
):
    at = signed_in("manager", language="en")
    at.switch_page("pages/cohorts.py").run()
    assert not at.exception
    assert any(c.value.startswith("95 % interval") for c in at.caption)
    # the verdict is the proof box's, first, and it says it counts every visit method
    blanks = dict.fromkeys(
        ("effect", "lift", "low", "high", "weeks", "treated", "control", "min"), ""
    )
    verdicts = [
        i18n.text(f"proof.verdict.{v}", "en", **blanks)[:12]
        for v in ("helps", "unclear", "unclear_never", "hurts", "none")
    ]
    said = [e.value for e in (*at.success, *at.info, *at.warning)]
    assert any(s.startswith(v) for s in said for v in verdicts)
    assert any(c.value.startswith("Counts every visit method") for c in at.caption)
    table = at.dataframe[0].value
    assert len(table.columns) <= 8  # lift and p in view on a laptop
    assert {i18n.text("cohorts.lift", "en"), i18n.text("cohorts.p_value", "en")} <= set(
        table.columns
    )


def test_the_model_page_in_chinese_has_no_english_column_status_or_none(app_warehouse):
    at = signed_in("admin", language="zh")
    at.switch_page("pages/model.py").run()
    assert not at.exception
    versions = next(d.value for d in at.dataframe if "状态" in d.value.columns)
    assert not [c for c in versions.columns if re.fullmatch(r"[a-z_]+", c)]
    assert set(versions["状态"]) <= {"使用中", "候选", "已停用", "未采用"}
    for frame in (d.value for d in at.dataframe):
        cells = frame.astype(str).to_numpy().ravel()
        assert "None" not in cells and "nan" not in cells


def test_dates_on_charts_do_not_depend_on_the_language():
    trend = pd.DataFrame(
        {
            "week": pd.to_datetime(["2026-11-02", "2026-11-09"]),
            **{f"{s}_{k}": [0.1, 0.2] for s in ("on", "off") for k in ("rate", "low", "high")},
        }
    )
    fig = charts.weekly_trend(trend, lambda key, **p: i18n.text(key, "zh", **p))
    assert fig.layout.xaxis.tickformat == "%Y-%m-%d"  # plotly's default says "Nov 2"


class _Bar:
    def __init__(self) -> None:
        self.shown: list[float] = []

    def progress(self, value: float, text: str = "") -> None:
        self.shown.append(value)


def test_the_first_start_bar_only_moves_forward():
    bar = _Bar()
    say = navigation.forward_only(bar)
    for fraction in (0.0, 0.4, 0.49, 0.27, 0.3, 0.55, 1.2):
        say(fraction, "step")
    assert bar.shown == sorted(bar.shown) and bar.shown[-1] == 1.0


@pytest.mark.parametrize("page", ["customer", "log_visit"])
def test_visit_tables_leave_empty_cells_empty(app_warehouse, page):
    """A visit without an amount or a note showed "None" in the cell."""
    at = signed_in("rep", language="en")
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    assert frames
    for frame in frames:
        assert (frame.astype(str) == "None").to_numpy().sum() == 0
        assert frame.isna().to_numpy().sum() == 0
