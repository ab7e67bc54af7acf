"""The Data and Users pages' reads and writes that are not cached: who can sign in and the
changes to them (accounts.users, the same functions as `python -m repurchase users`), and the
checks of the account an admin names when the first import replaces the demo. Each acts as the
signed-in admin on the app's warehouse; the functions called refuse anyone else.
"""

from __future__ import annotations

import pandas as pd

from repurchase.accounts import users
from repurchase.accounts.auth import User
from repurchase.services import demo_guard
from repurchase.ui.resources import warehouse


def is_demo_account(user: User) -> bool:
    """Whether `user` signed in with one of the demo's public accounts."""
    return demo_guard.is_demo_account(warehouse(), user.username)


def check_new_admin(admin: demo_guard.NewAdmin) -> None:
    """The account rules for the admin's own account (demo_guard.check_new_admin)."""
    demo_guard.check_new_admin(warehouse(), admin)


def user_table(user: User) -> pd.DataFrame:
    """Every user (accounts.users.list_users' columns), for an admin."""
    return users.list_users(warehouse(), by=user)


def add_user(
    user: User,
    username: str,
    password: str | None,
    role: str,
    *,
    display_name: str | None,
    rep_id: str | None,
    team: str | None,
    external_id: str | None,
) -> User:
    """A new user; refused if the name is taken (accounts.users.add)."""
    return users.add(
        warehouse(),
        username,
        password,
        role,
        display_name=display_name,
        rep_id=rep_id,
        team=team,
        external_id=external_id,
        by=user,
    )


def set_password(user: User, username: str, password: str, keep_token: str | None) -> int:
    """A new password; how many of their sessions ended (all but `keep_token`'s)."""
    return users.set_password(warehouse(), username, password, by=user, keep_token=keep_token)


def set_role(user: User, username: str, role: str, rep_id: str, team: str) -> int:
    """A new role, rep and team; how many of their sessions ended."""
    return users.set_role(warehouse(), username, role, rep_id=rep_id, team=team, by=user)


def set_external_id(
    user: User, username: str, external_id: str | None, keep_token: str | None
) -> int:
    """Link (or with None unlink) a company account; how many of their sessions ended."""
    return users.set_external_id(warehouse(), username, external_id, by=user, keep_token=keep_token)


def disable(user: User, username: str) -> int:
    """No more sign-ins; how many of their sessions ended."""
    return users.disable(warehouse(), username, by=user)


def enable(user: User, username: str) -> None:
    users.enable(warehouse(), username, by=user)


def sign_out_everywhere(user: User, username: str) -> int:
    """End every session of `username`; how many ended."""
    return users.sign_out_everywhere(warehouse(), username, by=user)


def remove(user: User, username: str) -> None:
    users.remove(warehouse(), username, by=user)
