"""The manager's today page's parts: what the day's figures count, in words above the table."""

from __future__ import annotations

from datetime import date

import streamlit as st

from repurchase.services import team_today
from repurchase.ui.text import t


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
