"""Never lose what a rep typed: saving a visit when the warehouse file is held by a job, or
when the PostgreSQL database cannot be reached (stopped, restarting, its connections cut: the
store raises WarehouseUnavailableError, a kind of WarehouseLockedError, for all of these).

A visit is first written straight to the warehouse. If the file stays busy for longer than a
short wait (a job, another process, holds it), the visit goes to a queue folder beside the
warehouse instead (`<warehouse>.queue/`): one JSON file per submission, written to a temporary
name, flushed to disk and renamed, so the file is either whole or absent after a crash. Only
then does the rep see "saved". The queue is drained into the warehouse as soon as the file
frees: by the app server's drainer thread, before every save, and by the jobs that read visits
(nightly, score), so a list is never computed without them.

Draining stores each entry with its submission id, so an entry written twice (a drain that died
after the commit and before removing the file) is still one visit. Each entry keeps the account
as it was when the rep saved (role, rep, team), and the write checks it against the account as
stored then, as a direct save would: an entry the warehouse refuses (the customer was
reassigned meanwhile, the account disabled, removed or moved to another rep) moves to `failed/`
with its reason, and the rep who typed it is told on the Log a visit page.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from repurchase.accounts import auth
from repurchase.accounts.auth import User
from repurchase.config import LockSettings
from repurchase.errors import RepurchaseError, WarehouseLockedError, disk_full, is_disk_full
from repurchase.services import visits
from repurchase.warehouse import backup
from repurchase.warehouse.store import Warehouse

SAVE_WAIT_SECONDS = 3.0  # how long a rep waits for the file before the visit is queued


@dataclass(frozen=True)
class Saved:
    """The outcome of a save: stored in the warehouse (visit_id) or queued on disk."""

    submission_id: str
    visit_id: int | None
    # queued because the PostgreSQL database could not be reached (not a held file)
    unreachable: bool = False

    @property
    def queued(self) -> bool:
        return self.visit_id is None

    @property
    def message(self) -> str:
        """The i18n key of what to tell the rep (placeholder: customer)."""
        if not self.queued:
            return "log.saved"
        return "log.queued_unreachable" if self.unreachable else "log.queued"


@dataclass(frozen=True)
class Pending:
    submission_id: str
    username: str
    customer_id: str
    visited_at: datetime
    result: str
    reason: str | None = None  # why it could not be stored (failed entries only)


@dataclass(frozen=True)
class Drained:
    stored: int
    failed: int
    waiting: int


def folder(warehouse: Warehouse) -> Path:
    return warehouse.path.with_name(warehouse.path.name + ".queue")


def _failed_folder(warehouse: Warehouse) -> Path:
    return folder(warehouse) / "failed"


def save(warehouse: Warehouse, user: User, visit: visits.VisitInput, now: datetime) -> Saved:
    """Store `visit` (which must carry a submission id), or queue it durably if the
    warehouse stays busy. Raises VisitValidationError (nothing kept) for a bad entry, and
    AccessDeniedError when the warehouse could check ownership and refused."""
    if visit.submission_id is None:
        raise ValueError("a visit saved from a form needs its submission id")
    problems = visits.check(visit, now)
    if problems:
        raise visits.VisitValidationError(problems)
    # the same warehouse (a PostgreSQL one named by its own dsn too, not by the environment),
    # only less patient with a held file
    patient = Warehouse(
        warehouse.path,
        dsn=warehouse.dsn,
        backend=warehouse.backend,
        lock=LockSettings(timeout_seconds=min(SAVE_WAIT_SECONDS, warehouse.lock.timeout_seconds)),
    )
    # older entries first, so that the visits are stored in the order they were typed
    if drain(patient).waiting == 0:
        try:
            return Saved(visit.submission_id, visits.log_visit(patient, user, visit, now))
        except WarehouseLockedError:
            # a server gone during the commit may have stored it: the queue's drain finds
            # the submission key and stores nothing twice
            pass
    _write_entry(folder(warehouse), user, visit, now)
    # PostgreSQL has no file lock: a save it did not take met a database out of reach
    return Saved(visit.submission_id, None, unreachable=warehouse.dsn is not None)


def clean_leftovers(warehouse: Warehouse, now: float | None = None) -> list[Path]:
    """Remove the `.tmp` files of queue writes that were killed before their rename (the
    visit was never shown as queued): those untouched for backup.LEFTOVER_SECONDS, so a write
    under way in another process keeps its own."""
    directory = folder(warehouse)
    moment = time.time() if now is None else now
    removed = []
    for path in sorted(directory.glob("*.tmp")) if directory.is_dir() else []:
        try:
            if moment - path.stat().st_mtime > backup.LEFTOVER_SECONDS:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            continue
    return removed


def _entry_path(directory: Path, submission_id: str) -> Path:
    if not submission_id.isalnum():  # it names a file: never a path
        raise ValueError(f"not a submission id: {submission_id!r}")
    return directory / f"{submission_id}.json"


def _write_entry(directory: Path, user: User, visit: visits.VisitInput, now: datetime) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    target = _entry_path(directory, visit.submission_id or "")
    payload = {
        "username": user.username,
        "account": asdict(user),
        "queued_at": now.isoformat(),
        "visit": {
            **asdict(visit),
            "visited_at": visit.visited_at.isoformat(),
            "follow_up_date": _iso(visit.follow_up_date),
        },
    }
    temporary = target.with_suffix(".tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as out:
            json.dump(payload, out, ensure_ascii=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
        _sync_folder(directory)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        if is_disk_full(exc):  # the visit is kept nowhere: the rep must be told so
            raise disk_full(directory) from exc
        raise


def _iso(day: date | None) -> str | None:
    return None if day is None else f"{day:%Y-%m-%d}"  # a day, even if given a datetime


def _sync_folder(directory: Path) -> None:
    """Make the rename itself durable (POSIX: fsync the directory)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_entry(path: Path) -> tuple[str, User | None, datetime, visits.VisitInput]:
    """Who typed the entry (their name, and the account as it was then), when, and what."""
    payload = json.loads(path.read_text(encoding="utf-8"))
    account = payload.get("account")  # absent from entries queued before it was kept
    return (
        payload["username"],
        None if account is None else User(**account),
        datetime.fromisoformat(payload["queued_at"]),
        _visit(payload),
    )


