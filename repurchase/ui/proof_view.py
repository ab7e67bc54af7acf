"""The hold-out's proof box per team (Cohorts and Model pages) and the hold-out share beside
the ranking on the Data page: the verdict first, then the range that stays valid however
often a manager looks, when it will be clear, and what the hold-out costs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from repurchase.errors import RepurchaseError
from repurchase.lists import holdout
from repurchase.services import proof
from repurchase.services.proof import TeamProof
from repurchase.ui import actions, cached, display, widgets
from repurchase.ui.text import language, t

_SAY = {"helps": st.success, "hurts": st.warning, "unclear": st.info, "none": st.info}


def team_box(found: TeamProof, ranking: tuple[str, str] | None, *, named: bool) -> None:
    """One team's proof: the verdict, then the details as short captions."""
    lang = language()
    if named:
        st.markdown(f"**{t('proof.team', team=display.team_label(found.team))}**")
    _SAY[found.proof.verdict](proof.verdict_sentence(found.proof, lang))
    for line in proof.detail_sentences(found.proof, lang, ranking):
        st.caption(line)


def boxes(found: list[TeamProof], ranking: tuple[str, str] | None) -> None:
    """Every team's box (named when there is more than one), or why there is none."""
    if not found or all(f.proof.units == 0 for f in found):
        st.info(t("proof.none_in_scope"))
        return
    for one in found:
        team_box(one, ranking, named=len(found) > 1)
    st.caption(t("proof.explain"))
    as_of = found[0].as_of
    if as_of is not None:
        st.caption(t("proof.as_of", at=display.when(as_of)))


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _options_table(options: pd.DataFrame) -> None:
    never = t("proof.more_than_year")
    st.dataframe(
        pd.DataFrame(
            {
                t("proof.share_col.share"): options.share.map(_pct),
                t(
                    "proof.share_col.weeks", lift=f"{100 * options.target_lift.iloc[0]:.1f}"
                ): options.weeks_to_verdict.map(
                    lambda w: never if w is None or w != w else str(int(w))
                ),
                t("proof.share_col.detectable"): options.detectable_lift.map(
                    lambda v: "–" if v != v else f"{100 * v:.1f}"
                ),
                t("proof.share_col.cost"): options.orders_forgone_per_week.map(
                    lambda v: f"{v:,.1f}"
                ),
            }
        ),
        hide_index=True,
        key="data.holdout_options",
    )


def _chosen(options: pd.DataFrame, share: float) -> None:
    """The share picked on the slider, in one sentence: when a verdict, at what cost."""
    row = options.iloc[(options.share - share).abs().argmin()]
    weeks = row.weeks_to_verdict
    when = (
        t("proof.no_verdict_in_a_year")
        if weeks is None or weeks != weeks
        else t("proof.weeks_to_verdict", weeks=int(weeks))
    )
    forgone = row.orders_forgone_per_week
    key = "proof.share_at" if forgone > 0 else "proof.share_at_free"
    st.info(t(key, share=_pct(share), weeks=when, orders=f"{forgone:,.1f}"))


def share_setting(user, team: str, row: pd.Series) -> None:
    """The team's hold-out share beside its ranking: pick 0-30 %, see what each share would
    cost and when it would give a verdict, save (from the next period)."""
    current = float(row.holdout_share)
    pending = row.get("next_share")
    pick_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
    share = pick_col.slider(
        t("proof.share"),
        min_value=0,
        max_value=int(100 * holdout.MAX_TEAM_SHARE),
        value=int(round(100 * (current if pending is None or pending != pending else pending))),
        step=5,
        format="%d %%",
        help=t("proof.share_help"),
        key=f"data.holdout_share.{team}",
    )
    try:
        options = cached.share_options(user, team)
    except RepurchaseError as exc:
        widgets.fail(exc)
    if options.empty:
        st.caption(t("proof.share_no_units"))
    else:
        _chosen(options, share / 100)
        st.caption(t("proof.share_options"))
        _options_table(options)
    if save_col.button(t("proof.share_save"), key="data.holdout_save"):
        try:
            starts = actions.set_holdout_share(user, team, share / 100)
        except RepurchaseError as exc:
            widgets.fail(exc)
        st.session_state["data.holdout_saved"] = (team, share, starts)
        st.rerun()
    saved = st.session_state.pop("data.holdout_saved", None)
    if saved:
        team, share, starts = saved
        st.success(
            t("proof.share_saved", team=display.team_label(team), share=f"{share} %", day=starts)
        )
