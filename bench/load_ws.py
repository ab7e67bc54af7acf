"""Load without a browser per rep: N simulated reps (and a few managers) work their day through
Streamlit's own WebSocket protocol (bench/st_client.py), against app servers started here;
prints page times, errors, saves acknowledged vs stored, and the app servers' CPU per page view
read from the server processes themselves (/proc/<pid>/stat), apart from this generator's.

    python bench/load_ws.py [--backend postgres] [--servers 2] [--reps 50,100,200]
                            [--seconds 150] [--think 30,90] [--warehouse FILE]

Each rep signs in (their own account, `load_rep_<i>`, on one of the demo's reps), then loops:
the call list (menu) -> a listed customer (the card's History button) -> Log a visit (menu),
pick that customer, type a note, Save; with think time between the steps (--think: the seconds
one loop takes, drawn uniformly; a visit every 30-90 s by default; --think 2,6 for quick runs),
and now and then (--snooze, a share of loops) snoozes a customer on the list. Managers (one per
--reps-per-manager reps) loop Team today -> Cohorts. Sign-ins are spread over the first
--ramp seconds. The open pages' own timers (the session watch fragment every few seconds) run
as a browser's do and count as fragment runs, not page views.

A page time is from the BackMsg sent to the run's script_finished. An error is a page that
shows an exception or an error alert, a protocol failure, or no end of run in 120 s. A save is
acknowledged when the page says "Saved ..." (or "queued"); stored visits are counted by the
run's token in the notes afterwards: lost = acknowledged but not stored, twice = stored more
than once.

On PostgreSQL (the default) the app servers sit behind Debian's nginx with the README's
configuration (tests/stack.py: TLS, sticky sessions by a cookie of nginx's own, WebSocket
upgrade, long read time-outs), on a private PostgreSQL server holding a copy of --warehouse;
each simulated browser keeps the cookies it is given, so nginx spreads them over the servers as
it spreads browsers. --backend duckdb: the file itself, one app server, no proxy.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import secrets
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.st_client import Client, ProtocolError, Run  # noqa: E402
from repurchase import i18n  # noqa: E402
from repurchase.accounts import auth  # noqa: E402
from repurchase.config import default_warehouse_path  # noqa: E402
from repurchase.ui.server import free_port, streamlit_command, wait_healthy  # noqa: E402
from repurchase.warehouse.store import Warehouse  # noqa: E402

PASSWORD = "load test passphrase 2026"  # noqa: S105 - accounts of a private copy
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------- the servers


@dataclass
class Stack:
    url: str  # what the clients connect to (nginx, or the one server)
    pids: list[int]  # the app servers
    servers: list[str]  # their own URLs
    warehouse: Warehouse
    ssl_context: ssl.SSLContext | None  # nginx's certificate (https), None for plain http


def _app_server(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            streamlit_command(port),
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return proc, f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def stack(args, folder: Path) -> Iterator[Stack]:
    """A private copy of the warehouse: on PostgreSQL, the deployment of the README (tests/
    stack.py: PostgreSQL, --servers app servers, nginx with TLS in front); on the file, one
    app server on it, no proxy."""
    copy = folder / "load.duckdb"
    shutil.copy(args.warehouse, copy)
    if args.backend == "postgres":
        from tests import stack as deployment

        with deployment.running(warehouse=copy, app_servers=args.servers) as s:
            wh = Warehouse(folder / "bench.duckdb", dsn=s.dsn)
            yield Stack(
                s.url,
                [server.pid for server in s.servers],
                [server.url for server in s.servers],
                wh,
                s.ssl_context(),
            )
            wh.close()
        return
    env = {**os.environ, "REPURCHASE_WAREHOUSE": str(copy)}
    log = folder / "server.log"
    proc, url = _app_server(env, log)
    try:
        wait_healthy(url, proc, log, 180)
        yield Stack(url, [proc.pid], [url], Warehouse(copy), None)
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes have used so far, from /proc/<pid>/stat."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / CLOCK_TICKS


def machine_busy() -> float:
    """CPU seconds every core has spent busy since boot (all but idle and iowait), /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / CLOCK_TICKS


