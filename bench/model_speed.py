"""Training time per epoch on the demo, and scoring throughput with FLOPs and peak fraction.

    python bench/model_speed.py [--warehouse data/warehouse.duckdb] [--epochs 3]

Scoring throughput is measured for the network alone at batch sizes 256 and 4096 (customers
per second, median of 5 timed passes), next to the theoretical FLOP count of one customer's
forward pass and this CPU's measured float32 matmul peak (2048 x 2048, all threads), so the
fraction of peak the LSTM reaches is explicit.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
from _common import spread  # noqa: E402

from repurchase.config import default_warehouse_path  # noqa: E402
from repurchase.model import features, summary, train
from repurchase.model.network import NetConfig, build  # noqa: E402
from repurchase.warehouse.store import Warehouse  # noqa: E402


def forward_flops(c: NetConfig) -> int:
    """Multiply-adds x 2 of one sample's forward pass (biases and activations ignored)."""
    t = c.seq_len
    conv_t = c.conv_channels * t * c.n_temporal * c.kernel_size
    lstm = 0
    for layer in range(c.lstm_layers):
        inputs = c.conv_channels if layer == 0 else c.lstm_hidden
        lstm += 4 * c.lstm_hidden * (inputs + c.lstm_hidden) * t
    if c.kind == "hybrid":  # last state + summary + embeddings -> MLP, plus the linear path
        width = c.lstm_hidden + c.n_summary + c.embed_dim * len(c.categories)
        return 2 * (conv_t + lstm + width * c.head_hidden + c.head_hidden + c.n_summary)
    fc_t = t * c.lstm_hidden * 2
    conv_s = c.conv_channels * t * c.n_static * c.kernel_size
    fc_s = t * c.conv_channels * 2
    return 2 * (conv_t + lstm + fc_t + conv_s + fc_s + 4 * 2)


def matmul_peak(n: int = 2048, repeats: int = 10) -> float:
    a, b = torch.rand(n, n), torch.rand(n, n)
    for _ in range(3):
        a @ b
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t)
    return 2 * n**3 / statistics.median(times)


def scoring_throughput(config: NetConfig, batch: int, repeats: int = 5) -> float:
    net = build(config).eval()
    temporal = torch.rand(batch, config.seq_len, config.n_temporal)
    static = torch.rand(batch, config.seq_len, config.n_static)
    summ = torch.rand(batch, config.n_summary)
    with torch.no_grad():
        for _ in range(2):
            net(temporal, static, summ)
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            net(temporal, static, summ)
            times.append(time.perf_counter() - t)
    return batch / statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warehouse", type=Path, default=None)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--until", type=date.fromisoformat, default=None)
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, device {train.device()}")
    peak = matmul_peak()
    print(f"measured float32 matmul peak: {peak / 1e9:.1f} GFLOP/s")

    hybrid = NetConfig(
        kind="hybrid",
        n_temporal=len(features.FEATURE_SETS["rhythm"]),
        conv_channels=32,
        lstm_hidden=32,
        lstm_layers=1,
        n_summary=len(summary.SUMMARY),
        categories=(4, 6, 4, 5),
    )
    for name, config in (("paper", NetConfig()), ("hybrid", hybrid)):
        flops = forward_flops(config)
        print(f"\n{name} network: {flops / 1e6:.3f} MFLOP per customer (forward)")
        for batch in (256, 4096):
            rate = scoring_throughput(config, batch)
            print(
                f"  batch {batch:>4}: {rate:,.0f} customers/s = {rate * flops / 1e9:.1f} GFLOP/s"
                f" = {rate * flops / peak:.0%} of matmul peak"
            )

    wh = Warehouse(args.warehouse or default_warehouse_path())
    if not wh.exists():
        print(
            f"\n(no warehouse at {wh.path}: run `python -m repurchase init-demo` for the "
            "training-time figures)"
        )
        return
    until = args.until or date.today()
    history = features.load_history(wh, until)
    for network, feature_set in (("paper", "paper"), ("hybrid", "rhythm")):
        cfg = train.TrainConfig(
            network=network,
            feature_set=feature_set,
            max_epochs=args.epochs,
            patience=99,
            seeds=1,
            peers=False,
        )
        result = train.train(history, until, cfg)
        epochs = [e["seconds"] for e in result.epochs]
        steps = [e["step_seconds"] for e in result.epochs]
        rate = cfg.samples_per_epoch / statistics.median(steps)
        config = result.net_config
        train_flops = 3 * forward_flops(config)  # backward is about twice the forward
        print(
            f"\ntraining ({network}, {cfg.samples_per_epoch:,} samples per epoch, batch "
            f"{cfg.effective_batch}): epoch {spread(epochs)}"
        )
        print(
            f"  of which optimiser steps {spread(steps)}: {rate:,.0f} samples/s = "
            f"{rate * train_flops / 1e9:.1f} GFLOP/s = {rate * train_flops / peak:.0%} of peak"
        )
        print(
            f"  prepare {result.timings['prepare']:.1f} s, whole run "
            f"{result.timings['total']:.1f} s; validation AUC {result.metrics['valid_auc']:.4f}"
        )


if __name__ == "__main__":
    main()
