"""Read a CSV or Parquet file (or an upload's bytes) as text columns, within limits.

Both formats become the same text a CSV export would hold, so one set of checks (and one
content key) serves both. Limits (`config.ImportLimits`: columns, rows, bytes, characters per
value) are checked before rows are materialised: a CSV file's size before it is decoded and its
columns on its header, a Parquet file's columns, row count and sizes from its metadata, then
each batch's unpacked size before it is converted.
A few kilobytes of Parquet can otherwise unpack to gigabytes (a "decompression bomb").

Symbolic links are followed: the CLI reads files with the rights of the operator who runs it,
so a link gives access to nothing its target does not, and ERP drops are often linked
(`latest.csv -> 2026-10.csv`). What is not a regular file (a directory, a device, a pipe) is
refused by name, never read.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from repurchase.config import ImportLimits
from repurchase.errors import ImportValidationError
from repurchase.warehouse.importing.contract import (
    KINDS,
    MAX_ISSUES,
    ImportFile,
    infer_kind,
    known_columns,
    problem,
)

PARQUET_BATCH_ROWS = 65_536  # rows unpacked at a time: ~10 MB for a visit file's columns


def _refuse(label: str, key: str, line: int | None = None, column: str | None = None, **params):
    raise ImportValidationError([problem(label, line, column, key, **params)])


def read_file(
    path: Path | str,
    kind: str | None = None,
    *,
    name: str | None = None,
    data: bytes | None = None,
    limits: ImportLimits | None = None,
) -> ImportFile:
    """Read a CSV or Parquet file as text columns. `data` lets the app pass an upload's bytes.

    Raises ImportValidationError for a file that cannot be read at all (missing, not a file,
    empty, over a limit, not UTF-8, ragged rows, duplicated columns, unknown kind).
    """
    limits = limits or ImportLimits()
    path = Path(path)
    label = name or path.name
    suffix = Path(label).suffix.lower()
    if data is None:
        data = _read_bytes(path, label, limits)
    if len(data) == 0:
        _refuse(label, "import.file.empty")
    if len(data) > limits.max_bytes:
        _too_big(label, len(data), limits)
    if suffix == ".parquet":
        return _read_parquet(label, data, kind, limits)
    if suffix in (".csv", ".txt", ""):
        return _read_csv(label, data, kind, limits)
    _refuse(label, "import.file.type", suffix=repr(suffix))


def _too_big(label: str, size: int, limits: ImportLimits) -> None:
    _refuse(
        label, "import.limit.file_size", size=f"{size / 2**20:,.1f}", limit=limits.max_megabytes
    )


def _read_bytes(path: Path, label: str, limits: ImportLimits) -> bytes:
    """A file's bytes, after making sure it is a regular file within the size limit."""
    try:
        info = path.stat()  # follows symbolic links (see the module's docstring)
    except FileNotFoundError:
        if path.is_symlink():
            _refuse(label, "import.file.broken_link", target=os.readlink(path))
        _refuse(label, "import.file.not_found")
    except OSError as exc:  # permission denied on a folder, a loop of links
        _refuse(label, "import.file.unreadable", reason=exc.strerror or type(exc).__name__)
    if stat.S_ISDIR(info.st_mode):
        _refuse(label, "import.file.directory")
    if not stat.S_ISREG(info.st_mode):
        _refuse(label, "import.file.not_regular")
    if info.st_size > limits.max_bytes:
        _too_big(label, info.st_size, limits)
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)  # a file growing meanwhile stops here
    except OSError as exc:
        _refuse(label, "import.file.unreadable", reason=exc.strerror or type(exc).__name__)
    return data


def _kind_of(label: str, kind: str | None, header: list[str]) -> str:
    kind = kind or infer_kind(label, header)
    if kind not in KINDS:
        _refuse(label, "import.file.kind", line=1)
    return kind


def _refuse_wide(label: str, columns: int, limits: ImportLimits) -> None:
    if columns > limits.max_columns:
        _refuse(
            label,
            "import.limit.columns",
            line=1,
            columns=f"{columns:,}",
            limit=f"{limits.max_columns:,}",
        )


def _refuse_duplicates(label: str, header: list[str]) -> None:
    """A column named twice: which one is the data? pandas would rename the second `x.1` and
    Parquet would let the last win; both would import a column nobody chose."""
    dupes = sorted(c for c, n in Counter(header).items() if n > 1)
    if dupes:
        raise ImportValidationError(
            [problem(label, 1, name, "import.column.duplicate") for name in dupes]
        )


