"""User administration: list, add, reset a password, change a role, link a company account,
disable, enable, remove.

One function per action, called the same way by the Users page (with the signed-in admin as
`by`) and by `python -m repurchase users ...` (`by=account.SYSTEM`: whoever runs commands on
the server already holds the warehouse file). Every change re-reads `by` inside its own
transaction (account.acting), so an admin disabled or demoted a moment ago cannot make one
more change with the account they signed in with. Every change that alters what a user may
do - a new password, another role or scope, disabling, removing - ends all of that user's
sessions in the same transaction, in every browser.

Two refusals keep the app administrable: nobody may disable, remove or demote the last active
admin, and an admin may not disable, remove or demote themself in the app.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from repurchase import i18n
from repurchase.accounts import account, passwords, sessions
from repurchase.accounts.account import InvalidAccountError, User
from repurchase.errors import AccessDeniedError, RepurchaseError
from repurchase.warehouse import retry
from repurchase.warehouse.store import Cursor, Warehouse, sql


class UserAdminError(RepurchaseError, ValueError):
    """A refused change; `reason` names it for the app's translation (users.error.<reason>)."""

    def __init__(self, reason: str, message: str, **params: object) -> None:
        self.reason = reason
        self.params = params
        super().__init__(message)


def _require_admin(by: User) -> None:
    if by.role != "admin":
        raise AccessDeniedError(f"{by.username} may not manage users")


def _existing(cur: Cursor, username: str) -> tuple[str, datetime | None]:
    """(role, disabled_at) of a user; UserAdminError if there is none."""
    row = cur.execute(sql("users_role_and_status"), {"username": username}).fetchone()
    if row is None:
        raise UserAdminError("no_user", f"there is no user {username!r}", name=username)
    return row


def _keep_an_admin(cur: Cursor, username: str, by: User, action: str) -> None:
    """Refuse to take `username` out of the active admins if they are the last one, or if it
    is the admin doing it (they would lock themselves out)."""
    if by != account.SYSTEM and by.username == username:
        raise UserAdminError("self", f"you cannot {action} your own account", name=username)
    role, disabled = _existing(cur, username)
    if role != "admin" or disabled is not None:
        return
    others = cur.execute(sql("users_other_active_admins"), {"username": username}).fetchone()[0]
    if not others:
        raise UserAdminError(
            "last_admin",
            f"{username} is the last active admin; add or enable another admin first",
            name=username,
        )


def list_users(warehouse: Warehouse, by: User) -> pd.DataFrame:
    """Every user: username, display_name, role, rep_id, team, active, last_login_at,
    sessions (live now), demo, external_id (the linked company account, or None)."""
    _require_admin(by)
    with warehouse.connect() as cur:
        frame = cur.execute(sql("users_list")).df()
    live = sessions.live_counts(warehouse).set_index("username").sessions
    frame.insert(7, "sessions", frame.username.map(live).fillna(0).astype(int))
    return frame


def _check_new(
    cur: Cursor,
    username: str,
    role: str,
    rep_id: str | None,
    team: str | None,
    external_id: str | None,
    has_password: bool,
) -> None:
    """Raise UserAdminError if the (normalised) name is taken, InvalidAccountError if the
    account could not be stored or nothing would sign them in."""
    if cur.execute(sql("users_name_taken"), {"username": username}).fetchone():
        raise UserAdminError("exists", f"there is already a user {username!r}", name=username)
    if not has_password and external_id is None:
        raise InvalidAccountError(
            "needs_sign_in", "a user needs a password or a company account (--external-id)"
        )
    account.check_account(cur, username, role, rep_id, team)
    account.check_external_id(cur, external_id, username)


def create(
    cur: Cursor,
    username: str,
    password_hash: str | None,
    role: str,
    *,
    display_name: str | None = None,
    rep_id: str | None = None,
    team: str | None = None,
    external_id: str | None = None,
    demo: bool = False,
) -> User:
    """Store a new user in the caller's transaction and return it: the one place users are
    created. `password_hash` is already hashed (argon2 is slow: hash before the transaction);
    with None the user signs in only with the company account `external_id`. `demo` marks the
    demo's accounts, whose password is public. An existing user is never replaced:
    UserAdminError("exists"); InvalidAccountError for a bad name, role, scope or company
    account, or when neither a password nor a company account would sign them in."""
    name = account.normalise_username(username)
    linked = account.normalise_external_id(external_id)
    _check_new(cur, name, role, rep_id, team, linked, password_hash is not None)
    user = User(
        name,
        display_name or name,
        role,
        rep_id if role == "rep" else None,
        team if role == "manager" else None,
    )
    cur.execute(
        sql("users_create"),
        {
            "username": user.username,
            "display_name": user.display_name,
            "password_hash": password_hash,
            "role": user.role,
            "rep_id": user.rep_id,
            "team": user.team,
            "is_demo": demo,
            "external_id": linked,
        },
    )
    return user


def add(
    warehouse: Warehouse,
    username: str,
    password: str | None,
    role: str,
    *,
    display_name: str | None = None,
    rep_id: str | None = None,
    team: str | None = None,
    external_id: str | None = None,
    by: User,
) -> User:
    """A new user (see create); UserAdminError if the name is taken. The password must pass
    passwords.check_strength. With `external_id` (company sign-in) the password may be None:
    no password signs them in."""
    _require_admin(by)
    name = account.normalise_username(username)
    linked = account.normalise_external_id(external_id)
    # refused before the slow hash, in the order the Users page reports them
    with warehouse.connect() as cur:
        _check_new(cur, name, role, rep_id, team, linked, password is not None)
    if password is not None:
        passwords.check_strength(password, name, display_name)
    hashed = None if password is None else passwords.hash_password(password)

    def write(cur: Cursor) -> User:
        account.acting(cur, by)
        return create(
            cur,
            name,
            hashed,
            role,
            display_name=display_name,
            rep_id=rep_id,
            team=team,
            external_id=linked,
        )

    return retry.transaction(warehouse, write)


