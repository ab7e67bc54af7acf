"""Fitting the networks: one per seed, epochs of fresh anchors, early stopping on list
precision, and a progress report every few batches.

Every progress report is a point where a job can stop (services/job_runner.py raises its
cancel there). An epoch of the default set-up is about 80 batches and takes from seconds to
minutes on a busy 2-core server, so reporting only at epoch ends let a cancelled backtest run
on for many minutes; a report every `BATCHES_PER_REPORT` batches bounds that wait to a few
batches.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable
from typing import Protocol

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812 (the usual name)

from repurchase.i18n.steps import Step
from repurchase.model.config import TrainConfig
from repurchase.model.features import Samples
from repurchase.model.metrics import list_score
from repurchase.model.network import NetConfig, build, focal_loss
from repurchase.model.predictor import Inputs, predict_logits

Progress = Callable[[float, str], None]
BATCHES_PER_REPORT = 8


class Selection(Protocol):
    """The validation weeks that choose each network's epoch (train._Slice)."""

    samples: Samples

    def evaluate(self, score: np.ndarray, top_n: int) -> dict: ...


def set_seed(seed: int) -> None:
    """The one place randomness is seeded: Python, numpy and torch."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def device() -> torch.device:
    """A GPU when one is present, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


class _Reporter:
    """Progress within one epoch of one seed's network: every report is a point to stop at."""

    def __init__(self, say: Progress, seed: int, epoch: int, epochs: int) -> None:
        self.say, self.seed, self.epoch, self.epochs = say, seed, epoch, epochs

    def batch(self, done: int, batches: int) -> None:
        step = Step("jobs.step.batch", seed=self.seed, epoch=self.epoch + 1, batch=done,
                    batches=batches)  # fmt: skip
        self.say((self.epoch + done / batches) / self.epochs, step)

    def measuring(self) -> None:
        step = Step("jobs.step.measuring", seed=self.seed, epoch=self.epoch + 1)
        self.say((self.epoch + 1) / self.epochs, step)

    def ended(self, key: tuple[float, float], improved: bool) -> None:
        step = Step(
            "jobs.step.epoch_best" if improved else "jobs.step.epoch",
            seed=self.seed,
            epoch=self.epoch + 1,
            precision=float(key[0]),
            auc=float(key[1]),
        )
        self.say((self.epoch + 1) / self.epochs, step)


def fit_networks(
    inputs: Inputs,
    draw: Callable[[int], Samples],
    selection: Selection,
    net_config: NetConfig,
    cfg: TrainConfig,
    say: Progress,
) -> tuple[list[torch.nn.Module], list[dict[str, float]]]:
    """One network per seed, sharing the time budget; their epoch logs, tagged by seed.
    `say` gets fractions from 0 to 1 over all seeds."""
    dev = device()
    nets, epochs = [], []
    t0 = time.perf_counter()
    for i in range(cfg.seeds):
        seed = cfg.seed + i
        budget = None
        if cfg.time_budget_seconds is not None:
            budget = cfg.time_budget_seconds * (i + 1) / cfg.seeds - (time.perf_counter() - t0)
        net, log = fit_network(
            inputs,
            net_config,
            cfg,
            seed,
            draw,
            selection,
            dev,
            budget,
            lambda f, m, i=i: say((i + f) / cfg.seeds, m),
        )
        nets.append(net)
        epochs.extend({"seed": seed, **row} for row in log)
    return nets, epochs


def _epoch_steps(
    net: torch.nn.Module,
    optimiser: torch.optim.Optimizer,
    tensors: tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor],
    order: torch.Tensor,
    cfg: TrainConfig,
    tick: Callable[[int, int], None],
) -> list[float]:
    """One pass over the epoch's samples in `order`, batch by batch; `tick(done, batches)`
    before every `BATCHES_PER_REPORT`-th batch. Returns the batches' losses."""
    xt, xs, xm, y = tensors
    net.train()
    losses = []
    starts = range(0, len(order), cfg.effective_batch)
    for done, i in enumerate(starts):
        if done and done % BATCHES_PER_REPORT == 0:
            tick(done, len(starts))
        batch = order[i : i + cfg.effective_batch]
        if len(batch) < 2:  # BatchNorm needs two samples
            continue
        optimiser.zero_grad()
        logits = net(xt[batch], xs[batch], xm[batch])
        if cfg.effective_loss == "focal":
            loss = focal_loss(logits, y[batch], cfg.focal_alpha, cfg.focal_gamma)
        else:
            loss = F.cross_entropy(logits, y[batch])
        loss.backward()
        optimiser.step()
        losses.append(loss.item())
    return losses


def fit_network(
    inputs: Inputs,
    net_config: NetConfig,
    cfg: TrainConfig,
    seed: int,
    draw: Callable[[int], Samples],
    selection: Selection,
    dev: torch.device,
    budget: float | None,
    say: Progress,
) -> tuple[torch.nn.Module, list[dict[str, float]]]:
    """One network: epochs of fresh anchors, early stopping on the selection slice's list
    precision (AUC breaks ties); the best epoch's weights are kept."""
    set_seed(seed)
    order_rng = np.random.default_rng(seed)
    net = build(net_config).to(dev)
    optimiser = torch.optim.Adam(
        net.parameters(), lr=cfg.learning_rate, betas=(0.9, 0.999), eps=1e-8
    )
    vt, vs, vm = inputs.tensors(selection.samples, net_config.kind, dev)
    best, best_state, stale, log = (-1.0, -1.0), None, 0, []
    started = time.perf_counter()
    for epoch in range(cfg.max_epochs):
        t_epoch = time.perf_counter()
        samples = draw(epoch)  # built once per epoch, shared by the seeds: seconds at most
        report = _Reporter(say, seed, epoch, cfg.max_epochs)
        xt, xs, xm = inputs.tensors(samples, net_config.kind, dev)
        y = torch.from_numpy(samples.labels).to(dev)
        order = torch.from_numpy(order_rng.permutation(len(y))).to(dev)
        report.batch(0, 1)
        t_steps = time.perf_counter()
        losses = _epoch_steps(net, optimiser, (xt, xs, xm, y), order, cfg, report.batch)
        step_seconds = time.perf_counter() - t_steps
        report.measuring()
        z = predict_logits(net, vt, vs, vm, tick=report.measuring)
        scores = selection.evaluate(z, cfg.top_n)
        key = (list_score(scores), scores["auc"])
        improved = key > best
        if improved:
            best, stale = key, 0
            best_state = copy.deepcopy(net.state_dict())
        else:
            stale += 1
        log.append(
            {
                "epoch": epoch + 1,
                "train_loss": float(np.mean(losses)) if losses else float("nan"),
                "valid_list_precision": key[0],
                "valid_auc": key[1],
                "seconds": time.perf_counter() - t_epoch,
                "step_seconds": step_seconds,
            }
        )
        report.ended(key, improved)
        if stale >= cfg.patience:
            break
        if budget is not None and time.perf_counter() - started >= budget:
            break
    net.load_state_dict(best_state)
    best_epoch = max(
        range(len(log)), key=lambda i: (log[i]["valid_list_precision"], log[i]["valid_auc"])
    )
    log[best_epoch]["best"] = 1.0
    return net.cpu().eval(), log
