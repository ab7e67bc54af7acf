"""Benchmark data sets, each as a DuckDB warehouse loaded through the import contract.

Model quality is judged on several data sets so that nothing gets tuned to one generator:

* `demo`: the demo generator (repurchase/synthetic.py) imported as is, without the simulated
  weeks of list use; truth: its buying windows.
* `projects`: the second, independently written story (repurchase/story_projects.py): online
  first, bursty project buyers, churn, owner changes; truth: its buying windows.
* `cdnow`: the real CDNOW purchase log (23,570 customers, 1997-01-01 .. 1998-06-30) as
  order-only data with synthetic reps; no visits, no truth. The file ships inside the
  `lifetimes` wheel: `pip install lifetimes==0.11.3 --no-deps` (its data file is read, the
  package is never imported).

`prepare(name, directory, **params)` builds a data set once and reuses it afterwards: files are
named by the data set and a hash of its parameters and of the code or file it comes from.

python bench/datasets.py [--dir DIR] [--demo-reps 60] [names ...] builds them and prints sizes.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script, like the other benchmarks
    sys.path.insert(0, str(ROOT))

from repurchase.demo import (
    story_projects,
    synthetic,  # noqa: E402
)
from repurchase.warehouse import importer
from repurchase.warehouse.store import Warehouse  # noqa: E402

NAMES = ("demo", "projects", "cdnow")
# Bump when this module changes how a data set is built, so cached warehouses are rebuilt.
FORMAT_VERSION = 1
CDNOW_INSTALL = "pip install lifetimes==0.11.3 --no-deps"
CDNOW_COLUMNS = ["customer_id", "order_date", "cds", "amount"]


@dataclass(frozen=True)
class Dataset:
    """One prepared data set.

    truth: the generator's buying windows (customer_id, window_start, window_end, outcome,
    outcome_date, ...), for an oracle ceiling; None for real data.
    """

    name: str
    warehouse: Path
    end: date  # the last day of data: a backtest's "today" is end + 1
    params: dict[str, object]
    rows: dict[str, int]
    build_seconds: float  # what building it took; a reused build reports its first build
    truth: pd.DataFrame | None = field(default=None, repr=False)


def prepare(name: str, directory: Path | str, **params: object) -> Dataset:
    """Build data set `name` (one of NAMES) in `directory`, or reuse an identical earlier build.

    params go to the builder: demo(seed, reps, customers_per_rep, days, end),
    projects(seed, reps, customers, days, end), cdnow(reps, seed, path).
    """
    builders = {"demo": _demo, "projects": _projects, "cdnow": _cdnow}
    if name not in builders:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(NAMES)}")
    return builders[name](Path(directory), **params)


# ----------------------------------------------------------------------------- the data sets


def _yesterday() -> date:
    return date.today() - timedelta(days=1)


def _demo(
    directory: Path,
    *,
    seed: int = 7,
    reps: int = 60,
    customers_per_rep: tuple[int, int] = (150, 300),
    days: int = 730,
    end: date | None = None,
) -> Dataset:
    params = {
        "seed": seed,
        "reps": reps,
        "customers_per_rep": list(customers_per_rep),
        "days": days,
        "end": (end or _yesterday()).isoformat(),
    }

    def build() -> tuple[dict[str, pd.DataFrame], pd.DataFrame, date]:
        data = synthetic.make(
            seed=seed,
            reps=reps,
            customers_per_rep=tuple(customers_per_rep),
            days=days,
            end=date.fromisoformat(params["end"]),
        )
        return data.tables(), data.truth_windows, data.config.end_date

    return _cached("demo", directory, params, _source_digest(synthetic.__file__), build, "demo")


def _projects(
    directory: Path,
    *,
    seed: int = 11,
    reps: int = 14,
    customers: int = 1540,
    days: int = 730,
    end: date | None = None,
) -> Dataset:
    params = {
        "seed": seed,
        "reps": reps,
        "customers": customers,
        "days": days,
        "end": (end or _yesterday()).isoformat(),
    }

    def build() -> tuple[dict[str, pd.DataFrame], pd.DataFrame, date]:
        last = date.fromisoformat(params["end"])
        data = story_projects.make(seed=seed, reps=reps, customers=customers, days=days, end=last)
        return data.tables(), data.truth_windows, last

    digest = _source_digest(story_projects.__file__)
    return _cached("projects", directory, params, digest, build, "demo")


def _cdnow(
    directory: Path, *, reps: int = 20, seed: int = 1, path: Path | str | None = None
) -> Dataset:
    source = Path(path) if path else cdnow_path()
    params = {"reps": reps, "seed": seed, "file": source.name}

    def build() -> tuple[dict[str, pd.DataFrame], None, date]:
        log = read_cdnow(source)
        return cdnow_tables(log, reps=reps, seed=seed), None, log.order_date.max()

    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    return _cached("cdnow", directory, params, digest, build, "import")


# ----------------------------------------------------------------------------- CDNOW


def cdnow_path() -> Path:
    """Where the installed `lifetimes` wheel keeps CDNOW_master.txt; found through the
    package's file list, so lifetimes (and its dependencies) are never imported."""
    try:
        files = importlib.metadata.files("lifetimes") or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for file in files:
        if file.name == "CDNOW_master.txt":
            located = Path(str(file.locate()))
            if located.is_file():
                return located
    raise FileNotFoundError(
        "the CDNOW purchase log ships inside the lifetimes wheel, which is not installed; "
        f"install it with `{CDNOW_INSTALL}` (only its data file is read)"
    )


