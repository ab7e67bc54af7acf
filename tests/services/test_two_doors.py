"""The app and the command line are two doors to the same use cases: what one refuses, the
other refuses too, in the same words, and neither changes anything when it refuses.

Each row is one refusal: the command line as a user types it (exit status 2, one line on
stderr), and the service the page calls, as the signed-in admin the page holds. The app's
words are the same message, translated by its `reason` (users.error.<reason> and the like)."""

from __future__ import annotations

import io
import sys

import pytest

from repurchase.accounts import auth, users
from repurchase.cli.main import main as cli
from repurchase.lists import team_settings
from repurchase.services import admin_jobs

from ..conftest import snapshot

LONG_PASSWORD = "a long enough secret for anyone"  # noqa: S105 - a test account's


def _admin(wh) -> auth.User:
    """The demo's admin, as the Users page holds them after sign-in."""
    found = auth.user(wh, "admin")
    assert found is not None and found.role == "admin"
    return found


CASES = {
    "add a user whose name is taken": (
        ["add-user", "rep", "--role", "rep", "--rep-id", "R001", "--password-stdin"],
        LONG_PASSWORD,
        lambda wh, me: users.add(wh, "rep", LONG_PASSWORD, "rep", rep_id="R001", by=me),
    ),
    "add a user with a guessable password": (
        ["add-user", "li.na", "--role", "manager", "--team", "T01", "--password-stdin"],
        "password",
        lambda wh, me: users.add(wh, "li.na", "password", "manager", team="T01", by=me),
    ),
    "give a rep a rep id that does not exist": (
        ["users", "set-role", "rep", "--role", "rep", "--rep-id", "R999"],
        "",
        lambda wh, me: users.set_role(wh, "rep", "rep", rep_id="R999", by=me),
    ),
    "set a password of a user who does not exist": (
        ["users", "set-password", "nobody", "--password-stdin"],
        LONG_PASSWORD,
        lambda wh, me: users.set_password(wh, "nobody", LONG_PASSWORD, by=me),
    ),
    "disable a user who does not exist": (
        ["users", "disable", "nobody"],
        "",
        lambda wh, me: users.disable(wh, "nobody", by=me),
    ),
    "rank a team that does not exist": (
        ["team-ranking", "--team", "NO-SUCH-TEAM", "--by", "value", "--admin", "admin"],
        "",
        lambda wh, me: team_settings.set_rank_by(wh, me, "NO-SUCH-TEAM", "value"),
    ),
    "cancel a job that does not exist": (
        ["jobs", "cancel", "999999"],
        "",
        lambda wh, me: admin_jobs.cancel(wh, me, 999999),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_both_doors_refuse_the_same_thing_in_the_same_words(
    app_warehouse, monkeypatch, capsys, case
):
    argv, stdin, through_the_app = CASES[case]
    before = snapshot(app_warehouse)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin + "\n"))
    status = cli(["--warehouse", str(app_warehouse.path), *argv])
    said = capsys.readouterr().err.strip()
    assert status == 2, (case, said)
    assert said.startswith("error: ") and "\n" not in said, said

    with pytest.raises(Exception) as refused:  # any refusal: its words are compared below
        through_the_app(app_warehouse, _admin(app_warehouse))
    assert said == f"error: {refused.value}", (case, said, refused.value)
    assert snapshot(app_warehouse) == before
