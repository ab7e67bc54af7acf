"""The Streamlit app starts, opens the warehouse and, on first start, builds the demo, trains a
first model and writes today's lists."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from repurchase import registry
from repurchase.warehouse import Warehouse

from .conftest import REPO


def test_first_start_builds_the_demo_then_reuses_it(tmp_path, monkeypatch):
    path = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("REPURCHASE_WAREHOUSE", str(path))
    monkeypatch.setenv("REPURCHASE_DEMO", "reps=3,customers=10-15,days=200,seed=5")
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=180).run()
    assert not app.exception
    wh = Warehouse(path)
    customers = wh.table_counts()["customers"]
    assert 30 <= customers <= 45
    assert registry.serving_version(wh) is not None
    today = wh.query("call_list_days", first=date.today(), last=date.today())
    assert today.reps.tolist() == [3]
    shown = {m.label: m.value for m in app.metric}
    assert shown["customers"] == f"{customers:,}"

    counts = wh.table_counts()
    again = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not again.exception
    assert wh.table_counts() == counts
