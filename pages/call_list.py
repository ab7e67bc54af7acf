"""Today's call list: the rep's follow-ups and best customers to call, why (and why not),
how to reach them, one click to log the visit, snooze or skip; customers drifting away."""

from datetime import date

import pandas as pd
import streamlit as st

from repurchase import codes
from repurchase.errors import RepurchaseError
from repurchase.lists import explain
from repurchase.lists.list_actions import ListActionError
from repurchase.ui import actions, cached, display, navigation, routes, text, widgets

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
if user.is_rep:
    rep_id = user.rep_id
else:
    reps = cached.reps_in_scope(user)
    current = reps[reps.left_date.isna()]
    rep_id = right.selectbox(
        t("list.rep"),
        current.rep_id.tolist(),
        format_func=lambda r: text.plain(f"{r} · {current.set_index('rep_id').name[r]}"),
        key="list.rep",
    )

try:
    frame = cached.call_list(user, rep_id, day)
except RepurchaseError as exc:
    widgets.fail(exc)

# what the last snooze, skip or Undo did, said once after the rerun it caused
for notice in st.session_state.pop("list.notice", []):
    st.success(notice)

if frame.empty:
    st.info(t("list.empty"))
    st.stop()

shown = frame[frame.status != "set_aside"]
aside = frame[frame.status == "set_aside"]
versions = frame.model_version.dropna()
st.caption(
    " ".join(
        [
            t(
                "list.caption",
                n=int(shown.on_list.sum()),
                version=text.plain(versions.iloc[0] if len(versions) else ""),
            ),
            t(f"worklist.ranked_by.{frame.ranked_by.iloc[0]}"),
        ]
        + (
            [t("worklist.follow_ups", n=int(shown.follow_up.sum()))]
            if shown.follow_up.any()
            else []
        )
    )
)
can_log = routes.may_open(user, "log_visit")  # managers see the lists, reps and admins log visits
can_act = cached.may_set_aside(user) and day == today  # a past list is history
if cached.may_set_aside(user) and day != today:
    st.caption(t("worklist.actions_today_only"))


def _said(done, row, key: str, **params) -> None:
    notices = [t(key, name=text.plain(f"{row.customer_name} ({row.customer_id})"), **params)]
    if done.moved_up is not None:
        notices.append(t("worklist.moved_up_notice", name=text.plain(_name_of(done.moved_up))))
    st.session_state["list.notice"] = notices


def _name_of(customer_id: str) -> str:
    fresh = cached.call_list(user, rep_id, day)  # re-read after the change (the cache was cleared)
    names = fresh.set_index("customer_id").customer_name
    return f"{names[customer_id]} ({customer_id})" if customer_id in names else customer_id


def _set_aside_controls(row, box) -> None:
    """Snooze (days) and skip (reason, note) in a popover; keys unique per customer."""
    cid = row.customer_id
    with box.popover(t("worklist.set_aside"), key=f"list.aside.{cid}"):
        days = st.number_input(
            t("worklist.snooze_days"),
            min_value=codes.SNOOZE_DAYS[0],
            max_value=codes.SNOOZE_DAYS[1],
            value=7,
            step=1,
            key=f"list.snooze_days.{cid}",
        )
        if st.button(t("worklist.snooze"), key=f"list.snooze.{cid}"):
            try:
                done = actions.snooze(user, cid, int(days))
            except ListActionError as exc:
                st.error(display.list_action_error(exc))
            except RepurchaseError as exc:
                widgets.fail(exc)
            else:
                until = pd.Timestamp(today) + pd.Timedelta(days=int(days))
                _said(done, row, "worklist.snoozed", until=f"{until:%Y-%m-%d}")
                st.rerun()
        st.divider()
        reason = st.selectbox(
            t("worklist.skip_reason"),
            codes.SKIP_REASONS,
            # bound now: Streamlit may format the options again outside this run
            format_func={c: t(f"worklist.skip_reason.{c}") for c in codes.SKIP_REASONS}.get,
            key=f"list.skip_reason.{cid}",
        )
        note = st.text_input(
            t("worklist.skip_note"), max_chars=codes.SKIP_NOTE_MAX, key=f"list.skip_note.{cid}"
        )
        if st.button(t("worklist.skip"), key=f"list.skip.{cid}"):
            try:
                done = actions.skip(user, cid, reason, note)
            except ListActionError as exc:
                st.error(display.list_action_error(exc))
            except RepurchaseError as exc:
                widgets.fail(exc)
            else:
                _said(done, row, "worklist.skipped")
                st.rerun()


def _open_buttons(row, box, prefix: str) -> None:
    if can_log and box.button(t("list.log"), key=f"{prefix}.log.{row.customer_id}", type="primary"):
        st.session_state["log.customer"] = row.customer_id
        st.switch_page(str(routes.PAGES_DIR / "log_visit.py"))
    if box.button(t("list.history"), key=f"{prefix}.history.{row.customer_id}"):
        st.session_state["customer.id"] = row.customer_id
        st.switch_page(str(routes.PAGES_DIR / "customer.py"))


