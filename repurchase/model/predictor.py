"""Everything a training run produced that scoring needs, in one place: how to build the
inputs (feature set, vocabularies, scalers, BG/NBD parameters), the networks (several seeds,
averaged), the fitted peers, each method's Platt calibration, and which method serves.

Train and score build samples through `Predictor.samples`, so the two cannot drift. The
whole thing round-trips through a plain dict (`to_dict` / `from_dict`) that
`torch.load(weights_only=True)` reads without unpickling any object. `TrainResult` is the
predictor with the figures that chose it, as a training run hands it to the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import torch
from torch import nn

from repurchase.model import bgnbd, features, peers, summary
from repurchase.model.config import TrainConfig
from repurchase.model.effect import CallEffect
from repurchase.model.features import History, Samples, Scaler
from repurchase.model.network import NetConfig, build

NETWORK = "network"  # the method name of the networks' average in gates and reports


BATCHES_PER_TICK = 32


def predict_logits(
    net: nn.Module,
    temporal: torch.Tensor,
    static: torch.Tensor,
    summary_x: torch.Tensor | None = None,
    batch: int = 256,
    tick: Callable[[], None] | None = None,
) -> np.ndarray:
    """Log-odds of 'order' for every row, in evaluation mode, without gradients. Batches of
    256: this CPU's LSTM kernels score ~35 % more customers per second than at 4096
    (bench/model_speed.py). `tick()` is called every `BATCHES_PER_TICK` batches: training
    scores tens of thousands of validation rows this way, and a job may stop there."""
    net.eval()
    out = []
    with torch.no_grad():
        for n, i in enumerate(range(0, len(temporal), batch)):
            if tick is not None and n and n % BATCHES_PER_TICK == 0:
                tick()
            s = None if summary_x is None else summary_x[i : i + batch]
            logits = net(temporal[i : i + batch], static[i : i + batch], s)
            out.append((logits[:, 1] - logits[:, 0]).cpu().numpy())
    return np.concatenate(out) if out else np.zeros(0)


def limit_threads(n: int) -> None:
    """At most `n` CPU threads for torch's operations and the OpenMP / BLAS pools the boosted
    trees use, for the rest of the process (a job's process; see config.job_threads)."""
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(n)
    threadpool_limits(limits=n)


def apply_calibration(z: np.ndarray, calibration: dict[str, float]) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(calibration["a"] * z + calibration["b"])))


def to_log_odds(p: np.ndarray) -> np.ndarray:
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(q / (1 - q))


