"""First start builds the demo only on a fresh checkout (or redoes an interrupted demo); a
company's warehouse is never replaced, and a list already served is never rewritten."""

from __future__ import annotations

import pytest

from repurchase.accounts import auth
from repurchase.model.config import TrainConfig
from repurchase.services import demo, jobs
from repurchase.services import first_start as firststart
from repurchase.warehouse.store import Warehouse

from ..conftest import SMALL_UNTIL, TINY_TRAINING


def test_a_warehouse_with_a_companys_data_is_never_replaced(tmp_path):
    wh = Warehouse(tmp_path / "company.duckdb")
    auth_only = wh.table_counts()  # an empty warehouse being set up (migrated, no data yet)
    assert not firststart.needs_demo(wh)
    firststart.prepare(wh)
    assert wh.table_counts() == auth_only


def test_an_interrupted_demo_is_recognised_and_a_finished_one_is_not(app_warehouse):
    assert not firststart.needs_demo(app_warehouse)
    with app_warehouse.transaction() as cur:
        cur.execute("delete from app_settings where key = 'demo_complete'")
    assert demo.is_incomplete(app_warehouse) and firststart.needs_demo(app_warehouse)


def test_a_plain_import_into_the_demo_is_refused_and_keeps_the_demo_accounts(
    app_warehouse, tmp_path
):
    from repurchase.services import demo_guard
    from repurchase.warehouse import importer

    path = tmp_path / "orders.csv"
    path.write_text("customer_id,order_date,amount\nC00001,2026-01-05,10\n")
    with pytest.raises(demo_guard.DemoWarehouseError, match="--replace-demo"):
        importer.import_files(app_warehouse, [path], imported_by="admin")
    assert auth.authenticate(app_warehouse, "admin", auth.DEMO_PASSWORD).role == "admin"


def test_a_retrain_keeps_the_list_reps_already_have(trained_warehouse):
    from repurchase.lists import score

    score.score_day(trained_warehouse, SMALL_UNTIL, top_n=5)
    before = trained_warehouse.query("call_list_days", first=SMALL_UNTIL, last=SMALL_UNTIL)
    run, scored = jobs.nightly(
        trained_warehouse, SMALL_UNTIL, TrainConfig(**TINY_TRAINING), top_n=7
    )
    after = trained_warehouse.query("call_list_days", first=SMALL_UNTIL, last=SMALL_UNTIL)
    assert not scored.list_written
    assert after.equals(before)  # still the 5-per-rep list written first
    assert run.version
