"""The nightly job (`python -m repurchase nightly`) on PostgreSQL at 1M and 10M visits: its time
per step, its peak memory, and the page times of readers while it runs.

    python bench/nightly_job.py [run] [--dir /tmp/bench21] [--sizes 1m 10m] [--nights 2]
                                [--readers 3] [--before 60] [--timeout 2400] [--until HH:MM]
                                [--keep] [--reuse]
    python bench/nightly_job.py copy [--sizes 10m]      (the copies only, for `run --reuse`)

Data: the shared data sets under --dir (README.txt there; bench/page_reads.py builds them and
starts their server). Each size is run on a copy of its master (`create database nightly_<n>
template visits_<n>`, a fresh side-file folder), migrated before the clock starts and dropped at
the end (--keep keeps it). The masters carry no model: the first night trains the first one,
as on a fresh warehouse; the second is a regular night with a serving model to beat. Nights
score the days after the data's lists (21 and 22 November 2026), so each writes new lists.

The job runs as a subprocess: the real command line, under `child` below, which only wraps the
job's stages with timers (printed on stderr) before calling the CLI's main. Each night prints
its wall time, the jobs table's own start and finish, the stages' times, and the peak resident
memory of the process tree (sampled every 0.5 s; PostgreSQL's server processes not included).

Meanwhile --readers processes load, round robin per kind, a rep's call list, the customer page
(a customer on that rep's list) and the Cohorts page (a manager of team T1), through the service
layer as the pages call it, warm: page times p50 / p95 before the first night (--before seconds)
and during each night. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from backends import DAY  # noqa: E402
from nightly_pg import cohort_page, percentile  # noqa: E402
from page_reads import PORT, SharedServer  # noqa: E402

DEFAULT_DIR = Path("/tmp/bench21")
STAGE = "@stage"
MAX_RSS = "@peak"


def say(text: str = "") -> None:
    print(text, flush=True)


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


# ----------------------------------------------------------------------------- the child


def _stages() -> list[tuple[object, str, str]]:
    """(module, function, label) of the job's stages, as services/jobs.py calls them."""
    from repurchase.evaluation import outcome_tables
    from repurchase.lists import score
    from repurchase.model import features, registry, train
    from repurchase.services import reminders, visit_queue

    return [
        (registry, "clean_up", "clean up left-overs"),
        (visit_queue, "drain", "drain the visit queue"),
        (features, "load_history", "read the history"),
        (train, "_prepare", "train: anchors and validation slices"),
        (train, "fit_networks", "train: networks"),
        (train, "_fit_peers_and_gate", "train: peers and gate"),
        (train, "_fit_effect_and_rank", "train: call effect and ranking"),
        (registry, "save", "save the version"),
        (registry, "promote_if_not_worse", "promote if not worse"),
        (score, "score_day", "score today"),
        (score, "write_lists", "  of which: write the lists"),
        (outcome_tables, "build", "outcome tables"),
        (reminders, "after_lists", "queue and send mails"),
    ]


def child(argv: list[str]) -> int:
    """`python -m repurchase <argv>`, its stages timed: one line per call on stderr."""
    import functools

    def timed(fn, name):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            started = time.time()
            try:
                return fn(*args, **kwargs)
            finally:
                line = json.dumps({"stage": name, "start": started, "s": time.time() - started})
                print(f"{STAGE} {line}", file=sys.stderr, flush=True)

        return run

    for module, function, name in _stages():
        setattr(module, function, timed(getattr(module, function), name))
    from repurchase.cli.main import main as cli_main

    return cli_main(argv)


# ----------------------------------------------------------------------------- readers


def reader(spec: dict, ready, stop, out) -> None:
    """Load one kind of page in a loop until `stop`, round robin over the reps: (end, s)."""
    from repurchase.accounts.auth import User
    from repurchase.errors import RepurchaseError
    from repurchase.services import access
    from repurchase.warehouse.store import Warehouse

    wh = Warehouse(Path(spec["anchor"]), dsn=spec["dsn"])
    manager = User("bench_manager", "bench", "manager", team="T1")
    reps = [User(f"rep_{r}", r, "rep", rep_id=r) for r in spec["reps"]]

    def page(i: int) -> None:
        user = reps[i % len(reps)]
        if spec["page"] == "list":
            access.call_list(wh, user, user.rep_id, DAY)
        elif spec["page"] == "customer":
            access.customer_history(wh, user, spec["customers"][user.rep_id])
        else:
            cohort_page(wh, manager)

    times, failures, i = [], [], 0
    try:
        for i in range(1 if spec["page"] == "cohort" else len(reps)):
            page(i)  # warm
        ready.put(spec["page"])
        while not stop.is_set():
            started = time.perf_counter()
            try:
                page(i)
            except RepurchaseError as exc:  # a server restarted under us: counted, not fatal
                failures.append((time.time(), type(exc).__name__))
                time.sleep(1)
                continue
            finally:
                i += 1
            times.append((time.time(), time.perf_counter() - started))
    finally:
        out.put((spec["page"], times, failures))
        wh.close()


# ----------------------------------------------------------------------------- the job


