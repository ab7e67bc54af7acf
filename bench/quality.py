"""Is the served list better than every simple peer, on data the model was not written for?

For each data set (bench/datasets.py: the demo, the independently written "projects" story,
the real CDNOW purchase log), each cutoff and each seed, repurchase/quality.py trains as
`train --until D` does (networks, peers, gate), scores every customer as of D and judges
every method on orders in the next 28 days: per-rep top-15 and top-10 % list precision, AUC,
Brier; beside them random, round robin, the reps' own choice and, on the generated data sets,
the oracle ceiling from the hidden buying windows.

    python bench/quality.py                       # all three data sets, 3 cutoffs, seeds 7,8,9
    python bench/quality.py --datasets projects --cutoffs 2 --seeds 7 --paper

Prints, per data set, every method's mean with its sd over cutoffs x seeds and its ratio to
the best peer; writes every row to build/quality/quality_rows.csv.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import datasets  # noqa: E402
from repurchase.evaluation import quality
from repurchase.model import train  # noqa: E402
from repurchase.warehouse.store import Warehouse  # noqa: E402

# The paper's exact network, trained on a budget the benchmark can afford on two cores.
PAPER = train.TrainConfig(
    network="paper",
    feature_set="paper",
    seeds=1,
    peers=False,
    samples_per_epoch=15_000,
    max_epochs=4,
    patience=2,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=",".join(datasets.NAMES))
    parser.add_argument("--cutoffs", type=int, default=3, help="cutoffs, 4 weeks apart")
    parser.add_argument("--seeds", default="7,8,9")
    parser.add_argument(
        "--paper",
        action="store_true",
        help="also the paper's exact network (on a budget, with the first seed only)",
    )
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench-ds"))
    parser.add_argument("--demo-reps", type=int, default=60)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "quality")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    args.dir.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    all_rows = []
    for name in args.datasets.split(","):
        params = {"reps": args.demo_reps} if name == "demo" else {}
        data = datasets.prepare(name, args.dir, **params)
        wh = Warehouse(data.warehouse)
        cuts = quality.cutoffs(data.end, args.cutoffs)
        print(
            f"\n== {name}: {data.rows} ; cutoffs {', '.join(map(str, cuts))}; seeds {seeds}",
            flush=True,
        )
        rows, recontact = [], []
        for cutoff in cuts:
            for seed in seeds:
                started = time.perf_counter()
                frame, info = quality.evaluate_cutoff(
                    wh,
                    cutoff,
                    seed,
                    truth=data.truth,
                    paper=PAPER if args.paper and seed == seeds[0] else None,
                )
                rows.append(frame.assign(dataset=name, cutoff=cutoff, seed=seed))
                recontact.append(info["recontact"])
                served = frame.set_index("method").loc["served"]
                print(
                    f"  {cutoff} seed {seed}: {info['serving']} serves; served top-15 "
                    f"{served.precision_top_n:.1%}, top-10% {served.precision_top10pct:.1%}, "
                    f"AUC {served.auc:.3f}; train {info['train_seconds']:.0f} s, "
                    f"all {time.perf_counter() - started:.0f} s",
                    flush=True,
                )
        frame = pd.concat(rows, ignore_index=True)
        all_rows.append(frame)
        print(table(name, quality.summarise(frame)), flush=True)
        print(recontact_text(pd.concat(recontact)), flush=True)
    pd.concat(all_rows, ignore_index=True).to_csv(args.out / "quality_rows.csv", index=False)
    print(f"\nrows in {args.out / 'quality_rows.csv'}")
    return 0


def table(name: str, summary: pd.DataFrame) -> str:
    lines = [
        f"\n{name}: mean (sd) over cutoffs x seeds; x = ratio to the best peer",
        f"{'method':<18} {'top-15':>15} {'x':>6} {'top-10%':>15} {'x':>6} {'AUC':>15} {'x':>6}"
        f" {'Brier':>7}",
    ]

    def cell(mean: float, sd: float, percent: bool) -> str:
        if pd.isna(mean):
            return f"{'-':>15}"
        sd = 0.0 if pd.isna(sd) else sd
        return f"{mean:>8.1%} ({sd:.1%})" if percent else f"{mean:>8.3f} ({sd:.3f})"

    def ratio(value: float) -> str:
        return f"{value:>5.2f}x" if not pd.isna(value) else f"{'-':>6}"

    for r in summary.itertuples():
        lines.append(
            f"{r.method:<18} {cell(r.top15, r.top15_sd, True)} {ratio(r.top15_vs_best_peer)} "
            f"{cell(r.top10pct, r.top10pct_sd, True)} {ratio(r.top10pct_vs_best_peer)} "
            f"{cell(r.auc, r.auc_sd, False)} {ratio(r.auc_vs_best_peer)} "
            + (f"{r.brier:>7.4f}" if not pd.isna(r.brier) else f"{'-':>7}")
        )
    return "\n".join(lines)


def recontact_text(frames: pd.DataFrame) -> str:
    """Re-contact: pooled over cutoffs and seeds."""
    pooled = frames.groupby("group").agg(
        customers=("customers", "sum"), listed=("listed", "sum"), share=("share_of_book", "mean")
    )
    weighted = (
        frames.assign(
            orders=frames.order_rate * frames.customers, psum=frames.mean_p * frames.customers
        )
        .groupby("group")[["orders", "psum"]]
        .sum()
    )
    pooled["order_rate"] = weighted.orders / pooled.customers
    pooled["mean_p"] = weighted.psum / pooled.customers
    pooled["share_of_lists"] = pooled.listed / pooled.listed.sum()
    lines = [
        "re-contact: the last call as of the scoring day, orders within 28 days",
        f"{'group':<22} {'customers':>10} {'order rate':>11} {'served p':>9} "
        f"{'of book':>8} {'of lists':>9}",
    ]
    for group, r in pooled.iterrows():
        lines.append(
            f"{group:<22} {r.customers:>10,.0f} {r.order_rate:>11.1%} {r.mean_p:>9.1%} "
            f"{r.share:>8.1%} {r.share_of_lists:>9.1%}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
