"""CSV exports: text that a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from repurchase.lists import exports


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x.example","click")', '\'=HYPERLINK("http://x.example","click")'),
        ("+1-555", "'+1-555"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("天津联新电子", "天津联新电子"),  # ordinary text untouched
        ("a=b", "a=b"),  # only a leading sign starts a formula
    ],
)
def test_text_that_would_start_a_formula_is_written_as_text(cell, written):
    frame = pd.DataFrame({"customer_name": [cell], "amount": [-3.5]})
    back = pd.read_csv(io.BytesIO(exports.csv_bytes(frame)), encoding="utf-8-sig")
    assert back.customer_name.iloc[0] == written
    assert back.amount.iloc[0] == -3.5  # a negative number is a number, not text


def test_the_cli_score_export_is_neutralised_too(tmp_path):
    scores = pd.DataFrame(
        {
            "customer_id": ["=1+1"],
            "rep_id": ["@R1"],
            "p_order": [0.4],
            "rank": [1],
            "on_list": [True],
            "expected_value": [120.0],
            "churn_risk": [0.1],
        }
    )
    path = tmp_path / "scores.csv"
    from repurchase.lists import score

    score.export_csv(scores, path)
    back = pd.read_csv(path)
    assert back.customer_id.iloc[0] == "'=1+1" and back.rep_id.iloc[0] == "'@R1"
