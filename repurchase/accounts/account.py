"""What an account is: the signed-in `User`, the checks a name, role and scope must pass, and
`acting`, which every write calls to re-read the account it acts for.

Below auth.py (signing in) and users.py (administration), which both use it; auth.py
re-exports its names, so `auth.User`, `auth.SYSTEM` and `auth.acting` are the usual spelling.
"""

from __future__ import annotations

from dataclasses import dataclass

from repurchase.errors import AccessDeniedError, RepurchaseError
from repurchase.warehouse.store import Cursor, sql

ROLES = ("rep", "manager", "admin")
MAX_EXTERNAL_ID = 256


class InvalidAccountError(RepurchaseError, ValueError):
    """A name, role or scope that cannot be stored; `reason` names it for the app's
    translation (users.error.<reason>)."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


class AccountChangedError(AccessDeniedError):
    """The account a write acts for was disabled, removed or changed (role, rep, team) since
    the user signed in: the write is refused and the browser signs in again."""


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
        sql("users_external_id_owner"), {"external_id": external_id, "username": username}
    ).fetchone()
    if other:
        raise InvalidAccountError(
            "external_id_taken",
            f"company account {external_id!r} is already linked to user {other[0]!r}",
        )


def check_account(
    cur: Cursor, username: str, role: str, rep_id: str | None, team: str | None
) -> None:
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
    if role == "rep" and not cur.execute(sql("account_rep_exists"), {"rep_id": rep_id}).fetchone():
        raise InvalidAccountError("no_rep", f"there is no rep {rep_id!r}")
    if role == "manager" and not cur.execute(sql("account_team_exists"), {"team": team}).fetchone():
        raise InvalidAccountError("no_team", f"there is no team {team!r}")


def active_user(cur: Cursor, username: str) -> User | None:
    """The stored user as it is now (None if it does not exist or is disabled)."""
    row = cur.execute(sql("users_active_by_name"), {"username": username}).fetchone()
    return None if row is None else User(*row)


def acting(cur: Cursor, user: User) -> User:
    """`user` as stored now, read inside the caller's transaction; AccountChangedError unless
    the account still exists, is enabled and has the same role, rep and team. Every write a
    user makes calls this first, so a disable or a role change holds from the next write on,
    not when the signed-in copy is next refreshed. SYSTEM is returned as it is."""
    if user == SYSTEM:
        return user
    stored = active_user(cur, user.username)
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