# ----------------------------------------------------------------------------- CSV


def _read_csv(label: str, data: bytes, kind: str | None, limits: ImportLimits) -> ImportFile:
    try:
        text = data.decode("utf-8-sig")  # Excel writes a byte-order mark
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportValidationError([problem(label, line, None, "import.csv.encoding")]) from exc
    del data
    if csv.field_size_limit() <= limits.max_field_chars:
        csv.field_size_limit(limits.max_field_chars + 1)  # ours is the limit that speaks
    # First pass (csv module): every record must have as many fields as the header, no field
    # may pass the limit, and we learn the line each record starts on. pandas would silently
    # pad short rows or turn surplus fields into an index.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        _refuse(label, "import.csv.invalid", line=1, detail=str(exc))
    if not header or not any(h.strip() for h in header):
        _refuse(label, "import.file.empty")
    _refuse_wide(label, len(header), limits)  # before a single record is read
    header = [h.strip() for h in header]
    _refuse_duplicates(label, header)
    kind = _kind_of(label, kind, header)
    starts, bad = _scan_records(label, reader, header, limits)
    if bad:
        raise ImportValidationError(bad)
    frame = pd.read_csv(
        io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, header=0
    )
    frame.columns = header
    if len(frame) != len(starts):  # both parsers must agree on what a record is
        _refuse(label, "import.csv.quoting")
    return ImportFile(label, kind, frame, np.asarray(starts, dtype=np.int64), "line")


def _scan_records(label: str, reader, header: list[str], limits: ImportLimits):
    starts: list[int] = []
    bad = []
    previous_end = reader.line_num
    try:
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not record or record == [""]:
                continue  # blank line; pandas skips these too
            starts.append(start)
            if len(starts) > limits.max_rows:
                _refuse(label, "import.limit.rows", limit=f"{limits.max_rows:,}")
            if max(map(len, record)) > limits.max_field_chars:
                where = next(i for i, v in enumerate(record) if len(v) > limits.max_field_chars)
                column = header[where] if where < len(header) else None
                _refuse(
                    label, "import.limit.field", start, column, limit=f"{limits.max_field_chars:,}"
                )
            if len(record) != len(header):
                bad.append(
                    problem(
                        label,
                        start,
                        None,
                        "import.csv.fields",
                        fields=len(record),
                        header=len(header),
                    )
                )
                if len(bad) >= MAX_ISSUES:
                    break
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # a field that never ends, say
            _refuse(
                label,
                "import.limit.field",
                previous_end + 1,
                limit=f"{limits.max_field_chars:,}",
            )
        _refuse(label, "import.csv.invalid", line=reader.line_num, detail=str(exc))
    return starts, bad


# ----------------------------------------------------------------------------- Parquet


def _flat(kind: pa.DataType) -> bool:
    """Types whose values a CSV export could hold as text; nested or binary ones are refused."""
    if pa.types.is_dictionary(kind):
        return _flat(kind.value_type)
    return (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_decimal(kind)
        or pa.types.is_boolean(kind)
        or pa.types.is_date(kind)
        or pa.types.is_timestamp(kind)
        or pa.types.is_null(kind)
    )


def _read_parquet(label: str, data: bytes, kind: str | None, limits: ImportLimits) -> ImportFile:
    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
        columns = parquet.metadata.num_columns
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise ImportValidationError(
            [problem(label, None, None, "import.parquet.unreadable", detail=str(exc))]
        ) from exc
    _refuse_wide(label, columns, limits)  # from the footer alone: no schema built, no page read
    try:
        schema = parquet.schema_arrow
    except Exception as exc:  # as above
        raise ImportValidationError(
            [problem(label, None, None, "import.parquet.unreadable", detail=str(exc))]
        ) from exc
    header = [str(n) for n in schema.names]
    _refuse_duplicates(label, header)
    kind = _kind_of(label, kind, header)
    wanted = [c.name for c in known_columns(kind) if c.name in header]
    odd = [n for n in wanted if not _flat(schema.field(n).type)]
    if odd:
        raise ImportValidationError(
            [
                problem(label, 1, n, "import.parquet.type", type=str(schema.field(n).type))
                for n in odd
            ]
        )
    meta = parquet.metadata
    if meta.num_rows > limits.max_rows:
        _refuse(label, "import.limit.rows", limit=f"{limits.max_rows:,}")
    positions = [i for i in range(meta.num_columns) if meta.schema.column(i).name in wanted]
    stored = sum(
        meta.row_group(g).column(i).total_uncompressed_size
        for g in range(meta.num_row_groups)
        for i in positions
    )
    if stored > limits.max_bytes:
        _refuse(label, "import.limit.unpacked", limit=limits.max_megabytes)
    table = _read_batches(label, data, wanted, limits)
    raw = pd.DataFrame(
        {n: _as_text(table.column(n)) for n in wanted}, index=pd.RangeIndex(table.num_rows)
    )
    return ImportFile(label, kind, raw, np.arange(1, len(raw) + 1), "row", header=header)


