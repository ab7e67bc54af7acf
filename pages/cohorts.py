"""Does the list work, and for whom? On-list vs off-list success by cohort (paper Table 3),
weekly trend, adoption per rep and the hold-out lift. Aggregates only."""

from datetime import date

import streamlit as st

from repurchase.errors import RepurchaseError
from repurchase.ui import cached, navigation, proof_view, text, widgets
from repurchase.ui import cohorts_view as view

user = navigation.page_setup("cohorts")
t = text.t
st.info(t("cohorts.guardrail"))

first_day, last_day = cached.list_period()
if first_day is None:
    st.info(t("cohorts.no_lists"))
    st.stop()

a, b, c, d = st.columns([2, 1, 1, 1])
period = view.chosen_period(
    a.date_input(
        t("cohorts.period"),
        value=(first_day, last_day),
        min_value=first_day,
        max_value=max(last_day, date.today()),
        key=view.key("cohorts.period"),
    )
)


def figures(period: tuple[date, date]) -> None:
    """The filters, then every table, chart and verdict of `period` under them."""
    try:
        counts = cached.team_outcomes(user, period[0], period[1])
    except RepurchaseError as exc:
        widgets.fail(exc)
    teams = sorted(team for team in counts.team.dropna().unique() if team)
    everyone = t("common.all")
    levels = text.label_for("level")
    # "All" is an option of its own, not None: Streamlit shows a None selection as its
    # untranslated "Choose an option" once the value has been through session state
    team = b.selectbox(
        t("cohorts.team"),
        [view.ALL, *teams],
        format_func=lambda v: everyone if v == view.ALL else str(v),
        placeholder=everyone,
        key=view.key("cohorts.team"),
        disabled=user.role == "manager",
    )
    methods = c.multiselect(
        t("log.method"),
        sorted(counts.method.unique()),
        format_func=text.label_for("method"),
        placeholder=everyone,  # none chosen means every method
        key=view.key("cohorts.methods"),
    )
    level = d.selectbox(
        t("cohorts.level"),
        [view.ALL, "junior", "mid", "senior"],
        format_func=lambda v: everyone if v == view.ALL else levels(v),
        placeholder=everyone,
        key=view.key("cohorts.level"),
    )
    reps = cached.reps_in_scope(user)
    view.tables(view.filter_visits(counts, team, methods, level), reps)

    st.subheader(t("cohorts.holdout"))
    in_view = view.reps_in_view(reps, team, level)  # methods: n/a (the box says so)
    proofs, lift = cached.cohort_holdout(user, period[0], period[1], in_view)
    proof_view.boxes(proofs, cached.ranking(user))
    view.holdout(lift)


if period is None:  # both dates cleared: say so, and show no figures of another period
    st.info(t("cohorts.no_period"))
else:
    figures(period)
