"""The model page's parts: the serving version, the gate that chose it, the latest backtest
against the baselines, its value and churn measures, the lists by model version, calibration.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from repurchase.accounts.auth import User
from repurchase.services import models, proof
from repurchase.services.proof import TeamProof
from repurchase.ui import charts, display, widgets
from repurchase.ui.text import language, t

_number = st.column_config.NumberColumn


def no_backtest(user: User) -> str:
    """What to do before the first backtest: the Data page's button starts it, and only an
    admin has that page (a manager cannot run a command on the server)."""
    return t("model.no_backtest" if user.role == "admin" else "model.no_backtest_manager")


def serving(versions: pd.DataFrame) -> None:
    """The version that makes the lists: architecture, training end, validation figures."""
    found = versions[versions.status == "serving"]
    if found.empty:
        st.warning(t("error.no_model"))
        return
    row = found.iloc[0]
    st.text(f"{t('model.serving')}: {row.version}")
    st.caption(
        t(
            "model.architecture",
            name=display.architecture_label(row.architecture),
            when=f"{row.created_at:%Y-%m-%d %H:%M}",
        )
    )
    b, c, d = st.columns(3)
    b.metric(t("model.trained_until"), f"{row.train_end:%Y-%m-%d}")
    c.metric(t("model.valid_auc"), f"{row.valid_auc:.3f}")
    d.metric(t("model.valid_precision"), f"{row.precision_at_n:.1%}")


def proof_summary(found: list[TeamProof], ranking: tuple[str, str] | None) -> None:
    """Per team, the hold-out's verdict in one line (the Cohorts page has the details), and
    what the lists rank by when the model's run recorded it."""
    st.subheader(t("proof.model_title"))
    lang = language()
    if not found or all(f.proof.units == 0 for f in found):
        st.info(t("proof.none_in_scope"))
    for one in found:
        if one.proof.units == 0:
            continue
        name = t("proof.team", team=display.team_label(one.team))
        line = f"{name} · {proof.verdict_sentence(one.proof, lang)}"
        {"helps": st.success, "hurts": st.warning}.get(one.proof.verdict, st.info)(line)
        details = proof.detail_sentences(one.proof, lang)
        if one.proof.verdict != "none":  # the range, the weeks at this volume, the cost
            st.caption(" ".join([details[0], details[2], details[3]]))
    for line in proof.ranking_sentences(ranking, lang):
        st.caption(line)


def gate(found: pd.DataFrame) -> None:
    """The serving run's gate: which method makes the lists, and every method's figures."""
    if found.empty:
        return
    st.subheader(t("model.gate"))
    st.info(display.gate_verdict(found))
    shown = found.assign(method=found.method.map(lambda m: t(f"method.{m}")))
    st.dataframe(
        shown[["method", "list_precision", "precision_top_n", "precision_top10pct", "auc"]],
        hide_index=True,
        key="model.gate_table",
        column_config={
            "method": t("model.method"),
            "list_precision": _number(t("model.list_precision"), format="percent"),
            "precision_top_n": _number(t("model.top15"), format="percent"),
            "precision_top10pct": _number(t("model.top10pct"), format="percent"),
            "auc": _number("AUC", format="%.3f"),
        },
    )
    st.caption(t("model.gate_explain"))


def backtest(found: pd.DataFrame, user: User) -> None:
    """The latest backtest: precision curves, per-method summary and downloads."""
    st.subheader(t("model.backtest"))
    if found.empty:
        st.info(no_backtest(user))
        return
    table1, summary = models.backtest_tables(found)
    said = models.backtest_resolution(found)
    if said is not None and said.too_small:
        st.warning(
            t(
                f"model.too_small.{said.too_small}",
                weeks=said.weeks,
                candidates=f"{said.candidates:,}",
                listed=f"{said.listed:,}",
                left_off=f"{said.left_off:.0%}",
                margin=f"{said.margin:.1%}",
            )
        )
    st.plotly_chart(charts.backtest_curves(table1, t), key="model.curves")
    st.plotly_chart(charts.method_precision(summary, t), key="model.methods")
    st.dataframe(
        summary_shown(summary),
        hide_index=True,
        key="model.summary",
        column_config={
            "method": t("model.method"),
            "precision": t("model.precision"),
            "precision_sd": t("model.sd"),
            "lift_vs_reps": t("model.lift_vs_reps"),
            "lift_min": t("model.lift_min"),
            "lift_max": t("model.lift_max"),
            "lift_vs_base": t("model.lift_vs_base"),
            "auc": "AUC",
            "brier": "Brier",
            "weeks": t("model.weeks"),
        },
    )
    st.caption(t("model.backtest_explain"))
    widgets.download(table1, "backtest_table1.csv", key="model.download_table1")
    widgets.download(summary, "backtest_summary.csv", key="model.download_summary")


