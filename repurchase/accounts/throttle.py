"""Slowing down password guessing without letting a stranger lock a real user out.

Failures are counted per typed name *and* client address (st.context.ip_address; behind a
reverse proxy the address it forwards). The first `FREE_FAILURES` attempts from one address
for one name are answered at once; after that the address must wait before trying that name
again, `FIRST_WAIT` at first and twice as long for every further attempt (refused ones
included), up to `MAX_WAIT`.
A success from that address clears its count.

Why this and not a lock on the account: a lock on the account lets anyone keep `admin` locked
out forever by typing wrong passwords; here a stranger only slows themselves down, and the
real user, from their own address, signs in as usual. A guesser spread over many addresses
gets `FREE_FAILURES` tries per address and then a few an hour, which the password rules
(passwords.py: about 10^8 guesses at least) make hopeless.

Every attempt is counted *before* the password is checked, in one transaction retried on a
conflict, so a burst of simultaneous attempts cannot get more than `FREE_FAILURES` checked,
and names that do not exist are counted and answered exactly like names that do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from repurchase.warehouse import retry
from repurchase.warehouse.store import Cursor, Warehouse, sql

FREE_FAILURES = 5
FIRST_WAIT = timedelta(seconds=30)
MAX_WAIT = timedelta(minutes=15)
# Rows for names nobody has tried for a day are dropped (guessed names would pile up).
FORGET_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Attempt:
    """The answer to "may this address try this name now?"."""

    failures: int  # attempts since the last success, this one included
    wait_seconds: int  # 0: go on and check the password; else refused for this long

    @property
    def allowed(self) -> bool:
        return self.wait_seconds == 0


def wait_after(failures: int) -> timedelta:
    """How long an address waits after its `failures`-th attempt (0 before FREE_FAILURES)."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_WAIT * 2 ** (failures - FREE_FAILURES), MAX_WAIT)


def begin(warehouse: Warehouse, username: str, client: str, now: datetime) -> Attempt:
    """Count one attempt for (`username`, `client`) and say whether it may be checked."""

    def count(cur: Cursor) -> Attempt:
        row = cur.execute(
            sql("sign_in_failures_get"), {"username": username, "client": client}
        ).fetchone()
        failures = (row[0] if row else 0) + 1
        blocked = row[1] if row else None
        refused = blocked is not None and blocked > now
        # A refused attempt is counted (so the next wait is longer: an address that keeps
        # hammering only makes its own waits longer) but does not move the end of this wait,
        # so a user who tries a little too early is not punished at once.
        if refused:
            until = blocked
        else:
            until = now + wait_after(failures) if failures >= FREE_FAILURES else None
        if row is None:
            cur.execute(sql("sign_in_failures_forget"), {"old": now - FORGET_AFTER})
            cur.execute(
                sql("sign_in_failures_insert"),
                {"username": username, "client": client, "now": now, "blocked_until": until},
            )
        else:
            cur.execute(
                sql("sign_in_failures_update"),
                {
                    "failures": failures,
                    "now": now,
                    "blocked_until": until,
                    "username": username,
                    "client": client,
                },
            )
        wait = (blocked - now).total_seconds() if refused else 0
        return Attempt(failures, int(wait) + 1 if refused else 0)

    return retry.transaction(warehouse, count)


def succeeded(warehouse: Warehouse, username: str, client: str) -> None:
    """The password was right: this address starts afresh for this name."""
    retry.transaction(
        warehouse,
        lambda cur: cur.execute(
            sql("sign_in_failures_clear"), {"username": username, "client": client}
        ),
    )


def failures(warehouse: Warehouse, username: str, client: str | None = None) -> int:
    """Attempts counted since the last success for a name (from one address, or from all)."""
    with warehouse.connect() as cur:
        return int(
            cur.execute(
                sql("sign_in_failures_count"), {"username": username, "client": client}
            ).fetchone()[0]
        )
