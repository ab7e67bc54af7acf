"""Demo and a company's data never mix, and removing the demo never locks anybody out.

Whether a warehouse is the demo is recorded (app_settings `warehouse_kind`, written by the
demo build before anything else, and `demo_complete` as its last step; migration 0010 filled
them in for older files), never inferred from who imported. `demo_members` lists the reps,
customers and import batches the demo build created.

A company's first import into the demo warehouse must say that it replaces the demo
(`import --replace-demo`, or the confirmation on the Data page); a plain import is refused with
a message naming the flag. Replacing takes a backup first, then, in the import's own
transaction, writes the company's rows and removes every row of the demo (its reps, customers,
visits, orders and import batches; every call list, score, hold-out draw, backtest and model
version, since all of them were made from demo data; its accounts, whose password is public),
and creates the importing admin's own account when the demo's admin was the one importing.
Either all of that lands or none of it does. The model folders and the demo's truth folder are
deleted after the commit (they are in the backup).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from repurchase.accounts import auth, passwords, sessions
from repurchase.config import default_models_dir, truth_dir
from repurchase.errors import RepurchaseError
from repurchase.warehouse import backup
from repurchase.warehouse.store import Cursor, Warehouse, sql

if TYPE_CHECKING:
    from repurchase.warehouse import importer

KIND_KEY = "warehouse_kind"
COMPLETE_KEY = "demo_complete"
DEMO, COMPANY = "demo", "company"
REPLACE_FLAG = "--replace-demo"


class DemoWarehouseError(RepurchaseError):
    """A company's data was about to be imported into the demo without replacing it."""


class DemoReplaceError(RepurchaseError):
    """Replacing the demo would leave something wrong (no admin, references into the demo)."""


@dataclass(frozen=True)
class NewAdmin:
    """The importing admin's own account, created in the transaction that removes the demo's."""

    username: str
    password: str = field(repr=False)
    display_name: str | None = None


@dataclass
class _Replacing:
    admin: NewAdmin | None
    versions: list[str] = field(default_factory=list)  # removed model versions
    done: bool = False


@dataclass(frozen=True)
class Replaced:
    report: importer.ImportReport
    backup: backup.Backup
    admin: auth.User | None
    removed: dict[str, int]  # table -> demo rows removed


_replacing: ContextVar[_Replacing | None] = ContextVar("replacing_demo", default=None)


# --------------------------------------------------------------------------- what it is


def _setting(cur: Cursor, key: str) -> str | None:
    row = cur.execute("select value from app_settings where key = $k", {"k": key}).fetchone()
    return None if row is None else row[0]


def kind(warehouse: Warehouse) -> str | None:
    """'demo', 'company', or None for a file that holds nothing yet (or no file)."""
    if not warehouse.exists():
        return None
    with warehouse.connect() as cur:
        return _setting(cur, KIND_KEY)


def is_demo(warehouse: Warehouse) -> bool:
    return kind(warehouse) == DEMO


def build_interrupted(warehouse: Warehouse) -> bool:
    """A demo build that stopped before its last step: recorded as the demo, not complete."""
    if not warehouse.exists():
        return False
    with warehouse.connect() as cur:
        return _setting(cur, KIND_KEY) == DEMO and _setting(cur, COMPLETE_KEY) is None


def is_demo_account(warehouse: Warehouse, username: str) -> bool:
    with warehouse.connect() as cur:
        row = cur.execute("select is_demo from users where username = $u", {"u": username})
        found = row.fetchone()
    return bool(found and found[0])


def start_demo_build(warehouse: Warehouse) -> None:
    """The demo build's first write: from here on the file is the demo (even if the build is
    interrupted, in which case the next start builds it again)."""
    with warehouse.transaction() as cur:
        cur.execute(
            "delete from app_settings where key in ($k, $c)", {"k": KIND_KEY, "c": COMPLETE_KEY}
        )
        cur.execute("delete from demo_members")
        cur.execute(
            "insert into app_settings (key, value) values ($k, $v)", {"k": KIND_KEY, "v": DEMO}
        )


