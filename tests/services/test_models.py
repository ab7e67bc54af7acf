"""Calibration of a backtest's model variants, as the model page shows it."""

from __future__ import annotations

import pandas as pd
import pytest

from repurchase.services import models


def _predictions() -> pd.DataFrame:
    """Two model variants and a baseline. model/b says 0.8 where 1 in 4 ordered (ECE 0.55);
    model/a is right on average in both of its bins (ECE 0)."""
    rows = [("model/b", 0.8, label) for label in (1, 0, 0, 0)]
    rows += [("model/a", 0.25, label) for label in (1, 0, 0, 0)]
    rows += [("model/a", 0.75, label) for label in (1, 1, 1, 0)]
    rows += [("recency", 0.9, 0)] * 3
    return pd.DataFrame(rows, columns=["method", "p", "label"])


def test_calibration_covers_the_model_variants_only_in_order():
    found = models.calibration(_predictions())
    assert list(found.curves) == ["model/a", "model/b"]
    assert list(found.ece) == ["model/a", "model/b"]


def test_calibration_measures_each_variant_on_its_own_predictions():
    found = models.calibration(_predictions())
    assert found.ece["model/a"] == pytest.approx(0.0)
    assert found.ece["model/b"] == pytest.approx(0.55)
    curve = found.curves["model/b"]
    assert curve["count"].tolist() == [4]
    assert curve.observed.tolist() == [0.25]
    assert found.curves["model/a"]["count"].tolist() == [4, 4]


def test_calibration_without_a_model_variant_is_empty():
    found = models.calibration(_predictions().query("method == 'recency'"))
    assert found.curves == {} and found.ece == {}
