"""How good is the model: the serving version, the backtest against every baseline (Table 1,
Figure 6), its value and churn measures, the version comparison (Table 2) and calibration."""

import pandas as pd
import streamlit as st

from repurchase.errors import RepurchaseError
from repurchase.evaluation import outcomes as evaluate
from repurchase.ui import cached, charts, display, navigation, text, widgets

user = navigation.page_setup("model")
t = text.t

try:
    overview = cached.model_overview(user)
except RepurchaseError as exc:
    widgets.fail(exc)

versions = overview["versions"]
serving = versions[versions.status == "serving"]
if serving.empty:
    st.warning(t("error.no_model"))
else:
    row = serving.iloc[0]
    st.text(f"{t('model.serving')}: {row.version}")
    st.caption(
        t("model.architecture", name=row.architecture, when=f"{row.created_at:%Y-%m-%d %H:%M}")
    )
    b, c, d = st.columns(3)
    b.metric(t("model.trained_until"), f"{row.train_end:%Y-%m-%d}")
    c.metric(t("model.valid_auc"), f"{row.valid_auc:.3f}")
    d.metric(t("model.valid_precision"), f"{row.precision_at_n:.1%}")

gate = overview["gate"]
if not gate.empty:
    st.subheader(t("model.gate"))
    st.info(display.gate_verdict(gate))
    shown = gate.assign(method=gate.method.map(lambda m: t(f"method.{m}")))
    st.dataframe(
        shown[["method", "list_precision", "precision_top_n", "precision_top10pct", "auc"]],
        hide_index=True,
        key="model.gate_table",
        column_config={
            "method": t("model.method"),
            "list_precision": st.column_config.NumberColumn(
                t("model.list_precision"), format="percent"
            ),
            "precision_top_n": st.column_config.NumberColumn(t("model.top15"), format="percent"),
            "precision_top10pct": st.column_config.NumberColumn(
                t("model.top10pct"), format="percent"
            ),
            "auc": st.column_config.NumberColumn("AUC", format="%.3f"),
        },
    )
    st.caption(t("model.gate_explain"))

st.subheader(t("model.backtest"))
backtest = overview["backtest"]
if backtest.empty:
    st.info(t("model.no_backtest"))
else:
    from repurchase.evaluation import backtest as bt

    table1 = bt.table1(backtest)
    summary = bt.summarise(backtest)
    st.plotly_chart(charts.backtest_curves(table1, t), key="model.curves")
    st.plotly_chart(charts.method_precision(summary, t), key="model.methods")
    st.dataframe(
        summary,
        hide_index=True,
        key="model.summary",
        column_config={
            "method": t("model.method"),
            "precision": st.column_config.NumberColumn(t("model.precision"), format="percent"),
            "precision_sd": st.column_config.NumberColumn(t("model.sd"), format="percent"),
            "lift_vs_reps": st.column_config.NumberColumn(
                t("model.lift_vs_reps"), format="percent"
            ),
            "lift_min": st.column_config.NumberColumn(t("model.lift_min"), format="percent"),
            "lift_max": st.column_config.NumberColumn(t("model.lift_max"), format="percent"),
            "lift_vs_base": st.column_config.NumberColumn(
                t("model.lift_vs_base"), format="percent"
            ),
            "auc": st.column_config.NumberColumn("AUC", format="%.3f"),
            "brier": st.column_config.NumberColumn("Brier", format="%.3f"),
            "weeks": t("model.weeks"),
        },
    )
    st.caption(t("model.backtest_explain"))
    widgets.download(table1, "backtest_table1.csv", key="model.download_table1")
    widgets.download(summary, "backtest_summary.csv", key="model.download_summary")

st.subheader(t("measures.title"))
measures = cached.backtest_measures(user)
if not measures and backtest.empty:  # no run at all: "run it again" would be wrong
    st.info(t("model.no_backtest"))
elif not measures or "order_size" not in measures:
    st.info(t("measures.none"))
else:
    tables = display.measure_tables(measures)
    st.markdown(f"**{t('measures.value_title')}**")
    st.dataframe(tables["value"], hide_index=True, key="model.measures_value")
    st.caption(
        t(
            "measures.value_explain",
            ordered=f"{measures['ordered_priced']:,}",
            candidates=f"{measures['candidates']:,}",
            weeks=measures["weeks"],
        )
    )
    st.markdown(f"**{t('measures.ranking_title')}**")
    st.dataframe(tables["ranking"], hide_index=True, key="model.measures_ranking")
    rule = measures["recall_rule"]
    st.caption(
        t(
            "measures.ranking_explain",
            top=measures["top_n"],
            days=rule["days"],
            left_off=f"{rule['left_off']:,}",
        )
    )
    st.markdown(f"**{t('measures.churn_title')}**")
    if "churn" in tables:
        st.dataframe(tables["churn"], hide_index=True, key="model.measures_churn")
        risk = measures["churn"]
        st.caption(
            t("measures.churn_explain", weeks=risk["weeks"], lapse=f"{risk['lapse_rate']:.0%}")
        )
    else:
        st.info(t("measures.no_churn_weeks"))

st.subheader(t("model.versions"))
version_table = overview["version_table"]
if version_table.empty:
    st.info(t("cohorts.no_lists"))
else:
    st.plotly_chart(charts.versions_weekly(version_table, t), key="model.versions_chart")
    st.dataframe(
        version_table,
        hide_index=True,
        key="model.version_table",
        column_config={
            "model_version": t("model.version"),
            "week": t("common.week"),
            "listed": t("model.listed"),
            "followup_visits": t("model.visited_7d"),
            "followup_successes": t("model.succeeded"),
            "followup_rate": st.column_config.NumberColumn(
                t("cohorts.success_rate"), format="percent"
            ),
            "followup_low": st.column_config.NumberColumn(t("model.ci_low"), format="percent"),
            "followup_high": st.column_config.NumberColumn(t("model.ci_high"), format="percent"),
        },
    )
    widgets.download(version_table, "model_versions_table2.csv", key="model.download_versions")

st.subheader(t("model.calibration"))
predictions = overview["predictions"]
by_method = {
    method: predictions[predictions.method == method]
    for method in sorted(m for m in predictions.method.unique() if m.startswith("model/"))
}
curves = {m: evaluate.reliability(part.p, part.label) for m, part in by_method.items()}
if curves:
    st.plotly_chart(charts.reliability(curves, t), key="model.reliability")
    eces = pd.DataFrame(
        {
            t("model.method"): [t("model.variant", name=m.split("/", 1)[1]) for m in by_method],
            "ECE": [
                evaluate.expected_calibration_error(part.p, part.label)
                for part in by_method.values()
            ],
        }
    )
    st.dataframe(eces, hide_index=True, key="model.ece")
    st.caption(t("model.calibration_explain"))
else:
    st.info(t("model.no_backtest"))

st.subheader(t("model.all_versions"))
st.dataframe(display.versions_display(versions), hide_index=True, key="model.versions_all")
