"""The registry of `python -m repurchase` commands and the few helpers they share.

Each command family (data.py, models.py, evaluation.py, users.py, teams.py) registers its
commands here with `@command`: the handler, its line in `--help` and a function adding its
options; main.py builds the parser from the registry and runs the command asked for.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass

from repurchase.i18n.steps import TICKS
from repurchase.warehouse.store import Warehouse

Command = Callable[[argparse.Namespace, Warehouse], int]
Options = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True)
class Registered:
    run: Command
    help: str
    options: Options


COMMANDS: dict[str, Registered] = {}


def command(name: str, summary: str, options: Options) -> Callable[[Command], Command]:
    """Register the decorated function as `python -m repurchase <name>`: `summary` is its line in
    `--help`, `options(parser)` adds its arguments."""

    def register(fn: Command) -> Command:
        COMMANDS[name] = Registered(fn, summary, options)
        return fn

    return register


def progress_printer(stream=sys.stderr) -> Callable[[float, str], None]:
    """Print a long job's progress: every 5 %, and every new step in between (an epoch's
    result, a peer's fit) except the frequent ticks and a step said again."""
    last: list = [-1, None]

    def show(fraction: float, message: str) -> None:
        percent = int(fraction * 100)
        tick = getattr(message, "key", None) in TICKS
        new_step = message != last[1] and not tick
        if percent // 5 != last[0] // 5 or fraction >= 1.0 or new_step:
            print(f"[{percent:3d}%] {message}", file=stream, flush=True)
            last[0], last[1] = percent, message

    return show


def read_password(username: str, from_stdin: bool) -> str:
    """A password from the first line of stdin (scripts), or asked for without echo."""
    import getpass

    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass(f"password for {username}: ")
