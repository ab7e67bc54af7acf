"""A page view only reads: every page renders for every role on a warehouse opened read-only
(any write would fail the page), and the warehouse is unchanged afterwards."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from repurchase.accounts import auth
from repurchase.ui.routes import PAGES

from ..conftest import REPO, snapshot


def _signed_in(role: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["ui.language"] = "en"
    at.run()
    at.text_input(key="login.username").input(role)
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.exception and at.session_state["auth.user"].role == role
    return at


@pytest.mark.parametrize("role", ["rep", "manager", "admin"])
def test_every_page_renders_for_every_role_on_a_read_only_warehouse(
    app_warehouse, monkeypatch, role
):
    at = _signed_in(role)  # signing in writes (the session): done before the file is locked
    before = snapshot(app_warehouse)
    monkeypatch.setenv("REPURCHASE_READ_ONLY", "1")
    opened = []
    for page, (file, roles, _title, _icon) in PAGES.items():
        if role not in roles:
            continue
        at.switch_page(f"pages/{file}").run()
        assert not at.exception, (role, page, at.exception)
        assert not at.error, (role, page, [e.value for e in at.error])
        assert at.title, (role, page)
        opened.append(page)
    assert "call_list" in opened and len(opened) >= 3
    monkeypatch.delenv("REPURCHASE_READ_ONLY")
    assert snapshot(app_warehouse) == before


def test_a_read_only_warehouse_refuses_a_write(app_warehouse):
    from repurchase.warehouse.store import Warehouse

    reader = Warehouse(app_warehouse.path, read_only=True)
    with reader.connect() as cur:
        assert cur.execute("select count(*) from customers").fetchone()[0] > 0
        with pytest.raises(Exception, match="read-only"):
            cur.execute("delete from customers")
