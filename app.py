"""Streamlit entry point: `streamlit run app.py`."""

import streamlit as st

from repurchase import dashboard

st.set_page_config(page_title="Repurchase call lists", layout="wide")
wh = dashboard.warehouse()
dashboard.ensure_ready(wh)
st.title("Repurchase call lists")
st.caption(f"Warehouse: {wh.path.name}")
counts = wh.table_counts()
cols = st.columns(4)
for col, table in zip(cols, ("reps", "customers", "visits", "orders"), strict=True):
    col.metric(table, f"{counts.get(table, 0):,}")
