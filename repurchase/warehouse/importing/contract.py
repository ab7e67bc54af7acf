"""The import contract (spec section 2) and the shapes every import stage passes on.

A problem is a `ValidationIssue`: the file, the line (the header is line 1; for Parquet the data
row), the column, an English message for the CLI, and the i18n key and parameters the app uses
to show the same problem in the user's language (repurchase.ui.import_problems). Values quoted
in a problem are shortened and have control characters spelled out, so a crafted file cannot
flood a terminal or a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from repurchase import codes, i18n
from repurchase.errors import ValidationIssue

KINDS = ("reps", "customers", "visits", "orders")  # also the order in which a batch is written
MAX_ISSUES = 1000  # enough to fix a file by; a broken 1M-row file must not build a 1M-item list
# DECIMAL(14, 2), the warehouse's amount type, holds up to 999,999,999,999.99
MAX_AMOUNT = 1e12

# Accepted spellings of the values the product reasons about -> stored code.
GENDERS = {"m": "M", "f": "F", "male": "M", "female": "F", "男": "M", "女": "F"}
LEVELS = {
    "junior": "junior",
    "mid": "mid",
    "senior": "senior",
    "初级": "junior",
    "中级": "mid",
    "高级": "senior",
}
RESULTS = {
    "order": "order",
    "no_order": "no_order",
    "not_reached": "not_reached",
    "成功拿到订单": "order",
    "暂无采购需求": "no_order",
    "未联系上": "not_reached",
}
# A phone number as people write it: digits, an optional leading +, spaces, dashes and
# parentheses (+86 138-0013-8000, (0755) 8888 6666), with at least PHONE_MIN_DIGITS digits.
PHONE = r"^\+?[0-9 ()\-]+$"
PHONE_MAX = 30
PHONE_MIN_DIGITS = 3


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id | text | date | datetime | amount | enum | phone
    required: bool = True
    choices: dict[str, str] | None = None
    max_length: int = 200
    future: bool = False  # a date that may lie ahead (a follow-up), not a record of the past


# How each of the contract's visit columns (codes.VISIT_COLUMNS, which the demo fills too) is read.
_VISIT_COLUMNS = {
    "rep_id": Column("rep_id", "id"),
    "customer_id": Column("customer_id", "id"),
    "visit_date": Column("visit_date", "datetime"),
    "method": Column("method", "text"),
    "target": Column("target", "text"),
    "purpose": Column("purpose", "text"),
    "result": Column("result", "enum", choices=RESULTS),
    "note": Column("note", "text", required=False, max_length=2000),
    "order_amount": Column("order_amount", "amount", required=False),
}
CONTRACT: dict[str, list[Column]] = {
    "reps": [
        Column("rep_id", "id"),
        Column("name", "text"),
        Column("gender", "enum", choices=GENDERS),
        Column("birth_date", "date"),
        Column("hire_date", "date"),
        Column("level", "enum", choices=LEVELS),
    ],
    "customers": [
        Column("customer_id", "id"),
        Column("name", "text"),
        Column("customer_type", "text"),
        Column("industry", "text"),
        Column("tag", "text"),
        Column("owner_rep_id", "id"),
    ],
    "visits": [_VISIT_COLUMNS[name] for name in codes.VISIT_COLUMNS],
    "orders": [
        Column("customer_id", "id"),
        Column("order_date", "date"),
        Column("amount", "amount"),
    ],
}
# Columns beyond the contract that the warehouse keeps when a file has them.
OPTIONAL: dict[str, list[Column]] = {
    "reps": [Column("team", "text", required=False), Column("left_date", "date", required=False)],
    "customers": [
        Column("created_date", "date", required=False),
        # a file without these columns leaves the stored contacts as they are; with them, the
        # file is the record: an empty cell clears a stored contact
        Column("contact_name", "text", required=False, max_length=100),
        Column("contact_phone", "phone", required=False, max_length=PHONE_MAX),
    ],
    "visits": [
        # "call back on ...": after the visit's day, at most codes.FOLLOW_UP_MAX_DAYS later
        Column("follow_up_date", "date", required=False, future=True),
    ],
    "orders": [],
}


def known_columns(kind: str) -> list[Column]:
    """Every column the warehouse keeps for `kind`: the contract's, then the optional ones."""
    return CONTRACT[kind] + OPTIONAL[kind]


def infer_kind(name: str, columns: list[str]) -> str | None:
    """The contract table a file holds: from its name (`visits_2026-10.csv`), else its header."""
    stem = Path(name).name.lower()
    for kind in KINDS:
        if stem.startswith(kind):
            return kind
    header = set(columns)
    matches = [k for k in KINDS if {c.name for c in CONTRACT[k]} <= header]
    return matches[0] if len(matches) == 1 else None


# ----------------------------------------------------------------------------- problems

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
SHOWN_CHARS = 60  # a quoted value longer than this is cut: enough to find it in the file


def shown(value: object) -> str:
    """A file's value as a problem quotes it: at most SHOWN_CHARS, control characters as \\xNN."""
    text = str(value)
    if len(text) > SHOWN_CHARS:
        text = text[:SHOWN_CHARS] + "…"
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def problem(
    file: str,
    line: int | None,
    column: str | None,
    key: str,
    /,
    unit: str = "line",
    **params: object,
) -> ValidationIssue:
    """One problem, by i18n key: the English message for the CLI, key and params for the app."""
    return ValidationIssue(
        file, line, column, i18n.text(key, "en", **params), unit, key, tuple(params.items())
    )


# ----------------------------------------------------------------------------- stage shapes


@dataclass
class ImportFile:
    """One file's rows as text, exactly as read; `name` is what messages call it.

    `lines[i]` is where data row i starts in the file (CSV: physical line, header = 1, so blank
    lines and quoted line breaks do not shift the numbers); `unit` names what `lines` counts.
    `header` is the file's columns, including those not read because the contract has no use
    for them (they are named in a warning).
    """

    name: str
    kind: str
    raw: pd.DataFrame
    lines: np.ndarray | None = None
    unit: str = "line"
    warnings: list[ValidationIssue] = field(default_factory=list)
    header: list[str] | None = None

    def line_of(self, position: int) -> int:
        return int(self.lines[position]) if self.lines is not None else position + 2

    @property
    def columns(self) -> list[str]:
        return list(self.header) if self.header is not None else [str(c) for c in self.raw]


@dataclass
class CheckedFile:
    file: ImportFile
    rows: pd.DataFrame  # typed, normalised, ready to write


@dataclass
class ValidationReport:
    """What a dry run found: problems (any one blocks the import), warnings, row counts.

    `warnings` are in English (the CLI prints them); `notices` are the same warnings with their
    i18n keys, for the app.
    """

    issues: list[ValidationIssue]
    total_issues: int
    warnings: list[str]
    rows: dict[str, int]
    checked: list[CheckedFile] = field(default_factory=list, repr=False)
    notices: list[ValidationIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.total_issues == 0


@dataclass
class ImportReport:
    batch_id: int
    inserted: dict[str, int]
    updated: dict[str, int]
    skipped_duplicates: dict[str, int]
    warnings: list[str]
    seconds_holding_file: float = 0.0  # how long other processes had to wait for this import

    def summary(self) -> str:
        parts = []
        for kind in KINDS:
            if kind in self.inserted:
                text = f"{kind}: {self.inserted[kind]} new"
                if self.updated.get(kind):
                    text += f", {self.updated[kind]} updated"
                if self.skipped_duplicates.get(kind):
                    text += f", {self.skipped_duplicates[kind]} already present"
                parts.append(text)
        return f"batch {self.batch_id}: " + "; ".join(parts)
