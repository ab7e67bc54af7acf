"""Admin: upload ERP exports, see every problem row by row before anything is written,
import, and retrain (the old model serves until the new one is promoted)."""

import streamlit as st

from repurchase.ui import data_view as view
from repurchase.ui import navigation, text

user = navigation.page_setup("data")
t = text.t

st.subheader(t("data.import"))
view.contract_help()
files = st.file_uploader(
    t("data.files"), type=["csv", "parquet"], accept_multiple_files=True, key="data.files"
)
if files:
    view.uploaded(user, files)

st.subheader(t("jobs.title"))
view.jobs_panel(user)
view.ranking_switch(user)