def _figure(fmt: str):
    return lambda v: "–" if pd.isna(v) else fmt.format(v)


# How the summary's figures read: lifts signed, so "+433 %" cannot pass for a precision; a
# figure a method does not have (AUC of the reps' own choice, Brier of a ranking without
# probabilities) a dash, not "None" or "nan%".
_SUMMARY_FORMATS = {
    "precision": "{:.1%}",
    "precision_sd": "{:.1%}",
    "lift_vs_reps": "{:+.1%}",
    "lift_min": "{:+.1%}",
    "lift_max": "{:+.1%}",
    "lift_vs_base": "{:+.1%}",
    "auc": "{:.3f}",
    "brier": "{:.3f}",
}


def summary_shown(summary: pd.DataFrame) -> pd.DataFrame:
    """backtest.summarise's table as the page shows it: every figure as text."""
    shown = summary.copy()
    for column, fmt in _SUMMARY_FORMATS.items():
        values = pd.to_numeric(shown[column], errors="coerce")
        shown[column] = values.map(_figure(fmt))
    return shown


def measures(found: dict | None, backtest_empty: bool, user: User) -> None:
    """The latest backtest's value, ranking and churn measures (services.models)."""
    st.subheader(t("measures.title"))
    if not found and backtest_empty:  # no run at all: "run it again" would be wrong
        st.info(no_backtest(user))
        return
    if not found or "order_size" not in found:
        st.info(t("measures.none"))
        return
    tables = display.measure_tables(found)
    st.markdown(f"**{t('measures.value_title')}**")
    st.dataframe(tables["value"], hide_index=True, key="model.measures_value")
    st.caption(
        t(
            "measures.value_explain",
            ordered=f"{found['ordered_priced']:,}",
            candidates=f"{found['candidates']:,}",
            weeks=found["weeks"],
        )
    )
    st.markdown(f"**{t('measures.ranking_title')}**")
    st.dataframe(tables["ranking"], hide_index=True, key="model.measures_ranking")
    rule = found["recall_rule"]
    st.caption(
        t(
            "measures.ranking_explain",
            top=found["top_n"],
            days=rule["days"],
            left_off=f"{rule['left_off']:,}",
        )
    )
    st.markdown(f"**{t('measures.churn_title')}**")
    if "churn" in tables:
        st.dataframe(tables["churn"], hide_index=True, key="model.measures_churn")
        risk = found["churn"]
        st.caption(
            t("measures.churn_explain", weeks=risk["weeks"], lapse=f"{risk['lapse_rate']:.0%}")
        )
    else:
        st.info(t("measures.no_churn_weeks"))


def versions(version_table: pd.DataFrame, first_list: date | None) -> None:
    """The lists by model version and week: listed, visited, succeeded (paper Table 2).
    `first_list`: the first day with call lists (None before any)."""
    st.subheader(t("model.versions"))
    if version_table.empty and first_list is None:
        st.info(t("cohorts.no_lists"))
        return
    if version_table.empty:  # lists younger than the 7 days a listing is followed for
        ready = first_list + timedelta(days=7)
        st.info(t("model.lists_too_new", first=f"{first_list:%Y-%m-%d}", ready=f"{ready:%Y-%m-%d}"))
        return
    st.plotly_chart(charts.versions_weekly(version_table, t), key="model.versions_chart")
    st.dataframe(
        display.weeks_display(version_table),
        hide_index=True,
        key="model.version_table",
        column_config={
            "model_version": t("model.version"),
            "week": t("common.week"),
            "listed": t("model.listed"),
            "followup_visits": t("model.visited_7d"),
            "followup_successes": t("model.succeeded"),
            "followup_rate": _number(t("cohorts.success_rate"), format="percent"),
            "followup_low": _number(t("model.ci_low"), format="percent"),
            "followup_high": _number(t("model.ci_high"), format="percent"),
        },
    )
    widgets.download(version_table, "model_versions_table2.csv", key="model.download_versions")


def calibration(predictions: pd.DataFrame, user: User) -> None:
    """Reliability curves and the expected calibration error of each model variant."""
    st.subheader(t("model.calibration"))
    found = models.calibration(predictions)
    if not found.curves:
        st.info(no_backtest(user))
        return
    st.plotly_chart(charts.reliability(found.curves, t), key="model.reliability")
    eces = pd.DataFrame(
        {
            t("model.method"): [t("model.variant", name=m.split("/", 1)[1]) for m in found.ece],
            "ECE": list(found.ece.values()),
        }
    )
    st.dataframe(eces, hide_index=True, key="model.ece")
    st.caption(t("model.calibration_explain"))
