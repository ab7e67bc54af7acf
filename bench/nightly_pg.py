"""The cohort page on the outcome tables, and the nightly job's build of them, at 1M and 10M
visits.

    python bench/nightly_pg.py prepare [--dir /tmp/bench21] [--sizes 1m 10m]
    python bench/nightly_pg.py page    [--dir /tmp/bench21] [--sizes 1m 10m] [--repeats 5]
                                       [--built-only] [--backends duckdb postgres]
    python bench/nightly_pg.py nightly [--dir /tmp/bench21] [--sizes 1m 10m] [--readers 2]

Data: the shared data sets bench/page_reads.py builds under --dir (README.txt there), copied to
`outcomes-<n>.duckdb` and PostgreSQL database `outcomes_<n>` (`prepare`, once; the copies are
migrated to this code's schema, the masters are never opened; --copy names other copies, so
that code at another schema version keeps its own). The copies' visits are entered
an hour after they were made (the masters' were all entered when the data set was built, which would
leave every visit "entered since the last build" and so read live).

The bench's clock: the data's last visit day (19 November 2026) is "today", so that day's
visits (a whole working day, ~1,400 at 1M, ~13,700 at 10M) are counted live and the days
before come from the tables, as at the end of a working day.

`page`: the cohort page's server side (pages/cohorts.py's calls, signed in as an admin: every
rep, the heaviest scope), per step, warm: once untimed, then --repeats times; medians. First
with nothing built (every day live), then after a build (a full one then; with --built-only,
only after the build, which is then incremental over what the copy had). Both backends, with
the load average after the runs (the machine's other work shows in the medians).
`nightly`: on PostgreSQL, a first (full) build of the tables and the next night's
(incremental) build, their time, and meanwhile --readers processes loading the cohort page
and a rep's list in a loop: page times p50/p95 while the build runs against before it.
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DIR = Path("/tmp/bench21")
PORT = 55421
TODAY = date(2026, 11, 19)  # the data's last visit day: its visits are counted live
NIGHT = datetime(2026, 11, 19, 2, 0)


def say(text: str = "") -> None:
    print(text, flush=True)


COPY = "outcomes"  # the copies' name: <copy>-<n>.duckdb and database <copy>_<n> (--copy)


def dsn(size: str) -> str:
    return f"host=127.0.0.1 port={PORT} user=repurchase dbname={COPY}_{size}"


def psql(database: str, statement: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(PORT), "-U", "repurchase", "-d", database, "-q"]
        + ["-v", "ON_ERROR_STOP=1", "-c", statement],
        check=True,
    )


def warehouse(folder: Path, size: str, backend: str):
    from repurchase.warehouse.store import Warehouse

    if backend == "duckdb":
        return Warehouse(folder / f"{COPY}-{size}.duckdb", backend="duckdb")
    anchor = folder / f"{COPY}-anchor-{size}"
    anchor.mkdir(exist_ok=True)
    return Warehouse(anchor / "warehouse.duckdb", dsn=dsn(size), backend="postgres")


# ----------------------------------------------------------------------------- prepare


def prepare(folder: Path, size: str) -> None:
    started = time.perf_counter()
    file = folder / f"{COPY}-{size}.duckdb"
    if not file.exists():
        shutil.copy(folder / f"visits-{size}.duckdb", file)
    import duckdb

    with duckdb.connect(str(file)) as con:
        con.execute("update visits set entered_at = visited_at + interval 1 hour")
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(PORT), "-U", "repurchase", "-d", "postgres"]
        + ["-tAc", f"select 1 from pg_database where datname = '{COPY}_{size}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        psql("postgres", f"create database {COPY}_{size} template visits_{size}")
    psql(f"{COPY}_{size}", "update visits set entered_at = visited_at + interval '1 hour'")
    psql(f"{COPY}_{size}", "vacuum analyze visits")
    for backend in ("duckdb", "postgres"):
        wh = warehouse(folder, size, backend)
        wh.schema_version()  # migrated: the outcome tables and their indexes
        wh.close()
    say(f"{size}: prepared in {time.perf_counter() - started:.0f} s")


# ----------------------------------------------------------------------------- the page


def cohort_page(wh, user) -> dict[str, float]:
    """pages/cohorts.py's calls, in its order, timed one by one (no Streamlit cache)."""
    from repurchase.services import access, cohorts, models, proof

    times: dict[str, float] = {}
    cpu = time.process_time()  # this process's threads (DuckDB's too), not PostgreSQL's

    def step(name, fn):
        started = time.perf_counter()
        out = fn()
        times[name] = time.perf_counter() - started
        return out

    first, last = step("list_period", lambda: models.list_period(wh))
    counts = step("team_outcomes", lambda: cohorts.team_outcomes(wh, user, first, last))
    reps = step("reps_in_scope", lambda: access.reps_in_scope(wh, user))
    step("cohort_tables", lambda: cohorts.cohort_tables(counts, reps, 30))
    in_view = tuple(reps.rep_id)
    step("cohort_holdout", lambda: proof.cohort_holdout(wh, user, first, last, in_view))
    step("ranking", lambda: proof.ranking(wh, user))
    times["page"] = sum(times.values())
    times["cpu"] = time.process_time() - cpu
    times["rows"] = len(counts)
    return times