def cpu_by_command() -> dict[int, tuple[str, float]]:
    """Every process's command name and CPU seconds so far (processes that end in between are
    missed: machine_busy() counts them)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        name = text.split("(", 1)[1].rsplit(")", 1)[0]
        fields = text.rsplit(")", 1)[1].split()
        found[int(entry.name)] = (name, (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
    return found


def cpu_breakdown(before: dict, after: dict, app: list[int], own: int) -> dict[str, float]:
    """CPU seconds per kind of process between two cpu_by_command() snapshots."""
    kinds: dict[str, float] = {}
    for pid, (name, seconds) in after.items():
        used = seconds - before.get(pid, (name, 0.0))[1]
        if pid in app:
            kind = "app servers"
        elif pid == own:
            kind = "generator"
        elif name.startswith("postgres"):
            kind = "postgresql"
        elif name.startswith("nginx"):
            kind = "nginx"
        else:
            kind = "other"
        kinds[kind] = kinds.get(kind, 0.0) + used
    return kinds


def resident_mb(pids: list[int]) -> list[float]:
    """Each process's resident memory now, in MB, from /proc/<pid>/status."""
    sizes = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


# --------------------------------------------------------------------------- accounts


def make_accounts(wh: Warehouse, reps: int, managers: int) -> tuple[list[str], list[str]]:
    """`load_rep_<i>` on the current reps in turn, `load_manager_<i>` on their teams; one
    password hash for all, in one transaction (hundreds of slow hashes would take minutes)."""
    with wh.connect() as cur:
        current = cur.execute(
            "select rep_id, team from reps where left_date is null order by rep_id"
        ).fetchall()
        taken = {r[0] for r in cur.execute("select username from users").fetchall()}
    teams = sorted({team for _, team in current})
    wanted = [(f"load_rep_{i}", "rep", current[i % len(current)][0], None) for i in range(reps)]
    wanted += [
        (f"load_manager_{i}", "manager", None, teams[i % len(teams)]) for i in range(managers)
    ]
    hashed = auth.hash_password(PASSWORD)
    with wh.transaction() as cur:
        for name, role, rep_id, team in wanted:
            if name not in taken:
                auth.users.create(cur, name, hashed, role, rep_id=rep_id, team=team)
    return [w[0] for w in wanted if w[1] == "rep"], [w[0] for w in wanted if w[1] == "manager"]


# --------------------------------------------------------------------------- the people


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    acknowledged: set[str] = field(default_factory=set)  # notes of saves shown as saved
    snoozed: int = 0
    taken: int = 0  # customers set aside by another simulated rep before this one's snooze
    clients: list[Client] = field(default_factory=list)
    finished: list[tuple[float, str, float]] = field(default_factory=list)  # (at, page, seconds)

    @property
    def fragment_runs(self) -> int:
        return sum(c.fragment_runs for c in self.clients)

    def views(self, signing_in: bool = True) -> int:
        return sum(
            len(times)
            for page, times in self.times.items()
            if signing_in or page not in ("open", "sign_in")
        )


async def view(tally: Tally, page: str, doing) -> Run | None:
    """Await one interaction; file its time under `page`, or count an error with its reason."""
    try:
        run = await doing
    except (ProtocolError, OSError) as exc:
        tally.errors[page] += 1
        tally.reasons[f"{page}: {str(exc)[:120]}"] += 1
        return None
    broken = run.page.exceptions() + run.page.alerts("error")
    if broken:
        tally.errors[page] += 1
        tally.reasons[f"{page}: {broken[0][:120]}"] += 1
        return None
    tally.times[page].append(run.seconds)
    tally.finished.append((time.monotonic(), page, run.seconds))
    return run


