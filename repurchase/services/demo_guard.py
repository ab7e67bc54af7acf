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
from collections.abc import Callable
from dataclasses import dataclass, field

from repurchase.accounts import auth, passwords, sessions, users
from repurchase.config import default_models_dir, truth_dir
from repurchase.errors import RepurchaseError
from repurchase.services import job_runner
from repurchase.warehouse import backup, importer, warehouse_kind
from repurchase.warehouse.store import Cursor, Warehouse, sql
from repurchase.warehouse.warehouse_kind import COMPANY, DEMO
from repurchase.warehouse.warehouse_kind import DemoWarehouseError as DemoWarehouseError


class DemoReplaceError(RepurchaseError):
    """Replacing the demo would leave something wrong (no admin, references into the demo)."""


class JobRunningError(DemoReplaceError):
    """A job still runs on the demo (`job`, which the page names in the reader's language)."""

    def __init__(self, job: job_runner.Job) -> None:
        self.job = job
        super().__init__(
            f"a {job.kind} job is running on the demo; wait for it to finish or cancel "
            "it (Data page), then import again. Nothing was written."
        )


@dataclass(frozen=True)
class NewAdmin:
    """The importing admin's own account, created in the transaction that removes the demo's."""

    username: str
    password: str = field(repr=False)
    display_name: str | None = None


@dataclass(frozen=True)
class Replaced:
    report: importer.ImportReport
    backup: backup.Backup
    admin: auth.User | None
    removed: dict[str, int]  # table -> demo rows removed


# --------------------------------------------------------------------------- what it is


def kind(warehouse: Warehouse) -> str | None:
    """'demo', 'company', or None for a file that holds nothing yet (or no file)."""
    return warehouse_kind.kind(warehouse)


def is_demo(warehouse: Warehouse) -> bool:
    return warehouse_kind.kind(warehouse) == DEMO


def build_interrupted(warehouse: Warehouse) -> bool:
    """A demo build that stopped before its last step: recorded as the demo, not complete."""
    return warehouse_kind.build_interrupted(warehouse)


def is_demo_account(warehouse: Warehouse, username: str) -> bool:
    with warehouse.connect() as cur:
        found = cur.execute(sql("demo_account_flag"), {"username": username}).fetchone()
    return bool(found and found[0])


def start_demo_build(warehouse: Warehouse) -> None:
    """The demo build's first write: from here on the file is the demo (even if the build is
    interrupted, in which case the next start builds it again)."""
    warehouse_kind.record(warehouse, DEMO)


def declare_company(warehouse: Warehouse) -> None:
    """Record a warehouse as a company's, whatever made its rows: for tests and benchmarks
    that use generated data the way a company uses its own (importing into it)."""
    warehouse_kind.record(warehouse, COMPANY)


def finish_demo_build(cur: Cursor, day: str) -> None:
    """The demo build's last step (inside its last transaction): remember which rows are the
    demo's, then mark it complete."""
    warehouse_kind.mark_demo_complete(cur, day)


# --------------------------------------------------------------------------- importing


@dataclass
class _Removal:
    """What removing the demo inside the import's transaction did, for after the commit."""

    admin: NewAdmin | None
    versions: list[str] = field(default_factory=list)  # removed model versions
    done: bool = False

    def __call__(self, cur: Cursor, batch_id: int) -> None:
        self.versions = _remove_demo(cur, batch_id, self.admin)
        self.done = True


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
    state = _Removal(admin)
    result = importer.write(
        warehouse, report, imported_by=imported_by, before=before, replace_demo=state
    )
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
        return bool(cur.execute(sql("demo_other_admins")).fetchone()[0])


def check_new_admin(warehouse: Warehouse, admin: NewAdmin) -> None:
    """The rules every account follows (auth.check_account, passwords.check_strength: not
    short, not guessable, not the demo's public password). Raises auth.InvalidAccountError or
    passwords.WeakPasswordError, whose `reason` the app translates."""
    name = auth.normalise_username(admin.username)
    with warehouse.connect() as cur:
        auth.check_account(cur, name, "admin", None, None)
    passwords.check_strength(admin.password, name, admin.display_name)


def _remove_demo(cur: Cursor, batch: int, admin: NewAdmin | None) -> list[str]:
    """Delete the demo's rows inside the caller's transaction (batch `batch` is the import
    replacing it); return the removed versions."""
    # a running job would register a model or a backtest of the demo after the demo is gone;
    # one asked to cancel is closed here instead, and can write nothing more
    running = job_runner.give_way(
        cur, ("retrain", "backtest"), "the import replacing the demo went ahead"
    )
    if running:
        raise JobRunningError(running[0])
    versions = [r[0] for r in cur.execute(sql("demo_remove_versions")).fetchall()]
    for (name,) in cur.execute(sql("demo_remove_accounts")).fetchall():
        sessions.end_all(cur, name, "removed")  # the demo's accounts go with the demo
    cur.execute(sql("demo_replacing_batch"), {"batch_id": batch})
    try:
        cur.execute(sql("demo_remove"))
        cur.execute(sql("visit_outcomes_forget"))  # the counts were the demo's visits
        cur.execute(sql("holdout_sums_forget"))  # and the hold-out's sums its units
        dangling = cur.execute(sql("demo_remove_dangling")).fetchall()
    finally:
        cur.execute(sql("demo_replacing_batch_drop"))
    if dangling:
        shown = "; ".join(f"{what} {ident}" for what, ident in dangling[:10])
        more = f" and {len(dangling) - 10} more" if len(dangling) > 10 else ""
        raise DemoReplaceError(
            "the import refers to rows that exist only in the demo, which is being removed "
            f"({shown}{more}); add them to the import files. Nothing was written."
        )
    if admin is not None:
        _create_admin(cur, admin)
    if not cur.execute(sql("demo_remove_admins_left")).fetchone()[0]:
        raise DemoReplaceError("no admin account would be left; name one with --admin NAME")
    return versions


def _create_admin(cur: Cursor, admin: NewAdmin) -> None:
    """The importing admin's own account, made as every account is (users.create): a name
    already taken by a user who stays is refused, never replaced."""
    users.create(
        cur,
        admin.username,
        auth.hash_password(admin.password),
        "admin",
        display_name=admin.display_name or auth.normalise_username(admin.username),
    )


def _remove_files(warehouse: Warehouse, versions: list[str]) -> None:
    """After the commit: the removed versions' artefacts and the demo's truth (both are in
    the backup taken before)."""
    models = default_models_dir(warehouse.path)
    for version in versions:
        shutil.rmtree(models / version, ignore_errors=True)
    shutil.rmtree(truth_dir(warehouse.path), ignore_errors=True)
