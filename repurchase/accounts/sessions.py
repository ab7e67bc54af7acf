"""Sign-in sessions that survive a reload: a random token in a cookie, its hash in the warehouse.

Signing in creates a session: 32 random bytes (`secrets`), given to the browser as a cookie and
stored here only as their SHA-256, with the user, when it was created and last used, when it
expires and whether it was revoked. A new browser tab or a reload sends the cookie; the app
finds the session and the user without asking for the password again. Finding it is a read;
it is written only to mark it used, every few minutes at most (TOUCH_EVERY), or to end it.

A session ends when it has not been used for `idle` (default 12 hours: a working day, not the
night), when it is older than `absolute` (default 7 days), when its user signs out, and for
every session of a user when their password is reset, their role changes, or they are
disabled or removed (`end_all`, called inside those changes' transactions).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd

from repurchase.accounts.account import User
from repurchase.config import _float_env
from repurchase.warehouse import retry
from repurchase.warehouse.store import Cursor, Warehouse, changed_rows, sql

COOKIE = "repurchase_session"
IDLE_ENV = "REPURCHASE_SESSION_IDLE_HOURS"
ABSOLUTE_ENV = "REPURCHASE_SESSION_MAX_DAYS"
# last_seen_at is written at most this often per session. The app resumes the session on
# every script run (about every 10 s per open browser); a write transaction each time would
# make every page view queue behind a running import or job like a write. The price: as
# last_seen_at may lag the last use by up to this much, an idle session ends up to this much
# before `idle` has passed since its last use, never after (nothing against a 12-hour working
# day; with a much shorter `idle`, touch_every() writes more often).
TOUCH_EVERY = timedelta(minutes=5)
# Ended sessions are kept this long (the admin can see who signed in), then dropped.
KEEP_ENDED = timedelta(days=30)


@dataclass(frozen=True)
class SessionSettings:
    idle: timedelta = field(default_factory=lambda: timedelta(hours=_float_env(IDLE_ENV, 12.0)))
    absolute: timedelta = field(
        default_factory=lambda: timedelta(days=_float_env(ABSOLUTE_ENV, 7.0))
    )


@dataclass(frozen=True)
class Session:
    token: str  # what the cookie holds; never stored
    username: str
    expires_at: datetime  # the absolute limit, for the cookie's Max-Age

    def max_age(self, now: datetime) -> int:
        return max(0, int((self.expires_at - now).total_seconds()))


def token_hash(token: str) -> str:
    """What is stored for a token: 256 random bits need no slow hash, only a one-way one."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def start(
    warehouse: Warehouse,
    username: str,
    client: str | None,
    now: datetime | None = None,
    settings: SessionSettings | None = None,
) -> Session:
    """A new session for `username` (already authenticated)."""
    return retry.transaction(warehouse, lambda cur: open_in(cur, username, client, now, settings))


def open_in(
    cur: Cursor,
    username: str,
    client: str | None,
    now: datetime | None = None,
    settings: SessionSettings | None = None,
    sign_in_key: str | None = None,
) -> Session:
    """A new session for `username`, in the caller's transaction (company sign-in checks the
    user and opens the session together). `sign_in_key`: the hash of the identity provider's
    sign-in it was opened from (company_sign_in.py), None for a password."""
    now = now or datetime.now()
    settings = settings or SessionSettings()
    token = secrets.token_urlsafe(32)
    expires = now + settings.absolute
    cur.execute(sql("user_sessions_drop_ended"), {"old": now - KEEP_ENDED})
    cur.execute(
        sql("user_sessions_open"),
        {
            "token_hash": token_hash(token),
            "username": username,
            "now": now,
            "expires_at": expires,
            "client": client,
            "sign_in_key": sign_in_key,
        },
    )
    return Session(token, username, expires)


def touch_every(settings: SessionSettings) -> timedelta:
    """How stale last_seen_at may grow before a resume writes it: TOUCH_EVERY, but at most a
    quarter of `idle`, so a session in use never looks idle."""
    return min(TOUCH_EVERY, settings.idle / 4)


@dataclass(frozen=True)
class _Stored:
    username: str
    expires_at: datetime
    last_seen_at: datetime


