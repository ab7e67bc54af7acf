"""The DuckDB file against PostgreSQL: concurrent visit logging, the cohort
page on a large warehouse, and an import while reps use the app.

    python bench/backends.py [--quick] [--visits 10000000] [--app-visits 1000000]
                             [--writers 10 50 200] [--seconds 25] [--pg-processes 4]
                             [--import-visits 1000000] [--reps 30] [--repeats 5]
                             [--parts 1 2 3] [--pg-setting NAME=VALUE ...]

Prints figures, asserts nothing about time. Starts a private PostgreSQL (tests/pg_server.py:
fsync off, max_connections 300, otherwise PostgreSQL's defaults, e.g. shared_buffers 128 MB)
and keeps every warehouse in a temporary folder; both are removed at the end.

Data: warehouses are built in SQL with bench/feature_build.py's shape (30 visits per customer
over two years, ~220 customers per rep, 8 % successful, a quarter as many online orders), plus
what the pages read: teams, contacts, a day of scores, 28 days of call lists (15 visible + 2
held out per rep and day) and weekly hold-out periods. That is the bench's path, not the
importer's. The PostgreSQL copy is made with repurchase.move_to_postgres (then ANALYZE, as
autovacuum would do on a live server).

1. Visit logging: N writers at once, each a rep saving visits to their own customers through
   the app's save path (visit_queue.save, which falls back to the on-disk queue after 3 s
   without the file), a unique submission key per visit, for --seconds. DuckDB: threads in one
   process (the file allows one process: the app server). PostgreSQL: --pg-processes app
   processes x N/processes threads. Afterwards, queued entries are drained and every visit is
   counted: each must be stored exactly once.
2. The cohort page on --visits visits: the functions pages/cohorts.py calls (list_period,
   access.on_list_visits, evaluate.on_off_table / weekly_trend / per_rep_table,
   access.reps_in_scope, evaluate.holdout_lift), signed in as an admin (every rep: the page's
   heaviest scope), without Streamlit's cache. Each run is a fresh process: its first page is
   "cold" (first open / attach), its second "warm". Then the alternative: a local DuckDB copy
   of the PostgreSQL data made by a nightly job (migrations, then insert ... select per table
   through the postgres extension), its time and memory, and the page on that copy.
   With --pg-setting (e.g. --pg-setting work_mem=64MB --pg-setting shared_buffers=1GB), the
   PostgreSQL page is timed a second time with those settings (ALTER SYSTEM, then the server
   restarted, so its shared buffers start empty), which are reset (and the server restarted)
   before the nightly copy; the rest of the run keeps PostgreSQL's defaults.
3. An import of --import-visits visits (`python -m repurchase import FILE.csv`, a subprocess)
   while --reps reps load their call list page's data (list_period, access.call_list,
   access.drifting_away, access.customer_history of one listed customer) and log a visit every
   fourth page, thinking 0.5-1.5 s between pages. DuckDB: threads in one process; PostgreSQL:
   3 processes. Page times before the import vs during it, and the import's duration.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import duckdb  # noqa: E402
from worklist_read import insert_day_of_scores  # noqa: E402

from repurchase.accounts.auth import User  # noqa: E402
from repurchase.config import BACKEND_ENV, POSTGRES_DSN_ENV  # noqa: E402
from repurchase.evaluation import outcomes as evaluate
from repurchase.services import (
    access,
    visit_queue,
    visits,  # noqa: E402
)
from repurchase.warehouse import postgres
from repurchase.warehouse.store import Warehouse  # noqa: E402

DAY = date(2026, 11, 20)  # "today" of the built lists; the built history ends the day before
LIST_DAYS = 28
VISIBLE, HELD_OUT = 15, 2


# ----------------------------------------------------------------------------- small helpers


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def ms(value: float) -> str:
    return "n/a" if value != value else f"{value * 1000:,.0f} ms"  # noqa: PLR0124 (nan)


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the
    parent that forked it before exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_worker_peaks: list[float] = []  # the peak RSS every worker reported


def say(text: str = "") -> None:
    print(text, flush=True)


def backend_env(dsn: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (BACKEND_ENV, POSTGRES_DSN_ENV)}
    if dsn:
        env[BACKEND_ENV] = "postgres"
        env[POSTGRES_DSN_ENV] = dsn
    env["PYTHONPATH"] = str(ROOT)
    return env


def app_warehouse(spec: dict) -> Warehouse:
    """The warehouse as the app opens it: the backend comes from the environment."""
    return Warehouse(spec["path"])


# ----------------------------------------------------------------------------- data


def build_warehouse(path: Path, n_visits: int) -> Warehouse:
    """feature_build's history plus what the call list and cohort pages read (in SQL)."""
    from feature_build import build as build_history

    wh = Warehouse(path, backend="duckdb")
    build_history(wh, n_visits)
    with wh.transaction() as cur:
        reps, customers = cur.execute(
            "select (select count(*) from reps), (select count(*) from customers)"
        ).fetchone()
        per_rep = -(-customers // reps)
        cur.execute("update reps set team = 'T' || (cast(substr(rep_id, 2) as integer) % 8)")
        cur.execute(
            "update customers set contact_name = 'contact', contact_phone = '+86 138 0000 0000'"
        )
        insert_day_of_scores(cur, DAY)
        # each rep's customers in turn: 15 on the list and 2 held out per day
        cur.execute(
            """
            insert into call_lists (list_date, rep_id, customer_id, rank, p_order, model_version,
                                    reasons, n_history, held_out, ranked_by)
            select
                cast($day as date) - cast(d as integer),
                'R' || (i % $reps),
                'C' || i,
                rank,
                1.0 / (rank + 1),
                'bench',
                '[]',
                10,
                rank > $visible,
                'probability'
            from (
                select d, i, 1 + ((i // $reps) + d * $per_day) % $per_rep as rank
                from range($days) as t(d), range($customers) as c(i)
            )
            where rank <= $per_day
            """,
            {
                "day": DAY,
                "reps": reps,
                "customers": customers,
                "per_rep": per_rep,
                "per_day": VISIBLE + HELD_OUT,
                "visible": VISIBLE,
                "days": LIST_DAYS,
            },
        )
        first = DAY - timedelta(days=LIST_DAYS - 1)
        cur.execute(
            """
            insert into holdout_assignments (period_start, period_end, customer_id, rep_id,
                                             share, seed)
            select period_start, period_start + 7, customer_id, any_value(rep_id), 0.1, 1
            from (
                select
                    cast($first as date) + 7 * cast(floor((list_date - cast($first as date)) / 7)
                                                    as integer) as period_start,
                    customer_id,
                    rep_id
                from call_lists
                where held_out
            )
            group by all
            """,
            {"first": first},
        )
        cur.execute(
            """
            insert into users (username, display_name, password_hash, role, rep_id)
            select 'rep_' || rep_id, 'Rep ' || rep_id, 'bench-no-password', 'rep', rep_id
            from reps
            """
        )
    return wh


def move_to_pg(server, source: Warehouse, name: str, anchor: Path) -> tuple[str, float]:
    """A PostgreSQL database `name` with the file's rows (move_to_postgres), analysed."""
    import psycopg

    from repurchase.services import move_to_postgres

    dsn = server.create_database(name)
    target = Warehouse(anchor, dsn=dsn)
    started = time.perf_counter()
    move_to_postgres.move(source, target)
    took = time.perf_counter() - started
    target.close()
    with psycopg.connect(dsn, autocommit=True) as pg:
        pg.execute("analyze")
    return dsn, took


def rep_ids(wh: Warehouse) -> list[str]:
    with wh.connect() as cur:
        return [r[0] for r in cur.execute("select rep_id from reps order by rep_id").fetchall()]


# ----------------------------------------------------------------------------- workers
# Each worker is this script in a fresh process (`--worker KIND SPEC.json`), so that a DuckDB
# file is held by one process like the app server, and PostgreSQL sees several app processes.


def _wait_for_go(spec: dict) -> dict:
    Path(spec["ready_dir"], str(os.getpid())).touch()
    go = Path(spec["go_file"])
    while not go.exists():
        time.sleep(0.01)
    time.sleep(0.01)
    return json.loads(go.read_text() or "{}")


def _visit(user: User, customer_id: str, tag: str) -> visits.VisitInput:
    now = datetime.now()
    entry = visits.VisitInput(
        customer_id=customer_id,
        visited_at=now - timedelta(minutes=1),
        method="phone",
        target="active",
        purpose="relationship",
        result="no_order",
        note=f"bench {tag}",
    )
    return visits.with_submission_key(entry, user)


def worker_writers(spec: dict) -> dict:
    """Threads saving visits as fast as they can until the end time the main process sets."""
    wh = app_warehouse(spec)
    results: list[dict] = []
    lock = threading.Lock()
    ready = threading.Barrier(len(spec["reps"]) + 1)
    shared: dict = {}

    def writer(index: int, rep_id: str) -> None:
        user = User(f"rep_{rep_id}", rep_id, "rep", rep_id=rep_id)
        with wh.connect() as cur:
            mine = [
                r[0]
                for r in cur.execute(
                    "select customer_id from customers where owner_rep_id = $r", {"r": rep_id}
                ).fetchall()
            ]
        ready.wait()
        ready.wait()  # the main thread has the end time
        lat, stored, queued, errors, k = [], 0, 0, Counter(), 0
        while time.time() < shared["end_at"]:
            k += 1
            tag = f"{spec['tag']}-{os.getpid()}-{index}-{k}"
            visit = _visit(user, random.choice(mine), tag)
            started = time.perf_counter()
            try:
                saved = visit_queue.save(wh, user, visit, datetime.now())
            except Exception as exc:  # noqa: BLE001 (counted and reported)
                errors[type(exc).__name__] += 1
                continue
            lat.append(time.perf_counter() - started)
            if saved.queued:
                queued += 1
            else:
                stored += 1
        with lock:
            results.append({"lat": lat, "stored": stored, "queued": queued, "errors": errors})

    threads = [threading.Thread(target=writer, args=(i, r)) for i, r in enumerate(spec["reps"])]
    for t in threads:
        t.start()
    ready.wait()
    shared.update(_wait_for_go(spec))
    cpu = time.process_time()
    ready.wait()
    for t in threads:
        t.join()
    cpu = time.process_time() - cpu
    drained = 0
    for _ in range(200):  # entries queued while the file was busy: stored now, once
        done = visit_queue.drain(wh)
        drained += done.stored
        if done.waiting == 0:
            break
    errors = Counter()
    for r in results:
        errors.update(r["errors"])
    return {
        "lat": [x for r in results for x in r["lat"]],
        "stored": sum(r["stored"] for r in results),
        "queued": sum(r["queued"] for r in results),
        "drained": drained,
        "cpu_s": cpu,
        "errors": dict(errors),
        "rss_mb": peak_rss_mb(),
    }


def call_list_page(wh: Warehouse, user: User, customer: str | None) -> str | None:
    """The reads of one call list page view (pages/call_list.py through repurchase/ui)."""
    wh.query("list_period")
    frame = access.call_list(wh, user, user.rep_id, DAY)
    access.drifting_away(wh, user, user.rep_id, DAY)
    if customer is None and len(frame):
        customer = str(frame.customer_id.iloc[0])
    if customer is not None:
        access.customer_history(wh, user, customer)
    return customer


def worker_reps(spec: dict) -> dict:
    """Reps viewing their call list (and logging a visit every fourth view) until stopped."""
    wh = app_warehouse(spec)
    events: list[tuple] = []
    lock = threading.Lock()
    ready = threading.Barrier(len(spec["reps"]) + 1)
    stop = Path(spec["stop_file"])

    def rep(index: int, rep_id: str) -> None:
        user = User(f"rep_{rep_id}", rep_id, "rep", rep_id=rep_id)
        customer = call_list_page(wh, user, None)  # warm-up, not counted
        ready.wait()
        ready.wait()
        k = 0
        while not stop.exists():
            k += 1
            started = time.perf_counter()
            ok = "ok"
            try:
                call_list_page(wh, user, customer)
            except Exception as exc:  # noqa: BLE001
                ok = type(exc).__name__
            took = time.perf_counter() - started
            with lock:
                events.append((time.time() - took, "page", took, ok))  # start
            if k % 4 == 0 and customer is not None:
                visit = _visit(user, customer, f"{spec['tag']}-{os.getpid()}-{index}-{k}")
                started = time.perf_counter()
                try:
                    saved = visit_queue.save(wh, user, visit, datetime.now())
                    ok = "queued" if saved.queued else "ok"
                except Exception as exc:  # noqa: BLE001
                    ok = type(exc).__name__
                took = time.perf_counter() - started
                with lock:
                    events.append((time.time() - took, "save", took, ok))
            time.sleep(random.uniform(0.5, 1.5))

    threads = [threading.Thread(target=rep, args=(i, r)) for i, r in enumerate(spec["reps"])]
    for t in threads:
        t.start()
    ready.wait()
    _wait_for_go(spec)
    ready.wait()
    for t in threads:
        t.join()
    for _ in range(200):
        if visit_queue.drain(wh).waiting == 0:
            break
    return {"events": events, "rss_mb": peak_rss_mb()}


def cohort_page(wh: Warehouse, user: User) -> dict[str, float]:
    """The cohort page's calls, in its order (pages/cohorts.py), timed one by one."""
    times: dict[str, float] = {}

    def step(name, fn):
        started = time.perf_counter()
        out = fn()
        times[name] = time.perf_counter() - started
        return out

    period = step("list_period", lambda: wh.query("list_period").iloc[0])
    first, last = period.first_day.date(), period.last_day.date()
    team = step("on_list_visits", lambda: access.on_list_visits(wh, user, first, last))
    step("on_off_table", lambda: evaluate.on_off_table(team, evaluate.MIN_VISITS))
    step("weekly_trend", lambda: evaluate.weekly_trend(team))
    step("per_rep", lambda: (evaluate.per_rep_table(team), access.reps_in_scope(wh, user)))

    def lift():
        in_view = access.reps_in_scope(wh, user)
        allowed = set(access.rep_ids(wh, user))
        reps = [r for r in in_view.rep_id if r in allowed]
        return evaluate.holdout_lift(wh, first, last, reps=reps)

    step("holdout_lift", lift)
    times["page"] = sum(times.values())
    times["rows"] = len(team)
    return times


# visits_on_list's period filter casts the column, which the postgres extension cannot send to
# PostgreSQL (every visit is copied over); the same filter on the bare column is sent.
SHIPPED_FILTER = "where cast(visited_at as date) between $first and $last"
SARGABLE_FILTER = (
    "where visited_at >= cast($first as timestamp)\n"
    "        and visited_at < cast($last as timestamp) + interval 1 day"
)


def worker_cohort(spec: dict) -> dict:
    wh = Warehouse(spec["path"], dsn=spec.get("dsn"), backend=spec.get("backend"))
    admin = User("bench_admin", "bench", "admin")
    runs = [cohort_page(wh, admin) for _ in range(spec["runs"])]
    out = {"runs": runs, "rss_mb": peak_rss_mb()}
    if spec.get("diagnose"):
        out["filter"] = period_filter_diagnosis(wh)
    return out


def period_filter_diagnosis(wh: Warehouse) -> dict:
    """visits_on_list as shipped and with the period filter on the bare column: warm medians
    of 3, and whether both return the same rows."""
    from repurchase.warehouse.store import sql

    period = wh.query("list_period").iloc[0]
    params = {"first": period.first_day.date(), "last": period.last_day.date()}
    shipped = sql("visits_on_list")
    rewritten = shipped.replace(SHIPPED_FILTER, SARGABLE_FILTER)
    times: dict[str, list[float]] = {"shipped": [], "rewritten": []}
    frames = {}
    for _ in range(3):
        for name, text in (("shipped", shipped), ("rewritten", rewritten)):
            started = time.perf_counter()
            with wh.connect() as cur:
                frames[name] = cur.execute(text, params).df()
            times[name].append(time.perf_counter() - started)
    return {
        "shipped": statistics.median(times["shipped"]),
        "rewritten": statistics.median(times["rewritten"]),
        "same": bool(frames["shipped"].equals(frames["rewritten"])),
        "applies": rewritten != shipped,
    }


def worker_copy(spec: dict) -> dict:
    """The nightly job's alternative: a local DuckDB file with every table of PostgreSQL."""
    started = time.perf_counter()
    local = Warehouse(spec["path"], backend="duckdb")
    local.schema_version()  # the file's schema, views and indexes (migrations)
    tables = [t for t in local.table_counts() if t != "schema_migrations"]
    per_table = {}
    con = duckdb.connect(spec["path"])
    try:
        con.execute(f"load '{postgres.extension_path()}'")
        con.execute(f"attach '{spec['dsn']}' as pg (type postgres, read_only)")
        con.execute("begin transaction")
        for table in tables:
            columns = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_catalog = current_database() and table_schema = 'main' "
                    "and table_name = $t order by ordinal_position",
                    {"t": table},
                ).fetchall()
            ]
            names = ", ".join(f'"{c}"' for c in columns)
            t = time.perf_counter()
            con.execute(f'delete from main."{table}"')  # rows a migration seeded
            con.execute(
                f'insert into main."{table}" ({names}) select {names} from pg.public."{table}"'
            )
            per_table[table] = time.perf_counter() - t
        con.execute("commit")
        con.execute("checkpoint")
    finally:
        con.close()
    return {
        "seconds": time.perf_counter() - started,
        "per_table": per_table,
        "size_mb": Path(spec["path"]).stat().st_size / 1e6,
        "rss_mb": peak_rss_mb(),
    }


