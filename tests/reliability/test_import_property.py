"""Random visit rows thrown at the importer (hypothesis): random text (any Unicode, NUL and other
control characters, markup, formula-like `=1+1`), huge, negative and non-finite amounts, odd
and impossible dates, shuffled columns, as CSV or Parquet.

The property: each import is either accepted and stored exactly as given, after the contract's
normalisation (values trimmed; an empty note or amount is none; result labels to their code;
amounts rounded to the cent), or rejected with a problem at each bad cell (file, line or row,
column) and nothing else, the warehouse untouched. It never crashes and never half-writes.

The oracle below is the contract written out independently of the importer's code.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from repurchase import codes
from repurchase.errors import ImportValidationError
from repurchase.warehouse import importer
from repurchase.warehouse.store import Warehouse

COLUMNS = list(codes.VISIT_COLUMNS)
RESULTS = {
    "order": "order",
    "no_order": "no_order",
    "not_reached": "not_reached",
    "成功拿到订单": "order",
    "暂无采购需求": "no_order",
    "未联系上": "not_reached",
}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FIRST_DAY = datetime(2026, 1, 1)
LAST_DAY = datetime(2026, 6, 29, 23, 59, 59)
AFTER_EVERY_CUSTOMER = datetime(2026, 5, 19)  # the small demo's last customer: 2026-05-18

# Text an attacker or a broken export would send: any Unicode but lone surrogates (not
# encodable as UTF-8, refused by the file's encoding check), biased to the nasty cases.
NASTY = [
    "=1+1",
    "+SUM(A1)",
    "@cmd",
    "-2+3",
    "<b>bold</b>",
    "<script>alert(1)</script>",
    "[link](http://x)",
    "**x**",
    "a\x00b",
    "\x1b[31mred",
    "tab\tinside",
    "two\nlines",
    "cr\rinside",
    'quote " inside',
    "comma, inside",
    "  padded  ",
    "\u3000全角空格\u3000",
    "emoji 🚀",
    "客户确认下单",
    "\u202eevil",
    "x" * 201,
]
text = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
    st.text(alphabet="abc 中文\t", min_size=1, max_size=12),
)


def _strip(value: str) -> str:
    return value.strip()


@dataclass(frozen=True)
class World:
    """What the warehouse holds that decides a row's fate."""

    reps: tuple[str, ...]
    created: dict[str, datetime]  # customer_id -> created_date


def _good_dates(first: datetime = FIRST_DAY) -> st.SearchStrategy[str]:
    return st.datetimes(min_value=first, max_value=LAST_DAY).flatmap(
        lambda d: st.sampled_from(
            [
                d.strftime("%Y-%m-%d"),
                d.strftime("%Y-%m-%d %H:%M"),
                d.strftime("%Y-%m-%dT%H:%M:%S"),
                d.strftime("%Y-%m-%d %H:%M:%S.%f"),
                " " + d.strftime("%Y-%m-%d") + " ",
            ]
        )
    )


_odd_dates = st.sampled_from(
    ["2026-02-30", "2026-13-01", "01/06/2026", "2026-6-1", "2099-01-01", "1989-12-31", ""]
)


def _good_amounts() -> st.SearchStrategy[str]:
    cents = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2)
    finer = st.decimals(min_value=0, max_value=Decimal("99999999.9999"), places=4)
    return st.one_of(cents.map(str), finer.map(str))


_odd_amounts = st.sampled_from(
    ["", "-5", "-0.01", "-0.001", "NaN", "inf", "-inf", "1e400", "1e13", "999999999999.995", "1,5"]
)


def _no_amount_without_order(row: dict[str, str]) -> dict[str, str]:
    if RESULTS.get(row["result"].strip().lower()) in ("no_order", "not_reached"):
        return {**row, "order_amount": ""}
    return row


