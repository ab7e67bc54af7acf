"""What a warehouse holds, the demo or a company's data: recorded, never inferred from who
imported.

`app_settings` keeps `warehouse_kind` (written by the demo build before anything else, or by a
company's first import; migration 0010 filled it in for older files) and `demo_complete` (the
demo build's last step). An import into the demo lands only together with the demo's removal,
which the caller passes in (`on_import`); removing it is the demo guard's service, above this
layer, since it ends the demo's accounts and sessions.
"""

from __future__ import annotations

from collections.abc import Callable

from repurchase.errors import RepurchaseError
from repurchase.warehouse.store import Cursor, Warehouse, sql

KIND_KEY = "warehouse_kind"
COMPLETE_KEY = "demo_complete"
DEMO, COMPANY = "demo", "company"
REPLACE_FLAG = "--replace-demo"


class DemoWarehouseError(RepurchaseError):
    """A company's data was about to be imported into the demo without replacing it."""


def setting(cur: Cursor, key: str) -> str | None:
    row = cur.execute(sql("app_setting_value"), {"key": key}).fetchone()
    return None if row is None else row[0]


def kind(warehouse: Warehouse) -> str | None:
    """'demo', 'company', or None for a file that holds nothing yet (or no file)."""
    if not warehouse.exists():
        return None
    with warehouse.connect() as cur:
        return setting(cur, KIND_KEY)


def build_interrupted(warehouse: Warehouse) -> bool:
    """A demo build that stopped before its last step: recorded as the demo, not complete."""
    if not warehouse.exists():
        return False
    with warehouse.connect() as cur:
        return setting(cur, KIND_KEY) == DEMO and setting(cur, COMPLETE_KEY) is None


def record(warehouse: Warehouse, what: str) -> None:
    """Record the warehouse as `what` (DEMO or COMPANY), from scratch: no demo build complete,
    no row the demo's."""
    with warehouse.transaction() as cur:
        cur.execute(
            sql("warehouse_kind_forget"), {"kind_key": KIND_KEY, "complete_key": COMPLETE_KEY}
        )
        cur.execute(sql("demo_members_forget"))
        cur.execute(sql("app_setting_insert"), {"key": KIND_KEY, "value": what})


def mark_demo_complete(cur: Cursor, day: str) -> None:
    """The demo build's last step (inside its last transaction): remember which rows are the
    demo's, then mark it complete."""
    cur.execute(sql("demo_members_record"))
    cur.execute(sql("app_setting_remove"), {"key": COMPLETE_KEY})
    cur.execute(sql("app_setting_insert"), {"key": COMPLETE_KEY, "value": day})


def on_import(
    cur: Cursor,
    source: str,
    batch_id: int,
    replace_demo: Callable[[Cursor, int], object] | None,
) -> None:
    """Inside an import's transaction, after its rows (batch `batch_id`) are written.

    Into the demo, a company's rows land only with `replace_demo`, which removes the demo in
    the same transaction; without it the import is refused (rolled back). Into any other
    warehouse, the first import records it as a company's. The demo's own build imports with
    source DEMO."""
    if source == DEMO:
        return
    current = setting(cur, KIND_KEY)
    if current == DEMO:
        if replace_demo is None:
            raise DemoWarehouseError(
                "this warehouse holds the demo; importing a company's data into it would mix "
                f"the two. Run the import again with {REPLACE_FLAG} (a backup is taken, then the "
                "demo's rows and accounts are removed in the same transaction as the import; "
                "pass --admin NAME to create your own admin account), or import into a new "
                "warehouse with --warehouse NEW.duckdb"
            )
        replace_demo(cur, batch_id)
    elif current is None:
        cur.execute(sql("app_setting_insert"), {"key": KIND_KEY, "value": COMPANY})
