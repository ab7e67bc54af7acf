"""The only package module that imports streamlit: first-start setup, cached loaders, page setup.

Pages call these and render; no SQL and no torch in `pages/`.
"""

from __future__ import annotations

import threading

import streamlit as st

from repurchase import demo, synthetic
from repurchase.config import default_warehouse_path, demo_overrides
from repurchase.warehouse import Warehouse

_first_start = threading.Lock()  # one demo build per server process, whatever the sessions


@st.cache_resource(show_spinner=False)
def _warehouse(path: str) -> Warehouse:
    return Warehouse(path)


def warehouse() -> Warehouse:
    """The server's warehouse handle (cheap: it opens the file only per unit of work), keyed by
    path so a changed `REPURCHASE_WAREHOUSE` is never served a stale handle."""
    return _warehouse(str(default_warehouse_path()))


def _has_data(wh: Warehouse) -> bool:
    return wh.exists() and wh.table_counts().get("customers", 0) > 0


def ensure_demo(wh: Warehouse) -> None:
    """On a fresh checkout, build the demo warehouse once, showing progress."""
    if _has_data(wh):
        return
    with _first_start:
        if _has_data(wh):  # another session built it while this one waited
            return
        bar = st.progress(0.0, text="First start: building the demo warehouse...")
        config = synthetic.DemoConfig(**demo_overrides())
        demo.build(
            wh, config, progress=lambda f, m: bar.progress(min(f, 1.0), text=m), replace=True
        )
        bar.empty()