def rows(world: World) -> st.SearchStrategy[list[dict[str, str]]]:
    """Lists of rows, half of them clean (valid, however odd: so the stored-exactly half of the
    property is exercised), half mixing clean rows with wild ones."""
    ids = st.sampled_from(world.reps)
    customers = st.sampled_from(sorted(world.created))
    clean_text = st.one_of(
        st.sampled_from([t for t in NASTY if not CONTROL.search(t) and len(t.strip()) <= 200]),
        st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
            lambda t: t.strip() != ""
        ),
    )
    clean = st.fixed_dictionaries(
        {
            "rep_id": st.one_of(ids, ids.map(lambda r: f" {r} ")),
            "customer_id": customers,
            "visit_date": _good_dates(AFTER_EVERY_CUSTOMER),
            "method": st.one_of(st.sampled_from(["phone", "im", "onsite"]), clean_text),
            "target": clean_text,
            "purpose": clean_text,
            "result": st.sampled_from([*RESULTS, "ORDER", " no_order ", "Order"]),
            "note": st.one_of(st.just(""), clean_text),
            "order_amount": st.one_of(st.just(""), _good_amounts()),
        }
    ).map(_no_amount_without_order)
    wild = st.fixed_dictionaries(
        {
            "rep_id": st.one_of(ids, ids.map(lambda r: f" {r} "), text),
            "customer_id": st.one_of(customers, text),
            "visit_date": st.one_of(_good_dates(), _odd_dates, text),
            "method": st.one_of(st.sampled_from(["phone", "im", "onsite"]), text),
            "target": st.one_of(st.just("active"), text),
            "purpose": st.one_of(st.just("needs_discovery"), text),
            "result": st.one_of(
                st.sampled_from([*RESULTS, "ORDER", " no_order ", "maybe", ""]), text
            ),
            "note": st.one_of(st.just(""), text, st.text(max_size=2100)),
            "order_amount": st.one_of(_good_amounts(), _odd_amounts, text),
        }
    )
    return st.one_of(
        st.lists(clean, min_size=1, max_size=5),
        st.lists(st.one_of(clean, wild), min_size=1, max_size=5),
    )


# ----------------------------------------------------------------------------- the oracle


def _day(value: str) -> datetime | None:
    value = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?", value):
        return None  # ISO-8601 in full: strptime alone would take 2026-6-1
    for shape in ("%Y-%m-%d", "%Y-%m-%d{}%H:%M", "%Y-%m-%d{}%H:%M:%S", "%Y-%m-%d{}%H:%M:%S.%f"):
        try:
            return datetime.strptime(value, shape.format(value[10:11]))
        except ValueError:
            continue
    return None


def _amount(value: str) -> Decimal | None:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _cents(amount: Decimal) -> Decimal:
    if abs(amount) >= Decimal("1e15"):  # beyond a double's cents; "1e400" is inf there
        return Decimal("1e15")
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def expected(row: dict[str, str], world: World) -> tuple[dict[str, object], set[str]]:
    """The stored row the contract promises, and the columns it must be refused at."""
    bad = {c for c in COLUMNS if CONTROL.search(row[c])}
    clean = {c: _strip(row[c]) for c in COLUMNS}
    for column in ("rep_id", "customer_id", "visit_date", "method", "target", "purpose"):
        if clean[column] == "":
            bad.add(column)
    for column in ("rep_id", "customer_id", "method", "target", "purpose", "result"):
        if len(clean[column]) > 200:
            bad.add(column)
    if len(clean["note"]) > 2000:
        bad.add("note")
    if clean["rep_id"] not in world.reps:
        bad.add("rep_id")
    if clean["customer_id"] not in world.created:
        bad.add("customer_id")
    result = RESULTS.get(clean["result"].lower())
    if result is None:
        bad.add("result")
    when = _day(row["visit_date"])
    if when is None or not datetime(1990, 1, 1) <= when <= datetime.now():
        bad.add("visit_date")
    elif clean["customer_id"] in world.created and when < world.created[clean["customer_id"]]:
        bad.add("visit_date")
    amount = None
    if clean["order_amount"] != "":
        amount = _amount(row["order_amount"])
        if amount is None or amount < 0 or _cents(amount) >= Decimal("1e12"):
            bad.add("order_amount")
        elif result in ("no_order", "not_reached") and _cents(amount) > 0:
            bad.add("order_amount")
    stored = {
        "rep_id": clean["rep_id"],
        "customer_id": clean["customer_id"],
        "visited_at": when,
        "method": clean["method"],
        "target": clean["target"],
        "purpose": clean["purpose"],
        "result": result,
        "note": clean["note"] or None,
        "order_amount": amount,
    }
    return stored, bad


