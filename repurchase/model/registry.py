"""Model versions: save a training run as a versioned artefact, load it safely, promote it.

An artefact is one folder per version holding `model.pt`: a plain dict of tensors, numbers,
strings and lists (the networks' state_dicts, network and training config, scalers,
vocabularies, BG/NBD parameters, the fitted peers, calibrations, metrics and the gate that chose
the serving method) that `torch.load(weights_only=True)` reads without unpickling any object,
plus `meta.json` for humans. The warehouse's `model_versions` table records every version and
which one is serving. Inside a version, the networks serve only if they made better lists than
every peer on the latest validation weeks (train.choose_serving); otherwise the best peer does.
A version is promoted only if it loads back cleanly and its serving method makes lists at least
as good as the serving version's on the same validation weeks; otherwise the serving version
stays.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from repurchase import codes
from repurchase.config import MODELS_DIR_ENV, default_models_dir
from repurchase.errors import ModelArtefactError, ModelNotFoundError
from repurchase.i18n.steps import Step
from repurchase.model import features, metrics
from repurchase.model.config import TrainConfig
from repurchase.model.effect import CallEffect
from repurchase.model.features import History
from repurchase.model.metrics import list_score
from repurchase.model.predictor import NETWORK, Predictor, TrainResult
from repurchase.warehouse.store import Warehouse, sql

# bump when the artefact layout changes; older artefacts are refused, not misread
# (2: several networks, the peers and the serving method in one artefact)
FORMAT = 2
ARTEFACT = "model.pt"


@dataclass
class LoadedModel:
    """A training run ready to score, with what it needs to read features the way it was
    trained and which method serves (the networks or a peer)."""

    version: str
    predictor: Predictor
    train_config: TrainConfig
    metrics: dict[str, float]
    gate: list[dict[str, object]]
    train_end: date  # last training anchor; validation weeks follow one horizon later
    until: date  # the history the run saw ends before this day

    @property
    def feature_set(self) -> str:
        return self.train_config.feature_set

    @property
    def horizon_days(self) -> int:
        return self.train_config.horizon_days

    @property
    def serving_method(self) -> str:
        return self.predictor.serving

    @property
    def effect(self) -> CallEffect | None:
        """The call-effect model, or None for an artefact trained before it existed (its lists
        rank by probability)."""
        return self.predictor.effect

    @property
    def ranking_choice(self) -> str:
        """What "auto" ranks by for lists this model writes: the ranking its training gate
        chose by what each wins (codes.RANKINGS), or the chance of an order when it chose none
        or has no call-effect estimate to rank by."""
        choice = self.metrics.get("ranking_choice")
        if choice in codes.RANKINGS and (choice in ("probability", "value") or self.effect):
            return str(choice)
        return codes.FALLBACK_RANKING

    @property
    def vocabulary(self) -> dict[str, list[str]]:
        return self.predictor.inputs.vocabulary

    @classmethod
    def from_result(cls, result: TrainResult, version: str) -> LoadedModel:
        """A model straight from a training run, before (or without) saving it."""
        return cls(
            version=version,
            predictor=result.predictor,
            train_config=result.train_config,
            metrics=result.metrics,
            gate=result.gate,
            train_end=result.train_end,
            until=result.until,
        )

    def samples(
        self, history: History, anchors: pd.DataFrame, labels: bool = False
    ) -> features.Samples:
        """Inputs for each (customer_id, anchor), built exactly as in training."""
        return self.predictor.samples(history, anchors, labels)

    def predict(
        self, samples: features.Samples, method: str | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(calibrated p_order, uncalibrated probability) per sample, by the serving method
        unless another is named."""
        return self.predictor.predict(samples, method)


def models_dir(warehouse: Warehouse) -> Path:
    return default_models_dir(warehouse.path)


def new_version(until: date) -> str:
    """Sortable, unique without coordination: training date, wall clock, random suffix."""
    return f"{until:%Y%m%d}-{datetime.now():%H%M%S}-{secrets.token_hex(2)}"


def _payload(result: TrainResult, version: str) -> dict[str, object]:
    return {
        "format": FORMAT,
        "version": version,
        "predictor": result.predictor.to_dict(),
        "train_config": result.train_config.to_dict(),
        "metrics": plain_metrics(result.metrics),
        "gate": [
            {k: (v if isinstance(v, str) else float(v)) for k, v in row.items()}
            for row in result.gate
        ],
        "train_start": result.train_start.isoformat(),
        "train_end": result.train_end.isoformat(),
        "until": result.until.isoformat(),
    }