def _stored(cur: Cursor, hashed: str) -> _Stored | None:
    """The session of a token hash if it is not ended and its user is enabled."""
    row = cur.execute(sql("user_sessions_by_token"), {"token_hash": hashed}).fetchone()
    return None if row is None else _Stored(*row)


@dataclass(frozen=True)
class Live:
    """Every live session (by token hash) and every enabled user, read in one unit of work:
    what a server's open pages re-check themselves against (ui/session.py)."""

    sessions: dict[str, _Stored]
    users: dict[str, User]

    def session(self, token: str, now: datetime, settings: SessionSettings) -> _Stored | None:
        """The stored session of `token` if it is live at `now`."""
        stored = self.sessions.get(token_hash(token))
        return stored if stored is not None and _ended_why(stored, now, settings) is None else None


def live(warehouse: Warehouse) -> Live:
    """Every live session and enabled user as stored now: two reads, whatever their number."""
    with warehouse.connect() as cur:
        found = cur.execute(sql("user_sessions_live")).fetchall()
        users = [User(*row) for row in cur.execute(sql("users_active")).fetchall()]
    return Live({row[0]: _Stored(*row[1:]) for row in found}, {u.username: u for u in users})


def _ended_why(stored: _Stored, now: datetime, settings: SessionSettings) -> str | None:
    """'expired' (older than `absolute`), 'idle' (unused for `idle`), or None: live."""
    if stored.expires_at <= now:
        return "expired"
    if stored.last_seen_at + settings.idle <= now:
        return "idle"
    return None


def resume(
    warehouse: Warehouse,
    token: str,
    now: datetime | None = None,
    settings: SessionSettings | None = None,
) -> Session | None:
    """The live session for a cookie's token, or None (unknown, ended, expired, idle, or its
    user disabled or removed). A read while the session was marked used recently; a write
    transaction only to mark it used (at most once per touch_every()) or to end it."""
    if not token:
        return None
    now = now or datetime.now()
    settings = settings or SessionSettings()
    hashed = token_hash(token)
    with warehouse.connect() as cur:
        stored = _stored(cur, hashed)
    if stored is None:
        return None
    if _ended_why(stored, now, settings) is None and now - stored.last_seen_at < touch_every(
        settings
    ):
        return Session(token, stored.username, stored.expires_at)

    def check(cur: Cursor) -> Session | None:
        # read again inside the transaction: another tab may have ended or marked it since
        stored = _stored(cur, hashed)
        if stored is None:
            return None
        why = _ended_why(stored, now, settings)
        if why is not None:
            cur.execute(sql("user_sessions_end"), {"now": now, "why": why, "token_hash": hashed})
            return None
        if now - stored.last_seen_at >= touch_every(settings):
            cur.execute(sql("user_sessions_touch"), {"now": now, "token_hash": hashed})
        return Session(token, stored.username, stored.expires_at)

    return retry.transaction(warehouse, check)


def end(warehouse: Warehouse, token: str, why: str = "sign-out") -> None:
    """End one session (sign-out)."""
    retry.transaction(
        warehouse,
        lambda cur: cur.execute(
            sql("user_sessions_end"),
            {"now": datetime.now(), "why": why, "token_hash": token_hash(token)},
        ),
    )


def end_all(cur: Cursor, username: str, why: str, keep_token: str | None = None) -> int:
    """End every session of `username`, in the caller's transaction (so a password reset and
    the end of the sessions it should end land together). Returns how many were live."""
    cur.execute(
        sql("user_sessions_end_all"),
        {
            "now": datetime.now(),
            "why": why,
            "username": username,
            "keep": token_hash(keep_token) if keep_token else "",
        },
    )
    return changed_rows(cur)


def live_counts(warehouse: Warehouse, now: datetime | None = None) -> pd.DataFrame:
    """username, sessions, last_seen_at: sessions that are live now, per user."""
    now = now or datetime.now()
    settings = SessionSettings()
    with warehouse.connect() as cur:
        return cur.execute(
            sql("user_sessions_live_counts"), {"now": now, "idle": now - settings.idle}
        ).df()