def page_medians(wh, repeats: int) -> dict[str, float]:
    from repurchase.accounts.auth import User

    admin = User("bench_admin", "bench", "admin")
    cohort_page(wh, admin)  # warm: attached, caches of the database filled
    runs = [cohort_page(wh, admin) for _ in range(repeats)]
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def page(
    folder: Path, size: str, backend: str, repeats: int, live: bool = True
) -> dict[str, dict[str, float]]:
    from repurchase.evaluation import holdout_sums, outcome_tables

    wh = warehouse(folder, size, backend)
    found = {}
    if live:
        with wh.transaction() as cur:
            cur.execute("delete from visit_outcomes_built")  # nothing covered: every day live
            cur.execute("delete from holdout_sums_built")  # and every unit read
        found["live"] = page_medians(wh, repeats)
    started = time.perf_counter()
    outcome_tables.build(wh, TODAY, NIGHT)
    found["build_s"] = {"s": time.perf_counter() - started}
    started = time.perf_counter()
    holdout_sums.build(wh)
    found["build_s"]["holdout_sums_s"] = time.perf_counter() - started
    found["tables"] = page_medians(wh, repeats)
    found["load"] = dict(zip(("1", "5", "15"), os.getloadavg(), strict=True))
    wh.close()
    return found


def show_page(size: str, backend: str, found: dict) -> None:
    steps = [k for k in found["tables"] if k not in ("page", "cpu", "rows")]
    load = found["load"]
    say(
        f"{size} {backend}: build {found['build_s']['s']:.1f} s, "
        f"hold-out sums {found['build_s']['holdout_sums_s']:.1f} s "
        f"(load average after: {load['1']:.1f} / {load['5']:.1f} / {load['15']:.1f})"
    )
    for name in ("live", "tables"):
        if name not in found:
            continue
        row = found[name]
        parts = ", ".join(f"{k} {row[k]:.3f}" for k in steps)
        say(
            f"  {name:<7} page {row['page']:.2f} s, app CPU {row['cpu']:.2f} s "
            f"({row['rows']:.0f} count rows; {parts})"
        )


# ----------------------------------------------------------------------------- the nightly


def reader(spec: dict, stop, out) -> None:
    """Load the cohort page (admin) and a rep's list in a loop until `stop`; page times."""
    from repurchase.accounts.auth import User
    from repurchase.services import access

    wh = warehouse(Path(spec["dir"]), spec["size"], "postgres")
    admin = User("bench_admin", "bench", "admin")
    rep = User("rep_" + spec["rep"], spec["rep"], "rep", spec["rep"])
    times = []
    while not stop.is_set():
        started = time.perf_counter()
        if spec["page"] == "cohorts":
            cohort_page(wh, admin)
        else:
            access.call_list(wh, rep, spec["rep"], date(2026, 11, 20))
        times.append((time.time(), time.perf_counter() - started))
    out.put(times)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def nightly(folder: Path, size: str, readers: int, before_s: float) -> None:
    from repurchase.evaluation import outcome_tables

    wh = warehouse(folder, size, "postgres")
    rep = wh.query("scope_reps", role="admin", rep_id=None, team=None).rep_id.iloc[0]
    with wh.transaction() as cur:
        cur.execute("delete from visit_outcomes_built")
    stop, out = mp.Event(), mp.Queue()
    kinds = ["cohorts", "list"] * readers
    procs = [
        mp.Process(
            target=reader,
            args=({"dir": str(folder), "size": size, "rep": rep, "page": k}, stop, out),
        )
        for k in kinds[:readers]
    ]
    for p in procs:
        p.start()
    time.sleep(before_s)  # page times before the build
    windows = {}
    for name, today, night in (
        ("full", TODAY - timedelta(days=1), NIGHT - timedelta(days=1)),
        ("next night", TODAY, NIGHT),
    ):
        started_at, started = time.time(), time.perf_counter()
        outcome_tables.build(wh, today, night)
        windows[name] = (started_at, time.time(), time.perf_counter() - started)
        time.sleep(2)
    stop.set()
    samples = [out.get() for _ in procs]
    for p in procs:
        p.join()
    wh.close()
    say(f"{size} postgres nightly build, {readers} reader processes (cohort page / rep's list):")
    first_start = min(w[0] for w in windows.values())
    for name, (a, b, seconds) in windows.items():
        say(f"  {name} build: {seconds:.1f} s")
        for k, sample in zip(kinds, samples, strict=False):
            during = [t for at, t in sample if at - t < b and at > a]  # overlapping it
            before = [t for at, t in sample if at < first_start]
            say(
                f"    {k:<7} before: n={len(before)} p50 {percentile(before, 0.5):.2f} s "
                f"p95 {percentile(before, 0.95):.2f} s | during: n={len(during)} "
                f"p50 {percentile(during, 0.5):.2f} s p95 {percentile(during, 0.95):.2f} s"
            )


# ----------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["prepare", "page", "nightly"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--sizes", nargs="+", default=["1m", "10m"])
    parser.add_argument("--backends", nargs="+", default=["duckdb", "postgres"])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--before", type=float, default=20.0)
    parser.add_argument("--copy", default=COPY, help="the copies' name (default: outcomes)")
    parser.add_argument(
        "--built-only", action="store_true", help="page: skip the run with nothing built"
    )
    args = parser.parse_args()
    globals()["COPY"] = args.copy
    for size in args.sizes:
        if args.command == "prepare":
            prepare(args.dir, size)
        elif args.command == "page":
            for backend in args.backends:
                found = page(args.dir, size, backend, args.repeats, not args.built_only)
                show_page(size, backend, found)
                say(json.dumps({"size": size, "backend": backend, **found}))
        else:
            nightly(args.dir, size, args.readers, args.before)


if __name__ == "__main__":
    main()