@dataclass
class SummaryScaler:
    """Min-max scaling of the summary to [0, 1], fitted on training samples, then clipped."""

    minimum: np.ndarray
    maximum: np.ndarray

    @classmethod
    def fit(cls, values: np.ndarray) -> SummaryScaler:
        return cls(values.min(axis=0), values.max(axis=0))

    def __call__(self, values: np.ndarray) -> np.ndarray:
        span = np.where(self.maximum > self.minimum, self.maximum - self.minimum, 1.0)
        return np.clip((values - self.minimum) / span, 0.0, 1.0).astype(np.float32)

    def to_dict(self) -> dict[str, list[float]]:
        return {
            "minimum": self.minimum.astype(float).tolist(),
            "maximum": self.maximum.astype(float).tolist(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> SummaryScaler:
        return cls(np.asarray(data["minimum"], np.float32), np.asarray(data["maximum"], np.float32))


@dataclass
class Inputs:
    """How samples are built and scaled for one training run."""

    feature_set: str
    horizon_days: int
    vocabulary: dict[str, list[str]]
    bgnbd: bgnbd.BGNBD | None
    scaler: Scaler | None = None
    summary_scaler: SummaryScaler | None = None

    def samples(self, history: History, anchors: pd.DataFrame, labels: bool) -> Samples:
        """Windows plus the summary for each (customer_id, anchor); labels if asked (the
        horizon must then be observed)."""
        s = features.build_samples(
            history,
            anchors,
            self.feature_set,
            self.vocabulary,
            self.horizon_days if labels else None,
        )
        cust = s.customer_ids_index(history)
        s.summary = summary.compute(
            history,
            cust,
            s.anchor_seconds(),
            self.bgnbd,
            self.horizon_days,
            days=_purchase_days(history),
        )
        return s

    def fit_scalers(self, samples: Samples) -> None:
        self.scaler = Scaler.fit(samples, self.vocabulary)
        self.summary_scaler = SummaryScaler.fit(samples.summary)

    def tensors(self, samples: Samples, kind: str, dev: torch.device) -> tuple[torch.Tensor, ...]:
        """(temporal, static, summary) tensors as the network of `kind` reads them: the paper's
        network reads scaled category codes, the hybrid raw codes for its embeddings."""
        temporal = torch.from_numpy(self.scaler.temporal(samples)).to(dev)
        if kind == "paper":
            static = torch.from_numpy(self.scaler.static(samples)).to(dev)
        else:
            static = torch.from_numpy(samples.static.astype(np.float32)).to(dev)
        summ = torch.from_numpy(self.summary_scaler(samples.summary)).to(dev)
        return temporal, static, summ

    def to_dict(self) -> dict:
        return {
            "feature_set": self.feature_set,
            "horizon_days": self.horizon_days,
            "vocabulary": self.vocabulary,
            "bgnbd": None
            if self.bgnbd is None
            else [self.bgnbd.r, self.bgnbd.alpha, self.bgnbd.a, self.bgnbd.b],
            "scaler": self.scaler.to_dict(),
            "summary_scaler": self.summary_scaler.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Inputs:
        params = data["bgnbd"]
        return cls(
            feature_set=str(data["feature_set"]),
            horizon_days=int(data["horizon_days"]),
            vocabulary={k: list(v) for k, v in data["vocabulary"].items()},
            bgnbd=None if params is None else bgnbd.BGNBD(*[float(v) for v in params]),
            scaler=Scaler.from_dict(data["scaler"]),
            summary_scaler=SummaryScaler.from_dict(data["summary_scaler"]),
        )


def _purchase_days(history: History) -> summary.PurchaseDays:
    """Purchase days of a history, computed once per History object (training builds samples
    from the same history every epoch), kept on that History: a module-level cache kept the
    training history alive while the nightly job read the next one to score."""
    return features.cached(history, "purchase_days", lambda: summary.PurchaseDays.of(history))


@dataclass
class Predictor:
    """Networks, peers and calibrations of one training run, and which method serves."""

    inputs: Inputs
    net_config: NetConfig
    nets: list[nn.Module]
    calibration: dict[str, dict[str, float]]  # method -> Platt {a, b}
    peers: dict[str, peers.Peer] = field(default_factory=dict)
    serving: str = NETWORK
    effect: CallEffect | None = None  # the call-effect model (None: an older artefact)

    @property
    def methods(self) -> list[str]:
        return [NETWORK, *self.peers]

    def samples(self, history: History, anchors: pd.DataFrame, labels: bool = False) -> Samples:
        return self.inputs.samples(history, anchors, labels)

    def raw(
        self, samples: Samples, method: str | None = None, tick: Callable[[], None] | None = None
    ) -> np.ndarray:
        """Uncalibrated log-odds-like score of `method` (default: the serving one); `tick`
        as predict_logits calls it."""
        method = method or self.serving
        if method == NETWORK:
            if not len(samples):
                return np.zeros(0)
            dev = next(self.nets[0].parameters()).device
            t, s, m = self.inputs.tensors(samples, self.net_config.kind, dev)
            return np.mean([predict_logits(net, t, s, m, tick=tick) for net in self.nets], axis=0)
        peer = self.peers[method]
        score = peer.score(samples)
        return score if method == "recency-frequency" else to_log_odds(score)

    def predict(
        self, samples: Samples, method: str | None = None, tick: Callable[[], None] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(calibrated p_order, uncalibrated probability) per sample for `method`."""
        method = method or self.serving
        z = self.raw(samples, method, tick)
        p = apply_calibration(z, self.calibration[method])
        uncalibrated = 1 / (1 + np.exp(-z)) if method != "recency-frequency" else p
        return p, uncalibrated

    def to_dict(self) -> dict:
        return {
            "inputs": self.inputs.to_dict(),
            "net_config": self.net_config.to_dict(),
            "state_dicts": [net.state_dict() for net in self.nets],
            "calibration": self.calibration,
            "peers": {name: peer.to_dict() for name, peer in self.peers.items()},
            "serving": self.serving,
            **({} if self.effect is None else {"effect": self.effect.to_dict()}),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Predictor:
        net_config = NetConfig.from_dict(data["net_config"])
        nets = []
        for state in data["state_dicts"]:
            net = build(net_config)
            net.load_state_dict(state, strict=True)
            net.eval()
            nets.append(net)
        return cls(
            inputs=Inputs.from_dict(data["inputs"]),
            net_config=net_config,
            nets=nets,
            calibration={
                k: {"a": float(v["a"]), "b": float(v["b"])} for k, v in data["calibration"].items()
            },
            peers={k: peers.Peer.from_dict(v) for k, v in data["peers"].items()},
            serving=str(data["serving"]),
            effect=None if data.get("effect") is None else CallEffect.from_dict(data["effect"]),
        )


@dataclass
class TrainResult:
    """What a training run produced: the predictor (networks, peers, calibration, which one
    serves) and the figures that chose it."""

    predictor: Predictor
    train_config: TrainConfig
    train_start: date
    train_end: date
    until: date
    metrics: dict[str, float]
    gate: list[dict[str, object]] = field(default_factory=list)  # one row per method
    epochs: list[dict[str, float]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def net_config(self) -> NetConfig:
        return self.predictor.net_config

    @property
    def net(self) -> nn.Module:
        """The first seed's network (the shape and determinism tests read it)."""
        return self.predictor.nets[0]