async def sign_in(client: Client, username: str, tally: Tally) -> bool:
    if await view(tally, "open", client.open()) is None:
        return False
    client.set("login.username", username)
    client.set("login.password", PASSWORD)
    submit = next(k for k in client.page.widgets if k.startswith("FormSubmitter:login.form"))
    run = await view(tally, "sign_in", client.click(submit))
    return run is not None and "nav.sign_out" in run.page.widgets


def _option(client: Client, key: str, customer_id: str) -> str | None:
    return next((o for o in client.widget(key).options if o.startswith(f"{customer_id} ")), None)


async def rep_day(client: Client, username: str, plan: Plan, rng: random.Random, tally: Tally):
    if not await sign_in(client, username, tally):
        return
    n = 0
    while plan.going(n):
        run = await view(tally, "call_list", client.goto("call_list"))
        listed = [w.key.rsplit(".", 1)[1] for w in client.page.keyed("list.history.")]
        if run is None or not listed:
            await plan.think(rng, 1)
            continue
        customer = rng.choice(listed)
        await plan.think(rng)
        if rng.random() < plan.snooze_share and client.page.keyed(f"list.aside.{customer}"):
            # Snooze / skip opens a dialog with the controls: two runs, as in a browser
            run = await view(tally, "set_aside", client.click(f"list.aside.{customer}"))
            if run is not None and not client.page.keyed(f"list.snooze.{customer}"):
                # another simulated rep on the same list set the customer aside first: the
                # card, and its dialog, are gone (a real rep's list is their own)
                tally.taken += 1
            elif run is not None:
                run = await view(tally, "snooze", client.click(f"list.snooze.{customer}"))
                tally.snoozed += run is not None and bool(run.page.alerts("success"))
            listed = [w.key.rsplit(".", 1)[1] for w in client.page.keyed("list.history.")]
            customer = rng.choice(listed) if listed else customer
        if client.page.keyed(f"list.history.{customer}"):
            await view(tally, "customer", client.click(f"list.history.{customer}"))
        await plan.think(rng)
        if await view(tally, "log_visit", client.goto("log_visit")) is None:
            continue
        note = f"load {plan.token} {username} #{n}"
        n += 1
        option = _option(client, "log.customer_choice", customer)
        if option is not None:
            client.set("log.customer_choice", option)
        client.set("log.note", note)
        run = await view(tally, "save", client.click("log.save_button"))
        # "Saved the visit to C00012." (or "... on this server", queued): shown as saved
        said = i18n.text("log.saved", "en", customer=customer).rstrip(".")
        if run is not None and any(a.startswith(said) for a in run.page.alerts("success")):
            tally.acknowledged.add(note)
        await plan.think(rng)


async def manager_day(client: Client, username: str, plan: Plan, rng: random.Random, tally):
    if not await sign_in(client, username, tally):
        return
    n = 0
    while plan.going(n):
        n += 1
        await view(tally, "team_today", client.goto("team_today"))
        await plan.think(rng)
        await view(tally, "cohorts", client.goto("cohorts"))
        await plan.think(rng)


@dataclass
class Plan:
    token: str
    until: float
    think_range: tuple[float, float]
    snooze_share: float
    loops: int | None = None  # at most this many loops per person (None: until `until`)

    def going(self, loops_done: int) -> bool:
        return time.monotonic() < self.until and (self.loops is None or loops_done < self.loops)

    async def think(self, rng: random.Random, steps: int = 3) -> None:
        """A third of one loop's think time (three pauses per loop)."""
        await asyncio.sleep(rng.uniform(*self.think_range) / steps)


async def person(i: int, who: str, name: str, stack_: Stack, plan: Plan, ramp: float, tally):
    rng = random.Random(f"{plan.token}-{i}")
    await asyncio.sleep(rng.uniform(0, ramp))
    client = Client(stack_.url, ssl_context=stack_.ssl_context)
    tally.clients.append(client)
    try:
        day = rep_day if who == "rep" else manager_day
        await day(client, name, plan, rng, tally)
    finally:
        await client.close()


