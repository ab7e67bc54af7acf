"""Issue 10, blocker 11: reading 10M visits for the nightly job held the file longer than the
15 s every other user waits, because the feature query (window functions over every event) ran
inside one unit of work. Now the rows are copied out in bounded units and the query runs on the
copy with the file closed; bench/lock_fairness.py measures the hold times on a large warehouse.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import pandas as pd

from repurchase.model import features
from repurchase.warehouse import snapshot
from repurchase.warehouse.store import Cursor, Warehouse, sql

UNTIL = date(2026, 6, 1)


class _Recorder:
    """A cursor that notes every statement run through it."""

    def __init__(self, cur: Cursor, statements: list[str]) -> None:
        self._cur, self._statements = cur, statements

    def execute(self, query: str, params=None):
        self._statements.append(query)
        return self._cur.execute(query, params)

    def __getattr__(self, name: str):
        return getattr(self._cur, name)


class RecordingWarehouse(Warehouse):
    """Records the statements of each unit of work; can write between two units."""

    def __init__(self, path, between=None) -> None:
        super().__init__(path)
        self.units: list[list[str]] = []
        self._between = between

    @contextmanager
    def connect(self) -> Iterator[Cursor]:
        if len(self.units) == 1 and self._between is not None:
            between, self._between = self._between, None
            between()  # another session writes after the snapshot started
        statements: list[str] = []
        self.units.append(statements)
        with super().connect() as cur:
            yield _Recorder(cur, statements)


def _in_one_go(wh: Warehouse) -> pd.DataFrame:
    """The old read: the feature query inside one unit of work."""
    with wh.connect() as cur:
        return cur.execute(sql("feature_events"), {"until": datetime(2026, 6, 1)}).df()


def test_the_feature_query_runs_with_the_file_closed_and_reads_in_bounded_units(
    small_warehouse, monkeypatch
):
    monkeypatch.setattr(snapshot, "CHUNK_ROWS", 1000)
    expected = _in_one_go(small_warehouse)
    with small_warehouse.connect() as cur:
        visits = cur.execute("select count(*) from visits").fetchone()[0]

    recorder = RecordingWarehouse(small_warehouse.path)
    history = features.load_history(recorder, UNTIL)

    statements = [s for unit in recorder.units for s in unit]
    assert sql("feature_events") not in statements  # the long query never holds the file
    visit_units = [u for u in recorder.units if sql("snapshot_visits") in u]
    assert len(visit_units) >= visits // 1000  # one bounded unit per 1,000 visit ids
    assert all(len(u) == 1 for u in visit_units)  # and nothing else in them
    pd.testing.assert_frame_equal(history.events, expected)  # the same features as before


def test_rows_written_while_the_copy_is_made_are_all_outside_it(small_warehouse, monkeypatch):
    monkeypatch.setattr(snapshot, "CHUNK_ROWS", 1000)
    expected = _in_one_go(small_warehouse)

    def a_rep_logs_a_visit() -> None:
        with small_warehouse.transaction() as cur:
            cur.execute(
                """
                insert into visits (rep_id, customer_id, visited_at, method, target, purpose,
                                    result, note, source, entered_by)
                values ('R001', 'C00001', '2026-05-20 10:00', 'phone', 'active',
                        'needs_discovery', 'order', 'typed during the copy', 'app', 'R001')
                """
            )

    recorder = RecordingWarehouse(small_warehouse.path, between=a_rep_logs_a_visit)
    history = features.load_history(recorder, UNTIL)
    pd.testing.assert_frame_equal(history.events, expected)  # as of the copy's start
    assert len(_in_one_go(small_warehouse)) == len(expected) + 1  # the visit did land