def read_cdnow(path: Path | str) -> pd.DataFrame:
    """Parse a CDNOW purchase log: one purchase per line, whitespace separated: customer id,
    date YYYYMMDD, number of CDs, dollar amount. A header line (lifetimes' copy has one) and
    Windows line ends are accepted.

    Returns customer_id (str, 'CD' + the id zero-padded to 5 digits), order_date (date),
    cds (int), amount (float), in file order. Raises ValueError naming the file and line of
    the first malformed row.
    """
    path = Path(path)
    rows: list[list[str]] = []
    lines: list[int] = []
    for number, line in enumerate(path.read_text(encoding="ascii").splitlines(), start=1):
        fields = line.split()
        if not fields or (number == 1 and not fields[0].isdigit()):
            continue
        if len(fields) != 4:
            raise ValueError(
                f"{path}, line {number}: expected 4 fields (customer id, YYYYMMDD, CDs, dollars),"
                f" found {len(fields)}"
            )
        rows.append(fields)
        lines.append(number)
    if not rows:
        raise ValueError(f"{path}: no purchases in the file")
    raw = pd.DataFrame(rows, columns=CDNOW_COLUMNS)
    ids = pd.to_numeric(raw.customer_id, errors="coerce")
    when = pd.to_datetime(raw.order_date, format="%Y%m%d", errors="coerce")
    cds = pd.to_numeric(raw.cds, errors="coerce")
    amount = pd.to_numeric(raw.amount, errors="coerce")
    for column, values in zip(CDNOW_COLUMNS, (ids, when, cds, amount), strict=True):
        bad = values.isna().to_numpy().copy()  # pandas hands out a read-only view
        if column != "order_date":
            number = values.to_numpy(dtype=float)
            bad |= ~np.isfinite(number) | (number < 0)
            if column != "amount":
                bad |= np.isfinite(number) & (number % 1 != 0)  # ids and counts are whole
        if bad.any():
            row = int(np.argmax(bad))
            value = rows[row][CDNOW_COLUMNS.index(column)]
            raise ValueError(f"{path}, line {lines[row]}: {column} {value!r} is not valid")
    return pd.DataFrame(
        {
            "customer_id": [f"CD{int(i):05d}" for i in ids],
            "order_date": when.dt.date,
            "cds": cds.astype(int),
            "amount": amount.astype(float).round(2),
        }
    )


def cdnow_tables(log: pd.DataFrame, *, reps: int = 20, seed: int = 1) -> dict[str, pd.DataFrame]:
    """Contract tables for a purchase log (read_cdnow's columns): orders only, no visits.

    Every customer gets a synthetic owner rep, dealt round-robin in the order of a seeded hash
    of its id (so the split is even and does not follow the id order, which is signup order);
    created_date is the first purchase; type, industry and tag carry one neutral value, as the
    log has none. Reps are plausible people hired before the log starts.
    """
    if reps < 1:
        raise ValueError("CDNOW needs at least one synthetic rep")
    first = log.groupby("customer_id", sort=True).order_date.min()
    ids = first.index.to_numpy()
    digest = [hashlib.md5(f"{seed}:{c}".encode(), usedforsecurity=False).hexdigest() for c in ids]
    dealt = np.empty(len(ids), dtype=int)
    dealt[np.argsort(digest, kind="stable")] = np.arange(len(ids)) % reps
    rng = np.random.default_rng(seed)
    start = min(log.order_date)
    hired = [start - timedelta(days=int(d)) for d in rng.integers(30, 6 * 365, reps)]
    rep_ids = [f"CD-R{i + 1:02d}" for i in range(reps)]
    reps_frame = pd.DataFrame(
        {
            "rep_id": rep_ids,
            "name": [f"Rep {i + 1:02d}" for i in range(reps)],
            "gender": rng.choice(["M", "F"], reps),
            "birth_date": [h - timedelta(days=int(rng.uniform(22, 40) * 365.25)) for h in hired],
            "hire_date": hired,
            "level": rng.choice(["junior", "mid", "senior"], reps, p=[0.5, 0.3, 0.2]),
        }
    )
    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "name": [f"CDNOW customer {c[2:]}" for c in ids],
            "customer_type": "unknown",
            "industry": "unknown",
            "tag": "unknown",
            "owner_rep_id": np.array(rep_ids)[dealt],
            "created_date": first.to_numpy(),
        }
    )
    orders = log[["customer_id", "order_date", "amount"]].reset_index(drop=True)
    return {"reps": reps_frame, "customers": customers, "orders": orders}


# ----------------------------------------------------------------------------- the cache


