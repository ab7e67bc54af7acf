"""Page reads on both backends: the rep's list, the customer page and the cohort page.

    python bench/page_reads.py build [--dir /tmp/bench21] [--visits 1000000 10000000]
    python bench/page_reads.py server start|stop|status [--dir /tmp/bench21]
    python bench/page_reads.py run [--dir /tmp/bench21] [--visits ...] [--repeats 5] [--reps 5]

`build` makes the shared data sets once (reused by later runs and by other benches): for each
size, a DuckDB file `visits-<n>.duckdb` and the same rows in database `visits_<n>` of a
PostgreSQL server kept in `<dir>/pg` (port 55421, 127.0.0.1, fsync off). Rows follow
bench/backends.py (30 visits per customer over two years, ~220 customers per rep, 28 days of
lists, a day of scores, hold-out periods); besides, a third of the visits carry a note and
1 % ask for a follow-up, as on a live warehouse, since notes are what a long scan pays for.
Each build is complete once its `visits-<n>.json` exists. <dir>/README.txt says how to use
them.

`run` times, per backend and size, the server side of a page view (the functions the page
calls, without Streamlit's cache), warm: each call once untimed, then --repeats times for
--reps reps; prints medians. Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

from tests.pg_server import PostgresServer  # noqa: E402

PORT = 55421
DEFAULT_DIR = Path("/tmp/bench21")
SIZES = (1_000_000, 10_000_000)
MAIN_LIST_SQL = "repurchase/warehouse/sql/rep_call_list.sql"


def say(text: str = "") -> None:
    print(text, flush=True)


def label(n: int) -> str:
    return f"{n // 1_000_000}m" if n % 1_000_000 == 0 else f"{n // 1000}k"


# ----------------------------------------------------------------------------- the server


class SharedServer(PostgresServer):
    """A PostgreSQL server whose data directory outlives the process: `<dir>/pg/data`, on a
    fixed port, so that later runs (and other benches) find the databases again."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder / "pg"
        self.directory = self.folder

    def start(self) -> SharedServer:
        self.directory = self.folder
        if not (self.data_directory / "PG_VERSION").exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            if self._run_as:
                account = pwd.getpwnam(self._run_as)
                os.chown(self.folder, account.pw_uid, account.pw_gid)
            self._initdb()
        self._write_settings(PORT)
        if not self.running():
            self._run(
                [
                    self._tool("pg_ctl"),
                    "start",
                    self._pgdata(),
                    f"--log={self.log_file}",
                    "--wait",
                    "--timeout=120",
                ],
                f"starting the shared server on port {PORT}",
            )
        self.port = PORT
        return self

    def running(self) -> bool:
        command = [self._tool("pg_ctl"), "status", self._pgdata()]
        if self._run_as:  # pg_ctl refuses root
            command = ["/usr/sbin/runuser", "-u", self._run_as, "--", *command]
        done = subprocess.run(command, capture_output=True, check=False, cwd=self.folder)
        return done.returncode == 0

    def stop(self) -> None:
        """Stop the server and keep its data (fast: checkpoint, no crash recovery next time)."""
        self.directory = self.folder
        if self.running():
            self._run(
                [self._tool("pg_ctl"), "stop", self._pgdata(), "--mode=fast", "--wait"],
                "stopping the shared server",
            )
        self.port = None

    def has_database(self, name: str) -> bool:
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True) as pg:
            found = pg.execute("select 1 from pg_database where datname = %s", (name,))
            return found.fetchone() is not None


# ----------------------------------------------------------------------------- building


def build(folder: Path, n: int, server: SharedServer) -> dict:
    """The file and PostgreSQL copies of the `n`-visit data set, built once."""
    import psycopg
    from backends import build_warehouse, move_to_pg

    name = label(n)
    meta_path = folder / f"visits-{name}.json"
    if meta_path.is_file():
        return json.loads(meta_path.read_text())
    path = folder / f"visits-{name}.duckdb"
    database = f"visits_{name}"
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    if server.has_database(database):
        server.drop_database(database)
    started = time.perf_counter()
    wh = build_warehouse(path, n)
    with wh.transaction() as cur:
        # what a live warehouse has and feature_build's shape has not: notes and follow-ups
        cur.execute(
            """
            update visits set
                note = case when visit_id % 3 = 0
                    then 'talked about the next order, samples, prices and delivery ' || visit_id
                    end,
                follow_up_date = case when visit_id % 100 = 7
                    then cast(visited_at as date) + 3 end
            """
        )
    file_seconds = time.perf_counter() - started
    counts = wh.table_counts()
    say(f"{name}: file built in {file_seconds:,.0f} s: {counts}")
    anchor = folder / f"anchor-{name}"
    anchor.mkdir(exist_ok=True)
    dsn, move_seconds = move_to_pg(server, wh, database, anchor / "warehouse.duckdb")
    with psycopg.connect(dsn, autocommit=True) as pg:
        pg.execute("vacuum analyze")
    say(f"{name}: moved to PostgreSQL in {move_seconds:,.0f} s")
    meta = {
        "visits": n,
        "file": str(path),
        "database": database,
        "dsn": dsn,
        "anchor": str(anchor / "warehouse.duckdb"),
        "rows": counts,
        "file_seconds": round(file_seconds),
        "move_seconds": round(move_seconds),
    }
    meta_path.write_text(json.dumps(meta, indent=2))
    return meta


