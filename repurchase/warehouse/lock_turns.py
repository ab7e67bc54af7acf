"""Fair turns at the warehouse file between processes (see README, "Sharing the warehouse file").

DuckDB lets one process at a time open the file, and a process keeps it open while any of its
threads runs a unit of work (warehouse.py's reference count). A server whose sessions keep
starting short units therefore holds it almost all the time, and another process (an import,
`stats`, a job's heartbeat) retrying to open it can wait past its timeout: a busy app starved
the jobs (8 sessions were measured holding the file 99.4 % of the time).

So a process that fails to open the file leaves a ticket: a small file in `<warehouse>.turns/`
named by its pid. A process that sees someone else's ticket starts no new unit of work until
the ticket is gone (the waiter got the file and removed it) or `yield_seconds` passed; units
already running finish, the file closes with the last one, and the waiter opens it. The waiter
then sees the others' tickets at its next unit, and yields in turn. The bound keeps a stuck
waiter from stalling everyone; a ticket whose process is gone, or that nobody touched for
`STALE_SECONDS`, is removed by whoever finds it.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

SUFFIX = ".ticket"
# A waiter touches its ticket at every attempt to open (at least every 50 ms); one untouched
# for this long belongs to a process that stopped waiting without cleaning up.
STALE_SECONDS = 10.0
POLL_SECONDS = 0.005


def turns_dir(warehouse_path: Path) -> Path:
    return warehouse_path.with_name(f"{warehouse_path.name}.turns")


def alive(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie (a zombie has ended; its parent just
    has not collected it yet)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): trust kill()
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


class Ticket:
    """This process's place in the queue for the file while one of its threads waits for it."""

    def __init__(self, warehouse_path: Path) -> None:
        self.path = turns_dir(warehouse_path) / f"{os.getpid()}-{secrets.token_hex(4)}{SUFFIX}"
        self.posted = False

    def post(self) -> None:
        """Announce the wait (or refresh the announcement): others stop starting new units."""
        if self.posted:
            try:
                os.utime(self.path)
                return
            except FileNotFoundError:
                pass  # removed as stale by another process (we were frozen): post it again
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(f"{os.getpid()} {time.time():.3f}\n")
        self.posted = True

    def remove(self) -> None:
        if self.posted:
            self.path.unlink(missing_ok=True)
            self.posted = False


def others_waiting(warehouse_path: Path) -> bool:
    """Whether another live process has a ticket for this file (stale tickets are removed)."""
    try:
        entries = list(os.scandir(turns_dir(warehouse_path)))
    except FileNotFoundError:
        return False
    me, now = os.getpid(), time.time()
    for entry in entries:
        if not entry.name.endswith(SUFFIX):
            continue
        try:
            pid = int(entry.name.split("-", 1)[0])
        except ValueError:
            continue
        if pid == me:
            continue
        try:
            age = now - entry.stat().st_mtime
        except FileNotFoundError:
            continue  # its owner got the file meanwhile
        if age > STALE_SECONDS or not alive(pid):
            Path(entry.path).unlink(missing_ok=True)
            continue
        return True
    return False


def wait_for_turn(warehouse_path: Path, max_wait: float) -> float:
    """Before a new unit of work: let a waiting process have the file first, for at most
    `max_wait` seconds. Returns the seconds waited (0.0 almost always)."""
    if not others_waiting(warehouse_path):
        return 0.0
    started = time.monotonic()
    while time.monotonic() - started < max_wait and others_waiting(warehouse_path):
        time.sleep(POLL_SECONDS)
    return time.monotonic() - started
