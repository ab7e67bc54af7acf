"""Write a clean validation report: every file of an import in one transaction.

Reps and customers are upserted by id. Visits and orders have no id in the contract, so each
row gets a content key (the md5 of its normalised fields, then '#n' for the n-th identical row
of the file) and only keys the warehouse does not hold yet are inserted: re-importing a file,
or an overlapping later export, adds nothing twice. On any error, or if the process dies
half-way, the warehouse is exactly as before.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from repurchase.errors import ImportValidationError
from repurchase.warehouse import warehouse_kind
from repurchase.warehouse.importing.contract import (
    KINDS,
    CheckedFile,
    ImportReport,
    ValidationReport,
)
from repurchase.warehouse.store import Cursor, Warehouse, next_id, sql

_import_lock = threading.Lock()  # one import at a time per process; other processes: file lock


def _crash_point(name: str) -> None:
    """Fault injection for the crash-safety test: `REPURCHASE_CRASH_AT=<name>` kills the
    process here, mid-transaction, the way a power cut or an OOM kill would."""
    if os.environ.get("REPURCHASE_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _upsert(
    cur: Cursor, table: str, key: str, rows: pd.DataFrame, columns: list[str]
) -> tuple[int, int]:
    existing = {r[0] for r in cur.execute(f"select {key} from {table}").fetchall()}
    updated = int(rows[key].isin(existing).sum())
    incoming = rows[columns].copy()
    view = f"_incoming_{table}"
    cur.register(view, incoming)
    try:
        # an update of the known keys, then an insert of the new ones (not `on conflict`,
        # which DuckDB cannot run on an attached PostgreSQL table); names come from code
        cols = ", ".join(columns)
        sets = ", ".join(f"{c} = {view}.{c}" for c in columns if c != key)
        cur.execute(
            f"update {table} set {sets}, updated_at = now() from {view} "
            f"where {table}.{key} = {view}.{key}"
        )
        # updated_at set here, not by the column default: on PostgreSQL the default is the
        # server's clock, and demo_remove.sql finds this import's rows by this transaction's time
        cur.execute(
            f"insert into {table} ({cols}, updated_at) select {cols}, now() from {view} "
            f"where {key} not in (select {key} from {table})"
        )
    finally:
        cur.unregister(view)
    return len(rows) - updated, updated


_VISIT_FIELDS = [
    "rep_id",
    "customer_id",
    "visited_at",
    "method",
    "target",
    "purpose",
    "result",
    "note",
    "order_amount",
]
# Optional visit columns: stored when given, and part of a row's content key only when set, so
# that every row of a file without them keeps the key it had before they existed (a re-import
# of an old export adds nothing).
_VISIT_OPTIONAL = ["follow_up_date"]
_ORDER_FIELDS = ["customer_id", "order_date", "amount"]
_REP_COLUMNS = ["rep_id", "name", "gender", "birth_date", "hire_date", "level", "team", "left_date"]
_CUSTOMER_COLUMNS = [
    "customer_id",
    "name",
    "customer_type",
    "industry",
    "tag",
    "owner_rep_id",
    "created_date",
    "contact_name",
    "contact_phone",
]


def _with_content_keys(
    rows: pd.DataFrame, fields: list[str], optional: list[str] | None = None
) -> pa.Table:
    """Rows plus `dedup_key`: md5 of the normalised fields (an `optional` one only when set),
    then '#n' for the n-th identical row of the file. Computed in a private in-memory database,
    before the warehouse is opened, so that the file is held only for the insert itself."""
    optional = optional or []
    staged = rows[fields + optional].copy()
    staged["_line"] = np.arange(len(staged))
    parts = ", ".join(
        [f"coalesce(cast({f} as varchar), '')" for f in fields]
        + [f"cast({f} as varchar)" for f in optional]  # concat_ws skips a null
    )
    with duckdb.connect() as mem:
        mem.register("incoming", staged)
        return mem.execute(
            f"""
            with hashed as (
                select *, md5(concat_ws(chr(31), {parts})) as content_hash
                from incoming
            )
            select
                * exclude (content_hash),
                content_hash || '#' || row_number() over (
                    partition by content_hash order by _line
                ) as dedup_key
            from hashed
            order by _line
            """
        ).to_arrow_table()


def _insert_new_events(
    cur: Cursor, table: str, keyed: pa.Table, fields: list[str], extra: dict[str, object]
) -> int:
    """Insert the keyed rows whose key the table does not hold yet; return how many."""
    view = f"_incoming_{table}"
    cur.register(view, keyed)
    try:
        names = ", ".join([*fields, "dedup_key", *extra])
        values = ", ".join([*fields, "dedup_key", *(f"${k}" for k in extra)])
        inserted = cur.execute(
            f"""
            insert into {table} ({names})
            select {values}
            from {view} as incoming
            where not exists (
                select 1 from {table} as present where present.dedup_key = incoming.dedup_key
            )
            order by _line  -- ids follow the file's order
            """,
            extra,
        ).fetchone()[0]
    finally:
        cur.unregister(view)
    return int(inserted)


def write(
    warehouse: Warehouse,
    report: ValidationReport,
    *,
    source: str = "import",
    imported_by: str = "cli",
    before: Callable[[Cursor], object] | None = None,
    replace_demo: Callable[[Cursor, int], object] | None = None,
) -> ImportReport:
    """Write a clean report's rows in one transaction. Raises if the report has issues.
    `before` runs first inside that transaction: whatever it raises refuses the import with
    nothing written (the service layer re-reads the importing account there).
    `replace_demo(cur, batch_id)` runs after the rows when the warehouse holds the demo, to
    remove it in the same transaction; without it, a company's import into the demo is refused
    (warehouse_kind.DemoWarehouseError)."""
    if not report.ok:
        raise ImportValidationError(report.issues, report.total_issues)
    checked = sorted(report.checked, key=lambda c: KINDS.index(c.file.kind))
    keyed = {}
    for c in checked:  # the heavy part, done before taking the file
        if c.file.kind == "visits":
            optional = [f for f in _VISIT_OPTIONAL if f in c.rows]
            frame = c.rows.rename(columns={"visit_date": "visited_at"}).reindex(
                columns=_VISIT_FIELDS + optional
            )
            if "follow_up_date" in frame:
                frame["follow_up_date"] = pd.to_datetime(frame.follow_up_date).dt.date
            keyed["visits"] = _with_content_keys(frame, _VISIT_FIELDS, optional)
        elif c.file.kind == "orders":
            keyed["orders"] = _with_content_keys(
                c.rows.reindex(columns=_ORDER_FIELDS), _ORDER_FIELDS
            )
    with _import_lock:
        started = time.perf_counter()
        with warehouse.transaction() as cur:
            if before is not None:
                before(cur)
            result = _write_batch(cur, checked, keyed, source, imported_by)
            if result.inserted.get("visits"):
                # the cohort page's counts do not hold these visits' days yet: read them live
                first_day = pd.Timestamp(pc.min(keyed["visits"]["visited_at"]).as_py()).date()
                cur.execute(sql("visit_outcomes_stale"), {"day": first_day})
                cur.execute(sql("holdout_sums_stale"), {"day": first_day})
            if result.inserted.get("orders"):
                # orders decide whether a hold-out unit ordered: its kept sums may be wrong now
                first_order = pd.Timestamp(pc.min(keyed["orders"]["order_date"]).as_py()).date()
                cur.execute(sql("holdout_sums_stale"), {"day": first_order})
            # a company's data never lands beside the demo's: refused, or it replaces the demo
            warehouse_kind.on_import(cur, source, result.batch_id, replace_demo)
        result.seconds_holding_file = time.perf_counter() - started
    result.warnings = report.warnings
    return result


def _write_batch(
    cur: Cursor,
    checked: list[CheckedFile],
    keyed: dict[str, pa.Table],
    source: str,
    imported_by: str,
) -> ImportReport:
    inserted: dict[str, int] = {}
    updated: dict[str, int] = {}
    skipped: dict[str, int] = {}
    files = {c.file.name: c.file.kind for c in checked}
    counts = {c.file.kind: len(c.rows) for c in checked}
    batch_id = next_id(cur, "import_batch_id_seq")
    cur.execute(
        "insert into import_batches (batch_id, imported_by, files, row_counts) "
        "values ($id, $by, $f, $c)",
        {
            "id": batch_id,
            "by": imported_by,
            "f": json.dumps(files, ensure_ascii=False),
            "c": json.dumps(counts),
        },
    )
    for c in checked:
        kind, rows = c.file.kind, c.rows
        if kind == "reps":
            cols = [k for k in _REP_COLUMNS if k in rows]
            inserted[kind], updated[kind] = _upsert(cur, "reps", "rep_id", rows, cols)
        elif kind == "customers":
            # only the columns the file has: an absent one (contact_name, ...) is kept as stored
            cols = [k for k in _CUSTOMER_COLUMNS if k in rows]
            inserted[kind], updated[kind] = _upsert(cur, "customers", "customer_id", rows, cols)
        elif kind == "visits":
            extra = {"source": source, "batch_id": batch_id, "entered_by": imported_by}
            # an optional column only when the file has it: absent, the stored default holds
            fields = _VISIT_FIELDS + [f for f in _VISIT_OPTIONAL if f in rows]
            inserted[kind] = _insert_new_events(cur, "visits", keyed[kind], fields, extra)
        elif kind == "orders":
            extra = {"source": source, "batch_id": batch_id}
            inserted[kind] = _insert_new_events(cur, "orders", keyed[kind], _ORDER_FIELDS, extra)
        if kind in keyed:
            skipped[kind] = len(rows) - inserted[kind]
        _crash_point(f"after-{kind}")
    return ImportReport(int(batch_id), inserted, updated, skipped, [])