def _read_batches(label: str, data: bytes, wanted: list[str], limits: ImportLimits) -> pa.Table:
    """The wanted columns, batch by batch, text kept dictionary-encoded until its unpacked size
    is known: the metadata's sizes count a dictionary once, however many rows repeat it."""
    batches, unpacked = [], 0
    for batch in _batches(label, data, wanted):
        for name, array in zip(batch.schema.names, batch.columns, strict=True):
            lengths = _value_lengths(array)
            if lengths is None:
                unpacked += array.nbytes
                continue
            too_long = pc.greater(lengths, limits.max_field_chars)
            if pc.any(too_long).as_py():
                row = sum(b.num_rows for b in batches) + pc.index(too_long, True).as_py() + 1
                _refuse(
                    label,
                    "import.limit.field",
                    row,
                    name,
                    unit="row",
                    limit=f"{limits.max_field_chars:,}",
                )
            unpacked += (pc.sum(lengths).as_py() or 0) + 8 * len(array)  # + a pointer per value
        if unpacked > limits.max_bytes:
            _refuse(label, "import.limit.unpacked", limit=limits.max_megabytes)
        batches.append(batch)
    if not batches:
        return pa.table({n: pa.array([], pa.string()) for n in wanted})
    return pa.Table.from_batches(batches)


def _batches(label: str, data: bytes, wanted: list[str]) -> Iterator[pa.RecordBatch]:
    """The file's batches; a corrupt page shows only when it is read, and is named then."""
    try:
        schema = pq.ParquetFile(io.BytesIO(data)).schema_arrow
        texts = [n for n in wanted if _is_text(schema.field(n).type)]
        reader = pq.ParquetFile(io.BytesIO(data), read_dictionary=texts)
        batches = reader.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=wanted)
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            yield batch
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise ImportValidationError(
            [problem(label, None, None, "import.parquet.unreadable", detail=str(exc))]
        ) from exc


def _is_text(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        return _is_text(kind.value_type)
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _value_lengths(array: pa.Array) -> pa.Array | None:
    """Characters of each value of a text column (dictionary-encoded or not), without unpacking
    it; None for other types, whose size is their buffers'."""
    if isinstance(array, pa.DictionaryArray):
        if not _is_text(array.dictionary.type):
            return None
        return pc.take(pc.utf8_length(array.dictionary), array.indices)
    if _is_text(array.type):
        return pc.utf8_length(array)
    return None


def _as_text(column: pa.ChunkedArray) -> pd.Series:
    """A typed column as the text a CSV export would hold ("" for a missing value)."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)  # within the limits now, checked batch by batch
        kind = kind.value_type
    if pa.types.is_timestamp(kind):
        if kind.tz is not None:
            column = pc.local_timestamp(column)  # the wall time the ERP showed
        text = pc.cast(pc.cast(column, pa.timestamp("us")), pa.string())
        # seconds are the contract's finest unit; a midnight time means "a date"
        text = pc.replace_substring_regex(text, r"\.\d+$", "")
        text = pc.replace_substring_regex(text, r" 00:00:00$", "")
    elif pa.types.is_floating(kind):
        # NaN is how pandas writes a missing number; inf stays "inf" and is refused by name;
        # a whole number is written without a fraction or an exponent, as an ERP would
        values = pc.if_else(pc.is_nan(column), None, column)
        whole = pc.and_(
            pc.and_(pc.is_finite(values), pc.less(pc.abs(values), 2.0**53)),
            pc.equal(pc.floor(values), values),
        )
        integers = pc.cast(pc.if_else(whole, values, 0.0), pa.int64())
        text = pc.if_else(whole, pc.cast(integers, pa.string()), pc.cast(values, pa.string()))
    elif pa.types.is_null(kind):
        text = pa.chunked_array([pa.nulls(len(column), pa.string())])
    else:
        text = pc.cast(column, pa.string())
    # to pandas' arrow-backed text: no Python object per value (a million rows of nine
    # columns as objects took 0.5 GB more)
    return pc.fill_null(text, "").to_pandas()
