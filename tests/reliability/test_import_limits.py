"""Import limits (a 71.5 kB Parquet file took 3.2 GB on a dry run): rows, bytes and
characters per value are checked before rows are materialised, and each refusal names the
file, the limit and the environment variable that sets it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from repurchase.config import ImportLimits
from repurchase.errors import ImportValidationError
from repurchase.warehouse import importer
from repurchase.warehouse.importing import read as importer_read

from ..conftest import REPO

VISIT_HEADER = "rep_id,customer_id,visit_date,method,target,purpose,result,note,order_amount"
ROW = "R001,C00001,2026-06-01,phone,active,x,order,{note},10"


def visits_table(rows: int, note: str) -> pa.Table:
    """`rows` identical visits: Parquet stores the note once (dictionary) and the rest as runs,
    so the file stays a few kB however long the note and however many the rows."""
    one = {
        "rep_id": "R001",
        "customer_id": "C00001",
        "visit_date": "2026-06-01",
        "method": "phone",
        "target": "active",
        "purpose": "x",
        "result": "order",
        "note": note,
    }
    columns = {k: pa.array([v] * rows, pa.string()) for k, v in one.items()}
    columns["order_amount"] = pa.array([10.0] * rows)
    return pa.table(columns)


def _bomb(path: Path, rows: int, note_chars: int) -> Path:
    pq.write_table(visits_table(rows, "n" * note_chars), path, compression="zstd")
    return path


def _read_refused(path: Path) -> ImportValidationError:
    with pytest.raises(ImportValidationError) as caught:
        importer.read_file(path)
    assert len(caught.value.issues) == 1
    return caught.value


def test_parquet_rows_over_the_limit_are_refused_from_the_metadata(tmp_path, monkeypatch):
    monkeypatch.setenv("REPURCHASE_IMPORT_MAX_ROWS", "1000")
    path = _bomb(tmp_path / "visits.parquet", 1001, 5)
    error = _read_refused(path)
    issue = error.issues[0]
    assert issue.file == "visits.parquet"
    assert "more than 1,000 data rows" in issue.message
    assert "REPURCHASE_IMPORT_MAX_ROWS" in issue.message
    monkeypatch.setenv("REPURCHASE_IMPORT_MAX_ROWS", "1001")  # at the limit: read
    assert len(importer.read_file(path).raw) == 1001


def test_a_parquet_value_over_the_field_limit_is_refused_before_unpacking(tmp_path):
    """2,000 rows sharing one 50,000-character note: 100 MB once unpacked, 4 kB on disk."""
    path = _bomb(tmp_path / "visits.parquet", 2000, 50_000)
    assert path.stat().st_size < 20_000
    issue = _read_refused(path).issues[0]
    assert (issue.file, issue.line, issue.column, issue.unit) == (
        "visits.parquet",
        1,
        "note",
        "row",
    )
    assert "longer than 10,000 characters" in issue.message
    assert "REPURCHASE_IMPORT_MAX_FIELD_CHARS" in issue.message


def test_parquet_values_over_the_unpacked_limit_are_refused(tmp_path, monkeypatch):
    """Notes within every per-value limit, but 20 MB of them once unpacked."""
    monkeypatch.setenv("REPURCHASE_IMPORT_MAX_MB", "10")
    path = _bomb(tmp_path / "visits.parquet", 10_000, 2_000)
    assert path.stat().st_size < 100_000
    issue = _read_refused(path).issues[0]
    assert issue.file == "visits.parquet"
    assert "more than 10 MB once unpacked" in issue.message
    assert "REPURCHASE_IMPORT_MAX_MB" in issue.message


def test_csv_rows_over_the_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("REPURCHASE_IMPORT_MAX_ROWS", "50")
    path = tmp_path / "visits.csv"
    path.write_text("\n".join([VISIT_HEADER] + [ROW.format(note=i) for i in range(51)]) + "\n")
    issue = _read_refused(path).issues[0]
    assert issue.file == "visits.csv" and "more than 50 data rows" in issue.message


@pytest.mark.parametrize("chars", [10_001, 200_000])  # 200,000: past the csv module's own limit
def test_a_csv_value_over_the_field_limit_is_refused_by_line_and_column(tmp_path, chars):
    path = tmp_path / "visits.csv"
    lines = [VISIT_HEADER, ROW.format(note="ok"), ROW.format(note="x" * chars)]
    path.write_text("\n".join(lines) + "\n")
    issue = _read_refused(path).issues[0]
    assert (issue.file, issue.line) == ("visits.csv", 3)
    assert issue.column == ("note" if chars == 10_001 else None)
    assert "longer than 10,000 characters" in issue.message


def test_a_csv_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv("REPURCHASE_IMPORT_MAX_MB", "1")
    path = tmp_path / "visits.csv"
    lines = [VISIT_HEADER] + [ROW.format(note="n" * 100)] * 10_000  # ~1.4 MB
    path.write_text("\n".join(lines) + "\n")
    issue = _read_refused(path).issues[0]
    assert issue.file == "visits.csv"
    assert "the file is 1.4 MB; the limit is 1 MB per file" in issue.message
    upload = _read_refused_bytes(path.read_bytes())
    assert "the limit is 1 MB" in upload.issues[0].message  # the app's uploads too


def _read_refused_bytes(data: bytes) -> ImportValidationError:
    with pytest.raises(ImportValidationError) as caught:
        importer.read_file("visits.csv", name="visits.csv", data=data)
    return caught.value


def test_limits_come_from_the_environment_and_a_bad_value_is_named(monkeypatch):
    monkeypatch.setenv("REPURCHASE_IMPORT_MAX_ROWS", "2_000_000")
    monkeypatch.setenv("REPURCHASE_IMPORT_MAX_MB", "64")
    monkeypatch.setenv("REPURCHASE_IMPORT_MAX_FIELD_CHARS", "5000")
    assert ImportLimits() == ImportLimits(
        max_rows=2_000_000, max_megabytes=64, max_field_chars=5000
    )
    monkeypatch.setenv("REPURCHASE_IMPORT_MAX_ROWS", "lots")
    with pytest.raises(ValueError, match="REPURCHASE_IMPORT_MAX_ROWS='lots' is not a whole"):
        ImportLimits()
    monkeypatch.setenv("REPURCHASE_IMPORT_MAX_ROWS", "0")
    with pytest.raises(ValueError, match="must be above 0"):
        ImportLimits()


def test_a_dry_run_of_a_parquet_bomb_stays_small_in_memory(tmp_path):
    """The CLI's dry run of a 3 kB file whose note unpacks to 400 MB, in a child process whose
    peak resident memory is read back (bench/import_limits.py prints the figures)."""
    path = _bomb(tmp_path / "visits.parquet", 4000, 100_000)
    assert path.stat().st_size < 10_000
    script = textwrap.dedent(
        f"""
        import resource, subprocess, sys
        done = subprocess.run(
            [sys.executable, "-m", "repurchase", "--warehouse", {str(tmp_path / "w.duckdb")!r},
             "import", "--dry-run", {str(path)!r}],
            capture_output=True, text=True,
        )
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        print(done.returncode, peak, done.stderr.replace(chr(10), " "))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    code, peak_mb, stderr = out.stdout.split(" ", 2)
    assert code == "2", out.stdout + out.stderr
    assert "visits.parquet, row 1, column note" in stderr and "10,000 characters" in stderr
    assert int(peak_mb) < 600, f"peak {peak_mb} MB"


