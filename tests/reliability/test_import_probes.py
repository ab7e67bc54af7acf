"""Issue 10's failed import probes: each is now refused with a problem that names the file, the
line (or Parquet row) and the column, and nothing is written; none crashes."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from repurchase.errors import ImportValidationError
from repurchase.warehouse import importer

from ..conftest import snapshot

VISIT_HEADER = "rep_id,customer_id,visit_date,method,target,purpose,result,note,order_amount"
GOOD_VISIT = "R001,C00001,2026-06-01,phone,active,x,order,fine,10"


def _csv(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _refused(warehouse, paths: list[Path]) -> ImportValidationError:
    """Import `paths`; it must be refused by name, with the warehouse untouched."""
    before = snapshot(warehouse)
    with pytest.raises(ImportValidationError) as caught:
        importer.import_files(warehouse, paths)
    assert snapshot(warehouse) == before
    return caught.value


def _named(error: ImportValidationError, file: str, line, column, words: str) -> None:
    hits = [i for i in error.issues if (i.file, i.line, i.column) == (file, line, column)]
    assert hits, f"no problem at {file}/{line}/{column}: {error}"
    assert any(words in i.message for i in hits), [i.message for i in hits]


def _visit_frame(**overrides) -> pd.DataFrame:
    row = {
        "rep_id": "R001",
        "customer_id": "C00001",
        "visit_date": pd.Timestamp("2026-06-01 10:00"),
        "method": "phone",
        "target": "active",
        "purpose": "x",
        "result": "order",
        "note": "fine",
        "order_amount": 10.0,
    }
    row.update(overrides)
    return pd.DataFrame([row])


# ----------------------------------------------------------------------------- CSV probes


def test_a_nul_byte_in_a_csv_field_is_refused_by_line_and_column(small_warehouse, tmp_path):
    path = _csv(
        tmp_path, "visits.csv", [VISIT_HEADER, GOOD_VISIT, GOOD_VISIT.replace("fine", "fi\x00ne")]
    )
    error = _refused(small_warehouse, [path])
    _named(error, "visits.csv", 3, "note", "control character U+0000")
    assert error.total == 1  # the good line is not blamed


def test_a_nul_byte_in_an_id_is_refused_too(small_warehouse, tmp_path):
    path = _csv(tmp_path, "visits.csv", [VISIT_HEADER, GOOD_VISIT.replace("R001", "R0\x0001")])
    _named(_refused(small_warehouse, [path]), "visits.csv", 2, "rep_id", "U+0000")


def test_a_duplicated_header_column_is_refused(small_warehouse, tmp_path):
    header = VISIT_HEADER.replace("note", "result")  # two `result` columns, no note
    row = "R001,C00001,2026-06-01,phone,active,x,order,no_order,10"
    error = _refused(small_warehouse, [_csv(tmp_path, "visits.csv", [header, row])])
    _named(error, "visits.csv", 1, "result", "column appears more than once")


def test_a_duplicated_header_column_differing_only_by_spaces_is_refused(small_warehouse, tmp_path):
    header = VISIT_HEADER + ", order_amount"
    error = _refused(small_warehouse, [_csv(tmp_path, "visits.csv", [header, GOOD_VISIT + ",5"])])
    _named(error, "visits.csv", 1, "order_amount", "more than once")


def _left_rep(tmp_path: Path, left: str) -> Path:
    return _csv(
        tmp_path,
        "reps.csv",
        [
            "rep_id,name,gender,birth_date,hire_date,level,team,left_date",
            f"R950,Gone,M,1990-01-01,2025-01-01,junior,T01,{left}",
        ],
    )


def _new_customer(tmp_path: Path, created: str, owner: str = "R001") -> Path:
    return _csv(
        tmp_path,
        "customers.csv",
        [
            "customer_id,name,customer_type,industry,tag,owner_rep_id,created_date",
            f"C9500,New Co,trader,consumer,key,{owner},{created}",
        ],
    )


def test_a_visit_after_its_rep_left_is_refused(small_warehouse, tmp_path):
    reps = _left_rep(tmp_path, "2026-05-31")
    visits = _csv(
        tmp_path,
        "visits.csv",
        [
            VISIT_HEADER,
            "R950,C00001,2026-05-31 17:00,phone,active,x,order,last day,10",  # the last day: fine
            "R950,C00001,2026-06-01 09:00,phone,active,x,order,after,10",
        ],
    )
    error = _refused(small_warehouse, [reps, visits])
    _named(error, "visits.csv", 3, "visit_date", "rep R950, who left on 2026-05-31")
    assert error.total == 1


def test_a_visit_after_a_rep_left_is_refused_when_the_leaving_is_already_stored(
    small_warehouse, tmp_path
):
    importer.import_files(small_warehouse, [_left_rep(tmp_path, "2026-05-31")])
    visits = _csv(
        tmp_path, "visits.csv", [VISIT_HEADER, "R950,C00001,2026-06-02,phone,active,x,order,,1"]
    )
    _named(_refused(small_warehouse, [visits]), "visits.csv", 2, "visit_date", "who left")


def test_a_visit_before_its_customer_was_created_is_refused(small_warehouse, tmp_path):
    customers = _new_customer(tmp_path, "2026-06-01")
    visits = _csv(
        tmp_path,
        "visits.csv",
        [
            VISIT_HEADER,
            "R001,C9500,2026-05-31,phone,active,x,order,,10",
            "R001,C9500,2026-06-01 08:00,phone,active,x,order,,10",  # the day it was created
        ],
    )
    error = _refused(small_warehouse, [customers, visits])
    _named(error, "visits.csv", 2, "visit_date", "customer C9500, created only on 2026-06-01")
    assert error.total == 1


def test_a_reimported_rep_without_left_date_keeps_the_stored_one(small_warehouse, tmp_path):
    importer.import_files(small_warehouse, [_left_rep(tmp_path, "2026-05-31")])
    again = _csv(
        tmp_path,
        "reps_again.csv",
        ["rep_id,name,gender,birth_date,hire_date,level", "R950,Gone,M,1990-01-01,2025-01-01,mid"],
    )
    visits = _csv(
        tmp_path, "visits.csv", [VISIT_HEADER, "R950,C00001,2026-06-02,phone,active,x,order,,1"]
    )
    _named(_refused(small_warehouse, [again, visits]), "visits.csv", 2, "visit_date", "who left")


# ----------------------------------------------------------------------------- Parquet probes


@pytest.mark.parametrize(
    "values",
    [
        pa.array([["a", "b"]], pa.list_(pa.string())),
        pa.array([{"x": "a"}], pa.struct([("x", pa.string())])),
        pa.array([[("k", "v")]], pa.map_(pa.string(), pa.string())),
        pa.array([b"\x00\x01"], pa.binary()),
    ],
    ids=["list", "struct", "map", "binary"],
)
def test_a_nested_or_binary_parquet_column_is_refused(small_warehouse, tmp_path, values):
    table = pa.Table.from_pandas(_visit_frame().drop(columns="note"), preserve_index=False)
    table = table.append_column("note", values)
    path = tmp_path / "visits.parquet"
    pq.write_table(table, path)
    error = _refused(small_warehouse, [path])
    _named(error, "visits.parquet", 1, "note", "Parquet type")


def test_an_unknown_nested_parquet_column_is_ignored_with_a_warning(small_warehouse, tmp_path):
    table = pa.Table.from_pandas(_visit_frame(), preserve_index=False)
    table = table.append_column("crm_tags", pa.array([["a", "b"]], pa.list_(pa.string())))
    path = tmp_path / "visits.parquet"
    pq.write_table(table, path)
    report = importer.import_files(small_warehouse, [path])
    assert report.inserted == {"visits": 1}
    assert any("crm_tags" in w for w in report.warnings)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (float("inf"), "'inf' is not a finite number"),
        (float("-inf"), "'-inf' is not a finite number"),
        (1e300, "'1e+300' is too large"),
        (999_999_999_999.999, "is too large"),  # rounds to 1e12: over DECIMAL(14, 2)
        (2e12, "'2000000000000' is too large"),
    ],
)
def test_an_out_of_range_parquet_amount_is_a_named_problem(
    small_warehouse, tmp_path, amount, words
):
    path = tmp_path / "visits.parquet"
    _visit_frame(order_amount=amount).to_parquet(path, index=False)
    _named(_refused(small_warehouse, [path]), "visits.parquet", 1, "order_amount", words)


def test_a_nan_parquet_amount_is_a_missing_value(small_warehouse, tmp_path):
    """pandas writes a missing number as NaN: on an optional amount that is no amount, on a
    required one it is named as missing."""
    visits = tmp_path / "visits.parquet"
    _visit_frame(order_amount=float("nan")).to_parquet(visits, index=False)
    assert importer.import_files(small_warehouse, [visits]).inserted == {"visits": 1}
    orders = tmp_path / "orders.parquet"
    pd.DataFrame(
        {"customer_id": ["C00001"], "order_date": ["2026-06-01"], "amount": [float("nan")]}
    ).to_parquet(orders, index=False)
    _named(_refused(small_warehouse, [orders]), "orders.parquet", 1, "amount", "required")


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("999999999999.995", "is too large"),
        ("1e13", "'1e13' is too large"),
        ("inf", "'inf' is not a finite number"),
        ("NaN", "'NaN' is not a number"),
        ("1e400", "'1e400' is not a finite number"),
    ],
)
def test_an_out_of_range_csv_amount_is_a_named_problem(small_warehouse, tmp_path, amount, words):
    path = _csv(tmp_path, "visits.csv", [VISIT_HEADER, GOOD_VISIT.replace(",10", f",{amount}")])
    _named(_refused(small_warehouse, [path]), "visits.csv", 2, "order_amount", words)


def test_the_largest_amount_that_fits_is_stored_exactly(small_warehouse, tmp_path):
    path = _csv(
        tmp_path, "visits.csv", [VISIT_HEADER, GOOD_VISIT.replace(",10", ",999999999999.99")]
    )
    importer.import_files(small_warehouse, [path])
    with small_warehouse.connect() as cur:
        stored = cur.execute(
            "select cast(order_amount as varchar) from visits where note = 'fine'"
        ).fetchone()
    assert stored == ("999999999999.99",)


# ----------------------------------------------------------------------------- paths


def test_a_directory_is_named_as_a_directory(small_warehouse, tmp_path):
    folder = tmp_path / "visits_october"
    folder.mkdir()
    _csv(folder, "visits.csv", [VISIT_HEADER, GOOD_VISIT])
    error = _refused(small_warehouse, [folder])
    _named(error, "visits_october", None, None, "is a directory, not a file")


def test_a_symlink_to_a_file_is_followed(small_warehouse, tmp_path):
    target = _csv(tmp_path, "2026-10.csv", [VISIT_HEADER, GOOD_VISIT])
    link = tmp_path / "visits_latest.csv"
    link.symlink_to(target)
    assert importer.import_files(small_warehouse, [link]).inserted == {"visits": 1}


def test_a_dangling_symlink_names_its_missing_target(small_warehouse, tmp_path):
    link = tmp_path / "visits.csv"
    link.symlink_to(tmp_path / "gone" / "visits.csv")
    error = _refused(small_warehouse, [link])
    _named(error, "visits.csv", None, None, "symbolic link to")
    assert "gone/visits.csv, which does not exist" in str(error)


def test_a_symlink_to_a_directory_is_named_as_a_directory(small_warehouse, tmp_path):
    (tmp_path / "exports").mkdir()
    link = tmp_path / "visits.csv"
    link.symlink_to(tmp_path / "exports")
    _named(_refused(small_warehouse, [link]), "visits.csv", None, None, "is a directory")


def test_a_pipe_is_refused_without_being_read(small_warehouse, tmp_path):
    pipe = tmp_path / "visits.csv"
    os.mkfifo(pipe)  # reading it would wait forever for a writer
    _named(_refused(small_warehouse, [pipe]), "visits.csv", None, None, "not a regular file")


def test_a_missing_file_says_so(small_warehouse, tmp_path):
    _named(
        _refused(small_warehouse, [tmp_path / "visits.csv"]),
        "visits.csv",
        None,
        None,
        "file not found",
    )
