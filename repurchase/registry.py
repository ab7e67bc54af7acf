"""Model versions: save a training run as a versioned artefact, load it safely, promote it.

An artefact is one folder per version holding `model.pt`: a plain dict of tensors, numbers,
strings and lists (state_dict, network and training config, scaler, vocabularies,
calibration, metrics) that `torch.load(weights_only=True)` reads without unpickling any object,
plus `meta.json` for humans. The warehouse's `model_versions` table records every version and
which one is serving. A version is promoted only if it loads back cleanly and is not worse than
the serving one on the same validation data; otherwise the serving version stays.
"""

from __future__ import annotations

import json
import secrets
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import roc_auc_score

from repurchase import features
from repurchase.config import default_models_dir
from repurchase.errors import ModelArtefactError, ModelNotFoundError
from repurchase.features import History, Scaler
from repurchase.model import NetConfig, RepurchaseNet
from repurchase.train import TrainConfig, TrainResult, apply_calibration, predict_logits
from repurchase.warehouse import Warehouse

FORMAT = 1  # bump when the artefact layout changes; older artefacts are refused, not misread
ARTEFACT = "model.pt"


@dataclass
class LoadedModel:
    """A network ready to score, with what it needs to read features the way it was trained."""

    version: str
    net: RepurchaseNet
    net_config: NetConfig
    train_config: TrainConfig
    scaler: Scaler
    vocabulary: dict[str, list[str]]
    calibration: dict[str, float]
    metrics: dict[str, float]
    train_end: date  # last training anchor; validation weeks follow one horizon later
    until: date  # the history the run saw ends before this day

    @property
    def feature_set(self) -> str:
        return self.train_config.feature_set

    @property
    def horizon_days(self) -> int:
        return self.train_config.horizon_days

    @classmethod
    def from_result(cls, result: TrainResult, version: str) -> LoadedModel:
        """A model straight from a training run, before (or without) saving it."""
        return cls(
            version=version,
            net=result.net,
            net_config=result.net_config,
            train_config=result.train_config,
            scaler=result.scaler,
            vocabulary=result.vocabulary,
            calibration=result.calibration,
            metrics=result.metrics,
            train_end=result.train_end,
            until=result.until,
        )

    def predict(self, samples: features.Samples) -> tuple[np.ndarray, np.ndarray]:
        """(calibrated p_order, raw network probability) per sample."""
        dev = next(self.net.parameters()).device
        t = torch.from_numpy(self.scaler.temporal(samples)).to(dev)
        s = torch.from_numpy(self.scaler.static(samples)).to(dev)
        log_odds = predict_logits(self.net, t, s)
        return apply_calibration(log_odds, self.calibration), 1 / (1 + np.exp(-log_odds))


def models_dir(warehouse: Warehouse) -> Path:
    return default_models_dir(warehouse.path)


def new_version(until: date) -> str:
    """Sortable, unique without coordination: training date, wall clock, random suffix."""
    return f"{until:%Y%m%d}-{datetime.now():%H%M%S}-{secrets.token_hex(2)}"


def _payload(result: TrainResult, version: str) -> dict[str, object]:
    return {
        "format": FORMAT,
        "version": version,
        "state_dict": result.net.state_dict(),
        "net_config": result.net_config.to_dict(),
        "train_config": result.train_config.to_dict(),
        "scaler": result.scaler.to_dict(),
        "vocabulary": result.vocabulary,
        "calibration": result.calibration,
        "metrics": {k: float(v) for k, v in result.metrics.items()},
        "train_start": result.train_start.isoformat(),
        "train_end": result.train_end.isoformat(),
        "until": result.until.isoformat(),
    }


def save(warehouse: Warehouse, result: TrainResult) -> str:
    """Write the artefact, check it loads back, and record it as a candidate. Returns the
    version. The artefact is written to a temporary folder first, so a crash leaves no
    half-written version behind."""
    version = new_version(result.until)
    root = models_dir(warehouse)
    final = root / version
    staging = root / f".{version}.partial"
    staging.mkdir(parents=True, exist_ok=False)
    try:
        torch.save(_payload(result, version), staging / ARTEFACT)
        meta = {k: v for k, v in _payload(result, version).items() if k != "state_dict"}
        meta["epochs"] = result.epochs
        meta["timings"] = result.timings
        (staging / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False))
        load_artefact(staging / ARTEFACT)  # refuse to register what cannot be read back
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    with warehouse.transaction() as cur:
        cur.execute(
            """
            insert into model_versions (version, train_start, train_end, architecture,
                                        hyperparams, metrics, artefact_path, status)
            values ($version, $start, $end, $architecture, $hyper, $metrics, $path, 'candidate')
            """,
            {
                "version": version,
                "start": result.train_start,
                "end": result.until,
                "architecture": f"cnn-lstm/{result.train_config.feature_set}",
                "hyper": json.dumps(
                    {"net": result.net_config.to_dict(), "train": result.train_config.to_dict()}
                ),
                "metrics": json.dumps({k: float(v) for k, v in result.metrics.items()}),
                "path": str(final),
            },
        )
    return version