# --------------------------------------------------------------------------- a level


async def warm_up(stack_: Stack, rep: str, manager: str) -> None:
    """Every page once on every server, untimed: a fresh server's first runs import modules
    and fill caches, which a server in use has long done."""
    for url in stack_.servers:
        for name, pages in ((rep, ["call_list", "customer", "log_visit"]), (manager, ["cohorts"])):
            client = Client(url)
            try:
                await sign_in(client, name, Tally())
                for page in pages:
                    await client.goto(page)
            finally:
                await client.close()


def stored_notes(wh: Warehouse, token: str) -> Counter:
    with wh.connect() as cur:
        rows = cur.execute(
            "select note, count(*) from visits where note like ? group by note",
            [f"load {token} %"],
        ).fetchall()
    return Counter(dict(rows))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _level(stack_: Stack, reps: list[str], managers: list[str], args) -> dict:
    token = secrets.token_hex(3)
    plan = Plan(token, time.monotonic() + args.seconds, args.think, args.snooze)
    tally = Tally()
    people = [("rep", n) for n in reps] + [("manager", n) for n in managers]
    loads: list[float] = []
    steady: dict[str, float] = {}  # once everyone has signed in: CPU, views, fragment runs

    async def sample() -> None:
        n = 0
        while True:
            if n % 5 == 0:
                loads.append(os.getloadavg()[0])
            signed = len(tally.times["sign_in"]) + tally.errors["sign_in"] + tally.errors["open"]
            if not steady and signed >= len(people):
                steady.update(
                    cpu=cpu_seconds(stack_.pids),
                    views=tally.views(signing_in=False),
                    fragments=tally.fragment_runs,
                    at=time.monotonic(),
                )
            n += 1
            await asyncio.sleep(1)

    sampler = asyncio.create_task(sample())
    server_before, own_before = cpu_seconds(stack_.pids), time.process_time()
    busy_before, processes_before = machine_busy(), cpu_by_command()
    started = time.monotonic()
    await asyncio.gather(
        *(person(i, who, n, stack_, plan, args.ramp, tally) for i, (who, n) in enumerate(people))
    )
    wall = time.monotonic() - started
    server_after = cpu_seconds(stack_.pids)
    server_cpu, own_cpu = server_after - server_before, time.process_time() - own_before
    busy = machine_busy() - busy_before
    kinds = cpu_breakdown(processes_before, cpu_by_command(), stack_.pids, os.getpid())
    sampler.cancel()
    if steady:  # the part of the run after the last sign-in: pages and the watch only
        steady.update(
            cpu=server_after - steady["cpu"],
            views=tally.views(signing_in=False) - steady["views"],
            fragments=tally.fragment_runs - steady["fragments"],
            seconds=time.monotonic() - steady["at"],
        )
    stored = stored_notes(stack_.warehouse, token)
    return {
        "resident": resident_mb(stack_.pids),
        "tally": tally,
        "wall": wall,
        "server_cpu": server_cpu,
        "own_cpu": own_cpu,
        "busy": busy,
        "kinds": kinds,
        "loads": loads,
        "stored": stored,
        "steady": steady,
    }