def _source_digest(module_file: str | None) -> str:
    return hashlib.sha256(Path(str(module_file)).read_bytes()).hexdigest()


Build = Callable[[], tuple[dict[str, pd.DataFrame], pd.DataFrame | None, date]]


def _cached(
    name: str,
    directory: Path,
    params: dict[str, object],
    digest: str,
    build: Build,
    source: str,
) -> Dataset:
    """Reuse `directory/<name>-<key>.duckdb` if a complete build is there, else build it.

    A build is complete when its `.json` exists: it is written last, after the warehouse was
    closed, so a crash half-way leaves no marker and the next call starts over.
    """
    directory.mkdir(parents=True, exist_ok=True)
    fingerprint = json.dumps(
        {"name": name, "params": params, "code": digest, "format": FORMAT_VERSION}, sort_keys=True
    )
    stem = f"{name}-{hashlib.sha256(fingerprint.encode()).hexdigest()[:12]}"
    path = directory / f"{stem}.duckdb"
    meta_path = directory / f"{stem}.json"
    truth_path = directory / f"{stem}.truth.parquet"
    if not meta_path.is_file():
        for leftover in (path, path.with_name(path.name + ".wal"), truth_path):
            leftover.unlink(missing_ok=True)
        started = time.perf_counter()
        tables, truth, end = build()
        importer.import_frames(Warehouse(path), tables, source=source, imported_by="bench")
        if truth is not None:
            truth.to_parquet(truth_path, index=False)
        meta = {
            "name": name,
            "params": params,
            "end": end.isoformat(),
            "rows": {k: len(v) for k, v in tables.items()},
            "build_seconds": round(time.perf_counter() - started, 2),
        }
        partial = meta_path.with_suffix(".json.tmp")
        partial.write_text(json.dumps(meta, indent=2), encoding="utf-8")
        os.replace(partial, meta_path)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return Dataset(
        name=name,
        warehouse=path,
        end=date.fromisoformat(meta["end"]),
        params=meta["params"],
        rows=meta["rows"],
        build_seconds=meta["build_seconds"],
        truth=pd.read_parquet(truth_path) if truth_path.is_file() else None,
    )


# ----------------------------------------------------------------------------- report


def describe(dataset: Dataset) -> dict[str, object]:
    """Sizes of a prepared data set, read back from its warehouse: customers, reps (current /
    all), visits, orders, first and last event day, share of orders without a visit to the
    same customer on the same day, share of visits that got an order."""
    with Warehouse(dataset.warehouse).connect() as cur:
        counts = cur.execute(
            """
            with event_days as (
                select cast(visited_at as date) as day from visits
                union all
                select order_date from orders
            ),
            visit_days as (
                select distinct
                    customer_id,
                    cast(visited_at as date) as day
                from visits
            )
            select
                (select count(*) from customers) as customers,
                (select count(*) from reps where left_date is null) as current_reps,
                (select count(*) from reps) as reps,
                (select count(*) from visits) as visits,
                (select count(*) from orders) as orders,
                (select min(day) from event_days) as first_day,
                (select max(day) from event_days) as last_day,
                (
                    select avg(case when v.customer_id is null then 1.0 else 0.0 end)
                    from orders as o
                    left join visit_days as v
                        on v.customer_id = o.customer_id
                        and v.day = o.order_date
                ) as orders_without_visit,
                (select avg(case when result = 'order' then 1.0 else 0.0 end) from visits)
                    as visit_success
            """
        ).df()
    facts = counts.iloc[0].to_dict()
    for key in ("first_day", "last_day"):
        facts[key] = pd.Timestamp(facts[key]).date() if pd.notna(facts[key]) else None
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", default=list(NAMES))
    parser.add_argument("--dir", type=Path, default=ROOT / "data" / "bench")
    parser.add_argument("--demo-reps", type=int, default=60)
    parser.add_argument("--end", type=date.fromisoformat, default=None)
    args = parser.parse_args()
    for name in args.names:
        params: dict[str, object] = {}
        if name == "demo":
            params = {"reps": args.demo_reps, "end": args.end}
        elif name == "projects":
            params = {"end": args.end}
        started = time.perf_counter()
        dataset = prepare(name, args.dir, **params)
        took = time.perf_counter() - started
        facts = describe(dataset)
        success = "n/a" if pd.isna(facts["visit_success"]) else f"{facts['visit_success']:.1%}"
        print(
            f"{name:<9} built in {dataset.build_seconds:.1f} s (this call {took:.1f} s): "
            f"{facts['customers']:,} customers, {facts['current_reps']} current reps "
            f"({facts['reps']} in all), {facts['visits']:,} visits, {facts['orders']:,} orders, "
            f"{facts['first_day']} .. {facts['last_day']}, "
            f"{facts['orders_without_visit']:.1%} of orders without a same-day visit, "
            f"visit success {success}; end {dataset.end}; "
            f"truth {'none' if dataset.truth is None else f'{len(dataset.truth):,} windows'}"
        )


if __name__ == "__main__":
    main()
