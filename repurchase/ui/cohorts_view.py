"""The cohorts page's parts: the on-list vs off-list table by cohort, the weekly trend, adoption
per rep, and the hold-out lift with its verdict.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from repurchase import i18n
from repurchase.evaluation.outcomes import HoldoutLift
from repurchase.services import cohorts
from repurchase.ui import charts, display, widgets
from repurchase.ui.text import language, t

filter_visits = cohorts.filter_visits
reps_in_view = cohorts.reps_in_view
ALL = ""  # the Team and Level filters' "All": no team or level is named ""


def key(name: str) -> str:
    """The key of the filter `name` in the reader's language. A filter keyed the same in both
    languages is the same widget to the browser, which kept showing its old label and option
    names after a language switch; a key per language makes a new widget, and the choice made
    under the other language's key is carried over to it."""
    here = f"{name}.{language()}"
    if here not in st.session_state:
        for other in i18n.LANGUAGES:
            chosen = st.session_state.get(f"{name}.{other}")
            if other != language() and chosen is not None:
                st.session_state[here] = chosen
                break
    return here


def chosen_period(value: object) -> tuple[date, date] | None:
    """The period a range date field holds: both dates; one date (the end not picked, or
    the field closed after one click) is that one day; none (both cleared) is None."""
    days = [day for day in (value if isinstance(value, tuple | list) else (value,)) if day]
    if not days:
        return None
    return (days[0], days[-1])


def tables(counts: pd.DataFrame, reps: pd.DataFrame) -> None:
    """The cohort bars and table, the weekly trend and the per-rep adoption of `counts`
    (cohorts.team_outcomes, narrowed; reps names the reps), each with its download."""
    found = cohorts.cohort_tables(counts, reps, display.min_cell())
    table = found.table
    st.caption(t("cohorts.tables_scope"))
    if counts.empty:  # no bars, no trend: empty charts draw axes of nothing (-100 % to 400 %)
        st.info(t("cohorts.no_visits"))
    else:
        labels = display.cohort_labels(table)
        st.plotly_chart(charts.cohort_bars(table, labels, t), key="cohorts.bars")
        st.caption(t("cohorts.small_note", n=display.min_cell()))
        shown = display.cohort_display(table)
        grey = ["color: #9e9e9e" if small else "" for small in table.small]
        st.dataframe(shown.style.apply(lambda column: grey), hide_index=True, key="cohorts.table")
        widgets.download(table, "on_off_list_by_cohort.csv", key="cohorts.download_table")

    st.subheader(t("cohorts.trend"))
    if found.trend.empty:
        st.info(t("cohorts.no_visits"))
    else:
        st.plotly_chart(charts.weekly_trend(found.trend, t), key="cohorts.trend_chart")
        widgets.download(found.trend, "weekly_trend.csv", key="cohorts.download_trend")

    st.subheader(t("cohorts.per_rep"))
    percent = st.column_config.NumberColumn
    st.dataframe(
        found.per_rep,
        hide_index=True,
        key="cohorts.per_rep_table",
        column_config={
            "rep_id": t("common.rep"),
            "name": t("common.name"),
            "visits": t("cohorts.visits"),
            "on_list_visits": t("cohorts.on_visits"),
            "adoption": percent(t("cohorts.adoption"), format="percent"),
            "on_rate": percent(t("cohorts.on_list"), format="percent"),
            "off_rate": percent(t("cohorts.off_list"), format="percent"),
        },
    )
    widgets.download(found.per_rep, "per_rep_adoption.csv", key="cohorts.download_reps")


def _metrics(lift: HoldoutLift, points: dict[str, str]) -> None:
    """The listed and held-out rates and the difference with its interval."""
    x, y, z = st.columns(3)
    x.metric(
        t("cohorts.holdout_listed"),
        f"{lift.treated_rate:.1%}",
        help=t("cohorts.holdout_n", n=lift.treated),
    )
    y.metric(
        t("cohorts.holdout_control"),
        f"{lift.control_rate:.1%}",
        help=t("cohorts.holdout_n", n=lift.control),
    )
    interval = t("cohorts.holdout_ci", **points)
    z.metric(
        t("cohorts.holdout_effect"),
        t("cohorts.points", value=f"{100 * lift.difference:+.1f}"),
        help=interval,
    )
    z.caption(interval)  # the interval belongs next to the number, not only in a tooltip


def holdout(lift: HoldoutLift) -> None:
    """The hold-out's two rates and their difference over the period, what is compared, the
    value per customer, and the download. The verdict is the proof box's (proof_view), from
    the interval that stays valid however often the page is opened."""
    st.caption(t("cohorts.holdout_scope"))
    if lift.control == 0:
        st.info(t("cohorts.holdout_none"))
        return
    low, high = lift.difference_interval
    points = {
        "low": f"{100 * low:+.1f}",
        "high": f"{100 * high:+.1f}",
        "p": f"{lift.p_value:.3f}",
    }
    _metrics(lift, points)
    st.caption(t("cohorts.holdout_explain", days=lift.window_days))
    if lift.value is not None:
        st.text(
            t(
                "cohorts.holdout_value",
                listed=display.money(lift.value.treated_mean),
                held=display.money(lift.value.control_mean),
                difference=f"{lift.value.difference:+,.0f}",
                low=f"{lift.value.low:+,.0f}",
                high=f"{lift.value.high:+,.0f}",
                days=lift.window_days,
            )
        )
    widgets.download(lift.table(), "holdout_lift.csv", key="cohorts.download_holdout")