README = """Shared data sets for the backend benches (built by bench/page_reads.py build).

Sizes: {sizes}. Each size <n> (1m, 10m) has
  visits-<n>.duckdb   the DuckDB file (REPURCHASE_BACKEND=duckdb; Warehouse(path))
  visits_<n>          the same rows in PostgreSQL database visits_<n>
  anchor-<n>/         a folder for the PostgreSQL warehouse's side files (Warehouse(anchor, dsn=))
  visits-<n>.json     what was built: rows per table, DSN, build times (present = complete)
Rows: bench/backends.py's shape (30 visits per customer over two years, ~220 customers per rep,
28 days of call lists before and on 2026-11-20 = the bench "today", a day of scores that day,
weekly hold-out periods, one user 'rep_<rep_id>' per rep), plus a note on a third of the visits
and a follow-up on 1 %.

PostgreSQL: data directory {folder}/pg/data, 127.0.0.1 port {port}, user repurchase, no password,
fsync off, otherwise PostgreSQL 15's defaults (shared_buffers 128 MB), pg_stat_statements loaded.
  start:  python bench/page_reads.py server start     (or, as user postgres:
          /usr/lib/postgresql/15/bin/pg_ctl start -D {folder}/pg/data -l {folder}/pg/server.log)
  stop:   python bench/page_reads.py server stop
  DSN:    host=127.0.0.1 port={port} user=repurchase dbname=visits_1m   (or visits_10m)
  env:    REPURCHASE_BACKEND=postgres REPURCHASE_POSTGRES_DSN='<DSN>'

The masters keep the schema they were built with. Never open them with the app: it migrates
what it opens, and a warehouse with a migration a checkout lacks is refused ("newer
migration"). Work on a copy:
  cp {folder}/visits-1m.duckdb /tmp/bench21/mine-1m.duckdb
  psql -h 127.0.0.1 -p {port} -U repurchase -d postgres \
       -c 'create database mine_1m template visits_1m'
  (createdb refuses while anyone is connected to visits_1m; 10m takes a few minutes to copy)
bench/page_reads.py run does this itself (copies named page_reads_<n>).
"""


def write_readme(folder: Path, sizes: list[int]) -> None:
    text = README.format(sizes=", ".join(f"{n:,} visits" for n in sizes), folder=folder, port=PORT)
    (folder / "README.txt").write_text(text)


def command_build(args: argparse.Namespace) -> None:
    folder = args.dir
    folder.mkdir(parents=True, exist_ok=True)
    server = SharedServer(folder).start()
    conf = server.data_directory / "tests.conf"
    extra = "shared_preload_libraries = 'pg_stat_statements'\n"
    if extra not in conf.read_text():
        server._write(conf, conf.read_text() + extra)
        server.stop()
        server.start()
    write_readme(folder, args.visits)
    for n in args.visits:
        meta = build(folder, n, server)
        say(f"{label(n)}: ready: {meta['file']}, {meta['dsn']}")


def command_server(args: argparse.Namespace) -> None:
    server = SharedServer(args.dir)
    if args.action == "start":
        server.start()
        say(f"running: {server.dsn('postgres')}")
    elif args.action == "stop":
        server.stop()
        say("stopped")
    else:
        say("running" if server.running() else "stopped")


# ----------------------------------------------------------------------------- timing


def working_copies(folder: Path, n: int, server: SharedServer) -> dict:
    """This bench's own copies of the `n`-visit data set (the app migrates what it opens; the
    masters stay at the schema they were built with, for other benches): made once, reused."""
    import psycopg

    meta = json.loads((folder / f"visits-{label(n)}.json").read_text())
    path = folder / f"page_reads-{label(n)}.duckdb"
    database = f"page_reads_{label(n)}"
    if not path.is_file():
        shutil.copyfile(meta["file"], path)
    if not server.has_database(database):
        with psycopg.connect(server.dsn(), autocommit=True) as pg:
            pg.execute(f"create database {database} template {meta['database']}")
    anchor = folder / f"page_reads-anchor-{label(n)}"
    anchor.mkdir(exist_ok=True)
    return {"file": path, "dsn": server.dsn(database), "anchor": anchor / "warehouse.duckdb"}


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:,.0f} ms"


