"""The few exceptions the package raises on purpose; each message says what, where, how to fix."""

from __future__ import annotations

import errno
from dataclasses import dataclass

NO_SPACE = "No space left on device"  # how the OS (and DuckDB, quoting it) says ENOSPC


class RepurchaseError(Exception):
    """Base class: anything the app or CLI can show to a user as it is."""


class WarehouseLockedError(RepurchaseError):
    """Another process held the warehouse file for longer than the lock timeout."""


class WarehouseUnavailableError(WarehouseLockedError):
    """The PostgreSQL warehouse could not be reached. A kind of "not now": everything that
    waits out a held file (the busy message, the visit queue that keeps a typed visit until
    it can be written) treats it the same way."""


class DiskFullError(RepurchaseError):
    """The disk that holds the data (the warehouse, its backups, the visit queue) is full:
    not a conflict and not a busy file, so waiting or retrying cannot help."""


def is_disk_full(exc: BaseException | None) -> bool:
    """Whether `exc`, or what it was raised from, is the OS saying the disk is full."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        if NO_SPACE.lower() in str(exc).lower():
            return True
        exc = exc.__cause__
    return False


def disk_full(where: object) -> DiskFullError:
    """The error to raise (from the OS's) when writing at `where` found the disk full."""
    return DiskFullError(
        f"the disk holding {where} is full ({NO_SPACE}): nothing was written; free some "
        "space on it, then try again"
    )


class NotEnoughHistoryError(RepurchaseError, ValueError):
    """The warehouse does not span enough time for a training and a validation period."""


class MigrationError(RepurchaseError):
    """The warehouse file has a schema this code cannot upgrade (e.g. newer than the code)."""


@dataclass(frozen=True)
class ValidationIssue:
    """One problem in one place of an import file.

    For a CSV file `line` is the physical line (the header is line 1); for Parquet, which has
    no lines, it is the data row number (1-based) and `unit` says "row". `message` is in
    English (the CLI's language); `key` and `params` let the app show it in the user's language
    (`i18n.text(key, language, **dict(params))`).
    """

    file: str
    line: int | None
    column: str | None
    message: str
    unit: str = "line"
    key: str = ""
    params: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", {self.unit} {self.line}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class ImportValidationError(RepurchaseError):
    """An import file broke the contract; nothing was written."""

    def __init__(self, issues: list[ValidationIssue], total: int | None = None) -> None:
        self.issues = issues
        self.total = total if total is not None else len(issues)
        shown = "\n".join(f"  - {issue}" for issue in issues[:20])
        more = f"\n  ... and {self.total - 20} more" if self.total > 20 else ""
        super().__init__(
            f"import rejected, nothing was written ({self.total} problem(s)):\n{shown}{more}"
        )


class ModelNotFoundError(RepurchaseError):
    """No usable model version exists yet (train one first)."""


class ModelArtefactError(RepurchaseError):
    """A model artefact is missing, corrupt or does not match this code."""


class AccessDeniedError(RepurchaseError):
    """The signed-in user may not see or change this record."""
