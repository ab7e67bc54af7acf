"""Today's call list: the rep's best customers to call, why, and one click to log the visit."""

from datetime import date

import streamlit as st

from repurchase import dashboard as ui
from repurchase.errors import RepurchaseError

user = ui.page_setup("call_list")
t = ui.t

left, right = st.columns([1, 2])
first_list, _ = ui.list_period()
day = left.date_input(
    t("list.day"),
    value=date.today(),
    min_value=first_list or date.today(),
    max_value=date.today(),
    key="list.day",
)
if user.is_rep:
    rep_id = user.rep_id
else:
    reps = ui.reps_in_scope(user)
    current = reps[reps.left_date.isna()]
    rep_id = right.selectbox(
        t("list.rep"),
        current.rep_id.tolist(),
        format_func=lambda r: ui.plain(f"{r} · {current.set_index('rep_id').name[r]}"),
        key="list.rep",
    )

try:
    frame = ui.call_list(user, rep_id, day)
except RepurchaseError as exc:
    ui.fail(exc)

if frame.empty:
    st.info(t("list.empty"))
    st.stop()

st.caption(t("list.caption", n=len(frame), version=ui.plain(frame.model_version.iloc[0])))
can_log = ui.may_open(user, "log_visit")  # managers see the lists, reps and admins log visits
for row in frame.itertuples(index=False):
    with st.container(border=True):
        rank, who, last, chance, action = st.columns([0.5, 3, 2.2, 1.2, 1.4])
        rank.subheader(f"{row.rank}")
        who.text(f"{row.customer_name}  ({row.customer_id})")
        who.caption(
            ui.plain(
                " · ".join(
                    ui.value(k, getattr(row, k)) for k in ("customer_type", "industry", "tag")
                )
            )
        )
        # the last call has its own column; the reasons add what the model saw besides it
        for sentence in ui.say_reasons(
            row.reasons, skip=("last_visit_order", "last_visit_no_order")
        ):
            who.text(f"• {sentence}")
        if row.last_visit_at is not None and str(row.last_visit_at) != "NaT":
            last.text(
                t(
                    "list.last_visit",
                    days=int(row.days_since_visit),
                    result=ui.value("result", row.last_result),
                )
            )
        else:
            last.text(t("list.never_visited"))
        last.text(t("list.orders_so_far", n=int(row.orders_so_far)))
        chance.metric(t("list.probability"), f"{row.p_order:.0%}")
        if row.n_history < 9:
            chance.caption(t("list.little_history"))
        if row.visited_today:
            action.success(t("list.visited_today"))
        if can_log and action.button(
            t("list.log"), key=f"list.log.{row.customer_id}", type="primary"
        ):
            st.session_state["log.customer"] = row.customer_id
            st.switch_page(str(ui.PAGES_DIR / "log_visit.py"))
        if action.button(t("list.history"), key=f"list.history.{row.customer_id}"):
            st.session_state["customer.id"] = row.customer_id
            st.switch_page(str(ui.PAGES_DIR / "customer.py"))

export = frame.assign(
    reasons=[" | ".join(ui.say_reasons(r)) for r in frame.reasons],
)[
    [
        "rank",
        "customer_id",
        "customer_name",
        "p_order",
        "last_visit_at",
        "last_result",
        "days_since_visit",
        "orders_so_far",
        "visited_today",
        "reasons",
    ]
]
ui.download(export, f"call_list_{rep_id}_{day}.csv", key="list.download")
