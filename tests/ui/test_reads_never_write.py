"""A page view only reads: every page renders for every role on a warehouse opened read-only
(any write would fail the page), and the warehouse is unchanged afterwards."""

from __future__ import annotations

import pytest

from repurchase.ui.routes import PAGES

from ..conftest import snapshot
from ..reliability.conftest import signed_in


@pytest.mark.parametrize("role", ["rep", "manager", "admin"])
def test_every_page_renders_for_every_role_on_a_read_only_warehouse(
    app_warehouse, monkeypatch, role
):
    at = signed_in(role)  # signing in writes (the session): done before the file is locked
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


def test_a_day_whose_lists_are_not_written_yet_is_said_and_not_scored_by_the_page(
    app_warehouse, monkeypatch
):
    from datetime import date

    from repurchase.services import daily_lists

    with app_warehouse.transaction() as cur:
        cur.execute("delete from call_lists where list_date = $d", {"d": date.today()})
    # the server's thread would write them within seconds; here it is held back, so the page
    # is seen as a rep sees it in the first moments of the day
    monkeypatch.setattr(daily_lists, "write_today", lambda warehouse, day: False)
    at = signed_in("rep")
    before = snapshot(app_warehouse)
    at.switch_page("pages/call_list.py").run()
    assert not at.exception
    assert any("being written" in i.value for i in at.info)
    assert not any("(model )" in c.value for c in at.caption)
    assert snapshot(app_warehouse) == before
