"""`reassign` and `team-target`: hand customers to another rep of the team (a rep who leaves
has many), and each team's daily call target, from the command line as on the pages. Both act
as a named user of the app, whose rights apply and whose name is kept with the change."""

from __future__ import annotations

import argparse
from datetime import date

from repurchase.cli.commands import command
from repurchase.errors import RepurchaseError
from repurchase.warehouse.store import Warehouse


def _acting_user(warehouse: Warehouse, name: str | None, what: str):
    from repurchase.accounts import auth

    if not name:
        raise RepurchaseError(f"give --as NAME: the manager or admin who {what} (kept with it)")
    found = auth.user(warehouse, auth.normalise_username(name))
    if found is None:
        raise RepurchaseError(f"no active user {name!r}: --as names a manager or admin of the app")
    return found


def _reassign_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("customers", nargs="*", metavar="CUSTOMER", help="customer ids to hand over")
    p.add_argument("--from", dest="from_rep", metavar="REP", help="every customer of this rep")
    p.add_argument("--to", required=True, metavar="REP", help="the rep who takes them over")
    p.add_argument("--as", dest="acting", metavar="NAME", help="the manager or admin acting")


@command(
    "reassign",
    "hand customers (or all of a rep's, --from) to another rep of the same team",
    _reassign_options,
)
def _reassign(args: argparse.Namespace, warehouse: Warehouse) -> int:
    """All or none: today's lists follow, and each move is recorded with the acting user."""
    from repurchase.services import access, customer_changes

    user = _acting_user(warehouse, args.acting, "hands customers over")
    wanted = list(args.customers)
    if args.from_rep:
        owned = access.customers(warehouse, user)
        wanted += owned[owned.owner_rep_id == args.from_rep].customer_id.tolist()
    if not wanted:
        raise RepurchaseError("name the customers, or --from REP for all of a rep's customers")
    try:
        moved = customer_changes.reassign(
            warehouse, user, wanted, args.to, date.today(), expected_owner=args.from_rep
        )
    except customer_changes.ChangeRefusedError as exc:
        raise RepurchaseError(f"{exc}; nothing was changed") from exc
    listed = sum(m.list_rows for m in moved)
    print(f"{len(moved)} customers handed to {args.to}; {listed} moved onto today's lists")
    return 0


def _team_target_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("team", nargs="?", help="the team (reps.team; '' for reps without a team)")
    p.add_argument("calls", nargs="?", type=int, help="calls per rep and day, 1 to 200")
    p.add_argument("--as", dest="acting", metavar="NAME", help="the manager or admin setting it")


@command(
    "team-target",
    "each team's daily call target per rep; set one team's from today on",
    _team_target_options,
)
def _team_target(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.accounts import auth
    from repurchase.services import team_today

    if args.team is None:
        found = team_today.targets_in_force(warehouse, auth.SYSTEM, date.today())
        if found.empty:
            print("no daily call targets set")
            return 0
        found = found.assign(team=found.team.map(lambda t: t if t else "(no team)"))
        columns = ["team", "calls", "effective_from", "updated_by"]
        print(found[columns].to_string(index=False))
        return 0
    if args.calls is None:
        raise RepurchaseError("give the calls per rep and day: `team-target T01 20 --as alice`")
    user = _acting_user(warehouse, args.acting, "sets the target")
    try:
        before = team_today.set_daily_target(warehouse, user, args.team, args.calls, date.today())
    except team_today.TargetError as exc:
        raise RepurchaseError(f"{exc}; nothing was changed") from exc
    was = "none" if before is None else before
    print(f"team {args.team or '(no team)'}: {args.calls} calls per rep and day (was {was})")
    return 0
