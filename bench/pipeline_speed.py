"""How long the model's jobs take, as a user runs them: `train` on the default demo, the
`nightly` job on a warehouse of about a million visits, and the 14-week rolling backtest with
honest retraining every week.

    python bench/pipeline_speed.py                  # all three, this checkout
    python bench/pipeline_speed.py --only train --runs 3
    python bench/pipeline_speed.py --checkout /path/to/an/older/checkout   # "before"

Every figure is the wall time of the CLI command in a fresh process (reading the warehouse
included), median of --runs with min and max. The warehouses are demos built once per
checkout in --dir (no simulated list use, so nothing but the job is measured).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import spread  # noqa: E402

END = date(2026, 11, 22)  # the demo's last day: fixed, so runs on different days compare
TODAY = END + timedelta(days=1)


def cli(checkout: Path, warehouse: Path, *args: str, timeout: float = 7200) -> float:
    """Run `python -m repurchase` from `checkout` and return its wall time in seconds (its
    output is kept in LAST_OUTPUT)."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "repurchase", "--warehouse", str(warehouse), *args],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    LAST_OUTPUT[:] = [done.stdout]
    return seconds


LAST_OUTPUT: list[str] = [""]


def demo(checkout: Path, directory: Path, name: str, *extra: str) -> Path:
    """A demo warehouse built once by `checkout`'s own init-demo."""
    path = directory / f"{name}.duckdb"
    if not path.exists():
        partial = directory / f"{name}.partial.duckdb"
        if partial.exists():
            partial.unlink()
        cli(checkout, partial, "init-demo", "--adoption-weeks", "0", "--end", str(END), *extra)
        partial.rename(path)
        truth = directory / f"{name}.partial.truth"  # the generator's hidden truth, beside it
        if truth.exists():
            shutil.move(truth, directory / f"{name}.truth")
    return path


def fresh_copy(path: Path, directory: Path) -> Path:
    """A copy without models, so every run trains from the same start."""
    copy = directory / f"run-{path.name}"
    for stale in directory.glob(f"run-{path.stem}*"):
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    shutil.copy(path, copy)
    return copy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench-speed"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=["train", "nightly", "backtest"], action="append")
    parser.add_argument(
        "--backtest-args",
        default="--features hybrid",
        help="extra backtest options (the default network, peers included)",
    )
    args = parser.parse_args(argv)
    checkout = args.checkout.resolve()
    directory = args.dir / checkout.name
    directory.mkdir(parents=True, exist_ok=True)
    jobs = args.only or ["train", "nightly", "backtest"]
    print(f"checkout {checkout}; warehouses in {directory}")

    if "train" in jobs:
        wh = demo(checkout, directory, "demo")
        times = [
            cli(checkout, fresh_copy(wh, directory), "train", "--until", str(TODAY))
            for _ in range(args.runs)
        ]
        print(LAST_OUTPUT[0].strip())  # what the last run printed: figures and the gate
        print(
            f"train on the default demo (13k customers, 361k visits): {spread(times)}", flush=True
        )
    if "nightly" in jobs:
        # 170 reps: about a million visits over two years
        wh = demo(checkout, directory, "million", "--reps", "170")
        times = [
            cli(checkout, fresh_copy(wh, directory), "nightly", "--today", str(TODAY))
            for _ in range(args.runs)
        ]
        print(
            f"nightly on ~1M visits (train, peers, promotion, scoring, lists): {spread(times)}",
            flush=True,
        )
    if "backtest" in jobs:
        wh = demo(checkout, directory, "demo")
        times = []
        for _ in range(max(1, args.runs // 3)):  # a backtest is long: one run unless asked
            copy = fresh_copy(wh, directory)
            times.append(
                cli(
                    checkout,
                    copy,
                    "backtest",
                    "--weeks",
                    "14",
                    "--end",
                    str(TODAY),
                    "--fast",
                    "1",
                    "--out-dir",
                    str(directory / "backtest"),
                    *args.backtest_args.split(),
                )
            )
        print(f"14-week backtest, retrained every week: {spread(times)}", flush=True)
        print(LAST_OUTPUT[0])  # the backtest's own tables, from the last run
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
