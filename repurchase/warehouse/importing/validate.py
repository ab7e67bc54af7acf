"""Check read files against the contract and the warehouse: typed rows and every problem.

Writes nothing. Each problem names the file, the line (or Parquet row) and the column; at most
`limit` are kept (all are counted), so a broken 1M-row file does not build a 1M-item list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import numpy as np
import pandas as pd

from repurchase import codes
from repurchase.errors import ValidationIssue
from repurchase.warehouse.importing.contract import (
    CONTRACT,
    KINDS,
    MAX_AMOUNT,
    MAX_ISSUES,
    PHONE,
    PHONE_MIN_DIGITS,
    CheckedFile,
    Column,
    ImportFile,
    ValidationReport,
    known_columns,
    problem,
    shown,
)
from repurchase.warehouse.store import Warehouse

_DATE = r"^\d{4}-\d{2}-\d{2}$"
_DATETIME = r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?$"
_EARLIEST = pd.Timestamp("1990-01-01")  # no ERP in this business has older visits; a typo does
_EARLIEST_BIRTH = pd.Timestamp("1940-01-01")
# C0 and C1 control characters except tab, line feed and carriage return (a note may hold line
# breaks): no ERP field holds them, and a NUL cuts strings short in many tools downstream.
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"

Params = Callable[[int], dict[str, object]]


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
        key: str,
        params: Params | None = None,
        **fixed: object,
    ) -> None:
        """One problem per row where `mask` holds; `params(position)` fills the message."""
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        self.total += len(positions)
        room = self.limit - len(self.issues)
        for pos in positions[: max(room, 0)]:
            values = {**fixed, **(params(int(pos)) if params else {})}
            self.issues.append(
                problem(file.name, file.line_of(int(pos)), column, key, file.unit, **values)
            )


def _quoted(text: pd.Series) -> Params:
    return lambda p: {"value": shown(text.iat[p])}


def _check_columns(f: ImportFile, out: _Collector) -> list[Column]:
    present = f.columns
    for name in [c.name for c in CONTRACT[f.kind] if c.name not in present]:
        out.add(problem(f.name, 1, name, "import.column.missing", name=name))
    for name in sorted({c for c in present if present.count(c) > 1}):
        out.add(problem(f.name, 1, name, "import.column.duplicate"))
    known = {c.name for c in known_columns(f.kind)}
    extra = [c for c in present if c not in known]
    if extra:
        f.warnings.append(
            problem(
                f.name,
                None,
                None,
                "import.warning.unknown_columns",
                file=f.name,
                columns=", ".join(shown(c) for c in extra),
            )  # fmt: skip
        )
    if len(f.raw) == 0:
        out.add(problem(f.name, None, None, "import.file.no_rows"))
    return [c for c in known_columns(f.kind) if c.name in present and c.name in f.raw]


def _check_values(
    f: ImportFile, columns: list[Column], now: pd.Timestamp, out: _Collector
) -> pd.DataFrame:
    """Per-column checks, vectorised; returns the typed frame (bad cells become null)."""
    typed = pd.DataFrame(index=f.raw.index)
    for col in columns:
        text = f.raw[col.name].astype(str).str.strip()
        empty = text == ""
        if col.required:
            out.rows(f, empty, col.name, "import.value.required", name=col.name)
        too_long = text.str.len() > col.max_length
        out.rows(f, too_long, col.name, "import.value.too_long", limit=col.max_length)
        # on the value as given: a control character is refused even where trimming would
        # drop it (which characters count as white space differs between tools)
        given = f.raw[col.name].astype(str)
        control = given.str.contains(_CONTROL, regex=True)
        out.rows(
            f,
            control,
            col.name,
            "import.value.control",
            lambda p, t=given: {"char": f"U+{ord(_first_control(t.iat[p])):04X}"},
        )
        if col.kind in ("id", "text"):
            typed[col.name] = text.where(~empty, None)
        elif col.kind == "enum":
            typed[col.name] = _enum(f, col, text, empty, out)
        elif col.kind in ("date", "datetime"):
            typed[col.name] = _dates(f, col, text, empty, now, out)
        elif col.kind == "amount":
            typed[col.name] = _amounts(f, col, text, empty, out)
        elif col.kind == "phone":
            typed[col.name] = _phones(f, col, text, empty, out)
    return typed


def _first_control(value: str) -> str:
    return next(ch for ch in value if (ch < " " and ch not in "\t\n\r") or "\x7f" <= ch <= "\x9f")


def _enum(f: ImportFile, col: Column, text, empty, out: _Collector) -> pd.Series:
    mapped = text.str.lower().map(col.choices)
    bad = ~empty & mapped.isna()
    allowed = ", ".join(sorted(set(col.choices)))
    out.rows(f, bad, col.name, "import.value.choice", _quoted(text), allowed=allowed)
    return mapped.where(~bad, None)


def _dates(f: ImportFile, col: Column, text, empty, now, out: _Collector) -> pd.Series:
    shape_ok = text.str.match(_DATE if col.kind == "date" else _DATETIME)
    parsed = pd.to_datetime(text.where(shape_ok & ~empty), format="ISO8601", errors="coerce")
    bad = ~empty & parsed.isna()
    out.rows(f, bad, col.name, f"import.value.{col.kind}", _quoted(text))
    future = parsed > (now if col.kind == "datetime" else now.normalize())
    if col.future:  # how far ahead it may lie is a check across columns (_check_rows)
        future = pd.Series(False, index=parsed.index)
    out.rows(f, future, col.name, "import.value.future", _quoted(text))
    ancient = parsed < (_EARLIEST if col.name != "birth_date" else _EARLIEST_BIRTH)
    out.rows(f, ancient, col.name, "import.value.ancient", _quoted(text))
    return parsed.where(~(future | ancient))


def _amounts(f: ImportFile, col: Column, text, empty, out: _Collector) -> pd.Series:
    """Amounts are rounded to the cent (the warehouse's DECIMAL(14, 2)); a value that rounds
    to 1e12 or more does not fit and is refused here, not by the insert."""
    number = pd.to_numeric(text.where(~empty), errors="coerce").astype("float64")
    bad = ~empty & number.isna()
    out.rows(f, bad, col.name, "import.value.number", _quoted(text))
    infinite = number.notna() & ~np.isfinite(number.fillna(0))
    out.rows(f, infinite, col.name, "import.value.not_finite", _quoted(text))
    cents = number.where(~infinite).round(2)
    negative = number < 0  # before rounding: -0.001 is a negative amount, not 0.00
    out.rows(f, negative, col.name, "import.value.negative", _quoted(text))
    huge = cents >= MAX_AMOUNT
    out.rows(f, huge, col.name, "import.value.too_large", _quoted(text))
    return cents.where(~(negative | huge)) + 0.0  # + 0.0: a -0.0 is stored as 0


def _phones(f: ImportFile, col: Column, text, empty, out: _Collector) -> pd.Series:
    """Phone numbers as typed (spaces and dashes kept: the card shows them as the company
    writes them, the call link uses the digits); anything else is refused by name."""
    digits = text.str.count(r"[0-9]")
    bad = ~empty & (~text.str.match(PHONE) | (digits < PHONE_MIN_DIGITS))
    bad &= text.str.len() <= col.max_length  # too long is already a problem of its own
    out.rows(f, bad, col.name, "import.value.phone", _quoted(text), limit=col.max_length)
    return text.where(~empty & ~bad, None)


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
            "import.row.duplicate_id",
            lambda p: {"value": shown(ids.iat[p]), "first": first_line[ids.iat[p]]},
            name=key,
        )
    if f.kind == "reps" and {"birth_date", "hire_date"} <= set(typed):
        young = (typed.hire_date - typed.birth_date).dt.days < 16 * 365
        out.rows(f, young, "hire_date", "import.row.hired_young")
    if f.kind == "reps" and {"hire_date", "left_date"} <= set(typed):
        early = typed.left_date < typed.hire_date
        out.rows(f, early, "left_date", "import.row.left_before_hired")
    if f.kind == "visits" and {"result", "order_amount"} <= set(typed):
        odd = (typed.result == "no_order") & (typed.order_amount > 0)
        out.rows(f, odd, "order_amount", "import.row.amount_no_order")
        odd = (typed.result == "not_reached") & (typed.order_amount > 0)
        out.rows(f, odd, "order_amount", "import.row.amount_not_reached")
    if f.kind == "visits" and {"visit_date", "follow_up_date"} <= set(typed):
        _check_follow_ups(f, typed, out)


def _check_follow_ups(f: ImportFile, typed: pd.DataFrame, out: _Collector) -> None:
    """A follow-up falls after the visit's day and at most codes.FOLLOW_UP_MAX_DAYS later,
    as in the app's form (the warehouse refuses the first too)."""
    day = typed.visit_date.dt.normalize()
    follow_up = typed.follow_up_date

    def params(p: int) -> dict[str, object]:
        return {
            "value": f"{follow_up.iat[p]:%Y-%m-%d}",
            "day": f"{day.iat[p]:%Y-%m-%d}",
            "days": codes.FOLLOW_UP_MAX_DAYS,
        }

    early = follow_up <= day  # a missing date on either side compares False
    out.rows(f, early, "follow_up_date", "import.row.follow_up_not_after", params)
    late = follow_up > day + pd.Timedelta(days=codes.FOLLOW_UP_MAX_DAYS)
    out.rows(f, late, "follow_up_date", "import.row.follow_up_too_far", params)


def _check_references(checked: list[CheckedFile], known: dict[str, pd.Series], out) -> None:
    """Ids that exist (in the warehouse or this import), and visits within the life of their
    rep (not after `left_date`) and customer (not before `created_date`)."""
    left = known["left_date"].copy()  # rep_id -> left_date, this import's values winning
    created = known["created_date"].copy()  # customer_id -> created_date
    for c in checked:
        if c.file.kind == "reps" and "rep_id" in c.rows:
            mine = _by_id(c.rows, "rep_id")
            dates = mine.left_date if "left_date" in mine else left.reindex(mine.index)
            left = pd.concat([left.drop(mine.index, errors="ignore"), dates])
        if c.file.kind == "customers" and "customer_id" in c.rows:
            mine = _by_id(c.rows, "customer_id")
            dates = mine.created_date if "created_date" in mine else created.reindex(mine.index)
            created = pd.concat([created.drop(mine.index, errors="ignore"), dates])
    refs = {
        "customers": [("owner_rep_id", left.index, "import.ref.unknown_rep")],
        "visits": [
            ("rep_id", left.index, "import.ref.unknown_rep"),
            ("customer_id", created.index, "import.ref.unknown_customer"),
        ],
        "orders": [("customer_id", created.index, "import.ref.unknown_customer")],
    }
    for c in checked:
        for column, ids, key in refs.get(c.file.kind, []):
            if column in c.rows:
                values = c.rows[column]
                unknown = values.notna() & ~values.isin(ids)
                out.rows(c.file, unknown, column, key, _quoted(values))
        if c.file.kind == "visits" and {"rep_id", "customer_id", "visit_date"} <= set(c.rows):
            _check_visit_lifetimes(c, left, created, out)


def _by_id(rows: pd.DataFrame, key: str) -> pd.DataFrame:
    """A master file's rows by id; a duplicated id (already a problem) counts once."""
    mine = rows.dropna(subset=[key]).set_index(key)
    return mine[~mine.index.duplicated()]


def _lookup(dates: pd.Series, ids: pd.Series) -> pd.Series:
    """The date of each id (NaT for none); `dates` is indexed by unique ids."""
    found = pd.to_datetime(dates).reindex(ids.to_numpy())
    return pd.Series(found.to_numpy(), index=ids.index)


def _check_visit_lifetimes(
    c: CheckedFile, left: pd.Series, created: pd.Series, out: _Collector
) -> None:
    rows = c.rows
    day = rows.visit_date.dt.normalize()
    rep_left = _lookup(left, rows.rep_id)
    after = day > rep_left  # a missing date compares False
    out.rows(
        c.file,
        after,
        "visit_date",
        "import.ref.after_left",
        lambda p: {
            "day": f"{day.iat[p]:%Y-%m-%d}",
            "rep": shown(rows.rep_id.iat[p]),
            "left": f"{rep_left.iat[p]:%Y-%m-%d}",
        },
    )
    since = _lookup(created, rows.customer_id)
    before = day < since
    out.rows(
        c.file,
        before,
        "visit_date",
        "import.ref.before_created",
        lambda p: {
            "day": f"{day.iat[p]:%Y-%m-%d}",
            "customer": shown(rows.customer_id.iat[p]),
            "created": f"{since.iat[p]:%Y-%m-%d}",
        },
    )


def _known(warehouse: Warehouse) -> dict[str, pd.Series]:
    """The warehouse's reps (with their left_date) and customers (with their created_date)."""
    with warehouse.connect() as cur:
        reps = cur.execute("select rep_id, left_date from reps").df()
        customers = cur.execute("select customer_id, created_date from customers").df()
    return {
        "left_date": pd.to_datetime(reps.set_index("rep_id").left_date),
        "created_date": pd.to_datetime(customers.set_index("customer_id").created_date),
    }


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
                problem(
                    f.name,
                    None,
                    None,
                    "import.file.second_of_kind",
                    kind=f.kind,
                    first=kinds_seen[f.kind],
                )  # fmt: skip
            )
            continue
        kinds_seen[f.kind] = f.name
        columns = _check_columns(f, out)
        typed = _check_values(f, columns, stamp, out)
        _check_rows(f, typed, out)
        checked.append(CheckedFile(f, typed))
    _check_references(checked, _known(warehouse), out)
    notices = [w for f in files for w in f.warnings]
    return ValidationReport(
        out.issues,
        out.total,
        [n.message for n in notices],
        {c.file.name: len(c.rows) for c in checked},
        checked,
        notices,
    )