def plain_metrics(values: dict) -> dict:
    """Metrics as plain data: numbers as floats, texts (the ranking's choice and reason) as
    they are, nested figures (the ranking's evidence) likewise, all through."""
    out: dict[str, object] = {}
    for k, v in values.items():
        if isinstance(v, str):
            out[k] = v
        elif isinstance(v, dict):
            out[k] = plain_metrics(v)
        elif v is None:
            out[k] = float("nan")
        else:
            out[k] = float(v)
    return out


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
        payload = _payload(result, version)
        torch.save(payload, staging / ARTEFACT)
        meta = dict(payload)  # for humans: everything but the weights and the peers' arrays
        meta["predictor"] = {
            k: v for k, v in meta["predictor"].items() if k not in ("state_dicts", "peers")
        }
        meta["predictor"]["peers"] = sorted(result.predictor.peers)
        meta["epochs"] = result.epochs
        # whose version this is: clean_up removes an unregistered folder only if it is ours
        # (a models folder may be shared through REPURCHASE_MODELS_DIR)
        meta["warehouse"] = str(warehouse.path)
        meta["timings"] = result.timings
        (staging / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False))
        load_artefact(staging / ARTEFACT)  # refuse to register what cannot be read back
        _crash_point("registry-staged")
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _crash_point("registry-renamed")
    artefact = (final / ARTEFACT).read_bytes()
    with warehouse.transaction() as cur:
        _store_artefact(cur, version, artefact)
        cur.execute(
            sql("model_version_insert_candidate"),
            {
                "version": version,
                "train_start": result.train_start,
                "train_end": result.until,
                "architecture": architecture(result),
                "hyperparams": json.dumps(
                    {"net": result.net_config.to_dict(), "train": result.train_config.to_dict()}
                ),
                "metrics": json.dumps(plain_metrics(result.metrics)),
                "artefact_path": str(final),
            },
        )
    _crash_point("registry-candidate")
    return version