def load_artefact(path: Path) -> LoadedModel:
    """Load and check an artefact. Raises ModelArtefactError naming the file and the problem."""
    if not path.is_file():
        raise ModelArtefactError(f"model artefact {path} is missing")
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises several types for a damaged file
        raise ModelArtefactError(f"model artefact {path} is unreadable or damaged: {exc}") from exc
    found = data.get("format") if isinstance(data, dict) else "?"
    if found != FORMAT:
        raise ModelArtefactError(
            f"model artefact {path} has format {found}, "
            f"this code reads format {FORMAT}; retrain with `python -m repurchase train`"
        )
    try:
        train_config = TrainConfig(**data["train_config"])
        net_config = NetConfig(**data["net_config"])
        scaler = Scaler.from_dict(data["scaler"])
        expected = features.FEATURE_SETS.get(train_config.feature_set)
        if expected is None or tuple(scaler.feature_names) != expected:
            raise ModelArtefactError(
                f"model artefact {path} was trained on features {list(scaler.feature_names)}, "
                f"which this code does not build the same way; retrain it"
            )
        net = RepurchaseNet(net_config)
        net.load_state_dict(data["state_dict"], strict=True)
        net.eval()
    except ModelArtefactError:
        raise
    except (KeyError, TypeError, RuntimeError, ValueError) as exc:
        raise ModelArtefactError(f"model artefact {path} does not match this code: {exc}") from exc
    return LoadedModel(
        version=data["version"],
        net=net,
        net_config=net_config,
        train_config=train_config,
        scaler=scaler,
        vocabulary={k: list(v) for k, v in data["vocabulary"].items()},
        calibration=dict(data["calibration"]),
        metrics=dict(data["metrics"]),
        train_end=date.fromisoformat(data["train_end"]),
        until=date.fromisoformat(data["until"]),
    )


def versions(warehouse: Warehouse):
    """Every registered version, newest first (a DataFrame of model_versions)."""
    return warehouse.query("model_versions")


def serving_version(warehouse: Warehouse) -> str | None:
    with warehouse.connect() as cur:
        row = cur.execute("select version from model_versions where status = 'serving'").fetchone()
    return row[0] if row else None


def load(warehouse: Warehouse, version: str | None = None) -> LoadedModel:
    """Load `version`, or the serving one. Raises ModelNotFoundError if there is none."""
    with warehouse.connect() as cur:
        if version is None:
            row = cur.execute(
                "select version, artefact_path from model_versions where status = 'serving'"
            ).fetchone()
            if row is None:
                raise ModelNotFoundError(
                    "no model is serving yet; train one with `python -m repurchase train`"
                )
        else:
            row = cur.execute(
                "select version, artefact_path from model_versions where version = $v",
                {"v": version},
            ).fetchone()
            if row is None:
                raise ModelNotFoundError(f"there is no model version {version!r}")
    return load_artefact(Path(row[1]) / ARTEFACT)


@dataclass(frozen=True)
class Promotion:
    promoted: bool
    reason: str
    candidate_auc: float
    serving_auc: float | None


def validation_days(model: LoadedModel) -> tuple[date, date]:
    """First and last validation anchor of a model's training run (see train.time_split)."""
    cfg = model.train_config
    first = model.train_end + timedelta(days=cfg.horizon_days)
    return first, first + timedelta(weeks=cfg.validation_weeks - 1)


def compare_on_validation(
    candidate: LoadedModel, serving: LoadedModel, history: History
) -> tuple[float, float]:
    """AUC of both models on the candidate's validation weeks, so the two are judged on the
    same customers and days."""
    first, last = validation_days(candidate)
    anchors = features.weekly_anchors(history, first, last)
    take = min(candidate.train_config.validation_samples, len(anchors))
    rng = np.random.default_rng(candidate.train_config.seed)
    anchors = anchors.iloc[np.sort(rng.choice(len(anchors), take, replace=False))]
    scores = []
    for model in (candidate, serving):
        samples = features.build_samples(
            history, anchors, model.feature_set, model.vocabulary, candidate.horizon_days
        )
        p, _ = model.predict(samples)
        scores.append(float(roc_auc_score(samples.labels, p)))
    return scores[0], scores[1]


def promote_if_not_worse(
    warehouse: Warehouse, version: str, history: History, tolerance: float = 0.0
) -> Promotion:
    """Make `version` the serving model if it loads and its validation AUC is at least the
    serving model's on the same data (minus `tolerance`). The first model is promoted if it
    beats chance. A refusal leaves the serving version as it was."""
    candidate = load(warehouse, version)
    current = serving_version(warehouse)
    candidate_auc = candidate.metrics.get("valid_auc", float("nan"))
    serving_auc = None
    if current is None:
        ok = candidate_auc > 0.5
        reason = (
            f"first model, validation AUC {candidate_auc:.4f}"
            if ok
            else f"validation AUC {candidate_auc:.4f} is no better than chance"
        )
    else:
        try:
            serving = load(warehouse, current)
        except ModelArtefactError as exc:
            ok, reason = True, f"the serving version {current} no longer loads ({exc})"
        else:
            candidate_auc, serving_auc = compare_on_validation(candidate, serving, history)
            ok = candidate_auc >= serving_auc - tolerance
            reason = (
                f"validation AUC {candidate_auc:.4f} vs serving {current} "
                f"{serving_auc:.4f} on the same weeks"
            )
    with warehouse.transaction() as cur:
        if ok:
            cur.execute("update model_versions set status = 'retired' where status = 'serving'")
            cur.execute(
                "update model_versions set status = 'serving', promoted_at = now() "
                "where version = $v",
                {"v": version},
            )
        else:
            cur.execute(
                "update model_versions set status = 'rejected' where version = $v", {"v": version}
            )
    return Promotion(ok, reason, candidate_auc, serving_auc)
