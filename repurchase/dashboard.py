"""The only package module that imports streamlit: first-start setup, cached loaders, page setup.

Pages call these and render; no SQL and no torch in `pages/`.
"""

from __future__ import annotations

import threading

import streamlit as st

from repurchase import firststart, synthetic
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


def ensure_ready(wh: Warehouse) -> None:
    """On a fresh checkout: build the demo, train a first model and score today, once per
    server process, with a progress bar. Later starts find everything and return at once."""
    if firststart.has_data(wh) and _lists_for_today(wh):
        return
    with _first_start:
        if firststart.has_data(wh) and _lists_for_today(wh):  # built while this one waited
            return
        bar = st.progress(0.0, text="First start: preparing the demo...")
        config = synthetic.DemoConfig(**demo_overrides())
        firststart.prepare(
            wh, demo_config=config, progress=lambda f, m: bar.progress(min(f, 1.0), text=m)
        )
        bar.empty()


def _lists_for_today(wh: Warehouse) -> bool:
    from datetime import date

    return not wh.query("call_list_days", first=date.today(), last=date.today()).empty
