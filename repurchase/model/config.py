"""The settings of a training run, as a plain dataclass.

Serving (the registry reads a version's settings back) and the app (the retrain button's
defaults) need these without the training loop or torch, so they live here and import nothing
but the kernel. The network's sizes (`NetConfig`) stay beside the modules in network.py.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from repurchase import codes


@dataclass(frozen=True)
class TrainConfig:
    """Training settings. `network="paper"` with `feature_set="paper"` is the paper's set-up
    exactly (section 3: focal loss, batch 64); the default is the hybrid network (network.py)
    on the rhythm features beside the peers' summary, which the gate measured better."""

    network: str = "hybrid"  # "hybrid" | "paper"
    feature_set: str = "rhythm"
    horizon_days: int = codes.HORIZON_DAYS  # the paper's 4-week window
    validation_weeks: int = 8
    samples_per_epoch: int = 20_000  # fresh training anchors drawn every epoch
    max_epochs: int = 12
    patience: int = 3
    batch_size: int | None = None  # None: 64 for the paper's network (paper 3.2), 256 hybrid
    learning_rate: float = 1e-3  # paper, algorithm 1 (Adam, betas 0.9/0.999, eps 1e-8)
    loss: str | None = None  # None: focal for the paper's network, cross-entropy for hybrid
    focal_alpha: float = 0.25  # paper 3.4
    focal_gamma: float = 2.0
    validation_samples: int = 60_000  # at most this many (customer, week) rows per slice
    report_weeks: int = 3  # the last validation weeks, kept for the reported metrics and gate
    top_n: int = codes.TOP_N
    seed: int = 7
    seeds: int = 3  # networks averaged (each with its own seed)
    peers: bool = True  # fit the peers and let the better one serve (the promotion gate)
    time_budget_seconds: float | None = None  # stop after the epoch that crosses it
    min_history_days: int = 28  # first training anchor: this long after the first event
    effect: bool = True  # fit the call-effect model and let the gate choose the ranking
    effect_weeks: int = 52  # weekly anchors the call-effect model learns from
    effect_rows: int = 80_000  # (customer, week) samples it draws from them at most

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @property
    def effective_batch(self) -> int:
        return self.batch_size or (64 if self.network == "paper" else 256)

    @property
    def effective_loss(self) -> str:
        return self.loss or ("focal" if self.network == "paper" else "bce")
