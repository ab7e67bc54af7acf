"""The app's users from the shell: `add-user` and `users ...`, through the same functions as
the Users page (accounts/users.py), acting as auth.SYSTEM."""

from __future__ import annotations

import argparse

import pandas as pd

from repurchase.cli.commands import command, read_password
from repurchase.errors import RepurchaseError
from repurchase.warehouse.store import Warehouse


def _add_user_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("username")
    p.add_argument("--role", choices=["rep", "manager", "admin"], required=True)
    p.add_argument("--rep-id", help="for a rep: whose customers they see")
    p.add_argument("--team", help="for a manager: the team they see")
    p.add_argument("--name", help="name shown in the app")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.add_argument(
        "--external-id",
        metavar="VALUE",
        help="company sign-in: the identity provider's value for this user (by default their "
        "verified email); such a user needs no password, unless --password-stdin gives one",
    )


@command(
    "add-user",
    "add a user who can sign in to the app (an existing name is refused)",
    _add_user_options,
)
def _add_user(args: argparse.Namespace, warehouse: Warehouse) -> int:
    """A new user, through the same function as the Users page; an existing name is refused,
    never replaced (`users set-password`, `users set-role` change a user)."""
    from repurchase.accounts import auth, users

    # linked to a company account, a user needs no password (unless one is given on stdin)
    company_only = args.external_id and not args.password_stdin
    password = None if company_only else read_password(args.username, args.password_stdin)
    try:
        user = users.add(
            warehouse,
            args.username,
            password,
            args.role,
            display_name=args.name,
            rep_id=args.rep_id,
            team=args.team,
            external_id=args.external_id,
            by=auth.SYSTEM,
        )
    except ValueError as exc:
        raise RepurchaseError(str(exc)) from exc
    how = []
    if args.external_id:
        how.append(f"with company sign-in as {auth.normalise_external_id(args.external_id)}")
    if password is not None:
        how.append("with a password")
    print(f"user {user.username} ({user.role}) can sign in {' and '.join(how)}")
    return 0


def _users_options(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    actions.add_parser("list", help="every user with role, scope, status and open sessions")
    a = actions.add_parser("set-password", help="a new password; ends the user's sessions")
    a.add_argument("username")
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    a = actions.add_parser("set-role", help="another role or scope; ends the user's sessions")
    a.add_argument("username")
    a.add_argument("--role", choices=["rep", "manager", "admin"], required=True)
    a.add_argument("--rep-id", help="for a rep: whose customers they see")
    a.add_argument("--team", help="for a manager: the team they see")
    a = actions.add_parser(
        "link", help="link the user to a company account (company sign-in); ends their sessions"
    )
    a.add_argument("username")
    a.add_argument("external_id", help="the value company sign-in matches, e.g. their email")
    for action, words in (
        ("unlink", "remove the user's company account; ends their sessions"),
        ("disable", "the user can no longer sign in; ends their sessions"),
        ("enable", "a disabled user can sign in again"),
        ("remove", "remove the user (their visits stay); ends their sessions"),
        ("sign-out", "end every session of the user (a lost phone)"),
    ):
        actions.add_parser(action, help=words).add_argument("username")


@command("users", "list users; set a password or role; disable, enable, remove", _users_options)
def _users(args: argparse.Namespace, warehouse: Warehouse) -> int:
    """User administration (repurchase/users.py): the same functions as the app's Users page,
    run as the server's operator."""
    from repurchase.accounts import auth, users

    name = getattr(args, "username", None)
    action = args.users_command
    if action == "list":
        table = users.list_users(warehouse, by=auth.SYSTEM)
        if table.empty:
            print("no users; add one with `python -m repurchase add-user NAME --role admin`")
            return 0
        table = table.assign(
            scope=[
                # (a missing team is NaN in the frame, which is truthy: test it, not the value)
                f"rep {r.rep_id}"
                if r.role == "rep"
                else f"team {r.team}"
                if pd.notna(r.team) and r.team
                else "all"
                for r in table.itertuples()
            ],
            status=["active" if a else "disabled" for a in table.active],
            last_login=table.last_login_at.dt.strftime("%Y-%m-%d %H:%M").fillna("-"),
        )
        columns = ["username", "display_name", "role", "scope", "status", "sessions", "last_login"]
        if table.external_id.notna().any():
            table = table.assign(company_account=table.external_id.fillna("-"))
            columns.append("company_account")
        print(table[columns].to_string(index=False))
    elif action == "set-password":
        ended = users.set_password(
            warehouse, name, read_password(args.username, args.password_stdin), by=auth.SYSTEM
        )
        print(f"new password set for {name}; {ended} session(s) ended")
    elif action == "set-role":
        ended = users.set_role(
            warehouse, name, args.role, rep_id=args.rep_id, team=args.team, by=auth.SYSTEM
        )
        print(f"{name} is now {args.role}; {ended} session(s) ended")
    elif action == "disable":
        print(
            f"{name} is disabled; {users.disable(warehouse, name, by=auth.SYSTEM)} session(s) ended"
        )
    elif action == "enable":
        users.enable(warehouse, name, by=auth.SYSTEM)
        print(f"{name} can sign in again")
    elif action == "remove":
        print(
            f"{name} is removed; {users.remove(warehouse, name, by=auth.SYSTEM)} session(s) ended"
        )
    elif action == "sign-out":
        ended = users.sign_out_everywhere(warehouse, name, by=auth.SYSTEM)
        print(f"{ended} session(s) of {name} ended")
    elif action == "link":
        ended = users.set_external_id(warehouse, name, args.external_id, by=auth.SYSTEM)
        value = auth.normalise_external_id(args.external_id)
        print(f"{name} signs in with the company account {value}; {ended} session(s) ended")
    elif action == "unlink":
        ended = users.set_external_id(warehouse, name, None, by=auth.SYSTEM)
        print(f"{name} has no company account now; {ended} session(s) ended")
    return 0