def report(n_reps: int, n_managers: int, result: dict) -> None:
    tally: Tally = result["tally"]
    every = [t for times in tally.times.values() for t in times]
    views = len(every)
    errors = sum(tally.errors.values())
    stored = result["stored"]
    lost = tally.acknowledged - set(stored)
    twice = [note for note, count in stored.items() if count > 1]
    loads = result["loads"] or [float("nan")]
    print(
        f"\n== {n_reps} reps + {n_managers} managers, {result['wall']:.0f} s: {views} page views,"
        f" {tally.fragment_runs} fragment runs, {errors} errors"
    )
    if every:
        print(
            f"   all pages: p50 {statistics.median(every):.2f} s,"
            f" p95 {percentile(every, 0.95):.2f} s"
        )
    for page in sorted(tally.times):
        times = tally.times[page]
        print(
            f"   {page:10s} {len(times):5d} views  p50 {statistics.median(times):6.2f} s"
            f"  p95 {percentile(times, 0.95):6.2f} s  max {max(times):6.2f} s"
            f"  errors {tally.errors.get(page, 0)}"
        )
    for reason, count in tally.reasons.most_common(5):
        print(f"   error x{count}: {reason}")
    print(
        f"   saves acknowledged {len(tally.acknowledged)}, stored {sum(stored.values())}"
        f" ({len(stored)} distinct), lost {len(lost)}, stored twice {len(twice)};"
        f" snoozes {tally.snoozed} ({tally.taken} set aside first by another simulated rep"
        " on the same list)"
    )
    wall = result["wall"]
    kinds = ", ".join(
        f"{kind} {seconds / wall:.2f}"
        for kind, seconds in sorted(result["kinds"].items(), key=lambda kv: -kv[1])
    )
    print(f"   the machine's cores busy: {result['busy'] / wall:.2f} of {os.cpu_count()} ({kinds})")
    per_view = result["server_cpu"] / views if views else float("nan")
    print(
        f"   app servers' CPU {result['server_cpu']:.1f} s = {per_view * 1000:.0f} ms per page"
        f" view (fragment runs included); {result['server_cpu'] / result['wall']:.2f} cores;"
        f" generator CPU {result['own_cpu']:.1f} s ({result['own_cpu'] / result['wall']:.2f} cores)"
    )
    steady = result["steady"]
    if steady and steady["views"]:
        after = [sec for at, page, sec in tally.finished if at >= steady["at"]]
        print(
            f"   after the last sign-in ({steady['seconds']:.0f} s): {steady['views']} page views,"
            f" p50 {statistics.median(after):.2f} s, p95 {percentile(after, 0.95):.2f} s;"
            f" {steady['fragments']} fragment runs, app servers' CPU {steady['cpu']:.1f} s ="
            f" {steady['cpu'] / steady['views'] * 1000:.0f} ms per page view"
        )
    print(
        "   app servers' resident memory at the end: "
        + ", ".join(f"{mb:.0f} MB" for mb in result["resident"])
    )
    print(
        f"   load average (1 min) during the run: median {statistics.median(loads):.1f},"
        f" max {max(loads):.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warehouse", type=Path, default=default_warehouse_path())
    parser.add_argument("--backend", choices=["postgres", "duckdb"], default="postgres")
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--reps", default="50,100,200")
    parser.add_argument("--reps-per-manager", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=150.0)
    parser.add_argument("--think", default="30,90", help="seconds one loop takes: min,max")
    parser.add_argument("--ramp", type=float, default=20.0, help="sign-ins spread over s")
    parser.add_argument("--snooze", type=float, default=0.1, help="share of loops that snooze")
    args = parser.parse_args()
    low, high = (float(x) for x in args.think.split(","))
    args.think = (low, high)
    levels = [int(n) for n in args.reps.split(",")]
    if args.backend == "duckdb" and args.servers != 1:
        parser.error("the file is served by one server: --servers 1")
    with tempfile.TemporaryDirectory(prefix="load-ws-") as folder, stack(args, Path(folder)) as s:
        most = max(levels)
        reps, managers = make_accounts(s.warehouse, most, most // args.reps_per_manager)
        print(
            f"load_ws: {args.warehouse.name} on {args.backend}, {args.servers} app server(s)"
            f"{' behind nginx' if s.ssl_context else ''}, {args.seconds:g} s per level,"
            f" think {low:g}-{high:g} s per loop, {os.cpu_count()} cores"
        )
        asyncio.run(warm_up(s, reps[0], managers[0] if managers else reps[0]))
        for n in levels:
            m = n // args.reps_per_manager
            result = asyncio.run(_level(s, reps[:n], managers[:m], args))
            report(n, m, result)


if __name__ == "__main__":
    main()