def timed_pages(wh, reps: list[str], repeats: int, pages: list[str], baseline: str | None):
    """Seconds per page view, wall and this process's CPU (DuckDB's threads included; a
    PostgreSQL server's own CPU is not): each rep's page once untimed (warm), then `repeats`
    times."""
    from backends import DAY, cohort_page

    from repurchase.accounts.auth import User
    from repurchase.services import access

    times: dict[str, list[float]] = {p: [] for p in pages}
    cpu: dict[str, list[float]] = {p: [] for p in pages}
    users = [User(f"rep_{r}", r, "rep", rep_id=r) for r in reps]
    listed = {}
    for user in users:
        frame = access.call_list(wh, user, user.rep_id, DAY)
        listed[user.rep_id] = str(frame.customer_id.iloc[0])

    def list_page(user):
        wh.query("list_period")
        access.call_list(wh, user, user.rep_id, DAY)
        access.drifting_away(wh, user, user.rep_id, DAY)

    def old_list(user):
        with wh.connect() as cur:
            cur.execute(baseline, {"rep_id": user.rep_id, "day": DAY, "overdue_days": 14}).df()

    runs = {
        "rep_list": lambda u: access.call_list(wh, u, u.rep_id, DAY),
        "list_page": list_page,
        "customer": lambda u: access.customer_history(wh, u, listed[u.rep_id]),
        "rep_list_main": old_list,
    }
    for page in pages:
        if page == "cohort":
            manager = User("bench_manager", "bench", "manager", team="T1")
            cohort_page(wh, manager)
            for _ in range(repeats):
                used = time.process_time()
                times[page].append(cohort_page(wh, manager)["page"])
                cpu[page].append(time.process_time() - used)
            continue
        for user in users:
            runs[page](user)
            for _ in range(repeats):
                started, used = time.perf_counter(), time.process_time()
                runs[page](user)
                times[page].append(time.perf_counter() - started)
                cpu[page].append(time.process_time() - used)
    return times, cpu


def command_run(args: argparse.Namespace) -> None:
    from repurchase.warehouse.store import Warehouse

    server = SharedServer(args.dir).start()
    baseline = None
    if "rep_list_main" in args.pages:
        baseline = subprocess.run(
            [shutil.which("git") or "git", "show", f"main:{MAIN_LIST_SQL}"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    say(
        f"page reads: {os.cpu_count()} cores, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; medians of {args.repeats} warm runs"
        f" x {args.reps} reps (cohort: a manager of team T1, {args.repeats} runs)"
    )
    for n in args.visits:
        copies = working_copies(args.dir, n, server)
        with Warehouse(copies["file"], backend="duckdb").connect() as cur:
            reps = [r[0] for r in cur.execute("select rep_id from reps order by rep_id").fetchall()]
        chosen = reps[:: max(1, len(reps) // args.reps)][: args.reps]
        results, cpus = {}, {}
        for backend in ("duckdb", "postgres"):
            if backend == "duckdb":
                wh = Warehouse(copies["file"], backend="duckdb")
            else:
                wh = Warehouse(copies["anchor"], dsn=copies["dsn"])
            results[backend], cpus[backend] = timed_pages(
                wh, chosen, args.repeats, args.pages, baseline
            )
            wh.close()
        say(f"\n{n:,} visits")
        for page in args.pages:
            file_s = statistics.median(results["duckdb"][page])
            pg_s = statistics.median(results["postgres"][page])
            say(
                f"  {page:<14} file {median_ms(results['duckdb'][page]):>10}   PostgreSQL "
                f"{median_ms(results['postgres'][page]):>10}   ratio {pg_s / file_s:,.2f}x   "
                f"(CPU of this process: file {median_ms(cpus['duckdb'][page])}, PostgreSQL "
                f"{median_ms(cpus['postgres'][page])})"
            )
    say(f"load average at end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    building = commands.add_parser("build")
    building.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    building.add_argument("--visits", type=int, nargs="+", default=list(SIZES))
    serving = commands.add_parser("server")
    serving.add_argument("action", choices=("start", "stop", "status"))
    serving.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    running = commands.add_parser("run")
    running.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    running.add_argument("--visits", type=int, nargs="+", default=list(SIZES))
    running.add_argument("--repeats", type=int, default=5)
    running.add_argument("--reps", type=int, default=5)
    running.add_argument(
        "--pages",
        nargs="+",
        default=["rep_list", "list_page", "customer", "cohort"],
        help="rep_list, list_page, customer, cohort, rep_list_main (main's list query)",
    )
    args = parser.parse_args()
    if args.command == "run":
        command_run(args)
    elif args.command == "build":
        command_build(args)
    elif args.command == "server":
        command_server(args)


if __name__ == "__main__":
    main()
