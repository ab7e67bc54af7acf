"""The manager's today: per rep, how much of the day's list is worked, success so far this week
on-list vs off-list, customers at risk; a rep's list one click away; the weekly report."""

from datetime import date

import streamlit as st

from repurchase.errors import RepurchaseError
from repurchase.ui import cached, customer_view, display, navigation, routes, text, widgets
from repurchase.ui import team_today_view as view

user = navigation.page_setup("team_today")
t = text.t

left, middle, _ = st.columns([1, 1, 2])
day = left.date_input(t("team.day"), value=date.today(), max_value=date.today(), key="team.day")
team = None
if user.role == "admin":  # a manager's scope is their one team already
    teams = sorted({"" if v is None else v for v in cached.reps_in_scope(user).team})
    # labels fixed in this run's language (Streamlit may call format functions after it)
    labels = {None: t("common.all"), **{v: display.team_name(v) for v in teams}}
    team = middle.selectbox(
        t("team.team"),
        [None, *teams],
        format_func=labels.get,
        key="team.team",
    )

try:
    period = cached.team_day(user, day, team)
except RepurchaseError as exc:
    widgets.fail(exc)

if period.reps.empty:
    st.info(t("team.no_reps"))
    st.stop()

view.captions(period, day)

# every row and column in sight, the Totals row last: "content" grows the grid to its rows
with_team = user.role == "admin"
narrow = ("listed", "ordered", "no_demand", "not_reached", "snoozed", "skipped", "open", "at_risk")
st.dataframe(
    display.team_day_display(period, with_team),
    hide_index=True,
    height="content",
    key="team.table",
    column_config={
        t(f"team.col.{c}"): st.column_config.NumberColumn(width="small") for c in narrow
    },
)
st.markdown(f"**{t('team.success_title', first=period.success_first, day=day)}**")
st.dataframe(
    display.team_day_display(period, with_team, part="success"),
    hide_index=True,
    height="content",
    key="team.success_table",
)
st.caption(t("report.method", last=day))  # what each column counts, as the report says it
customer_view.flash(view.FLASH)  # what the target or a hand-over just changed, where it was
view.calls(period, day)
view.target_setter(user, period, team)
view.hand_over(user)

# a rep's list: the call list page reads its rep picker's key, so the choice carries over.
# It offers the reps still working today (one who left since a past day has no list to show).
reps = period.reps.set_index("rep_id")
in_scope = cached.reps_in_scope(user)
working = set(in_scope[in_scope.left_date.isna()].rep_id)
listable = [r for r in reps.index if r in working]
pick, go = st.columns([2, 1], vertical_alignment="bottom")
rep_id = pick.selectbox(
    t("team.open_rep"),
    listable,
    format_func=lambda r: f"{r} · {reps.name[r]}",
    key="team.rep",
)
if go.button(t("team.open"), key="team.open", type="primary", disabled=rep_id is None):
    st.session_state["list.rep"] = rep_id
    if period.has_lists:  # a day before the first list is outside the call list's calendar
        st.session_state["list.day"] = day
    st.switch_page(str(routes.PAGES_DIR / "call_list.py"))

st.subheader(t("team.report"))
week_day = st.date_input(
    t("team.report_week"), value=day, max_value=date.today(), key="team.report_week"
)
try:
    report = cached.weekly_report_html(user, week_day, team)
except RepurchaseError as exc:
    widgets.fail(exc)
st.caption(t("team.report_explain", first=report.period.first, last=report.period.last))
widgets.download_button(
    t("team.download_report"),
    report.html.encode("utf-8"),
    report.file_name,
    "text/html",
    "team.download_report",
)
