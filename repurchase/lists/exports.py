"""CSV files people open in a spreadsheet: every text cell is data, never a formula.

A cell that starts with =, +, -, @, a tab or a carriage return is run as a formula by Excel,
LibreOffice and Google Sheets (CSV injection); an imported customer name such as
`=HYPERLINK("http://...")` would do exactly that in a manager's export. Such text cells get a
leading apostrophe (OWASP's advice), which spreadsheets show as text. Numbers stay numbers: a
negative amount is not text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Stored codes (kind of value -> columns that hold one) shown in the reader's language.
CODE_COLUMNS = {
    "method": ("method",),
    "target": ("target",),
    "purpose": ("purpose",),
    "result": ("result", "last_result"),
    "customer_type": ("customer_type",),
    "industry": ("industry",),
    "tag": ("tag",),
    "level": ("level",),
    "gender": ("gender",),
}
DECIMALS = 4  # rates and probabilities: 0.0434 is 4.34 %, enough for any reader


def for_people(frame: pd.DataFrame, label: Callable[[str, object], str]) -> pd.DataFrame:
    """A copy of `frame` for a person's spreadsheet: codes in the reader's language
    (`label(kind, code)`), fractions rounded to four decimals, amounts to cents, times to the
    minute, and empty cells empty. Numbers stay numbers so they can be summed and sorted."""
    out = frame.copy()
    for kind, columns in CODE_COLUMNS.items():
        for column in columns:
            if column in out.columns:
                out[column] = out[column].map(lambda v, k=kind: "" if pd.isna(v) else label(k, v))
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_bool_dtype(values):
            continue
        if pd.api.types.is_float_dtype(values):
            digits = 2 if "amount" in column else DECIMALS
            out[column] = values.round(digits)
        elif pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.dt.strftime("%Y-%m-%d %H:%M").where(values.notna(), "")
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            out[column] = values.map(lambda v: "" if v is None or v is pd.NA else v)
    return out


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells cannot start a formula."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
            continue
        out[column] = values.map(
            lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v
        )
    return out


# RFC 4180 line ends. With "\n" alone, Python's csv writer does not quote a field holding a
# bare "\r", and a spreadsheet then starts a new row inside it (where "=1+1" is a formula).
LINE_END = "\r\n"


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV for a download: neutralised, UTF-8 with a BOM so Excel reads Chinese."""
    return neutralise(frame).to_csv(index=False, lineterminator=LINE_END).encode("utf-8-sig")


def write_csv(frame: pd.DataFrame, path: Path | str) -> None:
    """The frame as a neutralised CSV file (the CLI's --out)."""
    neutralise(frame).to_csv(path, index=False, lineterminator=LINE_END)
