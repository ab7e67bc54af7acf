"""The Streamlit app starts, opens the warehouse and builds the demo on first start."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from repurchase.warehouse import Warehouse

from .conftest import REPO


def test_first_start_builds_the_demo_then_reuses_it(tmp_path, monkeypatch):
    path = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("REPURCHASE_WAREHOUSE", str(path))
    monkeypatch.setenv("REPURCHASE_DEMO", "reps=3,customers=10-15,days=90,seed=5")
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    assert not app.exception
    assert path.is_file()
    customers = Warehouse(path).table_counts()["customers"]
    assert 30 <= customers <= 45
    shown = {m.label: m.value for m in app.metric}
    assert shown["customers"] == f"{customers:,}"

    again = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not again.exception
    assert Warehouse(path).table_counts()["customers"] == customers
