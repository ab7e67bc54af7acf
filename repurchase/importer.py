"""Import contract files (spec section 2): file -> validated frames -> one transaction.

Everything is checked before anything is written, and every problem names the file, the line
(the header is line 1) and the column. The write is one transaction: on any error, or if the
process dies half-way, the warehouse is exactly as before.

Re-importing is safe. Reps and customers are master data keyed by their ids: a re-import
updates them in place. Visits and orders have no id in the contract, so each imported row gets a
content key: a hash of its normalised fields plus its occurrence number among identical rows of
the same file. The same file (or an overlapping later export) therefore adds nothing twice,
while two genuinely identical calls in one file stay two calls.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from repurchase.errors import ImportValidationError, ValidationIssue
from repurchase.warehouse import Cursor, Warehouse

KINDS = ("reps", "customers", "visits", "orders")  # also the order in which a batch is written
MAX_ISSUES = 1000  # enough to fix a file by; a broken 1M-row file must not build a 1M-item list

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
    "成功拿到订单": "order",
    "暂无采购需求": "no_order",
}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?$")
_EARLIEST = pd.Timestamp("1990-01-01")  # no ERP in this business has older visits; a typo does


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id | text | date | datetime | amount | enum
    required: bool = True
    choices: dict[str, str] | None = None
    max_length: int = 200


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
    "visits": [
        Column("rep_id", "id"),
        Column("customer_id", "id"),
        Column("visit_date", "datetime"),
        Column("method", "text"),
        Column("target", "text"),
        Column("purpose", "text"),
        Column("result", "enum", choices=RESULTS),
        Column("note", "text", required=False, max_length=2000),
        Column("order_amount", "amount", required=False),
    ],
    "orders": [
        Column("customer_id", "id"),
        Column("order_date", "date"),
        Column("amount", "amount"),
    ],
}
# Columns beyond the contract that the warehouse keeps when a file has them.
OPTIONAL: dict[str, list[Column]] = {
    "reps": [Column("team", "text", required=False), Column("left_date", "date", required=False)],
    "customers": [Column("created_date", "date", required=False)],
    "visits": [],
    "orders": [],
}


@dataclass
class ImportFile:
    """One file's rows as text, exactly as read; `name` is what messages call it.

    `lines[i]` is where data row i starts in the file (CSV: physical line, header = 1, so blank
    lines and quoted line breaks do not shift the numbers); `unit` names what `lines` counts.
    """

    name: str
    kind: str
    raw: pd.DataFrame
    lines: np.ndarray | None = None
    unit: str = "line"
    warnings: list[str] = field(default_factory=list)

    def line_of(self, position: int) -> int:
        return int(self.lines[position]) if self.lines is not None else position + 2


@dataclass
class CheckedFile:
    file: ImportFile
    rows: pd.DataFrame  # typed, normalised, ready to write


@dataclass
class ValidationReport:
    """What a dry run found: problems (any one blocks the import), warnings, row counts."""

    issues: list[ValidationIssue]
    total_issues: int
    warnings: list[str]
    rows: dict[str, int]
    checked: list[CheckedFile] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return self.total_issues == 0

    def issues_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [(i.file, i.line, i.column, i.message) for i in self.issues],
            columns=["file", "line", "column", "problem"],
        )


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


# ----------------------------------------------------------------------------- reading


def infer_kind(name: str, columns: Iterable[str]) -> str | None:
    """The contract table a file holds: from its name (`visits_2026-10.csv`), else its header."""
    stem = Path(name).name.lower()
    for kind in KINDS:
        if stem.startswith(kind):
            return kind
    header = set(columns)
    matches = [k for k in KINDS if {c.name for c in CONTRACT[k]} <= header]
    return matches[0] if len(matches) == 1 else None


def read_file(
    path: Path | str, kind: str | None = None, *, name: str | None = None, data: bytes | None = None
) -> ImportFile:
    """Read a CSV or Parquet file as text columns. `data` lets the app pass an upload's bytes.

    Raises ImportValidationError for a file that cannot be read at all (empty, not UTF-8,
    ragged rows, unknown kind).
    """
    path = Path(path)
    label = name or path.name
    suffix = Path(label).suffix.lower()
    if data is None:
        if not path.is_file():
            raise ImportValidationError([ValidationIssue(label, None, None, "file not found")])
        data = path.read_bytes()
    if len(data) == 0:
        raise ImportValidationError([ValidationIssue(label, None, None, "the file is empty")])
    lines, unit = None, "line"
    if suffix == ".parquet":
        raw = _read_parquet(label, data)
        lines, unit = np.arange(1, len(raw) + 1), "row"
    elif suffix in (".csv", ".txt", ""):
        raw, lines = _read_csv(label, data)
    else:
        raise ImportValidationError(
            [
                ValidationIssue(
                    label, None, None, f"unsupported file type {suffix!r}; use .csv or .parquet"
                )
            ]
        )
    kind = kind or infer_kind(label, raw.columns)
    if kind not in KINDS:
        raise ImportValidationError(
            [
                ValidationIssue(
                    label,
                    1,
                    None,
                    "cannot tell which table this file holds; name it reps*, customers*, "
                    "visits* or orders*, or pass --kind",
                )
            ]
        )
    return ImportFile(label, kind, raw, lines, unit)


def _read_csv(label: str, data: bytes) -> tuple[pd.DataFrame, np.ndarray]:
    try:
        text = data.decode("utf-8-sig")  # Excel writes a byte-order mark
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportValidationError(
            [ValidationIssue(label, line, None, "is not UTF-8 text; save the export as UTF-8")]
        ) from exc
    # First pass (csv module): every record must have as many fields as the header, and we
    # learn the line each record starts on. pandas would silently pad short rows or turn
    # surplus fields into an index.
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise ImportValidationError([ValidationIssue(label, None, None, "the file is empty")])
    starts: list[int] = []
    bad: list[ValidationIssue] = []
    previous_end = reader.line_num
    try:
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not record or record == [""]:
                continue  # blank line; pandas skips these too
            starts.append(start)
            if len(record) != len(header):
                bad.append(
                    ValidationIssue(
                        label,
                        start,
                        None,
                        f"not valid CSV: this row has {len(record)} fields, "
                        f"the header has {len(header)}",
                    )
                )
                if len(bad) >= MAX_ISSUES:
                    break
    except csv.Error as exc:
        raise ImportValidationError(
            [ValidationIssue(label, reader.line_num, None, f"not valid CSV: {exc}")]
        ) from exc
    if bad:
        raise ImportValidationError(bad)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame) != len(starts):  # both parsers must agree on what a record is
        raise ImportValidationError(
            [ValidationIssue(label, None, None, "not valid CSV: inconsistent quoting")]
        )
    return frame, np.asarray(starts, dtype=np.int64)


def _read_parquet(label: str, data: bytes) -> pd.DataFrame:
    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise ImportValidationError(
            [ValidationIssue(label, None, None, f"not a readable Parquet file: {exc}")]
        ) from exc
    # Render typed columns as the text a CSV export would hold, so both formats share one
    # set of checks (and one content key).
    text = pd.DataFrame(index=pd.RangeIndex(table.num_rows))
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type
        if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
            series = pd.to_datetime(column.to_pandas())
            has_time = (series.dropna() != series.dropna().dt.normalize()).any()
            values = series.dt.strftime("%Y-%m-%d %H:%M:%S" if has_time else "%Y-%m-%d")
        elif pa.types.is_floating(kind):
            series = column.to_pandas()
            whole = series.notna() & (series == series.round())
            values = series.astype(str).where(~whole, series.round().astype("Int64").astype(str))
        else:
            values = column.to_pandas().astype(str).where(column.to_pandas().notna())
        text[str(name)] = values.fillna("").astype(str).to_numpy()
    return text


# ----------------------------------------------------------------------------- validation


class _Collector:
    def __init__(self, limit: int) -> None:
        self.issues: list[ValidationIssue] = []
        self.total = 0
        self.limit = limit

    def add(self, issue: ValidationIssue) -> None:
        self.total += 1
        if len(self.issues) < self.limit:
            self.issues.append(issue)

    def rows(
        self,
        file: ImportFile,
        mask: pd.Series | np.ndarray,
        column: str | None,
        message: Callable[[int], str],
    ) -> None:
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        self.total += len(positions)
        room = self.limit - len(self.issues)
        for pos in positions[: max(room, 0)]:
            self.issues.append(
                ValidationIssue(
                    file.name, file.line_of(int(pos)), column, message(int(pos)), file.unit
                )
            )


def _check_columns(f: ImportFile, out: _Collector) -> list[Column]:
    wanted = CONTRACT[f.kind] + OPTIONAL[f.kind]
    present = list(f.raw.columns)
    missing = [c.name for c in CONTRACT[f.kind] if c.name not in present]
    for name in missing:
        out.add(ValidationIssue(f.name, 1, name, f"required column '{name}' is missing"))
    dupes = sorted({c for c in present if present.count(c) > 1})
    for name in dupes:
        out.add(ValidationIssue(f.name, 1, name, "column appears more than once"))
    known = {c.name for c in wanted}
    extra = [c for c in present if c not in known]
    if extra:
        f.warnings.append(f"{f.name}: ignored unknown column(s) {', '.join(extra)}")
    if len(f.raw) == 0:
        out.add(ValidationIssue(f.name, None, None, "the file has a header but no data rows"))
    return [c for c in wanted if c.name in present]


def _check_values(
    f: ImportFile, columns: list[Column], now: pd.Timestamp, out: _Collector
) -> pd.DataFrame:
    """Per-column checks, vectorised; returns the typed frame (bad cells become null)."""
    typed = pd.DataFrame(index=f.raw.index)
    today = now.normalize()
    for col in columns:
        text = f.raw[col.name].astype(str).str.strip()
        empty = text == ""
        if col.required:
            out.rows(
                f, empty, col.name, lambda _p, c=col.name: f"'{c}' is empty; a value is required"
            )
        too_long = text.str.len() > col.max_length
        out.rows(f, too_long, col.name, lambda _p, n=col.max_length: f"longer than {n} characters")
        if col.kind in ("id", "text"):
            typed[col.name] = text.where(~empty, None)
        elif col.kind == "enum":
            mapped = text.str.lower().map(col.choices)
            bad = ~empty & mapped.isna()
            allowed = ", ".join(sorted(set(col.choices)))
            out.rows(
                f, bad, col.name, lambda p, t=text, a=allowed: f"'{t.iat[p]}' is not one of: {a}"
            )
            typed[col.name] = mapped.where(~bad, None)
        elif col.kind in ("date", "datetime"):
            pattern = _DATE if col.kind == "date" else _DATETIME
            shape_ok = text.str.match(pattern)
            parsed = pd.to_datetime(
                text.where(shape_ok & ~empty), format="ISO8601", errors="coerce"
            )
            bad = ~empty & parsed.isna()
            expect = "YYYY-MM-DD" if col.kind == "date" else "YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS]"
            out.rows(
                f,
                bad,
                col.name,
                lambda p, t=text, e=expect: f"'{t.iat[p]}' is not a valid ISO-8601 date ({e})",
            )
            limit = now if col.kind == "datetime" else today
            future = parsed > limit
            out.rows(f, future, col.name, lambda p, t=text: f"'{t.iat[p]}' is in the future")
            ancient = parsed < (
                _EARLIEST if col.name != "birth_date" else pd.Timestamp("1940-01-01")
            )
            out.rows(
                f,
                ancient,
                col.name,
                lambda p, t=text: f"'{t.iat[p]}' is implausibly old; check the year",
            )
            typed[col.name] = parsed.where(~(future | ancient))
        elif col.kind == "amount":
            number = pd.to_numeric(text.where(~empty), errors="coerce")
            bad = ~empty & (number.isna() | ~np.isfinite(number.fillna(0)))
            out.rows(f, bad, col.name, lambda p, t=text: f"'{t.iat[p]}' is not a number")
            negative = number < 0
            out.rows(f, negative, col.name, lambda p, t=text: f"'{t.iat[p]}' is negative")
            huge = number >= 1e12
            out.rows(f, huge, col.name, lambda p, t=text: f"'{t.iat[p]}' is too large")
            typed[col.name] = number.where(~(bad | negative | huge)).round(2)
    return typed


def _check_rows(f: ImportFile, typed: pd.DataFrame, out: _Collector) -> None:
    """Checks across columns of one row, and duplicate keys within the file."""
    key = {"reps": "rep_id", "customers": "customer_id"}.get(f.kind)
    if key and key in typed:
        ids = typed[key]
        dup = ids.notna() & ids.duplicated(keep="first")
        first_line = {v: f.line_of(i) for i, v in reversed(list(enumerate(ids)))}
        out.rows(
            f,
            dup,
            key,
            lambda p: f"duplicate {key} '{ids.iat[p]}' (first on line {first_line[ids.iat[p]]})",
        )
    if f.kind == "reps" and {"birth_date", "hire_date"} <= set(typed):
        young = (typed.hire_date - typed.birth_date).dt.days < 16 * 365
        out.rows(
            f, young, "hire_date", lambda _p: "hire_date is less than 16 years after birth_date"
        )
    if f.kind == "reps" and {"hire_date", "left_date"} <= set(typed):
        early = typed.left_date < typed.hire_date
        out.rows(f, early, "left_date", lambda _p: "left_date is before hire_date")
    if f.kind == "visits" and {"result", "order_amount"} <= set(typed):
        odd = (typed.result == "no_order") & (typed.order_amount > 0)
        out.rows(
            f,
            odd,
            "order_amount",
            lambda _p: "an order_amount above 0 on a visit whose result is no_order",
        )


def _check_references(
    checked: list[CheckedFile], known: dict[str, set[str]], out: _Collector
) -> None:
    rep_ids = set(known["reps"])
    customer_ids = set(known["customers"])
    for c in checked:
        if c.file.kind == "reps" and "rep_id" in c.rows:
            rep_ids |= set(c.rows.rep_id.dropna())
        if c.file.kind == "customers" and "customer_id" in c.rows:
            customer_ids |= set(c.rows.customer_id.dropna())
    refs = {
        "customers": [("owner_rep_id", rep_ids, "rep")],
        "visits": [("rep_id", rep_ids, "rep"), ("customer_id", customer_ids, "customer")],
        "orders": [("customer_id", customer_ids, "customer")],
    }
    for c in checked:
        for column, ids, what in refs.get(c.file.kind, []):
            if column not in c.rows:
                continue
            values = c.rows[column]
            unknown = values.notna() & ~values.isin(ids)
            out.rows(
                c.file,
                unknown,
                column,
                lambda p, v=values, w=what: (
                    f"unknown {w} id '{v.iat[p]}' (not in the warehouse or in this import)"
                ),
            )


def _known_ids(warehouse: Warehouse) -> dict[str, set[str]]:
    with warehouse.connect() as cur:
        reps = {r[0] for r in cur.execute("select rep_id from reps").fetchall()}
        customers = {r[0] for r in cur.execute("select customer_id from customers").fetchall()}
    return {"reps": reps, "customers": customers}


def validate(
    warehouse: Warehouse,
    files: list[ImportFile],
    *,
    now: datetime | None = None,
    limit: int = MAX_ISSUES,
) -> ValidationReport:
    """Check files against the contract and the warehouse. Writes nothing."""
    stamp = pd.Timestamp(now or datetime.now())
    out = _Collector(limit)
    checked = []
    kinds_seen: dict[str, str] = {}
    for f in sorted(files, key=lambda f: KINDS.index(f.kind)):
        if f.kind in kinds_seen:
            out.add(
                ValidationIssue(
                    f.name,
                    None,
                    None,
                    f"a second {f.kind} file in one import (first: "
                    f"{kinds_seen[f.kind]}); import them one after the other",
                )
            )
            continue
        kinds_seen[f.kind] = f.name
        columns = _check_columns(f, out)
        typed = _check_values(f, columns, stamp, out)
        _check_rows(f, typed, out)
        checked.append(CheckedFile(f, typed))
    _check_references(checked, _known_ids(warehouse), out)
    warnings = [w for f in files for w in f.warnings]
    return ValidationReport(
        out.issues, out.total, warnings, {c.file.name: len(c.rows) for c in checked}, checked
    )


# ----------------------------------------------------------------------------- writing

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
        cols = ", ".join(columns)
        sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c != key)
        cur.execute(
            f"insert into {table} ({cols}) select {cols} from {view} "
            f"on conflict ({key}) do update set {sets}, updated_at = now()"
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
_ORDER_FIELDS = ["customer_id", "order_date", "amount"]


def _with_content_keys(rows: pd.DataFrame, fields: list[str]) -> pa.Table:
    """Rows plus `dedup_key`: md5 of the normalised fields, then '#n' for the n-th identical row
    of the file. Computed in a private in-memory database, before the warehouse is opened, so
    that the file is held only for the insert itself."""
    staged = rows[fields].copy()
    staged["_line"] = np.arange(len(staged))
    parts = ", ".join(f"coalesce(cast({f} as varchar), '')" for f in fields)
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
) -> ImportReport:
    """Write a clean report's rows in one transaction. Raises if the report has issues."""
    if not report.ok:
        raise ImportValidationError(report.issues, report.total_issues)
    checked = sorted(report.checked, key=lambda c: KINDS.index(c.file.kind))
    keyed = {}
    for c in checked:  # the heavy part, done before taking the file
        if c.file.kind == "visits":
            frame = c.rows.rename(columns={"visit_date": "visited_at"}).reindex(
                columns=_VISIT_FIELDS
            )
            keyed["visits"] = _with_content_keys(frame, _VISIT_FIELDS)
        elif c.file.kind == "orders":
            keyed["orders"] = _with_content_keys(
                c.rows.reindex(columns=_ORDER_FIELDS), _ORDER_FIELDS
            )
    with _import_lock:
        started = time.perf_counter()
        with warehouse.transaction() as cur:
            result = _write_batch(cur, checked, keyed, source, imported_by)
            if source != "demo":
                # a company's own data: the demo's accounts, whose password is public, go
                cur.execute("delete from users where is_demo")
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
    batch_id = cur.execute(
        "insert into import_batches (imported_by, files, row_counts) values ($by, $f, $c) "
        "returning batch_id",
        {"by": imported_by, "f": json.dumps(files, ensure_ascii=False), "c": json.dumps(counts)},
    ).fetchone()[0]
    for c in checked:
        kind, rows = c.file.kind, c.rows
        if kind == "reps":
            cols = [
                k
                for k in [
                    "rep_id",
                    "name",
                    "gender",
                    "birth_date",
                    "hire_date",
                    "level",
                    "team",
                    "left_date",
                ]
                if k in rows
            ]
            inserted[kind], updated[kind] = _upsert(cur, "reps", "rep_id", rows, cols)
        elif kind == "customers":
            cols = [
                k
                for k in [
                    "customer_id",
                    "name",
                    "customer_type",
                    "industry",
                    "tag",
                    "owner_rep_id",
                    "created_date",
                ]
                if k in rows
            ]
            inserted[kind], updated[kind] = _upsert(cur, "customers", "customer_id", rows, cols)
        elif kind == "visits":
            extra = {"source": source, "batch_id": batch_id, "entered_by": imported_by}
            inserted[kind] = _insert_new_events(cur, "visits", keyed[kind], _VISIT_FIELDS, extra)
        elif kind == "orders":
            extra = {"source": source, "batch_id": batch_id}
            inserted[kind] = _insert_new_events(cur, "orders", keyed[kind], _ORDER_FIELDS, extra)
        if kind in keyed:
            skipped[kind] = len(rows) - inserted[kind]
        _crash_point(f"after-{kind}")
    return ImportReport(int(batch_id), inserted, updated, skipped, [])


def import_files(
    warehouse: Warehouse,
    paths: list[Path | str],
    *,
    kind: str | None = None,
    imported_by: str = "cli",
    now: datetime | None = None,
) -> ImportReport:
    """Validate files and write them in one transaction (all or nothing). The CLI's `import`."""
    files = [read_file(p, kind) for p in paths]
    return write(warehouse, validate(warehouse, files, now=now), imported_by=imported_by)


def import_frames(
    warehouse: Warehouse,
    frames: dict[str, pd.DataFrame],
    *,
    source: str = "import",
    imported_by: str = "cli",
    now: datetime | None = None,
) -> ImportReport:
    """Import contract-shaped DataFrames (any dtypes) through exactly the same checks."""
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
