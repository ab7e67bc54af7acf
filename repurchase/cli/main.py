"""`python -m repurchase <command>`: the one way to run every job from a shell.

Commands print what they did; errors the user can fix go to stderr as one clear message with
exit status 2, never a traceback. Each family of commands lives in its own module and
registers its commands (commands.py); this one builds the parser and runs them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

# imported for their @command registrations
from repurchase.cli import customers, data, evaluation, mail, models, teams, users  # noqa: F401
from repurchase.cli.commands import COMMANDS
from repurchase.errors import NotEnoughHistoryError, RepurchaseError, disk_full, is_disk_full
from repurchase.warehouse.store import Warehouse

# The order `--help` lists the commands in: set up the data, make and judge models, people,
# then upkeep.
ORDER = (
    "init-demo",
    "import",
    "backup",
    "restore",
    "train",
    "score",
    "nightly",
    "models",
    "backtest",
    "report",
    "add-user",
    "users",
    "jobs",
    "team-ranking",
    "move-to-postgres",
    "stats",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m repurchase",
        description="Daily call lists for sales reps, from a CNN-LSTM repurchase model.",
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        help="warehouse file (default: $REPURCHASE_WAREHOUSE, else data/warehouse.duckdb)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in [*ORDER, *sorted(set(COMMANDS) - set(ORDER))]:  # one not in ORDER: last
        registered = COMMANDS[name]
        registered.options(sub.add_parser(name, help=registered.help))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        warehouse = Warehouse(args.warehouse)
    except ValueError as exc:  # a backend setting that is wrong names itself
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command].run(args, warehouse)
    except (RepurchaseError, FileExistsError, NotEnoughHistoryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk is named, not shown as a traceback
        if not is_disk_full(exc):
            raise
        where = getattr(exc, "filename", None) or warehouse.where
        print(f"error: {disk_full(where)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; nothing half-written (every write is one transaction)", file=sys.stderr)
        return 130