def _visit(payload: dict) -> visits.VisitInput:
    fields = dict(payload["visit"])
    fields["visited_at"] = datetime.fromisoformat(fields["visited_at"])
    # entries queued before follow-ups existed have no such field: None, as typed then
    follow_up = fields.get("follow_up_date")
    fields["follow_up_date"] = None if follow_up is None else date.fromisoformat(follow_up)
    return visits.VisitInput(**fields)


def _entries(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    found = []
    for path in directory.glob("*.json"):
        try:
            found.append((path.stat().st_mtime, path.name, path))
        except FileNotFoundError:
            continue  # a concurrent drainer stored it between the listing and now
    return [path for _, _, path in sorted(found)]


def drain(warehouse: Warehouse) -> Drained:
    """Write every queued visit into the warehouse, oldest first. Stops (leaving the rest
    queued) when the file is busy; raises nothing else."""
    directory = folder(warehouse)
    stored = failed = 0
    pending = _entries(directory)
    for index, path in enumerate(pending):
        try:
            username, user, queued_at, visit = _read_entry(path)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            _fail(warehouse, path, f"unreadable queue entry: {exc}")
            failed += 1
            continue
        try:
            if user is None:
                user = auth.user(warehouse, username)
            if user is None:
                raise RepurchaseError(f"the account {username!r} no longer exists")
            # the account as it was when saved: log_visit refuses it if it changed since
            visits.log_visit(warehouse, user, visit, queued_at)
        except WarehouseLockedError:
            return Drained(stored, failed, len(pending) - index)
        except RepurchaseError as exc:
            _fail(warehouse, path, str(exc))
            failed += 1
            continue
        path.unlink(missing_ok=True)  # a concurrent drainer may have stored it too: still one
        stored += 1
    return Drained(stored, failed, 0)


def _fail(warehouse: Warehouse, path: Path, reason: str) -> None:
    target = _failed_folder(warehouse)
    target.mkdir(parents=True, exist_ok=True)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return  # a concurrent drainer dealt with it
    except (OSError, ValueError):
        payload = {"raw": path.read_text(encoding="utf-8", errors="replace")}
    payload["reason"] = reason
    (target / path.name).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    path.unlink(missing_ok=True)


def pending(warehouse: Warehouse, username: str | None = None) -> list[Pending]:
    """Queued visits not yet in the warehouse (of one user, or everyone's)."""
    return _listing(folder(warehouse), username)


def failed(warehouse: Warehouse, username: str | None = None) -> list[Pending]:
    """Queued visits the warehouse refused, with the reason."""
    return _listing(_failed_folder(warehouse), username)


def _listing(directory: Path, username: str | None) -> list[Pending]:
    out = []
    for path in _entries(directory):
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            visit = _visit(payload)
            entry = Pending(
                submission_id=visit.submission_id or "",
                username=payload["username"],
                customer_id=visit.customer_id,
                visited_at=visit.visited_at,
                result=visit.result,
                reason=payload.get("reason"),
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if username is None or entry.username == username:
            out.append(entry)
    return out


def dismiss_failed(warehouse: Warehouse, username: str) -> int:
    """The rep has seen (and re-logged) their refused entries: remove them."""
    count = 0
    for entry in failed(warehouse, username):
        _entry_path(_failed_folder(warehouse), entry.submission_id).unlink(missing_ok=True)
        count += 1
    return count
