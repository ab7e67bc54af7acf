"""Does the list work, and for whom? On-list vs off-list success by cohort (paper Table 3),
weekly trend, adoption per rep and the hold-out lift. Aggregates only."""

from datetime import date

import streamlit as st

from repurchase.errors import RepurchaseError
from repurchase.evaluation import outcomes as evaluate
from repurchase.ui import cached, charts, display, navigation, text, widgets

user = navigation.page_setup("cohorts")
t = text.t
st.info(t("cohorts.guardrail"))

first_day, last_day = cached.list_period()
if first_day is None:
    st.info(t("cohorts.no_lists"))
    st.stop()

a, b, c, d = st.columns([2, 1, 1, 1])
period = a.date_input(
    t("cohorts.period"),
    value=(first_day, last_day),
    min_value=first_day,
    max_value=max(last_day, date.today()),
    key="cohorts.period",
)
if not isinstance(period, tuple) or len(period) != 2:
    st.stop()
try:
    visits = cached.team_visits(user, period[0], period[1])
except RepurchaseError as exc:
    widgets.fail(exc)
teams = sorted(visits.team.dropna().unique())
everyone = t("common.all")
levels = text.label_for("level")
team = b.selectbox(
    t("cohorts.team"),
    [None, *teams],
    format_func=lambda v: everyone if v is None else text.plain(v),
    key="cohorts.team",
    disabled=user.role == "manager",
)
methods = c.multiselect(
    t("log.method"),
    sorted(visits.method.unique()),
    format_func=text.label_for("method"),
    placeholder=everyone,  # none chosen means every method
    key="cohorts.methods",
)
level = d.selectbox(
    t("cohorts.level"),
    [None, "junior", "mid", "senior"],
    format_func=lambda v: everyone if v is None else levels(v),
    key="cohorts.level",
)
if team:
    visits = visits[visits.team == team]
if methods:
    visits = visits[visits.method.isin(methods)]
if level:
    visits = visits[visits.level == level]

table = evaluate.on_off_table(visits, display.min_cell())
st.plotly_chart(charts.cohort_bars(table, display.cohort_labels(table), t), key="cohorts.bars")
st.caption(t("cohorts.small_note", n=display.min_cell()))
shown = display.cohort_display(table)
grey = ["color: #9e9e9e" if small else "" for small in table.small]
st.dataframe(shown.style.apply(lambda column: grey), hide_index=True, key="cohorts.table")
widgets.download(table, "on_off_list_by_cohort.csv", key="cohorts.download_table")

st.subheader(t("cohorts.trend"))
trend = evaluate.weekly_trend(visits)
st.plotly_chart(charts.weekly_trend(trend, t), key="cohorts.trend_chart")
widgets.download(trend, "weekly_trend.csv", key="cohorts.download_trend")

st.subheader(t("cohorts.per_rep"))
per_rep = evaluate.per_rep_table(visits)
reps = cached.reps_in_scope(user).set_index("rep_id")
per_rep.insert(1, "name", per_rep.rep_id.map(reps.name))
st.dataframe(
    per_rep,
    hide_index=True,
    key="cohorts.per_rep_table",
    column_config={
        "rep_id": t("common.rep"),
        "name": t("common.name"),
        "visits": t("cohorts.visits"),
        "on_list_visits": t("cohorts.on_visits"),
        "adoption": st.column_config.NumberColumn(t("cohorts.adoption"), format="percent"),
        "on_rate": st.column_config.NumberColumn(t("cohorts.on_list"), format="percent"),
        "off_rate": st.column_config.NumberColumn(t("cohorts.off_list"), format="percent"),
    },
)
widgets.download(per_rep, "per_rep_adoption.csv", key="cohorts.download_reps")

st.subheader(t("cohorts.holdout"))
in_view = cached.reps_in_scope(user)
if team:
    in_view = in_view[in_view.team == team]
if level:
    in_view = in_view[in_view.level == level]
lift = cached.holdout_lift(user, period[0], period[1], tuple(in_view.rep_id))  # methods: n/a
if lift.control == 0:
    st.info(t("cohorts.holdout_none"))
else:
    low, high = lift.difference_interval
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
    points = {
        "low": f"{100 * low:+.1f}",
        "high": f"{100 * high:+.1f}",
        "p": f"{lift.p_value:.3f}",
    }
    interval = t("cohorts.holdout_ci", **points)
    z.metric(
        t("cohorts.holdout_effect"),
        t("cohorts.points", value=f"{100 * lift.difference:+.1f}"),
        help=interval,
    )
    z.caption(interval)  # the interval belongs next to the number, not only in a tooltip
    # "more often by 8.3 points" reads as a size; "the difference is +8.3 points" keeps a sign
    signed = lift.verdict == "unclear"
    effect = f"{100 * lift.difference:+.1f}" if signed else f"{100 * abs(lift.difference):.1f}"
    words = {"effect": effect, **points}
    say = {"helps": st.success, "unclear": st.info, "hurts": st.warning}[lift.verdict]
    say(t(f"cohorts.holdout_verdict.{lift.verdict}", **words))
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
