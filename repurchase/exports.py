"""CSV files people open in a spreadsheet: every text cell is data, never a formula.

A cell that starts with =, +, -, @, a tab or a carriage return is run as a formula by Excel,
LibreOffice and Google Sheets (CSV injection); an imported customer name such as
`=HYPERLINK("http://...")` would do exactly that in a manager's export. Such text cells get a
leading apostrophe (OWASP's advice), which spreadsheets show as text. Numbers stay numbers: a
negative amount is not text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV for a download: neutralised, UTF-8 with a BOM so Excel reads Chinese."""
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def write_csv(frame: pd.DataFrame, path: Path | str) -> None:
    """The frame as a neutralised CSV file (the CLI's --out)."""
    neutralise(frame).to_csv(path, index=False)
