"""Admin: upload ERP exports, see every problem row by row before anything is written,
import, and retrain (the old model serves until the new one is promoted)."""

import streamlit as st

from repurchase import dashboard as ui
from repurchase import importer
from repurchase.errors import ImportValidationError, RepurchaseError

user = ui.page_setup("data")
t = ui.t

st.subheader(t("data.import"))
st.caption(t("data.contract"))
files = st.file_uploader(
    t("data.files"), type=["csv", "parquet"], accept_multiple_files=True, key="data.files"
)
if files:
    try:
        report = ui.check_upload(user, files)
    except ImportValidationError as exc:
        report = None
        st.error(t("data.unreadable", n=exc.total))
        st.dataframe(
            importer.issues_frame(exc.issues, ui.language()),
            hide_index=True,
            key="data.unreadable_table",
        )
    if report is not None:
        for notice in report.notices:
            st.warning(ui.plain(importer.render(notice, ui.language())))
        if report.ok:
            st.success(t("data.ok", rows=", ".join(f"{k}: {v:,}" for k, v in report.rows.items())))
            if st.button(t("data.do_import"), type="primary", key="data.do_import"):
                try:
                    result = ui.import_checked(user, report)
                except RepurchaseError as exc:
                    ui.fail(exc)
                st.success(ui.plain(result.summary()))
        else:
            st.error(t("data.problems", n=report.total_issues))
            st.dataframe(report.issues_frame(ui.language()), hide_index=True, key="data.issues")

st.subheader(t("data.retrain"))
st.caption(t("data.retrain_explain"))
if st.button(t("data.do_retrain"), key="data.do_retrain"):
    bar = st.progress(0.0, text=t("data.retrain_reading"))
    try:
        promotion = ui.retrain(user, bar)
    except RepurchaseError as exc:
        ui.fail(exc)
    if promotion.promoted:
        st.success(t("data.promoted", reason=ui.plain(promotion.reason)))
    else:
        st.warning(t("data.not_promoted", reason=ui.plain(promotion.reason)))
