"""The day's lists are written once, by whoever comes first after the day starts (the nightly
job, the score job or the app server's thread), and kept after that."""

from __future__ import annotations

from datetime import date

from repurchase.lists import score
from repurchase.services import daily_lists
from repurchase.warehouse.store import Warehouse

from ..conftest import snapshot


def test_the_days_lists_are_written_once_and_then_kept(app_warehouse):
    today = date.today()
    with app_warehouse.transaction() as cur:
        cur.execute("delete from call_lists where list_date = $d", {"d": today})
        cur.execute("delete from scores where score_date = $d", {"d": today})
    assert not score.has_list(app_warehouse, today)

    assert daily_lists.write_today(app_warehouse, today) is True
    assert score.has_list(app_warehouse, today)
    written = snapshot(app_warehouse)
    assert daily_lists.write_today(app_warehouse, today) is False
    assert snapshot(app_warehouse) == written


def test_only_a_fresh_checkout_needs_a_first_start(app_warehouse, tmp_path):
    assert not daily_lists.needs_first_start(app_warehouse)
    fresh = Warehouse(tmp_path / "nothing-yet.duckdb")
    assert daily_lists.needs_first_start(fresh)
    assert not fresh.path.exists()  # asking did not create it
