"""The Streamlit app starts, opens the warehouse and, on first start, builds the demo (with
simulated weeks of use), has a model serving and today's lists, then asks to sign in."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from repurchase.accounts import auth
from repurchase.model import registry
from repurchase.warehouse.store import Warehouse

from ..conftest import REPO


def test_first_start_builds_the_demo_then_reuses_it(tmp_path, monkeypatch):
    path = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("REPURCHASE_WAREHOUSE", str(path))
    monkeypatch.setenv("REPURCHASE_DEMO", "reps=3,customers=10-15,days=200,seed=5")
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    app.session_state["ui.language"] = "en"
    app.run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Sign in"]
    wh = Warehouse(path)
    assert 30 <= wh.table_counts()["customers"] <= 45
    assert registry.serving_version(wh) is not None
    assert len(registry.versions(wh)) == 2  # the simulated weeks' two versions
    today = wh.query("call_list_days", first=date.today(), last=date.today())
    assert today.reps.tolist() == [3]
    assert auth.authenticate(wh, "manager", auth.DEMO_PASSWORD).role == "manager"

    counts = wh.table_counts()
    again = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not again.exception
    assert wh.table_counts() == counts