def declare_company(warehouse: Warehouse) -> None:
    """Record a warehouse as a company's, whatever made its rows: for tests and benchmarks
    that use generated data the way a company uses its own (importing into it)."""
    with warehouse.transaction() as cur:
        cur.execute(
            "delete from app_settings where key in ($k, $c)", {"k": KIND_KEY, "c": COMPLETE_KEY}
        )
        cur.execute("delete from demo_members")
        cur.execute(
            "insert into app_settings (key, value) values ($k, $v)", {"k": KIND_KEY, "v": COMPANY}
        )


def finish_demo_build(cur: Cursor, day: str) -> None:
    """The demo build's last step (inside its last transaction): remember which rows are the
    demo's, then mark it complete."""
    cur.execute(sql("demo_members_record"))
    cur.execute("delete from app_settings where key = $k", {"k": COMPLETE_KEY})
    cur.execute(
        "insert into app_settings (key, value) values ($k, $v)",
        {"k": COMPLETE_KEY, "v": day},
    )


# --------------------------------------------------------------------------- importing


def on_import(cur: Cursor, source: str) -> None:
    """Called by importer.write inside its transaction, after the rows are written.

    Into the demo, a company's rows land only while `replacing()` is active, and then the
    demo is removed in the same transaction; otherwise the import is refused (rolled back).
    Into any other warehouse, the first import records it as a company's."""
    if source == DEMO:
        return
    current = _setting(cur, KIND_KEY)
    if current == DEMO:
        replacing = _replacing.get()
        if replacing is None:
            raise DemoWarehouseError(
                "this warehouse holds the demo; importing a company's data into it would mix "
                f"the two. Run the import again with {REPLACE_FLAG} (a backup is taken, then the "
                "demo's rows and accounts are removed in the same transaction as the import; "
                "pass --admin NAME to create your own admin account), or import into a new "
                "warehouse with --warehouse NEW.duckdb"
            )
        batch = cur.execute("select max(batch_id) from import_batches").fetchone()[0]
        replacing.versions = _remove_demo(cur, batch, replacing.admin)
        replacing.done = True
    elif current is None:
        cur.execute(
            "insert into app_settings (key, value) values ($k, $v)", {"k": KIND_KEY, "v": COMPANY}
        )


@contextmanager
def replacing(admin: NewAdmin | None) -> Iterator[_Replacing]:
    """Within this block, an import into the demo warehouse replaces the demo."""
    state = _Replacing(admin)
    token = _replacing.set(state)
    try:
        yield state
    finally:
        _replacing.reset(token)


def replace_demo_and_import(
    warehouse: Warehouse,
    report: importer.ValidationReport,
    *,
    imported_by: str,
    admin: NewAdmin | None = None,
    exclusive: bool = False,
    before: Callable[[Cursor], object] | None = None,
) -> Replaced:
    """Back up the demo warehouse, then import `report` and remove the demo in one
    transaction (see the module doc). `admin` is required unless a non-demo admin exists.
    `exclusive`: no other thread of this process uses the warehouse (the CLI), so the backup
    may copy the file's bytes (backup.take). `before` runs first inside the transaction
    (the caller re-reads the importing account there): what it raises refuses it all."""
    from repurchase.warehouse import importer

    if not is_demo(warehouse):
        raise DemoReplaceError(f"{warehouse.path} is not the demo warehouse; import it plainly")
    if admin is not None:
        check_new_admin(warehouse, admin)
    elif not _other_admin_exists(warehouse):
        raise DemoReplaceError(
            "replacing the demo removes its accounts (their password is public) and no other "
            "admin account exists: name your own admin account (--admin NAME), which is "
            "created in the same transaction"
        )
    counts_before = warehouse.table_counts()
    safety = backup.take(warehouse, reason="before-replace-demo", exclusive=exclusive)
    with replacing(admin) as state:
        result = importer.write(warehouse, report, imported_by=imported_by, before=before)
    if not state.done:  # the hook did not run: the importer changed under us
        raise DemoReplaceError(
            "the import did not replace the demo; see the backup " + str(safety.folder)
        )
    _remove_files(warehouse, state.versions)
    after = warehouse.table_counts()
    added = {**result.inserted}
    removed = {
        t: counts_before[t] + added.get(t, 0) - after.get(t, 0)
        for t in counts_before
        if counts_before[t] + added.get(t, 0) - after.get(t, 0) > 0
    }
    made = auth.user(warehouse, auth.normalise_username(admin.username)) if admin else None
    return Replaced(result, safety, made, removed)


