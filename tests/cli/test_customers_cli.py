"""`reassign` and `team-target` on the command line: as a named manager, whose rights apply
and whose name is kept; refused changes write nothing and say why without a traceback."""

from __future__ import annotations

from datetime import date

from repurchase.accounts import auth
from repurchase.cli import main as cli
from repurchase.services import access, customer_changes, team_today

from ..conftest import snapshot


def test_a_manager_hands_a_leaving_reps_customers_over_and_sets_the_target(small_warehouse, capsys):
    wh = small_warehouse
    with wh.transaction() as cur:
        cur.execute("update reps set team = 'T01', left_date = null")
        reps = [r[0] for r in cur.execute("select rep_id from reps order by rep_id").fetchall()]
    auth.users.add(wh, "bob", "a long enough password 2", "manager", team="T01", by=auth.SYSTEM)
    path = str(wh.path)
    owned = access.customers(wh, auth.SYSTEM)
    theirs = owned[owned.owner_rep_id == reps[0]].customer_id.tolist()

    assert cli.main(["--warehouse", path, "reassign", "--from", reps[0], "--to", reps[1]]) == 2
    assert "--as NAME" in capsys.readouterr().err  # who is acting?
    args = ["--warehouse", path, "reassign", "--from", reps[0], "--to", reps[1], "--as", "bob"]
    assert cli.main(args) == 0
    assert f"{len(theirs)} customers handed to {reps[1]}" in capsys.readouterr().out
    owners = access.customers(wh, auth.SYSTEM).set_index("customer_id").owner_rep_id
    assert set(owners[theirs]) == {reps[1]}
    record = customer_changes.changes(wh, auth.SYSTEM, theirs[0]).iloc[0]
    assert (record.changed_by, record.after) == ("bob", {"owner_rep_id": reps[1]})

    before = snapshot(wh)
    back = ["--warehouse", path, "reassign", theirs[0], "--to", "R-NOBODY", "--as", "bob"]
    assert cli.main(back) == 2
    assert "nothing was changed" in capsys.readouterr().err
    assert snapshot(wh) == before

    assert cli.main(["--warehouse", path, "team-target"]) == 0
    assert "no daily call targets set" in capsys.readouterr().out
    assert cli.main(["--warehouse", path, "team-target", "T01", "20", "--as", "bob"]) == 0
    assert "team T01: 20 calls per rep and day (was none)" in capsys.readouterr().out
    assert team_today.daily_targets(wh, date.today()) == {"T01": 20}
    assert cli.main(["--warehouse", path, "team-target", "T01", "500", "--as", "bob"]) == 2
    assert "from 1 to 200" in capsys.readouterr().err
    assert cli.main(["--warehouse", path, "team-target"]) == 0
    assert "bob" in capsys.readouterr().out
