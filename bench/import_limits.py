"""Peak memory of a dry run on Parquet "decompression bombs", with and without import limits.

    python bench/import_limits.py [--before <git revision>]

Builds two small Parquet files that unpack to a lot (every row the same, so Parquet stores the
values once and the rows as runs):

- `rows`: 2,300,000 identical visits (~70 kB on disk; over the default 1,000,000-row limit)
- `note`: 8,000 visits sharing one 100,000-character note (~3 kB; 800 MB of text unpacked)

plus two files just within the default limits (1,000,000 rows; 25,000 notes of 10,000
characters, 250 MB), and runs `python -m repurchase import --dry-run` on each in a fresh child
process, printing its exit code, peak resident memory (getrusage of the child), time and first
problem. With
`--before`, the same runs use that revision's code (`git archive` into a temporary folder), so
the figures compare the importer with and without its limits.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
import textwrap
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
BOMBS = {
    "rows": (2_300_000, 10),
    "note": (8_000, 100_000),
    # the most a file may hold within the default limits: what an import can still cost
    "max-rows": (1_000_000, 10),
    "max-text": (25_000, 10_000),
}


def bomb(path: Path, rows: int, note_chars: int) -> Path:
    one = {
        "rep_id": "R001",
        "customer_id": "C00001",
        "visit_date": "2026-06-01",
        "method": "phone",
        "target": "active",
        "purpose": "needs_discovery",
        "result": "order",
        "note": "n" * note_chars,
    }
    columns = {k: pa.array([v] * rows, pa.string()) for k, v in one.items()}
    columns["order_amount"] = pa.array([10.0] * rows)
    pq.write_table(pa.table(columns), path, compression="zstd")
    return path


# A wrapper per run: RUSAGE_CHILDREN of a fresh process holds exactly that one dry run's peak.
MEASURE = textwrap.dedent(
    """
    import resource, subprocess, sys, time
    code, warehouse, path = sys.argv[1:4]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "repurchase", "--warehouse", warehouse, "import", "--dry-run",
         path],
        cwd=code, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines = [l for l in (done.stderr + done.stdout).splitlines() if l.strip()]
    problems = [l.strip() for l in lines if l.strip().startswith("- ")]
    first = (problems or lines or [""])[0]
    print(f"{done.returncode}\\t{peak:.0f}\\t{seconds:.1f}\\t{first[:110]}")
    """
)


def measure(code: Path, folder: Path, path: Path) -> list[str]:
    warehouse = folder / f"{code.name}.duckdb"
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(code), str(warehouse), str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().split("\t", 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", help="a git revision to compare with, e.g. main~3")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        codes = {"this code": REPO}
        if args.before:
            old = folder / "before"
            old.mkdir()
            git = shutil.which("git") or "git"
            archive = subprocess.run(
                [git, "-C", str(REPO), "archive", args.before], capture_output=True, check=True
            )
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
                tar.extractall(old, filter="data")
            codes = {f"before ({args.before})": old, **codes}
        print(f"{'bomb':<6} {'file':>8} {'code':<22} {'exit':>4} {'peak MB':>8} {'s':>6}  problem")
        for name, (rows, chars) in BOMBS.items():
            path = bomb(folder / f"visits_{name}.parquet", rows, chars)
            size = f"{path.stat().st_size / 1024:.1f} kB"
            for label, code in codes.items():
                exit_code, peak, seconds, first = measure(code, folder, path)
                figures = f"{exit_code:>4} {peak:>8} {seconds:>6}"
                print(f"{name:<6} {size:>8} {label:<22} {figures}  {first}")


if __name__ == "__main__":
    main()
