"""Users, roles and signing in.

Passwords are argon2id hashes (passwords.py), never stored, and must pass its rules when set.
Guessing is slowed per typed name and client address (throttle.py), counted before the
password is checked; a name that does not exist is counted, hashed and answered exactly like
one that does, so neither the answer nor its time tells which names exist.

What a signed-in user may see is decided in access.py from the `User` returned here, which the
app keeps on the server; nothing the browser sends can change it. Sessions: sessions.py.

A user may instead (or also) be linked to an account at the company's identity provider by
`external_id` (company_sign_in.py); such a user may have no password, and then no password
signs them in.
"""

from __future__ import annotations

from datetime import datetime

from repurchase.accounts import passwords, throttle, users
from repurchase.accounts.account import (
    MAX_EXTERNAL_ID,
    ROLES,
    SYSTEM,
    AccountChangedError,
    InvalidAccountError,
    User,
    acting,
    active_user,
    check_account,
    check_external_id,
    normalise_external_id,
    normalise_username,
)
from repurchase.accounts.passwords import DEMO_PASSWORD, WeakPasswordError, hash_password
from repurchase.errors import RepurchaseError
from repurchase.warehouse import retry
from repurchase.warehouse.store import Cursor, Warehouse, sql

__all__ = [
    "DEMO_PASSWORD",
    "MAX_EXTERNAL_ID",
    "ROLES",
    "SYSTEM",
    "AccountChangedError",
    "InvalidAccountError",
    "User",
    "WeakPasswordError",
    "acting",
    "check_account",
    "check_external_id",
    "hash_password",
    "normalise_external_id",
    "normalise_username",
]

MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH
LOCAL_CLIENT = "local"  # the client address when there is none (same machine, CLI, tests)


class AuthError(RepurchaseError):
    """Wrong username or password (deliberately not saying which)."""


class TooManyAttemptsError(AuthError):
    """This address tried this name too often; it may try again in `wait_seconds`. Said the
    same way whether or not the name exists."""

    def __init__(self, wait_seconds: int) -> None:
        self.wait_seconds = wait_seconds
        super().__init__(
            f"too many failed sign-ins for this name from this address; "
            f"try again in {wait_seconds} s"
        )


class AccountDisabledError(AuthError):
    """The password was right but an admin has disabled the account."""


def user(warehouse: Warehouse, username: str) -> User | None:
    """The stored user as it is now (None if it no longer exists or is disabled)."""
    with warehouse.connect() as cur:
        return active_user(cur, username)


def authenticate(
    warehouse: Warehouse,
    username: str,
    password: str,
    now: datetime | None = None,
    client: str | None = None,
) -> User:
    """The user for these credentials, tried from `client` (an address). Raises AuthError,
    TooManyAttemptsError or AccountDisabledError."""
    now = now or datetime.now()
    name = normalise_username(username)[:200]  # a typed name is stored in the throttle
    client = (client or LOCAL_CLIENT)[:100]
    attempt = throttle.begin(warehouse, name, client, now)
    if not attempt.allowed:
        raise TooManyAttemptsError(attempt.wait_seconds)
    with warehouse.connect() as cur:
        row = cur.execute(sql("users_for_password_sign_in"), {"username": name}).fetchone()
    if not passwords.verify(row[2] if row else None, password):
        raise AuthError("wrong username or password")
    _, display, stored, role, rep_id, team, disabled_at = row
    throttle.succeeded(warehouse, name, client)
    if disabled_at is not None:
        raise AccountDisabledError("this account is disabled; ask an admin")

    def signed_in(cur: Cursor) -> None:
        cur.execute(sql("users_record_sign_in"), {"now": now, "username": name})
        if passwords.needs_rehash(stored):
            cur.execute(
                sql("users_rehash_password"),
                {"password_hash": hash_password(password), "username": name},
            )

    retry.transaction(warehouse, signed_in)
    return User(name, display, role, rep_id, team)


def demo_users(warehouse: Warehouse) -> list[User]:
    """Create one user per role on a demo warehouse, through users.create like every user: a
    junior rep who has had a few months to build a history, that rep's team manager, and an
    admin, all with the demo's public password. UserAdminError if one of the names is taken."""
    with warehouse.connect() as cur:
        rep = cur.execute(sql("demo_sign_in_rep")).fetchone()
    if rep is None:
        raise ValueError("the demo has no current junior rep to sign in as")
    rep_id, rep_name, team = rep
    accounts = [
        ("rep", {"display_name": rep_name, "rep_id": rep_id}),
        ("manager", {"display_name": f"Manager {team}", "team": team}),
        ("admin", {"display_name": "Admin"}),
    ]
    # hashed before the transaction (argon2 is slow), one salt each
    hashed = [hash_password(DEMO_PASSWORD) for _ in accounts]

    def write(cur: Cursor) -> list[User]:
        return [
            users.create(cur, role, password_hash, role, demo=True, **scope)
            for (role, scope), password_hash in zip(accounts, hashed, strict=True)
        ]

    return retry.transaction(warehouse, write)


def demo_accounts(warehouse: Warehouse) -> bool:
    """Whether the demo's accounts (whose password is public) can still sign in."""
    with warehouse.connect() as cur:
        return bool(cur.execute(sql("users_demo_active_count")).fetchone()[0])