WORKERS = {
    "writers": worker_writers,
    "reps": worker_reps,
    "cohort": worker_cohort,
    "copy": worker_copy,
}


def run_worker(kind: str, spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    try:
        out = WORKERS[kind](spec)
    except BaseException:
        out = {"failed": traceback.format_exc()}
    Path(spec["out"]).write_text(json.dumps(out, default=str))


class Workers:
    """Worker processes started together, released together, and their JSON results."""

    def __init__(self, folder: Path, kind: str, specs: list[dict], envs: list[dict]) -> None:
        self.folder = folder
        folder.mkdir(parents=True)
        (folder / "ready").mkdir()
        self.go = folder / "go"
        self.stop = folder / "stop"
        self.outs = []
        self.procs = []
        for i, (spec, env) in enumerate(zip(specs, envs, strict=True)):
            out = folder / f"out{i}.json"
            spec = {
                **spec,
                "out": str(out),
                "ready_dir": str(folder / "ready"),
                "go_file": str(self.go),
                "stop_file": str(self.stop),
            }
            path = folder / f"spec{i}.json"
            path.write_text(json.dumps(spec))
            self.outs.append(out)
            self.procs.append(
                subprocess.Popen(
                    [sys.executable, __file__, "--worker", kind, str(path)], env=env, cwd=ROOT
                )
            )

    def wait_ready(self, timeout: float = 600) -> None:
        deadline = time.time() + timeout
        while len(list((self.folder / "ready").iterdir())) < len(self.procs):
            if any(p.poll() is not None for p in self.procs):
                self.results()  # raises with the worker's traceback
            if time.time() > deadline:
                raise TimeoutError("workers did not get ready")
            time.sleep(0.05)

    def release(self, **payload) -> None:
        partial = self.folder / "go.tmp"
        partial.write_text(json.dumps(payload))
        os.replace(partial, self.go)

    def results(self) -> list[dict]:
        found = []
        for proc, out in zip(self.procs, self.outs, strict=True):
            proc.wait()
            data = json.loads(out.read_text()) if out.exists() else {"failed": "no output"}
            if "failed" in data:
                raise RuntimeError(f"a worker failed:\n{data['failed']}")
            _worker_peaks.append(data.get("rss_mb", 0.0))
            found.append(data)
        return found


def split(items: list, parts: int) -> list[list]:
    return [items[i::parts] for i in range(parts) if items[i::parts]]


# ----------------------------------------------------------------------------- part 1


def count_bench_visits(wh: Warehouse, tag: str) -> tuple[int, int, int]:
    with wh.connect() as cur:
        return cur.execute(
            "select count(*), count(distinct note), "
            "(select count(*) from visit_submissions s join visits v using (visit_id) "
            " where v.note like $p) "
            "from visits where note like $p",
            {"p": f"bench {tag}-%"},
        ).fetchone()


def pg_sessions(dsn: str) -> int:
    """Sessions PostgreSQL has opened on the database so far (pg_stat_database, PostgreSQL 14+;
    the statistics are sent with a short delay, hence the pause)."""
    import psycopg

    time.sleep(1.0)
    with psycopg.connect(dsn, autocommit=True) as pg:
        row = pg.execute(
            "select sessions from pg_stat_database where datname = current_database()"
        ).fetchone()
    return int(row[0] or 0)


def part_writers(args, tmp: Path, server, base: Warehouse, base_db: str, reps: list[str]) -> None:
    say("\n== 1. Concurrent visit logging (visit_queue.save, as the Log a visit form) ==")
    say(f"{args.seconds:g} s per level; writers are reps on their own customers")
    say(
        f"{'backend':<11} {'writers':>7} {'layout':<22} {'writes/s':>9} {'p50':>8} {'p95':>8} "
        f"{'max':>8} {'queued':>7} {'errors':>7}  stored once?"
    )
    for level in args.writers:
        chosen = [reps[i % len(reps)] for i in range(level)]
        for backend in ("duckdb", "postgres"):
            tag = f"w{level}{backend[0]}"
            folder = tmp / f"writers-{tag}"
            if backend == "duckdb":
                path = tmp / f"writers-{tag}.duckdb"
                shutil.copy(base.path, path)
                dsn, groups, layout = None, [chosen], f"1 process x {level} thr"
            else:
                path = tmp / f"writers-{tag}-anchor.duckdb"
                dsn = server.create_database(f"writers_{tag}", template=base_db)
                groups = split(chosen, min(args.pg_processes, level))
                layout = f"{len(groups)} proc x {level // len(groups)}"
                layout += f"-{-(-level // len(groups))} thr" if level % len(groups) else " thr"
            specs = [{"path": str(path), "reps": g, "tag": tag} for g in groups]
            workers = Workers(folder, "writers", specs, [backend_env(dsn)] * len(specs))
            workers.wait_ready()
            sessions = pg_sessions(dsn) if dsn else 0
            workers.release(end_at=time.time() + args.seconds)
            found = workers.results()
            sessions = pg_sessions(dsn) - sessions if dsn else 0
            lat = [x for f in found for x in f["lat"]]
            stored = sum(f["stored"] for f in found)
            queued = sum(f["queued"] for f in found)
            errors = Counter()
            for f in found:
                errors.update(f["errors"])
            wh = Warehouse(path, dsn=dsn, backend=backend)
            rows, distinct, submissions = count_bench_visits(wh, tag)
            wh.close()
            once = rows == distinct == submissions == stored + queued
            verdict = "yes" if once else "NO"
            verdict += f" ({rows:,} rows, {distinct:,} distinct, {stored + queued:,} saved)"
            say(
                f"{backend:<11} {level:>7} {layout:<22} {stored / args.seconds:>9,.1f} "
                f"{ms(pct(lat, 0.5)):>8} {ms(pct(lat, 0.95)):>8} {ms(pct(lat, 1.0)):>8} "
                f"{queued:>7,} {sum(errors.values()):>7,}  {verdict}"
                + (f" errors: {dict(errors)}" if errors else "")
                + f"; worker peak RSS {max(f['rss_mb'] for f in found):,.0f} MB"
            )
            cpu = sum(f["cpu_s"] for f in found)
            say(
                f"{'':<11} {'':>7} app processes' CPU {cpu:,.1f} s = "
                f"{1000 * cpu / max(stored + queued, 1):,.1f} ms per save"
                + (f"; PostgreSQL sessions opened: {sessions:,}" if dsn else "")
            )
            if dsn:
                server.drop_database(f"writers_{tag}")
            else:
                path.unlink()


# ----------------------------------------------------------------------------- part 3


def write_import_file(base: Warehouse, folder: Path, n: int) -> Path:
    from import_throughput import visit_rows

    with base.connect() as cur:
        customers = cur.execute("select customer_id, owner_rep_id from customers").df()
    frame = visit_rows(customers, n, seed=3)
    path = folder / "visits_import.csv"
    frame.to_csv(path, index=False)
    return path


def import_command(path: Path, csv_path: Path, dsn: str | None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "repurchase", "--warehouse", str(path), "import", str(csv_path)],
        env=backend_env(dsn),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def import_alone(
    tmp: Path, server, base: Warehouse, base_db: str, backend: str, csv_path: Path
) -> float:
    """The CLI import into a fresh copy with nobody else on the warehouse: its baseline."""
    if backend == "duckdb":
        path, dsn = tmp / "alone.duckdb", None
        shutil.copy(base.path, path)
    else:
        path = tmp / "alone-anchor.duckdb"
        dsn = server.create_database("import_alone", template=base_db)
    started = time.time()
    done = import_command(path, csv_path, dsn)
    took = time.time() - started
    if done.returncode != 0:
        raise RuntimeError(f"the import alone failed: {done.stderr[-600:]}")
    if dsn:
        server.drop_database("import_alone")
    else:
        path.unlink()
    return took


def part_import(args, tmp: Path, server, base: Warehouse, base_db: str, reps: list[str]) -> None:
    say(
        f"\n== 3. Import of {args.import_visits:,} visits (CLI, subprocess) while "
        f"{args.reps} reps use the call list =="
    )
    csv_path = write_import_file(base, tmp, args.import_visits)
    say(f"import file: {csv_path.stat().st_size / 1e6:,.0f} MB CSV")
    chosen = reps[: args.reps]
    for backend in ("duckdb", "postgres"):
        tag = f"i{backend[0]}"
        if backend == "duckdb":
            path = tmp / "import-d.duckdb"
            shutil.copy(base.path, path)
            dsn, groups = None, [chosen]
        else:
            path = tmp / "import-p-anchor.duckdb"
            dsn = server.create_database("import_p", template=base_db)
            groups = split(chosen, 3)
        alone = import_alone(tmp, server, base, base_db, backend, csv_path)
        say(f"{backend}: the same import alone (nobody using the app) took {alone:,.1f} s")
        specs = [{"path": str(path), "reps": g, "tag": tag} for g in groups]
        workers = Workers(tmp / f"reps-{tag}", "reps", specs, [backend_env(dsn)] * len(specs))
        workers.wait_ready()
        workers.release()
        time.sleep(args.before_seconds)
        import_start = time.time()
        done = import_command(path, csv_path, dsn)
        import_end = time.time()
        time.sleep(2)
        workers.stop.touch()
        found = workers.results()
        events = [e for f in found for e in f["events"]]

        def times(kind, lo, hi, events=events):
            # views that started and ended inside the window
            chosen_events = [e for e in events if e[1] == kind and lo <= e[0] and e[0] + e[2] <= hi]
            ok = [e[2] for e in chosen_events if e[3] in ("ok", "queued")]
            failed = Counter(e[3] for e in chosen_events if e[3] not in ("ok", "queued"))
            queued = sum(1 for e in chosen_events if e[3] == "queued")
            return ok, failed, queued

        outcome = "ok" if done.returncode == 0 else f"FAILED ({done.returncode})"
        summary = (done.stdout.strip().splitlines() or [""])[-1][:160]
        say(
            f"{backend}: import took {import_end - import_start:,.1f} s, {outcome}: {summary}"
            + ("" if done.returncode == 0 else f"\n  {done.stderr.strip()[-600:]}")
        )
        say(f"  reps as {len(groups)} process(es) x {len(chosen) // len(groups)} threads")
        for label, lo, hi in (
            ("before", import_start - args.before_seconds, import_start),
            ("during", import_start, import_end),
        ):
            pages, page_fail, _ = times("page", lo, hi)
            saves, save_fail, queued = times("save", lo, hi)
            say(
                f"  {label:<6} import: page p50 {ms(pct(pages, 0.5))}, p95 {ms(pct(pages, 0.95))}, "
                f"max {ms(max(pages, default=float('nan')))} (n={len(pages)}"
                + (f", failed {dict(page_fail)}" if page_fail else "")
                + f"); save p50 {ms(pct(saves, 0.5))}, p95 {ms(pct(saves, 0.95))} "
                f"(n={len(saves)}, queued {queued}"
                + (f", failed {dict(save_fail)}" if save_fail else "")
                + ")"
            )
        if dsn:
            Warehouse(path, dsn=dsn).close()
            server.drop_database("import_p")
        else:
            path.unlink()


# ----------------------------------------------------------------------------- part 2


def run_cohort(tmp: Path, label: str, spec: dict, env: dict, repeats: int) -> dict:
    cold, warm, rss, diagnosis = [], [], [], None
    for i in range(repeats):
        folder = tmp / f"cohort-{label}-{i}"
        last = i == repeats - 1  # the diagnosis after the timed pages, once
        workers = Workers(folder, "cohort", [{**spec, "runs": 2, "diagnose": last}], [env])
        found = workers.results()[0]
        cold.append(found["runs"][0])
        warm.append(found["runs"][1])
        rss.append(found["rss_mb"])
        diagnosis = found.get("filter", diagnosis)
    return {"cold": cold, "warm": warm, "rss": max(rss), "filter": diagnosis}


def show_cohort(label: str, result: dict) -> None:
    rows = result["cold"][0]["rows"]
    for which in ("cold", "warm"):
        runs = result[which]
        steps = {k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "rows"}
        detail = ", ".join(f"{k} {v:.2f}" for k, v in steps.items() if k != "page")
        say(
            f"  {label:<26} {which}: page median {steps['page']:.2f} s "
            f"(min {min(r['page'] for r in runs):.2f}, max {max(r['page'] for r in runs):.2f}, "
            f"n={len(runs)}) [{detail}]"
        )
    say(f"  {'':<26} {rows:,} visits in the list period; worker peak RSS {result['rss']:,.0f} MB")
    found = result.get("filter")
    if found and found["applies"]:
        say(
            f"  {'':<26} visits_on_list alone, warm: as shipped {found['shipped']:.2f} s; with "
            f"the period filter on the bare visited_at column {found['rewritten']:.2f} s "
            f"(same rows: {'yes' if found['same'] else 'NO'})"
        )


def pg_settings(pairs: list[str]) -> dict[str, str]:
    """NAME=VALUE arguments as a dict; the names are checked by PostgreSQL (ALTER SYSTEM)."""
    settings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise SystemExit(f"--pg-setting wants NAME=VALUE, got {pair!r}")
        settings[name.strip()] = value.strip()
    return settings


def set_pg_server(server, settings: dict[str, str], reset: bool = False) -> str:
    """ALTER SYSTEM SET (or RESET) `settings`, restart the server (shared_buffers needs it) and
    return the values in effect afterwards."""
    import psycopg
    from psycopg import sql as pgsql

    with psycopg.connect(server.dsn(), autocommit=True) as pg:
        for name, value in settings.items():
            if reset:
                pg.execute(pgsql.SQL("alter system reset {}").format(pgsql.Identifier(name)))
            else:
                pg.execute(
                    pgsql.SQL("alter system set {} = {}").format(
                        pgsql.Identifier(name), pgsql.Literal(value)
                    )
                )
    # tests/pg_server.py has no restart of its own; its pg_ctl runner (as the server's user)
    server._run(  # noqa: SLF001
        [
            server._tool("pg_ctl"),  # noqa: SLF001
            "restart",
            server._pgdata(),  # noqa: SLF001
            "--mode=fast",
            f"--log={server.log_file}",
            "--wait",
            "--timeout=120",
        ],
        "restarting the server",
    )
    with psycopg.connect(server.dsn(), autocommit=True) as pg:
        shown = []
        for name in settings:
            show = pgsql.SQL("show {}").format(pgsql.Identifier(name))
            shown.append(f"{name} {pg.execute(show).fetchone()[0]}")
    return ", ".join(shown)


def part_cohort(args, tmp: Path, server) -> None:
    say(f"\n== 2. Cohort page on {args.visits:,} visits ==")
    started = time.perf_counter()
    big = build_warehouse(tmp / "big.duckdb", args.visits)
    counts = big.table_counts()
    say(
        f"built in SQL in {time.perf_counter() - started:,.0f} s: {counts['visits']:,} visits, "
        f"{counts['orders']:,} orders, {counts['customers']:,} customers, {counts['reps']:,} reps, "
        f"{counts['call_lists']:,} call list rows; file {big.path.stat().st_size / 1e6:,.0f} MB"
    )
    dsn, took = move_to_pg(server, big, "big", tmp / "big-anchor.duckdb")
    say(f"move_to_postgres: {took:,.0f} s (then ANALYZE)")
    duck = run_cohort(tmp, "d", {"path": str(big.path), "backend": "duckdb"}, backend_env(None),
                      args.repeats)  # fmt: skip
    show_cohort("DuckDB file", duck)
    pg = run_cohort(tmp, "p", {"path": str(tmp / "big-anchor.duckdb"), "dsn": dsn},
                    backend_env(None), args.repeats)  # fmt: skip
    show_cohort("PostgreSQL (attached)", pg)
    settings = pg_settings(args.pg_setting)
    if settings:
        say(f"  server restarted with {set_pg_server(server, settings)}")
        tuned = run_cohort(tmp, "t", {"path": str(tmp / "big-anchor.duckdb"), "dsn": dsn},
                           backend_env(None), args.repeats)  # fmt: skip
        show_cohort("PostgreSQL tuned", tuned)
        say(f"  server restarted with {set_pg_server(server, settings, reset=True)} again")
    copies = []
    for i in range(args.copy_repeats):
        target = tmp / f"copy{i}.duckdb"
        workers = Workers(tmp / f"copy-{i}", "copy", [{"path": str(target), "dsn": dsn}],
                          [backend_env(None)])  # fmt: skip
        copies.append(workers.results()[0])
        if i < args.copy_repeats - 1:
            target.unlink()
    slowest = max(copies[0]["per_table"], key=copies[0]["per_table"].get)
    say(
        f"  nightly copy PostgreSQL -> local DuckDB file: median "
        f"{statistics.median(c['seconds'] for c in copies):,.1f} s "
        f"(min {min(c['seconds'] for c in copies):,.1f}, n={len(copies)}); "
        f"slowest table {slowest} {copies[0]['per_table'][slowest]:,.1f} s; "
        f"file {copies[-1]['size_mb']:,.0f} MB; peak RSS {max(c['rss_mb'] for c in copies):,.0f} MB"
    )
    copy = run_cohort(
        tmp,
        "c",
        {"path": str(tmp / f"copy{args.copy_repeats - 1}.duckdb"), "backend": "duckdb"},
        backend_env(None),
        args.repeats,
    )
    show_cohort("DuckDB copy of PostgreSQL", copy)
    Warehouse(tmp / "big-anchor.duckdb", dsn=dsn).close()
    server.drop_database("big")


# ----------------------------------------------------------------------------- main


def _sizes(args: argparse.Namespace) -> bool:
    """Fill the sizes not given from --quick's or the full run's defaults; whether quick."""
    quick = args.quick
    args.visits = args.visits or (1_000_000 if quick else 10_000_000)
    args.app_visits = args.app_visits or (100_000 if quick else 1_000_000)
    args.seconds = args.seconds or (6.0 if quick else 25.0)
    args.import_visits = args.import_visits or (100_000 if quick else 1_000_000)
    args.before_seconds = args.before_seconds or (15.0 if quick else 30.0)
    args.repeats = args.repeats or (3 if quick else 5)
    args.copy_repeats = args.copy_repeats or (1 if quick else 3)
    return quick


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, short runs")
    parser.add_argument("--visits", type=int, help="part 2 warehouse (10M; quick 1M)")
    parser.add_argument("--app-visits", type=int, help="parts 1 and 3 warehouse (1M; quick 100k)")
    parser.add_argument("--writers", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--seconds", type=float, help="per writer level (25; quick 6)")
    parser.add_argument("--pg-processes", type=int, default=4)
    parser.add_argument("--import-visits", type=int, help="part 3 (1M; quick 100k)")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument(
        "--before-seconds", type=float, help="reps alone before the import (30; quick 15)"
    )
    parser.add_argument("--repeats", type=int, help="cohort processes per backend (5; quick 3)")
    parser.add_argument("--copy-repeats", type=int, help="nightly copies timed (3; quick 1)")
    parser.add_argument("--parts", type=int, nargs="+", default=[1, 2, 3], help="run in this order")
    parser.add_argument(
        "--pg-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="part 2: time the PostgreSQL page again with this server setting (repeatable)",
    )
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_worker(*args.worker)
        return
    pg_settings(args.pg_setting)  # a malformed one fails now, not after the build
    quick = _sizes(args)

    from tests.pg_server import PostgresServer

    started = time.perf_counter()
    say(
        f"backends bench{' (--quick)' if quick else ''}: {os.cpu_count()} cores, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at start; DuckDB {duckdb.__version__}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="bench-backends-"))
    server = PostgresServer().start()
    try:
        import psycopg

        with psycopg.connect(server.dsn(), autocommit=True) as pg:
            version = pg.execute("show server_version").fetchone()[0]
            buffers = pg.execute("show shared_buffers").fetchone()[0]
        say(f"PostgreSQL {version} (private server, fsync off, shared_buffers {buffers})")
        base = None
        for part in args.parts:  # in the order asked
            if part in (1, 3) and base is None:
                t = time.perf_counter()
                base = build_warehouse(tmp / "app.duckdb", args.app_visits)
                _, took = move_to_pg(server, base, "app_base", tmp / "app-anchor.duckdb")
                reps = rep_ids(base)
                say(
                    f"app warehouse (parts 1 and 3): {args.app_visits:,} visits, {len(reps):,} "
                    f"reps; built in {time.perf_counter() - t - took:,.0f} s, move_to_postgres "
                    f"{took:,.0f} s"
                )
            if part == 1:
                part_writers(args, tmp, server, base, "app_base", reps)
            elif part == 3:
                part_import(args, tmp, server, base, "app_base", reps)
            elif part == 2:
                part_cohort(args, tmp, server)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    say(
        f"\ntook {(time.perf_counter() - started) / 60:,.1f} min; peak RSS: this process "
        f"{peak_rss_mb():,.0f} MB, largest worker {max(_worker_peaks, default=0):,.0f} MB; "
        "load average at end "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
