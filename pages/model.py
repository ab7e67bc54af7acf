"""How good is the model: the serving version, the backtest against every baseline (Table 1,
Figure 6), its value and churn measures, the version comparison (Table 2) and calibration."""

import streamlit as st

from repurchase.errors import RepurchaseError
from repurchase.ui import cached, display, navigation, text, widgets
from repurchase.ui import model_view as view

user = navigation.page_setup("model")
t = text.t

try:
    overview = cached.model_overview(user)
except RepurchaseError as exc:
    widgets.fail(exc)

view.serving(overview["versions"])
first_day, last_day = cached.list_period()
if first_day is not None:
    view.proof_summary(cached.team_proofs(user, first_day, last_day), cached.ranking(user))
view.gate(overview["gate"])
view.backtest(overview["backtest"], user)
view.measures(cached.backtest_measures(user), overview["backtest"].empty, user)
view.versions(overview["version_table"], first_day)
view.calibration(overview["predictions"], user)

st.subheader(t("model.all_versions"))
st.dataframe(
    display.versions_display(overview["versions"]), hide_index=True, key="model.versions_all"
)