def _other_admin_exists(warehouse: Warehouse) -> bool:
    with warehouse.connect() as cur:
        found = cur.execute("select count(*) from users where role = 'admin' and not is_demo")
        return bool(found.fetchone()[0])


def check_new_admin(warehouse: Warehouse, admin: NewAdmin) -> None:
    """The rules every account follows (auth.check_account, passwords.check_strength: not
    short, not guessable, not the demo's public password). Raises auth.InvalidAccountError or
    passwords.WeakPasswordError, whose `reason` the app translates."""
    name = auth.normalise_username(admin.username)
    with warehouse.connect() as cur:
        auth.check_account(cur, name, "admin", None, None)
    passwords.check_strength(admin.password, name, admin.display_name)


def _remove_demo(cur: Cursor, batch: int | None, admin: NewAdmin | None) -> list[str]:
    """Delete the demo's rows inside the caller's transaction; return the removed versions."""
    running = cur.execute(
        "select kind from job_slots where job_id is not null and kind <> 'import' order by 1"
    ).fetchall()
    if running:  # it would register a model or a backtest of the demo after the demo is gone
        raise DemoReplaceError(
            f"a {running[0][0]} job is running on the demo; wait for it to finish or cancel it "
            "(Data page), then import again. Nothing was written."
        )
    versions = [r[0] for r in cur.execute("select version from model_versions").fetchall()]
    for (name,) in cur.execute("select username from users where is_demo").fetchall():
        sessions.end_all(cur, name, "removed")  # the demo's accounts go with the demo
    cur.execute(
        "create or replace temporary table _replacing as select $b::bigint as batch_id",
        {"b": batch if batch is not None else -1},
    )
    try:
        cur.execute(sql("demo_remove"))
        dangling = cur.execute(sql("demo_remove_dangling")).fetchall()
    finally:
        cur.execute("drop table if exists _replacing")
    if dangling:
        shown = "; ".join(f"{what} {ident}" for what, ident in dangling[:10])
        more = f" and {len(dangling) - 10} more" if len(dangling) > 10 else ""
        raise DemoReplaceError(
            "the import refers to rows that exist only in the demo, which is being removed "
            f"({shown}{more}); add them to the import files. Nothing was written."
        )
    if admin is not None:
        name = auth.normalise_username(admin.username)
        sessions.end_all(cur, name, "replaced")
        cur.execute("delete from users where username = $u", {"u": name})
        cur.execute(
            "insert into users (username, display_name, password_hash, role, is_demo) "
            "values ($u, $d, $h, 'admin', false)",
            {"u": name, "d": admin.display_name or name, "h": auth.hash_password(admin.password)},
        )
    admins = cur.execute("select count(*) from users where role = 'admin'").fetchone()[0]
    if not admins:
        raise DemoReplaceError("no admin account would be left; name one with --admin NAME")
    return versions


def _remove_files(warehouse: Warehouse, versions: list[str]) -> None:
    """After the commit: the removed versions' artefacts and the demo's truth (both are in
    the backup taken before)."""
    models = default_models_dir(warehouse.path)
    for version in versions:
        shutil.rmtree(models / version, ignore_errors=True)
    shutil.rmtree(truth_dir(warehouse.path), ignore_errors=True)
