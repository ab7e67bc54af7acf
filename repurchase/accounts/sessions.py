"""Sign-in sessions that survive a reload: a random token in a cookie, its hash in the warehouse.

Signing in creates a session: 32 random bytes (`secrets`), given to the browser as a cookie and
stored here only as their SHA-256, with the user, when it was created and last used, when it
expires and whether it was revoked. A new browser tab or a reload sends the cookie; the app
finds the session and the user without asking for the password again.

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

from repurchase.config import _float_env
from repurchase.warehouse import retry
from repurchase.warehouse.store import Cursor, Warehouse, changed_rows

COOKIE = "repurchase_session"
IDLE_ENV = "REPURCHASE_SESSION_IDLE_HOURS"
ABSOLUTE_ENV = "REPURCHASE_SESSION_MAX_DAYS"
# last_seen_at is written at most this often per session: a page view is not a write.
TOUCH_EVERY = timedelta(minutes=1)
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
    cur.execute(
        "delete from user_sessions where least(expires_at, coalesce(revoked_at, expires_at)) "
        "< $old",
        {"old": now - KEEP_ENDED},
    )
    cur.execute(
        "insert into user_sessions (token_hash, username, created_at, last_seen_at, "
        "expires_at, client, sign_in_key) values ($h, $u, $now, $now, $exp, $c, $k)",
        {
            "h": token_hash(token),
            "u": username,
            "now": now,
            "exp": expires,
            "c": client,
            "k": sign_in_key,
        },
    )
    return Session(token, username, expires)


def resume(
    warehouse: Warehouse,
    token: str,
    now: datetime | None = None,
    settings: SessionSettings | None = None,
) -> Session | None:
    """The live session for a cookie's token, or None (unknown, ended, expired, idle, or its
    user disabled or removed). Marks it used."""
    if not token:
        return None
    now = now or datetime.now()
    settings = settings or SessionSettings()
    hashed = token_hash(token)

    def check(cur: Cursor) -> Session | None:
        row = cur.execute(
            "select s.username, s.expires_at, s.last_seen_at from user_sessions s "
            "join users u using (username) "
            "where s.token_hash = $h and s.revoked_at is null and u.disabled_at is null",
            {"h": hashed},
        ).fetchone()
        if row is None:
            return None
        username, expires, last_seen = row
        if expires <= now or last_seen + settings.idle <= now:
            why = "expired" if expires <= now else "idle"
            cur.execute(
                "update user_sessions set revoked_at = $now, revoked_why = $why "
                "where token_hash = $h",
                {"now": now, "why": why, "h": hashed},
            )
            return None
        if now - last_seen >= TOUCH_EVERY:
            cur.execute(
                "update user_sessions set last_seen_at = $now where token_hash = $h",
                {"now": now, "h": hashed},
            )
        return Session(token, username, expires)

    return retry.transaction(warehouse, check)


def end(warehouse: Warehouse, token: str, why: str = "sign-out") -> None:
    """End one session (sign-out)."""
    retry.transaction(
        warehouse,
        lambda cur: cur.execute(
            "update user_sessions set revoked_at = $now, revoked_why = $why "
            "where token_hash = $h and revoked_at is null",
            {"now": datetime.now(), "why": why, "h": token_hash(token)},
        ),
    )


def end_all(cur: Cursor, username: str, why: str, keep_token: str | None = None) -> int:
    """End every session of `username`, in the caller's transaction (so a password reset and
    the end of the sessions it should end land together). Returns how many were live."""
    cur.execute(
        "update user_sessions set revoked_at = $now, revoked_why = $why "
        "where username = $u and revoked_at is null and token_hash != $keep",
        {
            "now": datetime.now(),
            "why": why,
            "u": username,
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
            "select username, count(*) as sessions, max(last_seen_at) as last_seen_at "
            "from user_sessions where revoked_at is null and expires_at > $now "
            "and last_seen_at > $idle group by username",
            {"now": now, "idle": now - settings.idle},
        ).df()