def _wide_visits(columns: int) -> dict[str, list[str]]:
    """One visit with `columns` unknown columns beside the contract's."""
    one = visits_table(1, "x").to_pydict()
    return {**one, **{f"extra_{i}": ["1"] for i in range(columns)}}


def _never_read(*_args, **_kwargs):
    raise AssertionError("the rows were read: the columns should have been refused first")


def test_a_parquet_file_with_too_many_columns_is_refused_from_its_schema(tmp_path, monkeypatch):
    """One row with 100,000 unknown columns (28 MB) kept `import --dry-run` busy 11 minutes."""
    path = tmp_path / "visits.parquet"
    pq.write_table(pa.table(_wide_visits(20_000)), path)
    monkeypatch.setattr(importer_read, "_batches", _never_read)
    issue = _read_refused(path).issues[0]
    assert (issue.file, issue.key) == ("visits.parquet", "import.limit.columns")
    assert "20,009 columns" in issue.message and "the limit is 200" in issue.message
    assert "REPURCHASE_IMPORT_MAX_COLUMNS" in issue.message


def test_a_csv_file_with_too_many_columns_is_refused_on_its_header(tmp_path, monkeypatch):
    wide = _wide_visits(5_000)
    path = tmp_path / "visits.csv"
    path.write_text(
        ",".join(wide) + "\n" + ",".join(str(v[0]) for v in wide.values()) + "\n",
        encoding="utf-8",
    )
    scan = importer_read._scan_records
    monkeypatch.setattr(importer_read, "_scan_records", _never_read)
    issue = _read_refused(path).issues[0]
    assert (issue.file, issue.line, issue.key) == ("visits.csv", 1, "import.limit.columns")
    monkeypatch.setattr(importer_read, "_scan_records", scan)  # the rows may be read again
    monkeypatch.setenv("REPURCHASE_IMPORT_MAX_COLUMNS", "6000")  # a raised limit lets it through
    assert len(importer.read_file(path).raw) == 1