# ----------------------------------------------------------------------------- the files


def _csv(path: Path, given: list[dict[str, str]], order: list[str]) -> list[int]:
    """Write the rows as an ERP would (quoted where needed); return each row's first line."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(order)  # "\r\n" ends a record: a field with \r gets quoted
    starts, line = [], 2
    for row in given:
        record = io.StringIO()
        csv.writer(record).writerow([row[c] for c in order])
        starts.append(line)
        line += len(re.findall(r"\r\n|\r|\n", record.getvalue()))
        buffer.write(record.getvalue())
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return starts


def _parquet(path: Path, given: list[dict[str, str]], order: list[str]) -> list[int]:
    table = pa.table({c: pa.array([row[c] for row in given], pa.string()) for c in order})
    pq.write_table(table, path)
    return list(range(1, len(given) + 1))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, _small_warehouse_file) -> Warehouse:
    """One copy for every example: an accepted import only adds visits (and removes the demo
    accounts), which changes no later example's fate."""
    folder = tmp_path_factory.mktemp("property")
    return Warehouse(shutil.copy(_small_warehouse_file, folder / "w.duckdb"))


@pytest.fixture(scope="module")
def world(_small_warehouse_file) -> World:
    with Warehouse(_small_warehouse_file).connect() as cur:
        reps = cur.execute("select rep_id from reps where left_date is null order by 1").fetchall()
        customers = cur.execute("select customer_id, created_date from customers").fetchall()
    created = {c: datetime.combine(d, datetime.min.time()) for c, d in customers}
    return World(tuple(r[0] for r in reps), created)


def _stored(warehouse: Warehouse, batch_id: int) -> list[dict[str, object]]:
    with warehouse.connect() as cur:
        frame = cur.execute(
            f"select {', '.join(COLUMNS).replace('visit_date', 'visited_at')} from visits "
            "where batch_id = $b order by visit_id",
            {"b": batch_id},
        ).df()
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), fmt=st.sampled_from(["csv", "parquet"]))
def test_random_rows_are_stored_exactly_or_refused_cell_by_cell(
    world, warehouse, tmp_path, data, fmt
):
    given_rows = data.draw(rows(world), label="rows")
    order = data.draw(st.permutations(COLUMNS), label="column order")
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / f"visits.{fmt}"
    starts = (_csv if fmt == "csv" else _parquet)(path, given_rows, list(order))
    promised = [expected(row, world) for row in given_rows]
    must_refuse = {(starts[i], c) for i, (_, bad) in enumerate(promised) for c in bad}

    # Row counts of every table: this import only inserts (visits, a batch) and deletes (demo
    # accounts), so a half-write shows in them (the full snapshot, 4x slower, is in
    # test_import_probes.py).
    before = warehouse.table_counts()
    try:
        report = importer.import_files(warehouse, [path])
    except ImportValidationError as refused:
        places = {(i.line, i.column) for i in refused.issues}
        assert all(i.file == path.name for i in refused.issues)
        assert places == must_refuse, (places, must_refuse)
        assert warehouse.table_counts() == before  # nothing half-written
        event(f"{fmt}: refused")
        return
    assert must_refuse == set(), f"accepted, but should refuse {must_refuse}"
    event(f"{fmt}: accepted")
    assert report.inserted["visits"] + report.skipped_duplicates["visits"] == len(given_rows)
    if report.skipped_duplicates["visits"]:
        return  # a row identical to one the demo holds: stored once, by design
    stored = _stored(warehouse, report.batch_id)
    for (want, _), got in zip(promised, stored, strict=True):
        amount, got_amount = want.pop("order_amount"), got.pop("order_amount")
        assert got == {**want, "visited_at": pd.Timestamp(want["visited_at"])}
        if amount is None:
            assert got_amount is None
        else:  # rounded to the cent: exact when given in cents
            assert abs(Decimal(str(got_amount)) - amount) <= Decimal("0.005")
            if amount == round(amount, 2):
                assert Decimal(str(got_amount)) == amount
