"""The import contract: every error class, all-or-nothing writes, idempotence (kill -9
during an import: tests/reliability/test_import_crash.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from repurchase.errors import ImportValidationError
from repurchase.warehouse import importer

from ..conftest import snapshot

# the warehouse, import, access and visit-logging tests run on both backends (conftest.py)
pytestmark = pytest.mark.both_backends

VISIT_HEADER = "rep_id,customer_id,visit_date,method,target,purpose,result,note,order_amount"
GOOD_VISITS = [
    "R001,C00001,2026-06-01 10:15,phone,active,needs_discovery,order,ordered 200 pcs,1250.50",
    "R001,C00002,2026-06-01,im,no_order_3m,needs_discovery,no_order,,",
    "R002,C00040,2026-06-02T09:30:00,onsite,active,quote_follow_up,成功拿到订单,签约,8000",
    "R002,C00041,2026-06-02,phone,first_order,relationship,暂无采购需求,下月再联系,",
]


def _write(tmp_path: Path, name: str, lines: list[str] | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    text = lines if isinstance(lines, str) else "\n".join(lines) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def _visits_csv(tmp_path: Path, rows: list[str], header: str = VISIT_HEADER) -> Path:
    return _write(tmp_path, "visits.csv", [header, *rows])


def test_a_good_file_is_imported_with_chinese_result_labels(small_warehouse, tmp_path):
    before = small_warehouse.table_counts()["visits"]
    report = importer.import_files(small_warehouse, [_visits_csv(tmp_path, GOOD_VISITS)])
    assert report.inserted == {"visits": 4}
    got = small_warehouse.query("stats_ranges")  # a named query still reads the new rows
    assert int(got.loc[got.what == "visits", "rows"].iloc[0]) == before + 4
    with small_warehouse.connect() as cur:
        rows = cur.execute(
            "select customer_id, result, order_amount, note, visited_at from visits "
            "where source = 'import' order by visit_id"
        ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [
        ("C00001", "order"),
        ("C00002", "no_order"),
        ("C00040", "order"),
        ("C00041", "no_order"),
    ]
    assert float(rows[0][2]) == 1250.50 and rows[1][2] is None
    assert rows[1][3] is None and rows[2][3] == "签约"
    assert str(rows[0][4]) == "2026-06-01 10:15:00"


def test_importing_the_same_file_twice_adds_its_visits_once(small_warehouse, tmp_path):
    path = _visits_csv(tmp_path, GOOD_VISITS)
    first = importer.import_files(small_warehouse, [path])
    after_first = snapshot(small_warehouse)
    second = importer.import_files(small_warehouse, [path])
    assert first.inserted["visits"] == 4
    assert second.inserted["visits"] == 0 and second.skipped_duplicates["visits"] == 4
    after_second = snapshot(small_warehouse)
    after_second.pop("import_batches"), after_first.pop("import_batches")
    after_second.pop("_sequences", None), after_first.pop("_sequences", None)  # the file only
    assert after_second == after_first


def test_identical_rows_in_one_file_are_two_calls_and_stay_two_on_reimport(
    small_warehouse, tmp_path
):
    row = "R001,C00001,2026-06-03,phone,active,needs_discovery,no_order,,"
    path = _visits_csv(tmp_path, [row, row])
    assert importer.import_files(small_warehouse, [path]).inserted["visits"] == 2
    assert importer.import_files(small_warehouse, [path]).inserted["visits"] == 0
    overlapping = _visits_csv(tmp_path, [row, row, row])  # a later export with a third call
    assert importer.import_files(small_warehouse, [overlapping]).inserted["visits"] == 1


def test_parquet_and_csv_of_the_same_rows_share_dedup_keys(small_warehouse, tmp_path):
    csv = _visits_csv(tmp_path, GOOD_VISITS)
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    frame["visit_date"] = pd.to_datetime(frame["visit_date"], format="ISO8601")
    frame["order_amount"] = pd.to_numeric(frame["order_amount"])
    parquet = tmp_path / "visits.parquet"
    frame.to_parquet(parquet, index=False)
    assert importer.import_files(small_warehouse, [parquet]).inserted["visits"] == 4
    assert importer.import_files(small_warehouse, [csv]).inserted["visits"] == 0


def test_reimported_master_data_updates_in_place(small_warehouse, tmp_path):
    reps = _write(
        tmp_path,
        "reps.csv",
        [
            "rep_id,name,gender,birth_date,hire_date,level,team",
            "R001,新名字,女,1998-02-03,2024-03-01,中级,T09",
            "R900,New Rep,M,2000-01-01,2026-05-01,junior,T01",
        ],
    )
    report = importer.import_files(small_warehouse, [reps])
    assert report.inserted == {"reps": 1} and report.updated == {"reps": 1}
    with small_warehouse.connect() as cur:
        got = cur.execute(
            "select name, gender, level, team from reps where rep_id = 'R001'"
        ).fetchone()
    assert got == ("新名字", "F", "mid", "T09")


def test_unknown_extra_columns_are_ignored_with_a_warning(small_warehouse, tmp_path):
    path = _visits_csv(tmp_path, [r + ",x" for r in GOOD_VISITS], header=VISIT_HEADER + ",crm_flag")
    report = importer.import_files(small_warehouse, [path])
    assert report.inserted["visits"] == 4
    assert any("crm_flag" in w for w in report.warnings)


# Each case: file name, its lines (after the header unless the case gives one), and the
# (line, column, words) the error must name.
BAD_VISITS = [
    (
        "bad amount",
        ["R001,C00001,2026-06-01,phone,active,x,order,,12abc"],
        2,
        "order_amount",
        "not a number",
    ),
    (
        "negative amount",
        ["R001,C00001,2026-06-01,phone,active,x,order,,-5"],
        2,
        "order_amount",
        "negative",
    ),
    (
        "amount on a no_order",
        ["R001,C00001,2026-06-01,phone,active,x,no_order,,99"],
        2,
        "order_amount",
        "no_order",
    ),
    (
        "impossible date",
        ["R001,C00001,2026-02-30,phone,active,x,order,,"],
        2,
        "visit_date",
        "not a valid ISO-8601",
    ),
    (
        "local date format",
        ["R001,C00001,01/06/2026,phone,active,x,order,,"],
        2,
        "visit_date",
        "not a valid ISO-8601",
    ),
    (
        "future date",
        ["R001,C00001,2099-01-01,phone,active,x,order,,"],
        2,
        "visit_date",
        "in the future",
    ),
    (
        "typo year",
        ["R001,C00001,0202-01-01,phone,active,x,order,,"],
        2,
        "visit_date",
        "implausibly old",
    ),
    (
        "unknown result",
        ["R001,C00001,2026-06-01,phone,active,x,maybe,,"],
        2,
        "result",
        "is not one of",
    ),
    (
        "unknown rep",
        ["R404,C00001,2026-06-01,phone,active,x,order,,"],
        2,
        "rep_id",
        "unknown rep id 'R404'",
    ),
    (
        "unknown customer",
        ["R001,C99999,2026-06-01,phone,active,x,order,,"],
        2,
        "customer_id",
        "unknown customer id 'C99999'",
    ),
    (
        "missing value",
        ["R001,,2026-06-01,phone,active,x,order,,"],
        2,
        "customer_id",
        "a value is required",
    ),
    (
        "bad row after good ones",
        [*GOOD_VISITS, "R001,C00001,2026-06-01,phone,active,x,oops,,"],
        6,
        "result",
        "is not one of",
    ),
]


@pytest.mark.parametrize(
    ("lines", "line", "column", "words"),
    [case[1:] for case in BAD_VISITS],
    ids=[case[0] for case in BAD_VISITS],
)
def test_a_bad_visit_is_rejected_by_file_line_and_column(
    small_warehouse, tmp_path, lines, line, column, words
):
    before = snapshot(small_warehouse)
    path = _visits_csv(tmp_path, lines)
    with pytest.raises(ImportValidationError) as caught:
        importer.import_files(small_warehouse, [path])
    issue = caught.value.issues[0]
    assert (issue.file, issue.line, issue.column) == ("visits.csv", line, column)
    assert words in issue.message
    assert f"visits.csv, line {line}, column {column}" in str(caught.value)
    assert snapshot(small_warehouse) == before


FILE_LEVEL = [
    ("empty file", "visits.csv", b"", None, None, "the file is empty"),
    ("header only", "visits.csv", (VISIT_HEADER + "\n").encode(), None, None, "no data rows"),
    (
        "missing column",
        "visits.csv",
        b"rep_id,customer_id,visit_date,method,target,purpose,note,order_amount\n"
        b"R001,C00001,2026-06-01,phone,active,x,,\n",
        1,
        "result",
        "required column 'result' is missing",
    ),
    (
        "not utf-8",
        "visits.csv",
        (VISIT_HEADER + "\nR001,C00001,2026-06-01,phone,active,x,order,暂无,\n").encode("gbk"),
        2,
        None,
        "not UTF-8",
    ),
    (
        "surplus fields",
        "visits.csv",
        (VISIT_HEADER + "\nR001,C00001,2026-06-01,phone,active,x,order,,1,2,3\n").encode(),
        2,
        None,
        "this row has 11 fields, the header has 9",
    ),
    (
        "missing fields",
        "visits.csv",
        (VISIT_HEADER + "\n\nR001,C00001,2026-06-01,phone\n").encode(),
        3,
        None,
        "this row has 4 fields, the header has 9",
    ),
    ("unknown table", "export.csv", b"a,b\n1,2\n", 1, None, "cannot tell which table"),
    ("unsupported type", "visits.xlsx", b"PK\x03\x04", None, None, "unsupported file type"),
    ("broken parquet", "visits.parquet", b"PAR1 not really", None, None, "not a readable Parquet"),
]


@pytest.mark.parametrize(
    ("name", "content", "line", "column", "words"),
    [case[1:] for case in FILE_LEVEL],
    ids=[case[0] for case in FILE_LEVEL],
)
def test_an_unreadable_file_is_rejected_with_where_and_why(
    small_warehouse, tmp_path, name, content, line, column, words
):
    before = snapshot(small_warehouse)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportValidationError) as caught:
        importer.import_files(small_warehouse, [path])
    issue = caught.value.issues[0]
    assert issue.file == name
    assert (issue.line, issue.column) == (line, column)
    assert words in issue.message
    assert snapshot(small_warehouse) == before


BAD_MASTER = [
    (
        "duplicate rep",
        "reps.csv",
        [
            "rep_id,name,gender,birth_date,hire_date,level",
            "R901,A,M,1999-01-01,2025-01-01,junior",
            "R901,B,F,1998-01-01,2025-02-01,junior",
        ],
        3,
        "rep_id",
        "duplicate rep_id 'R901' (first on line 2)",
    ),
    (
        "bad gender",
        "reps.csv",
        ["rep_id,name,gender,birth_date,hire_date,level", "R901,A,X,1999-01-01,2025-01-01,junior"],
        2,
        "gender",
        "is not one of",
    ),
    (
        "bad level",
        "reps.csv",
        ["rep_id,name,gender,birth_date,hire_date,level", "R901,A,M,1999-01-01,2025-01-01,boss"],
        2,
        "level",
        "is not one of",
    ),
    (
        "hired as a child",
        "reps.csv",
        ["rep_id,name,gender,birth_date,hire_date,level", "R901,A,M,2015-01-01,2025-01-01,junior"],
        2,
        "hire_date",
        "16 years",
    ),
    (
        "future hire",
        "reps.csv",
        ["rep_id,name,gender,birth_date,hire_date,level", "R901,A,M,1999-01-01,2099-01-01,junior"],
        2,
        "hire_date",
        "in the future",
    ),
    (
        "duplicate customer",
        "customers.csv",
        [
            "customer_id,name,customer_type,industry,tag,owner_rep_id",
            "C9001,A,trader,consumer,key,R001",
            "C9001,B,trader,consumer,key,R001",
        ],
        3,
        "customer_id",
        "duplicate customer_id 'C9001'",
    ),
    (
        "unknown owner",
        "customers.csv",
        [
            "customer_id,name,customer_type,industry,tag,owner_rep_id",
            "C9001,A,trader,consumer,key,R777",
        ],
        2,
        "owner_rep_id",
        "unknown rep id 'R777'",
    ),
    (
        "order for unknown customer",
        "orders.csv",
        ["customer_id,order_date,amount", "C00001,2026-06-01,10", "C4242,2026-06-01,10"],
        3,
        "customer_id",
        "unknown customer id 'C4242'",
    ),
    (
        "order without amount",
        "orders.csv",
        ["customer_id,order_date,amount", "C00001,2026-06-01,"],
        2,
        "amount",
        "a value is required",
    ),
]


@pytest.mark.parametrize(
    ("name", "lines", "line", "column", "words"),
    [case[1:] for case in BAD_MASTER],
    ids=[case[0] for case in BAD_MASTER],
)
def test_bad_reps_customers_and_orders_are_rejected(
    small_warehouse, tmp_path, name, lines, line, column, words
):
    before = snapshot(small_warehouse)
    with pytest.raises(ImportValidationError) as caught:
        importer.import_files(small_warehouse, [_write(tmp_path, name, lines)])
    issue = caught.value.issues[0]
    assert (issue.file, issue.line, issue.column) == (name, line, column)
    assert words in issue.message
    assert snapshot(small_warehouse) == before


def test_a_batch_is_all_or_nothing_across_files(small_warehouse, tmp_path):
    before = snapshot(small_warehouse)
    reps = _write(
        tmp_path,
        "reps.csv",
        [
            "rep_id,name,gender,birth_date,hire_date,level",
            "R950,New,M,1999-01-01,2025-01-01,junior",
        ],
    )
    customers = _write(
        tmp_path,
        "customers.csv",
        [
            "customer_id,name,customer_type,industry,tag,owner_rep_id",
            "C9500,New Co,trader,consumer,key,R950",
        ],
    )
    visits = _visits_csv(
        tmp_path,
        [
            "R950,C9500,2026-06-01,phone,active,x,order,,10",
            "R950,C9500,2026-06-02,phone,active,x,nope,,",
        ],
    )
    with pytest.raises(ImportValidationError):
        importer.import_files(small_warehouse, [visits, customers, reps])
    assert snapshot(small_warehouse) == before
    visits.write_text(VISIT_HEADER + "\nR950,C9500,2026-06-01,phone,active,x,order,,10\n")
    report = importer.import_files(small_warehouse, [visits, customers, reps])
    assert report.inserted == {"reps": 1, "customers": 1, "visits": 1}


def test_all_problems_of_a_file_are_listed_not_just_the_first(small_warehouse, tmp_path):
    lines = [f"R001,C00001,2026-06-{d:02d},phone,active,x,bad{d},," for d in range(1, 21)]
    with pytest.raises(ImportValidationError) as caught:
        importer.import_files(small_warehouse, [_visits_csv(tmp_path, lines)])
    assert caught.value.total == 20
    assert [i.line for i in caught.value.issues] == list(range(2, 22))


def test_line_numbers_follow_the_file_across_blank_lines_and_quoted_line_breaks(
    small_warehouse, tmp_path
):
    rows = [
        'R001,C00001,2026-06-01,phone,active,x,no_order,"two-line',
        'note",',
        "",
        "R001,C00001,2026-06-02,phone,active,x,wrong,,",
    ]
    with pytest.raises(ImportValidationError) as caught:
        importer.import_files(small_warehouse, [_visits_csv(tmp_path, rows)])
    assert [(i.line, i.column) for i in caught.value.issues] == [(5, "result")]


def test_a_bad_parquet_row_is_named_by_row_number(small_warehouse, tmp_path):
    frame = pd.DataFrame(
        {
            "rep_id": ["R001", "R001"],
            "customer_id": ["C00001", "C00001"],
            "visit_date": pd.to_datetime(["2026-06-01 10:00", "2026-06-02 11:00"]),
            "method": ["phone", "phone"],
            "target": ["active", "active"],
            "purpose": ["x", "x"],
            "result": ["order", "perhaps"],
            "note": [None, None],
            "order_amount": [10.0, None],
        }
    )
    path = tmp_path / "visits.parquet"
    frame.to_parquet(path, index=False)
    with pytest.raises(ImportValidationError) as caught:
        importer.import_files(small_warehouse, [path])
    assert "visits.parquet, row 2, column result" in str(caught.value)


def test_what_runs_first_inside_the_transaction_can_refuse_the_whole_import(
    small_warehouse, tmp_path
):
    """`before` (the service layer re-reads the importing account there) sees the import's own
    transaction: what it raises leaves the warehouse as it was."""
    before = snapshot(small_warehouse)
    seen = []

    def refuse(cur) -> None:
        seen.append(cur.execute("select count(*) from import_batches").fetchone()[0])
        raise PermissionError("refused")

    with pytest.raises(PermissionError, match="refused"):
        importer.import_files(small_warehouse, [_visits_csv(tmp_path, GOOD_VISITS)], before=refuse)
    assert len(seen) == 1 and snapshot(small_warehouse) == before
    report = importer.import_files(
        small_warehouse, [_visits_csv(tmp_path, GOOD_VISITS)], before=seen.append
    )
    assert report.inserted == {"visits": 4} and len(seen) == 2
