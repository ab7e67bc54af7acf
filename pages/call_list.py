"""Today's call list: the rep's follow-ups and best customers to call, why (and why not),
how to reach them, one tap to record the call's outcome (or the full form), snooze or skip;
customers drifting away."""

from datetime import date

import streamlit as st

from repurchase.errors import RepurchaseError
from repurchase.ui import cached, mail_view, navigation, routes, text, widgets
from repurchase.ui import call_list_view as view

user = navigation.page_setup("call_list")
t = text.t
today = date.today()

left, right = st.columns([1, 2])
first_list, _ = cached.list_period()
day = left.date_input(
    t("list.day"),
    value=today,
    min_value=min(first_list or today, today),
    max_value=today,
    key="list.day",
)
rep_id = view.rep_picker(user, right)

try:
    frame = cached.call_list(user, rep_id, day)
except RepurchaseError as exc:
    widgets.fail(exc)

for notice in st.session_state.pop(view.NOTICE, []):
    st.success(notice)

serves = cached.model_serves()
if not serves:  # nothing writes a list before the first training (after the demo is replaced)
    st.info(t("list.no_model_admin" if user.role == "admin" else "list.no_model"))
elif day == today and not frame.on_list.any() and not cached.lists_written(today):
    st.info(t("list.being_written"))  # the server writes them once the day starts
if frame.empty:
    if serves:
        st.info(t("list.empty"))
    st.stop()

shown = frame[frame.status != "set_aside"]
aside = frame[frame.status == "set_aside"]
rep_name = view.whose(user, rep_id)
view.caption(frame, shown, rep_name)
if day == today:
    view.progress(shown)
may_set_aside = cached.may_set_aside(user)
if may_set_aside and day != today:
    st.caption(t("worklist.actions_today_only"))
list_view = view.ListView(
    user,
    rep_id,
    day,
    today,
    can_log=routes.may_open(user, "log_visit"),
    can_act=may_set_aside and day == today,
    rep_name=rep_name,
)

for row in shown.itertuples(index=False):
    view.card(list_view, row)
view.set_aside(list_view, aside)
view.drifting(list_view)
view.download(frame, rep_id, day)
mail_view.calendar_download(user, rep_id, rep_name, today)
