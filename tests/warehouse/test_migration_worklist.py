"""Migration 0011 rebuilds `visits` (a new result and a follow-up date): a warehouse written by
the previous version keeps every visit, its id and the id sequence, and gains the new columns."""

from __future__ import annotations

import duckdb
import pytest

from repurchase.warehouse.store import Warehouse, load_migrations


def _visit(cur, result: str, follow_up: str | None = None) -> None:
    columns = "rep_id, customer_id, visited_at, method, target, purpose, result, source, entered_by"
    values = "'R1', 'C1', '2026-03-02 10:00', 'phone', 'active', 'relationship', $r, 'app', 'li'"
    if follow_up is None:
        cur.execute(f"insert into visits ({columns}) values ({values})", {"r": result})
    else:
        cur.execute(
            f"insert into visits ({columns}, follow_up_date) values ({values}, $f)",
            {"r": result, "f": follow_up},
        )


def test_visits_written_before_the_worklist_survive_the_rebuild(tmp_path):
    path = tmp_path / "w.duckdb"
    before = [m for m in load_migrations() if m.version < 11]
    old = Warehouse(path, migrations=before)
    with old.transaction() as cur:
        for result in ("order", "no_order", "no_order"):
            _visit(cur, result)
        cur.execute("delete from visits where visit_id = 2")  # a gap the ids must keep
    with pytest.raises(duckdb.ConstraintException), old.transaction() as cur:
        _visit(cur, "not_reached")  # the old schema knows two results
    with old.connect() as cur:
        kept = cur.execute("select visit_id, result from visits order by 1").fetchall()

    new = Warehouse(path)
    with new.transaction() as cur:
        assert cur.execute("select visit_id, result from visits order by 1").fetchall() == kept
        _visit(cur, "not_reached", follow_up="2026-03-09")
        newest = cur.execute("select max(visit_id) from visits").fetchone()[0]
        assert newest > max(v for v, _ in kept)  # the sequence carried on, no id reused
        # the purchase view written against the old table still reads the new one
        assert cur.execute("select count(*) from purchase_days").fetchone()[0] == 1


def test_a_follow_up_must_come_after_the_visit_and_results_stay_constrained(empty_warehouse):
    with empty_warehouse.transaction() as cur:
        with pytest.raises(duckdb.ConstraintException):
            _visit(cur, "no_order", follow_up="2026-03-02")  # the visit's own day
    with empty_warehouse.transaction() as cur:
        with pytest.raises(duckdb.ConstraintException):
            _visit(cur, "maybe")


def test_a_snooze_must_end_after_it_starts(empty_warehouse):
    with empty_warehouse.transaction() as cur:
        with pytest.raises(duckdb.ConstraintException):
            cur.execute(
                "insert into list_actions (rep_id, customer_id, action, first_day, until_day,"
                " entered_by) values ('R1', 'C1', 'snooze', '2026-03-02', '2026-03-02', 'li')"
            )
