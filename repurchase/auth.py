"""Users, roles and passwords.

Passwords are hashed with argon2id (argon2-cffi), never stored. Repeated failures slow an
attacker down: after `MAX_FAILURES` wrong passwords an account is locked for `LOCK_MINUTES`
(counted in one statement, so simultaneous guesses cannot lose a failure). A username that does
not exist costs the same hashing work as one that does, so the answer time does not tell which
usernames exist.

What a signed-in user may see is decided in access.py from the `User` returned here, which the
app keeps on the server; nothing the browser sends can change it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from repurchase.errors import RepurchaseError
from repurchase.warehouse import Warehouse

ROLES = ("rep", "manager", "admin")
MAX_FAILURES = 5
LOCK_MINUTES = 5
MIN_PASSWORD_LENGTH = 8
# The demo's accounts share this password; the README and a demo's sign-in page show it. The
# first real import removes those accounts (importer.write).
DEMO_PASSWORD = "demo-2026"  # noqa: S105

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a real password, only spends the same time")


class AuthError(RepurchaseError):
    """Wrong username or password (deliberately not saying which)."""


class AccountLockedError(RepurchaseError):
    """Too many wrong passwords: the account is locked for a while."""


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str
    rep_id: str | None = None
    team: str | None = None

    @property
    def is_rep(self) -> bool:
        return self.role == "rep"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(
    warehouse: Warehouse,
    username: str,
    password: str,
    role: str,
    *,
    display_name: str | None = None,
    rep_id: str | None = None,
    team: str | None = None,
    demo: bool = False,
) -> User:
    """Add a user (or replace one with the same name). Checks the role's required link."""
    username = username.strip().lower()
    if not username or not username.replace("_", "").replace("-", "").replace(".", "").isalnum():
        raise ValueError(f"username {username!r}: use letters, digits, '.', '-' or '_'")
    if role not in ROLES:
        raise ValueError(f"role {role!r} is not one of {ROLES}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if role == "rep" and not rep_id:
        raise ValueError("a rep user needs the rep_id whose customers they see")
    if role == "manager" and not team:
        raise ValueError("a manager user needs the team they manage")
    user = User(
        username,
        display_name or username,
        role,
        rep_id if role == "rep" else None,
        team if role == "manager" else None,
    )
    with warehouse.transaction() as cur:
        exists = cur.execute("select 1 from reps where rep_id = $r", {"r": rep_id}).fetchone()
        if rep_id and not exists:
            raise ValueError(f"there is no rep {rep_id!r}")
        cur.execute("delete from users where username = $u", {"u": username})
        cur.execute(
            "insert into users (username, display_name, password_hash, role, rep_id, team, "
            "is_demo) values ($u, $d, $h, $role, $rep, $team, $demo)",
            {
                "u": user.username,
                "d": user.display_name,
                "h": hash_password(password),
                "role": user.role,
                "rep": user.rep_id,
                "team": user.team,
                "demo": demo,
            },
        )
    return user


def user(warehouse: Warehouse, username: str) -> User | None:
    """The stored user as it is now (None if it no longer exists)."""
    with warehouse.connect() as cur:
        row = cur.execute(
            "select username, display_name, role, rep_id, team from users where username = $u",
            {"u": username},
        ).fetchone()
    return None if row is None else User(*row)


def authenticate(
    warehouse: Warehouse, username: str, password: str, now: datetime | None = None
) -> User:
    """The user for these credentials. Raises AuthError or AccountLockedError."""
    now = now or datetime.now()
    name = (username or "").strip().lower()
    with warehouse.connect() as cur:
        row = cur.execute(
            "select username, display_name, password_hash, role, rep_id, team, locked_until "
            "from users where username = $u",
            {"u": name},
        ).fetchone()
    if row is None:
        _spend_the_same_time(password)
        raise AuthError("wrong username or password")
    _, display, stored, role, rep_id, team, locked_until = row
    if locked_until is not None and locked_until > now:
        minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
        raise AccountLockedError(
            f"too many wrong passwords; this account is locked for {minutes} more minute(s)"
        )
    try:
        _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        _count_failure(warehouse, name, now)
        raise AuthError("wrong username or password") from None
    with warehouse.transaction() as cur:
        cur.execute(
            "update users set failed_attempts = 0, locked_until = null, last_login_at = $now "
            "where username = $u",
            {"now": now, "u": name},
        )
        if _hasher.check_needs_rehash(stored):
            cur.execute(
                "update users set password_hash = $h where username = $u",
                {"h": hash_password(password), "u": name},
            )
    return User(name, display, role, rep_id, team)


def _count_failure(warehouse: Warehouse, name: str, now: datetime) -> None:
    """One more failure, counted in the database; the one that reaches MAX_FAILURES locks."""
    with warehouse.transaction() as cur:
        failures = cur.execute(
            "update users set failed_attempts = failed_attempts + 1 where username = $u "
            "returning failed_attempts",
            {"u": name},
        ).fetchone()[0]
        if failures < MAX_FAILURES:
            return
        cur.execute(
            "update users set failed_attempts = 0, locked_until = $l where username = $u",
            {"l": now + timedelta(minutes=LOCK_MINUTES), "u": name},
        )
    raise AccountLockedError(
        f"too many wrong passwords; this account is locked for {LOCK_MINUTES} minutes"
    )


def _spend_the_same_time(password: str) -> None:
    try:
        _hasher.verify(_DUMMY_HASH, password)
    except VerificationError:
        pass


def demo_users(warehouse: Warehouse) -> list[User]:
    """Create one user per role on a demo warehouse: a junior rep who has had a few months to
    build a history, that rep's team manager, and an admin."""
    with warehouse.connect() as cur:
        rep = cur.execute(
            "select rep_id, name, team from reps where left_date is null and level = 'junior' "
            "order by hire_date <= current_date - interval 120 day desc, hire_date desc, rep_id "
            "limit 1"
        ).fetchone()
    if rep is None:
        raise ValueError("the demo has no current junior rep to sign in as")
    rep_id, rep_name, team = rep
    return [
        create_user(
            warehouse, "rep", DEMO_PASSWORD, "rep", display_name=rep_name, rep_id=rep_id, demo=True
        ),
        create_user(
            warehouse,
            "manager",
            DEMO_PASSWORD,
            "manager",
            display_name=f"Manager {team}",
            team=team,
            demo=True,
        ),
        create_user(warehouse, "admin", DEMO_PASSWORD, "admin", display_name="Admin", demo=True),
    ]


def demo_accounts(warehouse: Warehouse) -> bool:
    """Whether the demo's accounts (whose password is public) can still sign in."""
    with warehouse.connect() as cur:
        return bool(cur.execute("select count(*) from users where is_demo").fetchone()[0])
