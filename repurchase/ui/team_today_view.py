"""The manager's today page's parts: what the day's figures count, in words above the table;
the calls against the team's daily target, setting that target, and handing customers over
within the team."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from repurchase.accounts.auth import User
from repurchase.services import customer_changes, team_today
from repurchase.ui import cached, customer_view, display
from repurchase.ui.resources import warehouse
from repurchase.ui.text import plain, t


def captions(period: team_today.TeamPeriod, day: date) -> None:
    """How much of the day's lists is worked, success this week on and off the list, and the
    day of the risk scores (or why a figure is missing)."""
    totals = period.totals
    if period.has_lists:
        st.caption(
            t(
                "team.worked_caption",
                worked=totals.worked,
                listed=totals.listed,
                day=day,
                share=team_today.share_text(totals.worked_share),
                open=totals.open,
            )
        )
    else:
        st.info(t("team.no_lists", day=day))
    if period.visits:
        st.caption(
            t(
                "team.success_caption",
                first=period.success_first,
                day=day,
                on=team_today.success_text(totals, "on"),
                off=team_today.success_text(totals, "off"),
            )
        )
    else:
        st.info(t("team.no_visits", first=period.success_first, day=day))
    if period.score_day:
        st.caption(t("team.risk_caption", day=period.score_day))
    else:
        st.caption(t("team.risk_none"))


FLASH = "team.flash"


@st.cache_data(ttl=60, max_entries=100, show_spinner=False)
def _targets(user: User, day: date) -> pd.DataFrame:
    return team_today.targets_in_force(warehouse(), user, day)


def calls(period: team_today.TeamPeriod, day: date) -> None:
    """The calls each rep made on the day against the team's daily target, and the team's:
    a bar per row, the totals last (a rep without a target has an empty bar). With no target
    set anywhere in view, the calls alone: the caption says how to set one."""
    st.markdown(f"**{t('team.calls_title')}**")
    totals = period.totals
    targeted = not pd.isna(totals.target_calls)
    if not targeted:
        st.caption(t("team.calls_no_target", calls=totals.calls, day=day))
    else:
        share = team_today.share_text(totals.calls_share)
        target = int(totals.target_calls)
        st.caption(t("team.calls_caption", calls=totals.calls, day=day, target=target, share=share))
    reps = period.reps
    rows = [
        *zip(
            reps.rep_id, reps["name"], reps.calls, reps.target_calls, reps.calls_share, strict=True
        )
    ]
    rows.append((t("team.totals"), "", totals.calls, totals.target_calls, totals.calls_share))
    columns = {
        t("team.col.rep"): [r[0] for r in rows],
        t("team.col.name"): [r[1] for r in rows],
        t("team.col.calls"): [int(r[2]) for r in rows],
    }
    if targeted:  # without a target, empty columns would show Streamlit's "None" in every row
        columns[t("team.col.target")] = [None if pd.isna(r[3]) else int(r[3]) for r in rows]
        columns[t("team.col.progress")] = [None if pd.isna(r[4]) else float(r[4]) for r in rows]
    table = pd.DataFrame(columns)
    st.dataframe(
        table,
        hide_index=True,
        height="content",
        key="team.calls_table",
        column_config={
            t("team.col.target"): st.column_config.NumberColumn(format="%d"),
            t("team.col.progress"): st.column_config.ProgressColumn(
                format="percent", min_value=0.0, max_value=1.0
            ),
        },
    )


def target_setter(user: User, period: team_today.TeamPeriod, team: str | None) -> None:
    """Set the daily calls per rep, from today on: a manager for their team, an admin for the
    team chosen here (the page's team filter preselects it)."""
    with st.expander(t("team.target_title")):
        if user.role == "manager":
            chosen = user.team or ""
        else:
            teams = sorted(set(period.reps.team.fillna("")))
            chosen = st.selectbox(
                t("team.target_team"),
                teams,
                index=teams.index(team) if team in teams else 0,
                format_func=display.team_name,
                key="team.target_team",
            )
        found = _targets(user, date.today()).set_index("team")
        current = int(found.calls[chosen]) if chosen in found.index else None
        if current is None:
            st.caption(t("team.target_none"))
        else:
            st.caption(t("team.target_now", calls=current, by=plain(found.updated_by[chosen])))
        left, right = st.columns([1, 1], vertical_alignment="bottom")
        # No min/max on the widget: the browser's own range message is English only; the
        # service refuses a number out of range in the reader's language, beside the box.
        calls_per_rep = left.number_input(
            t("team.target_calls"),
            step=1,
            value=current or 20,
            key=f"team.target_calls.{chosen}",
        )
        if not right.button(t("team.target_save"), key="team.target_save", type="primary"):
            return
        try:
            team_today.set_daily_target(warehouse(), user, chosen, calls_per_rep, date.today())
        except team_today.TargetError as exc:
            st.error(customer_view.refused_text(exc))
            return
    _targets.clear()
    message = t(
        "team.target_saved",
        day=date.today(),
        team=display.team_label(chosen),
        calls=int(calls_per_rep),
    )
    customer_view.done(message, FLASH)


def hand_over(user: User) -> None:
    """Hand several customers of one rep (a rep who left, say) to another working rep of the
    same team, all at once; today's lists follow."""
    with st.expander(t("team.move_title")):
        reps = cached.reps_in_scope(user)
        left_suffix = t("team.rep_left_suffix")
        labels = {
            r.rep_id: f"{r.rep_id} · {r.name}" + ("" if pd.isna(r.left_date) else f" {left_suffix}")
            for r in reps.itertuples()
        }
        from_rep = st.selectbox(
            t("team.move_from"), list(labels), format_func=labels.get, key="team.move_from"
        )
        customers = cached.customers_in_scope(user)
        theirs = customers[customers.owner_rep_id == from_rep].set_index("customer_id").name
        if theirs.empty:
            st.info(t("team.move_no_customers"))
            return
        targets = customer_view.reassign_targets(user, from_rep, date.today())
        if targets.empty:
            st.info(t("team.move_none"))
            return
        chosen = st.multiselect(
            t("team.move_customers"),
            theirs.index.tolist(),
            format_func=lambda c: f"{c} · {theirs[c]}",  # options are plain text
            key=f"team.move_customers.{from_rep}",
        )
        to_rep = st.selectbox(
            t("team.move_to"),
            targets.rep_id.tolist(),
            format_func=labels.get,
            key=f"team.move_to.{from_rep}",
        )
        if not st.button(
            t("team.move_button"), key="team.move", type="primary", disabled=not chosen
        ):
            return
        try:
            moved = customer_changes.reassign(
                warehouse(), user, chosen, to_rep, date.today(), expected_owner=from_rep
            )
        except customer_changes.ChangeRefusedError as exc:
            cached.clear_caches()
            st.error(customer_view.refused_text(exc))
            return
    message = t("team.moved", count=len(moved), from_rep=plain(from_rep), to_rep=plain(to_rep))
    customer_view.done(message, FLASH)
