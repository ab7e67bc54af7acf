"""`team-ranking`: what each team's lists rank by and what share of its customers the
randomised hold-out keeps off them, and setting either for one team."""

from __future__ import annotations

import argparse

from repurchase import codes
from repurchase.cli.commands import command
from repurchase.errors import RepurchaseError
from repurchase.warehouse.store import Warehouse


def _team_ranking_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--team", help="the team to change (reps.team; '' for reps without a team)")
    p.add_argument(
        "--by",
        choices=codes.RANK_BY,
        help="auto (as the model measured), or rank by chance, value, call effect or its value",
    )
    p.add_argument(
        "--holdout-share",
        type=float,
        metavar="PERCENT",
        help="percent of the team's customers held out as the control group, 0 to 30 "
        "(from the next hold-out period on)",
    )
    p.add_argument("--admin", metavar="NAME", help="the admin making the change (kept with it)")


@command(
    "team-ranking",
    "what each team's lists rank by (auto, probability, value, effect, effect_value) and its "
    "hold-out share; set them for one team",
    _team_ranking_options,
)
def _team_ranking(args: argparse.Namespace, warehouse: Warehouse) -> int:
    """List what each team's lists rank by and its hold-out share; with --team and --by or
    --holdout-share, set them as the admin named by --admin (an account of the app: the change
    is kept with their name, as on the Data page)."""
    from repurchase.accounts import auth
    from repurchase.lists import team_settings

    if args.team is None and args.by is None and args.holdout_share is None:
        table = team_settings.settings(warehouse, auth.SYSTEM)  # reading needs no named admin
        if table.empty:
            print("no reps yet, so no teams")
            return 0
        table = table.assign(
            team=table.team.map(lambda t: t if t else "(no team)"),
            reps=table.reps.fillna(0).astype(int),  # a team set but now empty has no count
            updated_by=table.updated_by.fillna("-"),
            updated_at=table.updated_at.dt.strftime("%Y-%m-%d %H:%M").fillna("-"),
            holdout=table.holdout_share.map(lambda v: f"{v:.0%}"),
            next_holdout=[
                "-" if s != s else f"{s:.0%} from {d:%Y-%m-%d}"
                for s, d in zip(table.next_share, table.next_from, strict=True)
            ],
        )
        columns = ["team", "reps", "rank_by", "updated_by", "updated_at", "holdout"]
        print(table[[*columns, "next_holdout"]].to_string(index=False))
        return 0
    if args.team is None or (args.by is None and args.holdout_share is None) or not args.admin:
        raise RepurchaseError(
            "to change a team's ranking or hold-out share give --team, --by or --holdout-share, "
            "and --admin, e.g. `team-ranking --team T01 --by value --admin alice` or "
            "`team-ranking --team T01 --holdout-share 15 --admin alice` "
            "(--team '' for reps without a team)"
        )
    admin = auth.user(warehouse, auth.normalise_username(args.admin))
    if admin is None:
        raise RepurchaseError(f"no active user {args.admin!r}: --admin names an admin of the app")
    name = args.team if args.team else "(no team)"
    if args.by is not None:
        before = team_settings.set_rank_by(warehouse, admin, args.team, args.by)
        print(f"team {name}: lists rank by {args.by} (was {before}) from the next list written")
    if args.holdout_share is not None:
        share = args.holdout_share / 100
        starts = team_settings.set_holdout_share(warehouse, admin, args.team, share)
        print(
            f"team {name}: {args.holdout_share:g} % of customers held out from the hold-out "
            f"period starting {starts}"
        )
    return 0
