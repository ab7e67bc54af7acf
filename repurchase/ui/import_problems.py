"""An import's problems in the user's language: each problem's message, and the table the Data
page shows. Pure functions of the problems the importer reports (`ValidationIssue`, with the
i18n key and parameters of each); the importer itself only writes the English the CLI prints."""

from __future__ import annotations

import pandas as pd

from repurchase import i18n
from repurchase.errors import ValidationIssue


def render(issue: ValidationIssue, language: str = "en") -> str:
    """A problem's message in `language` (messages built without a key stay as they are)."""
    if not issue.key:
        return issue.message
    return i18n.text(issue.key, language, **dict(issue.params))


def issues_frame(issues: list[ValidationIssue], language: str = "en") -> pd.DataFrame:
    """The problems as a table, headed and worded in `language`.

    Columns: file, line (nullable integer), column, problem, each headed in `language`."""
    names = [
        i18n.text(f"import.table.{c}", language) for c in ("file", "line", "column", "problem")
    ]
    rows = [(i.file, i.line, i.column or "", render(i, language)) for i in issues]
    frame = pd.DataFrame(rows, columns=names)
    frame[names[1]] = frame[names[1]].astype("Int64")
    return frame
