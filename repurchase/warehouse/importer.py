"""Import contract files (spec section 2): file -> validated frames -> one transaction.

The public face of `repurchase.importing` (read / validate / write, one module each): callers
use `importer.read_file`, `importer.validate`, `importer.write`, or the two one-call paths
below. Everything is checked before anything is written, every problem names the file, the
line (the header is line 1; for Parquet, the row) and the column, and the write is one
transaction: on any error, or if the process dies half-way, the warehouse is exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd

from repurchase.errors import ImportValidationError, ValidationIssue
from repurchase.warehouse.importing.contract import (
    CONTRACT,
    GENDERS,
    KINDS,
    LEVELS,
    MAX_ISSUES,
    OPTIONAL,
    RESULTS,
    CheckedFile,
    Column,
    ImportFile,
    ImportReport,
    ValidationReport,
    infer_kind,
)
from repurchase.warehouse.importing.read import read_file
from repurchase.warehouse.importing.validate import validate
from repurchase.warehouse.importing.write import write
from repurchase.warehouse.store import Cursor, Warehouse

__all__ = [
    "CONTRACT",
    "GENDERS",
    "KINDS",
    "LEVELS",
    "MAX_ISSUES",
    "OPTIONAL",
    "RESULTS",
    "CheckedFile",
    "Column",
    "ImportFile",
    "ImportReport",
    "ImportValidationError",
    "ValidationIssue",
    "ValidationReport",
    "import_files",
    "import_frames",
    "infer_kind",
    "read_file",
    "validate",
    "write",
]


def import_files(
    warehouse: Warehouse,
    paths: list[Path | str],
    *,
    kind: str | None = None,
    imported_by: str = "cli",
    now: datetime | None = None,
    before: Callable[[Cursor], object] | None = None,
) -> ImportReport:
    """Validate files and write them in one transaction (all or nothing). The CLI's `import`.
    `before` runs first inside the transaction (see `write`)."""
    files = [read_file(p, kind) for p in paths]
    report = validate(warehouse, files, now=now)
    return write(warehouse, report, imported_by=imported_by, before=before)


def import_frames(
    warehouse: Warehouse,
    frames: dict[str, pd.DataFrame],
    *,
    source: str = "import",
    imported_by: str = "cli",
    now: datetime | None = None,
) -> ImportReport:
    """Import contract-shaped DataFrames (any dtypes) through exactly the same checks.

    The file limits (`config.ImportLimits`) do not apply: frames are already in memory,
    built by this process (the demo), not read from someone's file."""
    files = [
        ImportFile(f"{kind} (data frame)", kind, _as_text(frame)) for kind, frame in frames.items()
    ]
    return write(
        warehouse, validate(warehouse, files, now=now), source=source, imported_by=imported_by
    )


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Render a typed frame the way an ERP export would write it."""
    text = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for col in frame.columns:
        series = frame[col].reset_index(drop=True)
        if pd.api.types.is_datetime64_any_dtype(series):
            has_time = (series.dropna() != series.dropna().dt.normalize()).any()
            text[col] = series.dt.strftime("%Y-%m-%d %H:%M:%S" if has_time else "%Y-%m-%d").fillna(
                ""
            )
        elif pd.api.types.is_float_dtype(series):
            text[col] = series.round(2).astype(str).where(series.notna(), "")
        else:  # ids, text, python dates (str() of a date is ISO-8601)
            text[col] = series.astype(object).where(series.notna(), "").astype(str)
    return text
