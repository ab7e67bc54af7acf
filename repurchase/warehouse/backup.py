"""Backups of a warehouse, and restoring one, while the app keeps serving.

A backup is a folder: `warehouse.duckdb` (a consistent copy), `models/` (the artefacts of every
registered version: they live beside the warehouse, not in it, see registry.py), `truth/` (a
generated demo's hidden truth, when there is one) and `manifest.json` (when, from where, the
schema version, and per table its row count and checksum).

Taking one holds the warehouse file for one unit of work, like any page view: the copy is
DuckDB's `COPY FROM DATABASE` into an attached file, in one transaction, so it is a snapshot
(rows a rep saves meanwhile either are in it whole or not at all) and other threads of the
same process keep working. Restoring checks the backup against its manifest, backs up the
current warehouse first, then swaps the file in with one rename while holding the file, so the
app sees either the old warehouse or the restored one, never a mix.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from repurchase.config import default_models_dir, truth_dir
from repurchase.errors import DiskFullError, RepurchaseError, disk_full, is_disk_full
from repurchase.warehouse.store import Cursor, Warehouse, base_tables

BACKUP_DIR_ENV = "REPURCHASE_BACKUP_DIR"
FILE = "warehouse.duckdb"
MANIFEST = "manifest.json"
MODELS = "models"
TRUTH = "truth"
# Two weeks of nightly backups, plus the safety copies taken before a restore or before the
# demo is removed or rebuilt, which count towards the same number.
DEFAULT_KEEP = 14
_NAME = re.compile(r"^(\d{8}-\d{6})(?:-(\d+))?-[a-z-]+$")


class BackupError(RepurchaseError):
    """A backup could not be taken, or a folder is not a usable backup."""


@dataclass(frozen=True)
class Backup:
    folder: Path
    tables: dict[str, tuple[int, str]]  # table -> (rows, checksum)
    seconds_holding_file: float
    models: list[str] = field(default_factory=list)
    pruned: list[Path] = field(default_factory=list)

    @property
    def file(self) -> Path:
        return self.folder / FILE


@dataclass(frozen=True)
class Restored:
    warehouse: Path
    source: Path
    safety_backup: Backup | None
    tables: dict[str, tuple[int, str]]


def backups_root(warehouse: Warehouse) -> Path:
    """Where backups go unless told: `$REPURCHASE_BACKUP_DIR`, else `<stem>.backups/` beside
    the warehouse."""
    raw = os.environ.get(BACKUP_DIR_ENV)
    if raw:
        return Path(raw).expanduser().resolve()
    return warehouse.path.with_name(f"{warehouse.path.stem}.backups")


def table_checksums(cur: Cursor | duckdb.DuckDBPyConnection) -> dict[str, tuple[int, str]]:
    """Per base table of the current database: row count and an order-independent checksum of
    every row's every value (the sum of the rows' hashes: a changed, added, removed or
    duplicated row changes it)."""
    tables = [
        r[0]
        for r in cur.execute(
            "select table_name from information_schema.tables where table_schema = 'main' "
            "and table_catalog = current_database() and table_type = 'BASE TABLE' "
            "order by table_name"
        ).fetchall()
    ]
    out = {}
    for table in tables:  # names come from the catalogue, not from a user
        rows, total = cur.execute(
            f'select count(*), coalesce(sum(hash(t)::hugeint), 0) from "{table}" as t'
        ).fetchone()
        out[table] = (int(rows), f"{int(total):x}")
    return out


# A backup or restore still running writes into its staging copy at least this often: one
# untouched for longer was left by a process that was killed.
LEFTOVER_SECONDS = 600.0


def _last_touched(path: Path) -> float:
    """The newest modification time of `path` or anything inside it."""
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for inner in path.rglob("*"):
            try:
                newest = max(newest, inner.lstat().st_mtime)
            except FileNotFoundError:
                continue
    return newest


def leftovers(warehouse: Warehouse, now: float | None = None) -> list[Path]:
    """What killed backups and restores left beside the warehouse: a backup's `.partial`
    folder, a restore's `.restoring` copy of the file or of the model and truth folders, and
    the `.old` folders a restore swaps out; only those untouched for LEFTOVER_SECONDS, so a
    backup or restore running now in another process keeps its own."""
    target = warehouse.path
    candidates = [target.with_name(f".{target.name}.restoring")]
    for folder in (default_models_dir(target), truth_dir(target)):
        candidates += [
            folder.with_name(f".{folder.name}.restoring"),
            folder.with_name(f".{folder.name}.old"),
        ]
    root = backups_root(warehouse)
    if root.is_dir():
        candidates += sorted(p for p in root.glob(".*.partial") if p.is_dir())
    moment = time.time() if now is None else now
    found = []
    for path in candidates:
        try:
            if moment - _last_touched(path) > LEFTOVER_SECONDS:
                found.append(path)
        except FileNotFoundError:
            continue
    return found


def clean_leftovers(warehouse: Warehouse, now: float | None = None) -> list[Path]:
    """Remove `leftovers`; returns what was removed."""
    removed = []
    for path in leftovers(warehouse, now):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        if not path.exists():
            removed.append(path)
    return removed


def _crash_point(name: str) -> None:
    """Fault injection for the leftovers test: `REPURCHASE_CRASH_AT=<name>` kills the process
    here, the way an OOM kill or a power cut would (tests/reliability)."""
    if os.environ.get("REPURCHASE_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _new_folder(root: Path, reason: str) -> Path:
    """A dated folder; a second one within the same second gets "-2", "-3"... after the
    highest number already there (never a pruned one's, which would sort as the oldest)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    taken = [
        int(m[2] or 1)
        for p in (root.iterdir() if root.is_dir() else [])
        if (m := _NAME.match(p.name.lstrip(".").removesuffix(".partial"))) and m[1] == stamp
    ]
    n = max(taken, default=0) + 1
    return root / (f"{stamp}-{reason}" if n == 1 else f"{stamp}-{n}-{reason}")


