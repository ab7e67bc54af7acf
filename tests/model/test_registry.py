"""Model versions: safe artefacts, clear errors, promotion only when not worse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from repurchase.errors import ModelArtefactError, ModelNotFoundError
from repurchase.model import features, registry, train
from repurchase.model.network import build

from ..conftest import SMALL_UNTIL, TINY_TRAINING

REPO = Path(__file__).resolve().parents[2]


def _modules_after_importing(*modules: str) -> set[str]:
    """The modules a fresh interpreter holds after importing `modules` (from this checkout)."""
    code = (
        "import importlib, sys\n"
        f"for name in {list(modules)!r}: importlib.import_module(name)\n"
        "print('\\n'.join(sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    return set(out.stdout.split())


def test_serving_loads_without_the_training_loop():
    loaded = _modules_after_importing("repurchase.model.registry", "repurchase.model.predictor")
    assert "repurchase.model.registry" in loaded
    assert "repurchase.model.train" not in loaded


def test_the_training_settings_load_without_torch():
    loaded = _modules_after_importing("repurchase.model.config")
    assert "repurchase.model.config" in loaded
    assert "torch" not in loaded


def _artefact(wh) -> Path:
    return Path(registry.versions(wh).artefact_path.iloc[0]) / registry.ARTEFACT


def test_an_artefact_is_plain_data_and_loads_back_to_the_same_predictions(trained_warehouse):
    path = _artefact(trained_warehouse)
    raw = torch.load(path, weights_only=True)  # nothing but tensors, numbers, strings, lists
    assert {"predictor", "metrics", "gate", "train_config"} <= set(raw)
    assert {"state_dicts", "inputs", "peers", "calibration", "serving"} <= set(raw["predictor"])
    model = registry.load(trained_warehouse)
    history = features.load_history(trained_warehouse, SMALL_UNTIL)
    samples = model.samples(history, features.daily_anchors(history, SMALL_UNTIL))
    again = registry.load_artefact(path)
    for method in model.predictor.methods:  # the networks and every peer come back the same
        np.testing.assert_array_equal(
            model.predict(samples, method)[0], again.predict(samples, method)[0]
        )
    row = registry.versions(trained_warehouse).iloc[0]
    assert row.status == "serving" and row.train_end.date() == SMALL_UNTIL


def test_no_model_yet_says_how_to_get_one(small_warehouse):
    with pytest.raises(ModelNotFoundError, match="python -m repurchase train"):
        registry.load(small_warehouse)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "missing"])
def test_a_damaged_artefact_fails_clearly(trained_warehouse, tmp_path, damage):
    source = _artefact(trained_warehouse)
    copy = tmp_path / "model.pt"
    if damage == "truncate":
        copy.write_bytes(source.read_bytes()[:2000])
    elif damage == "garbage":
        copy.write_bytes(b"not a model at all")
    with pytest.raises(ModelArtefactError, match=str(copy)):
        registry.load_artefact(copy)


def test_an_artefact_from_other_code_is_refused(trained_warehouse, tmp_path):
    data = torch.load(_artefact(trained_warehouse), weights_only=True)
    data["predictor"]["inputs"]["scaler"]["feature_names"] = ["something", "else"]
    mismatched = tmp_path / "model.pt"
    torch.save(data, mismatched)
    with pytest.raises(ModelArtefactError, match="retrain"):
        registry.load_artefact(mismatched)
    data["format"] = 99
    torch.save(data, mismatched)
    with pytest.raises(ModelArtefactError, match="format 99"):
        registry.load_artefact(mismatched)


def _worse_result(history) -> train.TrainResult:
    """A 'trained' model whose weights are random: no better than chance."""
    result = train.train(
        history, SMALL_UNTIL, train.TrainConfig(**{**TINY_TRAINING, "max_epochs": 1})
    )
    torch.manual_seed(99)
    result.predictor.nets = [build(result.net_config).eval()]
    result.predictor.peers = {}
    result.predictor.serving = "network"
    result.metrics["list_precision"] = 0.99  # a lie in the metrics must not get it promoted
    return result


def test_a_worse_model_is_not_promoted_and_the_serving_one_stays(trained_warehouse):
    serving = registry.serving_version(trained_warehouse)
    history = features.load_history(trained_warehouse, SMALL_UNTIL)
    version = registry.save(trained_warehouse, _worse_result(history))
    promotion = registry.promote_if_not_worse(trained_warehouse, version, history)
    assert not promotion.promoted
    assert promotion.candidate_score < promotion.serving_score
    assert registry.serving_version(trained_warehouse) == serving
    table = registry.versions(trained_warehouse).set_index("version")
    assert table.status[version] == "rejected"


def test_a_corrupt_candidate_cannot_be_promoted(trained_warehouse):
    serving = registry.serving_version(trained_warehouse)
    history = features.load_history(trained_warehouse, SMALL_UNTIL)
    version = registry.save(trained_warehouse, _worse_result(history))
    path = Path(registry.versions(trained_warehouse).set_index("version").artefact_path[version])
    (path / registry.ARTEFACT).write_bytes(b"damaged on disk")
    with pytest.raises(ModelArtefactError):
        registry.promote_if_not_worse(trained_warehouse, version, history)
    assert registry.serving_version(trained_warehouse) == serving
    assert registry.load(trained_warehouse).version == serving


def test_an_equally_good_retrain_is_promoted(trained_warehouse):
    history = features.load_history(trained_warehouse, SMALL_UNTIL)
    result = train.train(history, SMALL_UNTIL, train.TrainConfig(**TINY_TRAINING))
    version = registry.save(trained_warehouse, result)  # same seed, same data: the same model
    promotion = registry.promote_if_not_worse(trained_warehouse, version, history)
    assert promotion.promoted, promotion.reason
    assert registry.serving_version(trained_warehouse) == version
    statuses = registry.versions(trained_warehouse).status.tolist()
    assert statuses.count("serving") == 1 and "retired" in statuses


def test_the_comparison_judges_both_versions_on_the_same_seeded_whole_books(
    trained_warehouse, monkeypatch
):
    history = features.load_history(trained_warehouse, SMALL_UNTIL)
    model = registry.load(trained_warehouse)
    judged = []

    def list_metrics(day, rep, score, label, top_n, p=None):
        judged.append((np.asarray(day), np.asarray(rep), np.asarray(label)))
        return {"precision_top_n": 0.5, "precision_top10pct": 0.5}

    monkeypatch.setattr(registry.metrics, "list_metrics", list_metrics)
    registry.compare_on_validation(model, model, history, rows=10**9)
    (_, every_rep, _), _ = judged
    weeks = len(set(judged[0][0]))
    judged.clear()
    cap = len(every_rep) - 1
    registry.compare_on_validation(model, model, history, rows=cap, seed=11)
    (day, rep, label), (day2, rep2, label2) = judged
    assert 0 < len(rep) <= cap
    assert np.array_equal(day, day2) and np.array_equal(rep, rep2)  # the same rows for both
    assert np.array_equal(label, label2)
    assert len(set(day)) == weeks  # every report week, fewer reps
    assert all((rep == r).sum() == (every_rep == r).sum() for r in set(rep))  # whole books
    judged.clear()
    registry.compare_on_validation(model, model, history, rows=cap, seed=11)
    assert np.array_equal(judged[0][1], rep)  # seeded: the same draw every night