def _crash_point(name: str) -> None:
    """Fault injection for the crash-safety test: `REPURCHASE_CRASH_AT=<name>` kills the
    process here, the way an OOM kill or a power cut would (tests/reliability)."""
    if os.environ.get("REPURCHASE_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True)
class CleanUp:
    """What `clean_up` resolved: left-overs of training runs that were killed."""

    partial: list[str]  # half-written artefact folders removed
    orphans: list[str]  # complete folders no version row refers to, removed
    candidates: list[str]  # versions left 'candidate' (never judged), marked rejected

    def __bool__(self) -> bool:
        return bool(self.partial or self.orphans or self.candidates)

    def summary(self) -> str:
        if not self:
            return "nothing to clean up"
        parts = []
        if self.partial:
            parts.append(f"removed {len(self.partial)} half-written artefact folder(s)")
        if self.orphans:
            parts.append(f"removed {len(self.orphans)} artefact folder(s) no version refers to")
        if self.candidates:
            parts.append(
                f"rejected {len(self.candidates)} version(s) a killed run left as candidate "
                f"({', '.join(self.candidates)})"
            )
        return "; ".join(parts)


def _saved_for(folder: Path) -> str | None:
    """The warehouse a version folder was saved for (its meta.json), if it says."""
    try:
        return json.loads((folder / "meta.json").read_text()).get("warehouse")
    except (OSError, ValueError, AttributeError):
        return None


_VERSION_FOLDER = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{4}$")
_PARTIAL_FOLDER = re.compile(r"^\.\d{8}-\d{6}-[0-9a-f]{4}\.partial$")


def clean_up(warehouse: Warehouse) -> CleanUp:
    """Resolve what a killed training run leaves: a `.partial` staging folder (killed while
    writing), a version folder without a row (killed between the rename and the insert) and a
    `candidate` row (killed before the promotion decided). The serving version is never
    touched. Call it only while no other training run can be writing, i.e. holding the retrain
    job's slot (job_runner.py): train, nightly and `models --clean` do."""
    root = models_dir(warehouse)
    with warehouse.transaction() as cur:
        rows = cur.execute(sql("model_versions_paths_and_status")).fetchall()
        candidates = sorted(v for v, _, status in rows if status == "candidate")
        if candidates:
            cur.execute(sql("model_versions_reject_candidates"))
    known = {Path(path).resolve() for _, path, _ in rows}
    # beside the warehouse the folder is ours alone; a shared one (REPURCHASE_MODELS_DIR) may
    # hold another warehouse's run in progress, so only what says it is ours is removed there
    own_folder = not os.environ.get(MODELS_DIR_ENV)
    partial, orphans = [], []
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            if not folder.is_dir():
                continue
            if _PARTIAL_FOLDER.match(folder.name) and (
                own_folder or _saved_for(folder) == str(warehouse.path)
            ):
                partial.append(folder.name)
            elif (
                _VERSION_FOLDER.match(folder.name)
                and folder.resolve() not in known
                and _saved_for(folder) == str(warehouse.path)
            ):
                orphans.append(folder.name)
            else:
                continue
            shutil.rmtree(folder)
    return CleanUp(partial, orphans, candidates)


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
        predictor = Predictor.from_dict(data["predictor"])
        expected = features.FEATURE_SETS.get(predictor.inputs.feature_set)
        if expected is None or tuple(predictor.inputs.scaler.feature_names) != expected:
            raise ModelArtefactError(
                f"model artefact {path} was trained on features "
                f"{list(predictor.inputs.scaler.feature_names)}, which this code does not "
                f"build the same way; retrain it"
            )
        if predictor.serving not in predictor.methods:
            raise ModelArtefactError(
                f"model artefact {path} serves {predictor.serving!r}, which it does not hold"
            )
    except ModelArtefactError:
        raise
    except (KeyError, TypeError, RuntimeError, ValueError) as exc:
        raise ModelArtefactError(f"model artefact {path} does not match this code: {exc}") from exc
    return LoadedModel(
        version=data["version"],
        predictor=predictor,
        train_config=train_config,
        metrics=dict(data["metrics"]),
        gate=[dict(row) for row in data.get("gate", [])],
        train_end=date.fromisoformat(data["train_end"]),
        until=date.fromisoformat(data["until"]),
    )


def architecture(result: TrainResult) -> str:
    """What a version is, in a few words: the networks, and what serves if not them."""
    cfg = result.train_config
    name = f"cnn-lstm/{cfg.network}/{cfg.feature_set}"
    if result.predictor.serving != NETWORK:
        name += f" (serving peer: {result.predictor.serving})"
    return name


def versions(warehouse: Warehouse):
    """Every registered version, newest first (a DataFrame of model_versions)."""
    return warehouse.query("model_versions")


def serving_version(warehouse: Warehouse) -> str | None:
    with warehouse.connect() as cur:
        row = cur.execute(sql("model_version_serving_path")).fetchone()
    return row[0] if row else None


def _store_artefact(cur, version: str, artefact: bytes) -> None:
    cur.execute(
        sql("model_artefact_insert"),
        {"version": version, "artefact": artefact, "sha256": hashlib.sha256(artefact).hexdigest()},
    )


def store_missing_artefacts(warehouse: Warehouse) -> list[str]:
    """Keep in the warehouse the artefact of every registered version that has its file here
    but no copy there (versions registered before migration 0018); returns their versions."""
    with warehouse.connect() as cur:
        rows = cur.execute(sql("model_versions_without_artefact")).fetchall()
    stored = []
    for version, path in rows:
        file = Path(path) / ARTEFACT
        if not file.is_file():
            file = models_dir(warehouse) / version / ARTEFACT
        if file.is_file():
            with warehouse.transaction() as cur:
                _store_artefact(cur, version, file.read_bytes())
            stored.append(version)
    return stored


def _local_artefact(warehouse: Warehouse, version: str, path: str) -> Path:
    """The artefact file of `version` on this server: where it was saved, else in this server's
    models folder, copied there from the warehouse the first time (another server trained it)."""
    saved = Path(path) / ARTEFACT
    if saved.is_file():
        return saved
    local = models_dir(warehouse) / version / ARTEFACT
    if local.is_file():
        return local
    with warehouse.connect() as cur:
        row = cur.execute(sql("model_artefact_by_version"), {"version": version}).fetchone()
    if row is None:
        raise ModelArtefactError(
            f"model artefact {saved} is missing, and the warehouse holds no copy of version "
            f"{version} (registered before it kept them): copy that folder to {local.parent}, "
            "or retrain"
        )
    artefact = bytes(row[0])
    if hashlib.sha256(artefact).hexdigest() != row[1]:
        raise ModelArtefactError(f"the warehouse's copy of model version {version} is damaged")
    local.parent.mkdir(parents=True, exist_ok=True)
    partial = local.with_name(f".{ARTEFACT}.{os.getpid()}.partial")
    partial.write_bytes(artefact)
    os.replace(partial, local)  # whole or absent, also with two sessions fetching at once
    return local


def load(warehouse: Warehouse, version: str | None = None) -> LoadedModel:
    """Load `version`, or the serving one. Raises ModelNotFoundError if there is none."""
    with warehouse.connect() as cur:
        if version is None:
            row = cur.execute(sql("model_version_serving_path")).fetchone()
            if row is None:
                raise ModelNotFoundError(
                    "no model is serving yet; train one with `python -m repurchase train`"
                )
        else:
            row = cur.execute(sql("model_version_path"), {"version": version}).fetchone()
            if row is None:
                raise ModelNotFoundError(f"there is no model version {version!r}")
    return load_artefact(_local_artefact(warehouse, row[0], row[1]))


@dataclass(frozen=True)
class Promotion:
    promoted: bool
    reason: str
    candidate_score: float  # list precision (metrics.list_score) on the same weeks
    serving_score: float | None


def report_days(model: LoadedModel) -> tuple[date, date]:
    """First and last of a run's report weeks: the last validation weeks, which no epoch
    choice or calibration of that run has seen (see train.time_split)."""
    cfg = model.train_config
    last = model.train_end + timedelta(days=cfg.horizon_days, weeks=cfg.validation_weeks - 1)
    weeks = max(1, min(cfg.report_weeks, cfg.validation_weeks // 2))
    return last - timedelta(weeks=weeks - 1), last


# Both versions score every row of the comparison. All books of every week cost ~15 minutes at
# 10M visits (1M rows, each model); a seeded draw of whole books, the same every night,
# keeps the cost flat.
COMPARE_ROWS = 100_000
COMPARE_SEED = 0


def compare_on_validation(
    candidate: LoadedModel,
    serving: LoadedModel,
    history: History,
    rows: int = COMPARE_ROWS,
    seed: int = COMPARE_SEED,
) -> tuple[float, float]:
    """List precision of both versions' serving methods on the candidate's report weeks: the
    whole books of active reps, all of them or, past `rows` rows, reps drawn with `seed`
    (metrics.whole_books), the same rows for both, so both are judged on the same lists."""
    first, last = report_days(candidate)
    anchors = features.weekly_anchors(history, first, last)
    customers = history.customers.set_index("customer_id")
    active = customers.rep_active.fillna(False).astype(bool)
    anchors = anchors[anchors.customer_id.map(active).to_numpy()]
    reps = customers.owner_rep_id.loc[anchors.customer_id].to_numpy()
    kept = metrics.whole_books(reps, rows, seed)
    anchors, reps = anchors.iloc[kept].reset_index(drop=True), reps[kept]
    scores = []
    for model in (candidate, serving):
        samples = model.samples(history, anchors, labels=True)
        p, _ = model.predict(samples)
        found = metrics.list_metrics(
            samples.anchors, reps, p, samples.labels, candidate.train_config.top_n
        )
        scores.append(list_score(found))
    return scores[0], scores[1]


def promote_if_not_worse(
    warehouse: Warehouse, version: str, history: History, tolerance: float = 0.0
) -> Promotion:
    """Make `version` the serving model if it loads and its lists are at least as precise as
    the serving version's on the same weeks (minus `tolerance`). The first model is promoted
    if its lists beat the base rate. A refusal leaves the serving version as it was."""
    candidate = load(warehouse, version)
    current = serving_version(warehouse)
    candidate_score = candidate.metrics.get("list_precision", float("nan"))
    serving_score = None
    method = candidate.serving_method
    if current is None:
        base = candidate.metrics.get("base_rate", float("nan"))
        ok = bool(candidate_score > base)
        reason = (
            Step(
                "jobs.step.first_promoted",
                method=method,
                candidate=float(candidate_score),
                base=float(base),
            )
            if ok
            else Step("jobs.step.first_refused", candidate=float(candidate_score), base=float(base))
        )
    else:
        try:
            serving = load(warehouse, current)
        except ModelArtefactError as exc:
            ok, reason = True, Step("jobs.step.serving_broken", current=current, error=str(exc))
        else:
            candidate_score, serving_score = compare_on_validation(candidate, serving, history)
            ok = candidate_score >= serving_score - tolerance
            reason = Step(
                "jobs.step.compared",
                candidate=float(candidate_score),
                method=method,
                current=current,
                serving=float(serving_score),
                serving_method=serving.serving_method,
            )
    if not ok:
        with warehouse.transaction() as cur:
            cur.execute(sql("model_version_reject"), {"version": version})
    else:
        promote(warehouse, version)
    return Promotion(ok, reason, candidate_score, serving_score)


def promote(warehouse: Warehouse, version: str, at: datetime | None = None) -> None:
    """Make `version` the serving model from `at` (now), retiring the one serving before it,
    in one statement: there is never a moment with two serving versions or none."""
    with warehouse.transaction() as cur:
        cur.execute(sql("model_versions_promote"), {"version": version, "at": at or datetime.now()})


def reject(warehouse: Warehouse, version: str) -> None:
    """Mark a candidate that will not be judged (its run was cancelled) as rejected."""
    with warehouse.transaction() as cur:
        cur.execute(sql("model_version_reject_candidate"), {"version": version})