for row in shown.itertuples(index=False):
    with st.container(border=True):
        rank, who, last, chance, action = st.columns([0.5, 3, 2.2, 1.4, 1.4])
        rank.subheader(f"{row.rank}")
        who.text(f"{row.customer_name}  ({row.customer_id})")
        who.caption(
            text.plain(
                " · ".join(
                    text.value(k, getattr(row, k)) for k in ("customer_type", "industry", "tag")
                )
            )
        )
        if row.follow_up:
            due = pd.Timestamp(row.follow_up_date).date()
            marker = (
                t("worklist.follow_up_due")
                if due >= day
                else t("worklist.follow_up_overdue", day=f"{due:%Y-%m-%d}")
            )
            note = row.follow_up_note if isinstance(row.follow_up_note, str) else ""
            who.markdown(f":orange-badge[{marker}]" + (f" {text.plain(note)}" if note else ""))
        if row.added_for == "moved_up":
            who.markdown(f":blue-badge[{t('worklist.moved_up')}]")
        who.markdown(display.contact_markdown(row.contact_name, row.contact_phone))
        reasons_for, against = explain.split(row.reasons)
        # the last call has its own column; the reasons add what the model saw besides it
        seen = ("last_visit_order", "last_visit_no_order")
        for sentence in display.say_reasons(reasons_for, skip=seen)[:3]:
            who.text(f"• {sentence}")
        said_against = display.say_reasons(against)[:2]
        if said_against:
            who.text(t("worklist.against"))
            for sentence in said_against:
                who.text(f"– {sentence}")
        if row.last_visit_at is not None and str(row.last_visit_at) != "NaT":
            last.text(
                t(
                    "list.last_visit",
                    days=int(row.days_since_visit),
                    result=text.value("result", row.last_result),
                )
            )
        else:
            last.text(t("list.never_visited"))
        last.text(t("list.orders_so_far", n=int(row.orders_so_far)))
        last.text(t("worklist.typical_order", amount=display.money(row.typical_order)))
        last.text(t("worklist.expected_value", amount=display.money(row.expected_value)))
        if pd.notna(row.p_order):
            chance.metric(t("list.probability"), f"{row.p_order:.0%}")
        change = display.change_since_previous(row.p_order, row.p_previous)
        if change:
            chance.caption(change)
        if pd.notna(row.n_history) and row.n_history < 9:
            chance.caption(t("list.little_history"))
        if row.at_risk:
            risk = "" if pd.isna(row.churn_risk) else f"{row.churn_risk:.0%}"
            chance.markdown(f":red-badge[{t('worklist.churn_badge', risk=risk)}]")
        if row.status == "visited":
            if row.today_result == "not_reached":
                action.warning(t("worklist.not_reached_today"))
            else:
                action.success(t("list.visited_today"))
                action.caption(text.value("result", row.today_result))
        _open_buttons(row, action, "list")
        if can_act:
            _set_aside_controls(row, action)

if len(aside):
    with st.expander(t("worklist.set_aside_title", n=len(aside)), expanded=False):
        for row in aside.itertuples(index=False):
            name, what, undo = st.columns([3, 3, 1])
            name.text(f"{row.customer_name}  ({row.customer_id})")
            if row.set_aside_action == "skip":
                said = t(
                    "worklist.skipped_because",
                    reason=t(f"worklist.skip_reason.{row.set_aside_reason}"),
                )
                note = row.set_aside_note if isinstance(row.set_aside_note, str) else ""
                what.text(f"{said} {note}".strip())
            else:
                until = pd.Timestamp(row.set_aside_until)
                what.text(t("worklist.snoozed_until", until=f"{until:%Y-%m-%d}"))
            if can_act and undo.button(t("worklist.undo"), key=f"list.undo.{int(row.action_id)}"):
                try:
                    actions.undo_list_action(user, int(row.action_id))
                except ListActionError as exc:
                    st.error(display.list_action_error(exc))
                except RepurchaseError as exc:
                    widgets.fail(exc)
                else:
                    name_id = f"{row.customer_name} ({row.customer_id})"
                    st.session_state["list.notice"] = [
                        t("worklist.undone", name=text.plain(name_id))
                    ]
                    st.rerun()

st.subheader(t("worklist.drifting"))
st.caption(t("worklist.drifting_caption"))
try:
    drifting = cached.drifting_away(user, rep_id, day)
except RepurchaseError as exc:
    widgets.fail(exc)
if drifting.empty:
    st.info(t("worklist.drifting_none"))
for row in drifting.head(20).itertuples(index=False):
    with st.container(border=True):
        who, numbers, action = st.columns([3, 3, 2])
        who.text(f"{row.customer_name}  ({row.customer_id})")
        who.markdown(display.contact_markdown(row.contact_name, row.contact_phone))
        risk = "–" if pd.isna(row.churn_risk) else f"{row.churn_risk:.0%}"
        numbers.markdown(f":red-badge[{t('worklist.risk', risk=risk)}]")
        numbers.text(t("worklist.expected_value", amount=display.money(row.expected_value)))
        if pd.notna(row.days_since_visit):
            numbers.text(t("worklist.days_since", days=int(row.days_since_visit)))
        _open_buttons(row, action, "list.drift")

export = frame.assign(
    reasons=[" | ".join(display.say_reasons(explain.split(r)[0])) for r in frame.reasons],
    reasons_against=[" | ".join(display.say_reasons(explain.split(r)[1])) for r in frame.reasons],
    today_result=frame.today_result.map(lambda r: text.value("result", r)),
)[
    [
        "rank",
        "customer_id",
        "customer_name",
        "contact_name",
        "contact_phone",
        "p_order",
        "p_previous",
        "expected_value",
        "typical_order",
        "churn_risk",
        "at_risk",
        "follow_up",
        "follow_up_date",
        "on_list",
        "status",
        "set_aside_action",
        "set_aside_until",
        "set_aside_reason",
        "today_result",
        "last_visit_at",
        "last_result",
        "days_since_visit",
        "orders_so_far",
        "visited_today",
        "reasons",
        "reasons_against",
    ]
]
widgets.download(export, f"call_list_{rep_id}_{day}.csv", key="list.download")
