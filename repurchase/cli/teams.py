"""`team-ranking`: what each team's lists rank by, and setting it for one team."""

from __future__ import annotations

import argparse

from repurchase import codes
from repurchase.cli.commands import command
from repurchase.errors import RepurchaseError
from repurchase.warehouse.store import Warehouse


def _team_ranking_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--team", help="the team to change (reps.team; '' for reps without a team)")
    p.add_argument("--by", choices=codes.RANK_BY, help="rank by chance or by value")
    p.add_argument("--admin", metavar="NAME", help="the admin making the change (kept with it)")


@command(
    "team-ranking",
    "what each team's lists rank by (probability or value); set it for one team",
    _team_ranking_options,
)
def _team_ranking(args: argparse.Namespace, warehouse: Warehouse) -> int:
    """List what each team's lists rank by; with --team and --by, set it as the admin named by
    --admin (an account of the app: the change is kept with their name, as on the Data page)."""
    from repurchase.accounts import auth
    from repurchase.lists import team_settings

    if args.team is None and args.by is None:
        table = team_settings.settings(warehouse, auth.SYSTEM)  # reading needs no named admin
        if table.empty:
            print("no reps yet, so no teams")
            return 0
        table = table.assign(
            team=table.team.map(lambda t: t if t else "(no team)"),
            reps=table.reps.fillna(0).astype(int),  # a team set but now empty has no count
            updated_by=table.updated_by.fillna("-"),
            updated_at=table.updated_at.dt.strftime("%Y-%m-%d %H:%M").fillna("-"),
        )
        print(table[["team", "reps", "rank_by", "updated_by", "updated_at"]].to_string(index=False))
        return 0
    if args.team is None or args.by is None or not args.admin:
        raise RepurchaseError(
            "to change a team's ranking give --team, --by and --admin, e.g. "
            "`team-ranking --team T01 --by value --admin alice` (--team '' for reps without a team)"
        )
    admin = auth.user(warehouse, auth.normalise_username(args.admin))
    if admin is None:
        raise RepurchaseError(f"no active user {args.admin!r}: --admin names an admin of the app")
    before = team_settings.set_rank_by(warehouse, admin, args.team, args.by)
    name = args.team if args.team else "(no team)"
    print(f"team {name}: lists rank by {args.by} (was {before}) from the next list written")
    return 0