def take(
    warehouse: Warehouse,
    to: Path | None = None,
    *,
    reason: str = "manual",
    keep: int | None = DEFAULT_KEEP,
    exclusive: bool = False,
) -> Backup:
    """Back up `warehouse` (and its models and demo truth) into the folder `to`, else into a
    new dated folder under `backups_root`, then keep only the newest `keep` backups there
    (None: keep all). Works while other processes use the warehouse, and other threads of
    this one unless `exclusive` (the caller promises none: the CLI), which copies the file's
    bytes after a checkpoint, about a hundred times faster than the row-by-row copy."""
    if not warehouse.exists():
        raise BackupError(f"no warehouse at {warehouse.path} to back up")
    if not re.fullmatch(r"[a-z-]+", reason):
        raise ValueError(f"backup reason {reason!r}: lower-case letters and '-' only")
    root = backups_root(warehouse)
    folder = Path(to).expanduser().resolve() if to else _new_folder(root, reason)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} already exists and is not empty; choose a new folder")
    staging = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        started = datetime.now()
        with warehouse.connect() as cur:
            held = datetime.now()
            if warehouse.backend == "postgres":
                versions = _copy_tables(cur, staging / FILE)
            elif exclusive:
                versions = _copy_file(cur, warehouse.path, staging / FILE)
            else:
                versions = _copy_database(cur, staging / FILE)
            schema = int(
                cur.execute("select coalesce(max(version), 0) from schema_migrations").fetchone()[0]
            )
            holding = (datetime.now() - held).total_seconds()
        models = _copy_models(warehouse, versions, staging / MODELS)
        truth = truth_dir(warehouse.path)
        if truth.is_dir():
            shutil.copytree(truth, staging / TRUTH)
        with duckdb.connect(str(staging / FILE), read_only=True) as con:
            tables = table_checksums(con)
        manifest = {
            "format": 1,
            "taken_at": started.isoformat(timespec="seconds"),
            "reason": reason,
            "source": str(warehouse.path),
            "schema_version": schema,
            "tables": {t: {"rows": n, "checksum": c} for t, (n, c) in tables.items()},
            "models": models,
            "truth": (staging / TRUTH).is_dir(),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        _crash_point("backup-staged")
        if folder.exists():
            folder.rmdir()  # empty (checked above)
        staging.rename(folder)  # a backup folder is complete or absent
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if is_disk_full(exc) and not isinstance(exc, DiskFullError):
            raise disk_full(folder.parent) from exc
        raise
    pruned = prune(root, keep) if to is None and keep is not None else []
    return Backup(folder, tables, holding, models, pruned)


def _copy_database(cur: Cursor, target: Path) -> list[str]:
    """Copy the open database into a new file in one transaction (a snapshot); return the
    model versions it registers, read in the same snapshot."""
    source = cur.execute("select current_database()").fetchone()[0]

    def copy() -> None:
        cur.execute(f'copy from database "{source}" to repurchase_backup')

    return _snapshot_into(cur, target, copy, f'select version from "{source}".model_versions')


def _copy_tables(cur: Cursor, target: Path) -> list[str]:
    """A PostgreSQL warehouse's rows, table by table, into a new DuckDB file in one
    transaction (one snapshot); return the model versions it registers. The rows, not the
    database: PostgreSQL's own tools (pg_dump) back up the database itself, and `restore`
    refuses this file; `python -m repurchase move-to-postgres` can load it into a new one."""
    tables = base_tables(cur)

    def copy() -> None:
        for table in tables:  # names from the catalogue, not from a user
            cur.execute(f'create table repurchase_backup.main."{table}" as select * from "{table}"')

    return _snapshot_into(cur, target, copy, "select version from model_versions")


def _snapshot_into(cur: Cursor, target: Path, copy, versions_query: str) -> list[str]:
    """Attach the new file `target`, run `copy` and read the model versions in one
    transaction, and detach it whatever happens."""
    literal = str(target).replace("'", "''")  # ATTACH takes no parameters; a quoted literal
    cur.execute(f"attach '{literal}' as repurchase_backup")
    try:
        cur.execute("begin transaction")
        try:
            copy()
            versions = [r[0] for r in cur.execute(versions_query).fetchall()]
            cur.execute("commit")
        except BaseException:
            cur.execute("rollback")
            raise
    finally:
        cur.execute("detach repurchase_backup")
    return versions


def _copy_file(cur: Cursor, source: Path, target: Path) -> list[str]:
    """Fold the WAL into the file, then copy its bytes. Safe only while this unit of work is
    the only one: no other process can open the file while it is held, and the caller
    promises no other thread of this process uses it (so nothing writes during the copy)."""
    cur.execute("checkpoint")
    versions = [r[0] for r in cur.execute("select version from model_versions").fetchall()]
    shutil.copyfile(source, target)
    return versions


def _copy_models(warehouse: Warehouse, versions: list[str], target: Path) -> list[str]:
    """Copy the artefact folder of every registered version (a `.partial` folder of a training
    still running is not registered yet, so it is not copied)."""
    source = default_models_dir(warehouse.path)
    copied = []
    for version in sorted(versions):
        if (source / version).is_dir():
            shutil.copytree(source / version, target / version)
            copied.append(version)
    return copied


def list_backups(root: Path) -> list[Path]:
    """Complete backups under `root`, oldest first."""
    if not root.is_dir():
        return []
    found = {}
    for path in root.iterdir():
        match = _NAME.match(path.name)
        if match and (path / MANIFEST).is_file():
            found[path] = (match[1], int(match[2] or 1))  # a second one in a second is "-2"
    return sorted(found, key=found.__getitem__)


def prune(root: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups under `root` (only folders this module made)."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    old = list_backups(root)[:-keep]
    for folder in old:
        shutil.rmtree(folder)
    return old


def _resolve(path: Path) -> Path:
    path = Path(path).expanduser().resolve()
    folder = path.parent if path.is_file() else path
    if not (folder / MANIFEST).is_file() or not (folder / FILE).is_file():
        raise BackupError(
            f"{path} is not a backup: expected a folder with {FILE} and {MANIFEST} "
            "(made by `python -m repurchase backup`)"
        )
    return folder


def verify(path: Path) -> dict[str, tuple[int, str]]:
    """Check a backup's file against its manifest; return its tables. Raises BackupError."""
    folder = _resolve(path)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    expected = {t: (v["rows"], v["checksum"]) for t, v in manifest["tables"].items()}
    with duckdb.connect(str(folder / FILE), read_only=True) as con:
        found = table_checksums(con)
    if found != expected:
        differ = sorted(
            t for t in expected.keys() | found.keys() if expected.get(t) != found.get(t)
        )
        raise BackupError(
            f"{folder / FILE} does not match its manifest (tables {', '.join(differ)}); "
            "the backup is damaged, restore another one"
        )
    return found


def restore(path: Path, warehouse: Warehouse, *, keep: int | None = DEFAULT_KEEP) -> Restored:
    """Replace `warehouse` (and its models and demo truth) with the backup at `path`, after
    checking the backup and backing up the current warehouse. Run it from its own process (the
    CLI), with no other thread of it using the warehouse: the swap holds the file, so the app's
    units of work wait a moment, then see the restored warehouse."""
    if warehouse.backend == "postgres":
        raise BackupError(
            f"the warehouse is the PostgreSQL database {warehouse.where}: restore it with "
            "PostgreSQL's own tools (pg_restore), or load a backup's rows into a new, empty "
            "database with `python -m repurchase --warehouse <backup>/warehouse.duckdb "
            "move-to-postgres`"
        )
    folder = _resolve(path)
    tables = verify(folder)
    safety = (
        take(warehouse, reason="before-restore", keep=keep, exclusive=True)
        if warehouse.exists()
        else None
    )
    target = warehouse.path
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(folder / FILE, incoming)  # the slow copy, before taking the file
    _crash_point("restore-copied")
    try:
        if warehouse.exists():
            with warehouse.connect() as cur:  # hold the file: nobody reads a half-swapped state
                cur.execute("checkpoint")  # the old file's WAL is folded into the old file
                # (deleted only while the file is held: once released, a WAL is the new one's)
                target.with_name(target.name + ".wal").unlink(missing_ok=True)
                os.replace(incoming, target)
        else:
            target.with_name(target.name + ".wal").unlink(missing_ok=True)  # an orphan
            os.replace(incoming, target)
    finally:
        incoming.unlink(missing_ok=True)
    _swap_folder(folder / MODELS, default_models_dir(target))
    _swap_folder(folder / TRUTH, truth_dir(target))
    return Restored(target, folder, safety, tables)


def _swap_folder(source: Path, target: Path) -> None:
    """Make `target` a copy of `source` (or remove it when the backup has none); the old one is
    in the safety backup."""
    incoming = target.with_name(f".{target.name}.restoring")
    shutil.rmtree(incoming, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, incoming)
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    if incoming.exists():
        incoming.rename(target)
    shutil.rmtree(old, ignore_errors=True)