def tree_rss_mb(root: int) -> float:
    """Resident memory of `root` and its descendants (from /proc), MB."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    family, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    return sum(rss.get(pid, 0) for pid in family) / 2**20


def run_night(copy: dict, today: date, timeout: float, log: Path) -> dict:
    """One nightly run as a subprocess: wall time, stages, progress lines, peak RSS."""
    env = {
        **os.environ,
        "REPURCHASE_BACKEND": "postgres",
        "REPURCHASE_POSTGRES_DSN": copy["dsn"],
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, str(Path(__file__).resolve()), "child", "--"]
    command += ["--warehouse", str(copy["anchor"]), "nightly", "--today", today.isoformat()]
    started_at, started = time.time(), time.perf_counter()
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group: a timeout stops the job and its children
    )
    lines: list[tuple[float, str]] = []
    out: list[str] = []
    live = log.open("w")  # `tail -f` it while the job runs

    def follow() -> None:
        for text in proc.stderr:
            lines.append((time.time(), text))
            live.write(f"{lines[-1][0] - started_at:8.1f}  {text}")
            live.flush()

    readers = [
        threading.Thread(target=follow),
        threading.Thread(target=lambda: out.extend(proc.stdout)),
    ]
    for t in readers:
        t.start()
    peak, timed_out = 0.0, False
    while proc.poll() is None:
        peak = max(peak, tree_rss_mb(proc.pid))
        if time.perf_counter() - started > timeout:
            timed_out = True
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        time.sleep(0.5)
    for t in readers:
        t.join()
    ended_at = time.time()
    live.writelines(out)
    live.close()
    stages = [json.loads(x.split(" ", 1)[1]) for _, x in lines if x.startswith(STAGE)]
    return {
        "today": today,
        "rc": proc.returncode,
        "timed_out": timed_out,
        "wall": ended_at - started_at,
        "window": (started_at, ended_at),
        "peak_mb": peak,
        "stages": stages,
        "progress": [(at - started_at, x.rstrip()) for at, x in lines if not x.startswith("@")],
        "stdout": "".join(out).rstrip(),
        "load_after": load(),
    }


def show_night(night: dict, job: dict | None) -> None:
    state = "TIMED OUT, stopped" if night["timed_out"] else f"exit {night['rc']}"
    say(
        f"  night {night['today']}: {state}, wall {night['wall']:.0f} s, peak RSS of the job's "
        f"process tree {night['peak_mb']:,.0f} MB, load average after {night['load_after']}"
    )
    if job:
        say(
            f"    jobs table: job {job['job_id']} {job['status']}, started {job['started_at']}, "
            f"finished {job['finished_at']} ({job['seconds']}), last step {job['message']!r}"
        )
        say(f"    outcome: {job['outcome'] or job['error']}")
    first = night["window"][0]
    for stage in night["stages"]:
        say(f"    {stage['start'] - first:7.1f} s  {stage['stage']:<38} {stage['s']:8.1f} s")
    if night["timed_out"] or night["rc"]:
        for at, text in night["progress"][-8:]:
            say(f"    {at:7.1f} s  {text}")
    for text in night["stdout"].splitlines():
        say(f"    | {text}")


def last_job(dsn: str) -> dict | None:
    import psycopg

    with psycopg.connect(dsn) as pg:
        row = pg.execute(
            "select job_id, status, started_at, finished_at, message, outcome, error "
            "from jobs order by job_id desc limit 1"
        ).fetchone()
    if row is None:
        return None
    keys = ["job_id", "status", "started_at", "finished_at", "message", "outcome", "error"]
    job = dict(zip(keys, row, strict=True))
    if job["started_at"] and job["finished_at"]:
        job["seconds"] = f"{(job['finished_at'] - job['started_at']).total_seconds():.0f} s"
    else:
        job["seconds"] = "not finished"
    return job


# ----------------------------------------------------------------------------- a size


def make_copy(folder: Path, size: str, server: SharedServer, reuse: bool = False) -> dict:
    """A fresh copy of the `size` master and its side-file folder, migrated. With `reuse`, a
    copy `copy` made (no side-file folder yet: no night has run on it) is taken as it is."""

    from repurchase.accounts.auth import User
    from repurchase.services import access
    from repurchase.warehouse.store import Warehouse

    database = f"nightly_{size}"
    anchor = folder / f"nightly-anchor-{size}"
    started = time.perf_counter()
    if not (reuse and server.has_database(database) and not anchor.exists()):
        drop_copy(folder, size, server)
        copy_master(server, size)
    copied = time.perf_counter() - started
    anchor.mkdir()
    copy = {"dsn": server.dsn(database), "anchor": anchor / "warehouse.duckdb"}
    started = time.perf_counter()
    wh = Warehouse(copy["anchor"], dsn=copy["dsn"])
    wh.schema_version()
    reps = list(wh.query("scope_reps", role="admin", rep_id=None, team=None).rep_id[::97][:4])
    customers = {}
    for rep in reps:
        listed = access.call_list(wh, User(f"rep_{rep}", rep, "rep", rep_id=rep), rep, DAY)
        customers[rep] = str(listed.customer_id.iloc[0])
    wh.close()
    say(
        f"{size}: copied (visits entered an hour after they were made) in {copied:.0f} s, "
        f"migrated in {time.perf_counter() - started:.0f} s; load average {load()}"
    )
    return {**copy, "reps": reps, "customers": customers}


def copy_master(server: SharedServer, size: str) -> None:
    import psycopg

    database = f"nightly_{size}"
    with psycopg.connect(server.dsn(), autocommit=True) as pg:
        pg.execute(f"create database {database} template visits_{size}")
    with psycopg.connect(server.dsn(database), autocommit=True) as pg:
        # the masters' visits were all entered when the data set was built, after the bench's
        # "today": the outcome tables would count none of them (entered since the cutoff)
        pg.execute("update visits set entered_at = visited_at + interval '1 hour'")
        pg.execute("vacuum analyze visits")


def drop_copy(folder: Path, size: str, server: SharedServer) -> None:
    import psycopg

    with psycopg.connect(server.dsn(), autocommit=True) as pg:
        pg.execute(f"drop database if exists nightly_{size} with (force)")
    shutil.rmtree(folder / f"nightly-anchor-{size}", ignore_errors=True)


def page_times(samples: list[float]) -> str:
    if not samples:
        return "n=0"
    return (
        f"n={len(samples):>4} p50 {percentile(samples, 0.5):6.2f} s "
        f"p95 {percentile(samples, 0.95):6.2f} s"
    )


def run_size(args: argparse.Namespace, size: str, server: SharedServer) -> None:
    if args.command == "copy":
        copy_master(server, size)
        say(f"{size}: copy nightly_{size} made; run with --reuse")
        return
    copy = make_copy(args.dir, size, server, args.reuse)
    ctx = mp.get_context("spawn")
    ready, stop, out = ctx.Queue(), ctx.Event(), ctx.Queue()
    kinds = ["list", "customer", "cohort"]
    spec = {k: (str(v) if k == "anchor" else v) for k, v in copy.items()}
    procs = [
        ctx.Process(target=reader, args=({**spec, "page": kinds[i % 3]}, ready, stop, out))
        for i in range(args.readers)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=600)
    say(f"{size}: {args.readers} readers warm; {args.before:.0f} s of page views before the job")
    time.sleep(args.before)
    nights = []
    try:
        for i in range(args.nights):
            today = DAY + timedelta(days=i + 1)
            left = args.until.timestamp() - time.time() if args.until else args.timeout
            if nights and left < args.timeout / 2:
                say(f"{size}: no night for {today}: --until {args.until:%H:%M} is near")
                break
            log = args.dir / f"nightly-job-{size}-{today}.log"
            night = run_night(copy, today, min(args.timeout, left), log)
            nights.append(night)
            say(f"{size} nightly job for {today} (log {log}):")
            show_night(night, last_job(copy["dsn"]))
            if night["timed_out"] or night["rc"]:
                break
            time.sleep(5)
    finally:
        stop.set()
        samples = [out.get(timeout=300) for _ in procs]
        for p in procs:
            p.join()
    first = min(n["window"][0] for n in nights)
    say(f"{size}: page times, {args.readers} reader processes (warm, service layer):")
    for kind, times, failures in samples:
        before = [s for end, s in times if end < first]
        say(f"  {kind:<8} before the job: {page_times(before)}")
        if failures:
            say(f"  {kind:<8} {len(failures)} page views failed ({failures[0][1]})")
        for night in nights:
            a, b = night["window"]
            during = [s for end, s in times if end - s < b and end > a]
            say(f"  {kind:<8} during {night['today']}: {page_times(during)}")
    if not args.keep:
        drop_copy(args.dir, size, server)


def clock(text: str) -> datetime:
    """Today's (or, if past, tomorrow's) HH:MM in UTC."""
    now = datetime.now(UTC)
    hour, minute = (int(x) for x in text.split(":"))
    at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return at if at > now else at + timedelta(days=1)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        sys.exit(child(sys.argv[3:] if sys.argv[2:3] == ["--"] else sys.argv[2:]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "command",
        nargs="?",
        choices=["run", "copy"],
        default="run",
        help="run (default), or only make the copies for a later `run --reuse`",
    )
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--sizes", nargs="+", default=["1m", "10m"])
    parser.add_argument("--nights", type=int, default=2)
    parser.add_argument("--readers", type=int, default=3)
    parser.add_argument("--before", type=float, default=60.0)
    parser.add_argument("--timeout", type=float, default=2400.0)
    parser.add_argument(
        "--until",
        type=clock,
        help="HH:MM (UTC): stop a night still running then, and start no later one",
    )
    parser.add_argument("--keep", action="store_true", help="keep the copies")
    parser.add_argument("--reuse", action="store_true", help="run on copies `copy` made")
    args = parser.parse_args()
    server = SharedServer(args.dir).start()
    say(f"nightly job on PostgreSQL (port {PORT}): {os.cpu_count()} cores, load average {load()}")
    for size in args.sizes:
        run_size(args, size, server)
    say(f"load average at end {load()}")


if __name__ == "__main__":
    main()
