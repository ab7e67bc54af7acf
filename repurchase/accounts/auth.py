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

from dataclasses import dataclass
from datetime import datetime

from repurchase.accounts import passwords, sessions, throttle
from repurchase.accounts.passwords import DEMO_PASSWORD, WeakPasswordError, hash_password
from repurchase.errors import AccessDeniedError, RepurchaseError
from repurchase.warehouse import retry
from repurchase.warehouse.store import Cursor, Warehouse

__all__ = ["DEMO_PASSWORD", "WeakPasswordError", "hash_password"]

ROLES = ("rep", "manager", "admin")
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


class InvalidAccountError(RepurchaseError, ValueError):
    """A name, role or scope that cannot be stored; `reason` names it for the app's
    translation (users.error.<reason>)."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


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


# Who the command line acts as: whoever may run it already holds the warehouse itself, so it
# acts as an admin, and what it writes is recorded under this name. Never stored as a user,
# never signs in.
SYSTEM = User("system", "System (command line)", "admin")


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


MAX_EXTERNAL_ID = 256


def normalise_external_id(external_id: str | None) -> str | None:
    """The stored form of an identity provider's id: trimmed and lower-case (an email's case
    carries no meaning, and ids are matched ignoring case); None or blank: no link."""
    value = (external_id or "").strip().lower()
    return value or None


def check_external_id(cur: Cursor, external_id: str | None, username: str) -> None:
    """Raise InvalidAccountError unless `external_id` (normalised) may be linked to `username`:
    printable, not too long, and not linked to another user."""
    if external_id is None:
        return
    if len(external_id) > MAX_EXTERNAL_ID or not external_id.isprintable():
        raise InvalidAccountError(
            "external_id",
            f"company account {external_id[:40]!r}: up to {MAX_EXTERNAL_ID} printable characters",
        )
    other = cur.execute(
        "select username from users where external_id = $e and username != $u",
        {"e": external_id, "u": username},
    ).fetchone()
    if other:
        raise InvalidAccountError(
            "external_id_taken",
            f"company account {external_id!r} is already linked to user {other[0]!r}",
        )


def check_account(cur: Cursor, username: str, role: str, rep_id: str | None, team: str | None):
    """Raise InvalidAccountError unless the name, role and the role's link (rep id, team) are
    valid."""
    bare = username.replace("_", "").replace("-", "").replace(".", "")
    if not username or len(username) > 64 or not bare.isalnum():
        raise InvalidAccountError(
            "username", f"username {username!r}: use letters, digits, '.', '-' or '_'"
        )
    if role not in ROLES:
        raise InvalidAccountError("role", f"role {role!r} is not one of {ROLES}")
    if role == "rep" and not rep_id:
        raise InvalidAccountError(
            "needs_rep", "a rep user needs the rep_id whose customers they see"
        )
    if role == "manager" and not team:
        raise InvalidAccountError("needs_team", "a manager user needs the team they manage")
    if (
        role == "rep"
        and not cur.execute("select 1 from reps where rep_id = $r", {"r": rep_id}).fetchone()
    ):
        raise InvalidAccountError("no_rep", f"there is no rep {rep_id!r}")
    if (
        role == "manager"
        and not cur.execute("select 1 from reps where team = $t", {"t": team}).fetchone()
    ):
        raise InvalidAccountError("no_team", f"there is no team {team!r}")


def create_user(
    warehouse: Warehouse,
    username: str,
    password: str | None,
    role: str,
    *,
    display_name: str | None = None,
    rep_id: str | None = None,
    team: str | None = None,
    demo: bool = False,
    external_id: str | None = None,
) -> User:
    """Add a user (or replace one with the same name, ending its sessions). The password must
    pass passwords.check_strength, except the demo's accounts' public one. A user linked to
    the identity provider by `external_id` (company sign-in) needs no password: with None
    they have none, and no password signs them in."""
    username = normalise_username(username)
    external_id = normalise_external_id(external_id)
    user = User(
        username,
        display_name or username,
        role,
        rep_id if role == "rep" else None,
        team if role == "manager" else None,
    )
    if password is None and external_id is None:
        raise InvalidAccountError(
            "needs_sign_in", "a user needs a password or a company account (--external-id)"
        )
    with warehouse.connect() as cur:
        check_account(cur, username, role, rep_id, team)
        check_external_id(cur, external_id, username)
    if password is not None and not demo:
        passwords.check_strength(password, username, display_name)
    hashed = None if password is None else hash_password(password)

    def write(cur: Cursor) -> None:
        check_external_id(cur, external_id, username)
        sessions.end_all(cur, username, "replaced")
        cur.execute("delete from users where username = $u", {"u": username})
        cur.execute(
            "insert into users (username, display_name, password_hash, role, rep_id, team, "
            "is_demo, external_id) values ($u, $d, $h, $role, $rep, $team, $demo, $ext)",
            {
                "u": user.username,
                "d": user.display_name,
                "h": hashed,
                "role": user.role,
                "rep": user.rep_id,
                "team": user.team,
                "demo": demo,
                "ext": external_id,
            },
        )

    retry.transaction(warehouse, write)
    return user


def user(warehouse: Warehouse, username: str) -> User | None:
    """The stored user as it is now (None if it no longer exists or is disabled)."""
    with warehouse.connect() as cur:
        row = cur.execute(
            "select username, display_name, role, rep_id, team from users "
            "where username = $u and disabled_at is null",
            {"u": username},
        ).fetchone()
    return None if row is None else User(*row)


class AccountChangedError(AccessDeniedError):
    """The account a write acts for was disabled, removed or changed (role, rep, team) since
    the user signed in: the write is refused and the browser signs in again."""


def acting(cur: Cursor, user: User) -> User:
    """`user` as stored now, read inside the caller's transaction; AccountChangedError unless
    the account still exists, is enabled and has the same role, rep and team. Every write a
    user makes calls this first, so a disable or a role change holds from the next write on,
    not when the signed-in copy is next refreshed."""
    if user == SYSTEM:
        return user
    row = cur.execute(
        "select username, display_name, role, rep_id, team from users "
        "where username = $u and disabled_at is null",
        {"u": user.username},
    ).fetchone()
    stored = None if row is None else User(*row)
    if stored is None or (stored.role, stored.rep_id, stored.team) != (
        user.role,
        user.rep_id,
        user.team,
    ):
        raise AccountChangedError(
            f"the account {user.username!r} was changed or disabled since it signed in; "
            "sign in again"
        )
    return stored


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
        row = cur.execute(
            "select username, display_name, password_hash, role, rep_id, team, disabled_at "
            "from users where username = $u",
            {"u": name},
        ).fetchone()
    if not passwords.verify(row[2] if row else None, password):
        raise AuthError("wrong username or password")
    _, display, stored, role, rep_id, team, disabled_at = row
    throttle.succeeded(warehouse, name, client)
    if disabled_at is not None:
        raise AccountDisabledError("this account is disabled; ask an admin")

    def signed_in(cur: Cursor) -> None:
        cur.execute(
            "update users set last_login_at = $now where username = $u", {"now": now, "u": name}
        )
        if passwords.needs_rehash(stored):
            cur.execute(
                "update users set password_hash = $h where username = $u",
                {"h": hash_password(password), "u": name},
            )

    retry.transaction(warehouse, signed_in)
    return User(name, display, role, rep_id, team)


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
        return bool(
            cur.execute(
                "select count(*) from users where is_demo and disabled_at is null"
            ).fetchone()[0]
        )