def set_external_id(
    warehouse: Warehouse,
    username: str,
    external_id: str | None,
    by: User,
    keep_token: str | None = None,
) -> int:
    """Link the user to a company account (the value of the claim company sign-in matches on,
    e.g. their email), or unlink them with None; ends their sessions, since who may sign in as
    them changed (but `keep_token`'s, an admin's own when they change their own link). A user
    left with neither a password nor a link cannot sign in. Returns how many sessions ended."""
    _require_admin(by)
    name = account.normalise_username(username)
    value = account.normalise_external_id(external_id)

    def write(cur: Cursor) -> int:
        account.acting(cur, by)
        _existing(cur, name)
        account.check_external_id(cur, value, name)
        cur.execute(sql("users_set_external_id"), {"external_id": value, "username": name})
        return sessions.end_all(cur, name, "company-account", keep_token=keep_token)

    return retry.transaction(warehouse, write)


def set_password(
    warehouse: Warehouse,
    username: str,
    password: str,
    by: User,
    keep_token: str | None = None,
) -> int:
    """A new password; ends the user's sessions (but `keep_token`'s, an admin's own when they
    change their own password). Returns how many sessions ended."""
    _require_admin(by)
    name = account.normalise_username(username)
    with warehouse.connect() as cur:
        _existing(cur, name)
        display = cur.execute(sql("users_display_name"), {"username": name}).fetchone()[0]
    passwords.check_strength(password, name, display)
    hashed = passwords.hash_password(password)

    def write(cur: Cursor) -> int:
        account.acting(cur, by)
        _existing(cur, name)
        cur.execute(sql("users_set_password"), {"password_hash": hashed, "username": name})
        return sessions.end_all(cur, name, "password", keep_token=keep_token)

    return retry.transaction(warehouse, write)


def set_role(
    warehouse: Warehouse,
    username: str,
    role: str,
    *,
    rep_id: str | None = None,
    team: str | None = None,
    by: User,
) -> int:
    """Another role or scope; ends the user's sessions. Returns how many ended."""
    _require_admin(by)
    name = account.normalise_username(username)

    def write(cur: Cursor) -> int:
        account.acting(cur, by)
        current, _ = _existing(cur, name)
        account.check_account(cur, name, role, rep_id, team)
        if current == "admin" and role != "admin":
            _keep_an_admin(cur, name, by, "demote")
        cur.execute(
            sql("users_set_role"),
            {
                "role": role,
                "rep_id": rep_id if role == "rep" else None,
                "team": team if role == "manager" else None,
                "username": name,
            },
        )
        return sessions.end_all(cur, name, "role")

    return retry.transaction(warehouse, write)


def disable(warehouse: Warehouse, username: str, by: User) -> int:
    """The user can no longer sign in; their sessions end. Returns how many ended."""
    _require_admin(by)
    name = account.normalise_username(username)

    def write(cur: Cursor) -> int:
        account.acting(cur, by)
        _keep_an_admin(cur, name, by, "disable")
        cur.execute(sql("users_disable"), {"now": datetime.now(), "username": name})
        return sessions.end_all(cur, name, "disabled")

    return retry.transaction(warehouse, write)


def enable(warehouse: Warehouse, username: str, by: User) -> None:
    _require_admin(by)
    name = account.normalise_username(username)

    def write(cur: Cursor) -> None:
        account.acting(cur, by)
        _existing(cur, name)
        cur.execute(sql("users_enable"), {"username": name})

    retry.transaction(warehouse, write)


def remove(warehouse: Warehouse, username: str, by: User) -> int:
    """Remove the user (their visits keep their name as who entered them); their sessions end.
    Returns how many ended."""
    _require_admin(by)
    name = account.normalise_username(username)

    def write(cur: Cursor) -> int:
        account.acting(cur, by)
        _keep_an_admin(cur, name, by, "remove")
        ended = sessions.end_all(cur, name, "removed")
        cur.execute(sql("users_delete"), {"username": name})
        return ended

    return retry.transaction(warehouse, write)


def sign_out_everywhere(warehouse: Warehouse, username: str, by: User) -> int:
    """End every session of the user (a lost phone). Returns how many ended."""
    _require_admin(by)
    name = account.normalise_username(username)

    def write(cur: Cursor) -> int:
        account.acting(cur, by)
        _existing(cur, name)
        return sessions.end_all(cur, name, "signed-out-everywhere")

    return retry.transaction(warehouse, write)


def language(warehouse: Warehouse, username: str) -> str | None:
    """The language `username` last chose (a code of i18n.LANGUAGES), or None if they never
    chose one or are not a user."""
    with warehouse.connect() as cur:
        row = cur.execute(sql("users_language"), {"username": username}).fetchone()
    return row[0] if row and row[0] in i18n.LANGUAGES else None


def set_language(warehouse: Warehouse, user: User, chosen: str) -> None:
    """Remember the language the signed-in `user` chose for themselves, on every device;
    a code the catalogue does not have is refused with ValueError."""
    if chosen not in i18n.LANGUAGES:
        raise ValueError(f"unknown language {chosen!r}: expected one of {i18n.LANGUAGES}")

    def write(cur: Cursor) -> None:
        account.acting(cur, user)
        cur.execute(sql("users_set_language"), {"username": user.username, "language": chosen})

    retry.transaction(warehouse, write)
