"""Finding: there was no way to disable or remove a user or change a role. `python -m
repurchase users ...` and the admins' Users page do it; the last active admin and an admin's
own account cannot be taken away."""

from __future__ import annotations

import io

import pytest
from streamlit.testing.v1 import AppTest

from repurchase.accounts import auth, sessions, users
from repurchase.cli import main as cli

from ..conftest import REPO

PASSWORD = "kitchen window blue"  # noqa: S105 (a test account)


@pytest.fixture
def wh(small_warehouse):
    with small_warehouse.transaction() as cur:  # only the users below (no demo accounts)
        cur.execute("delete from users")
    users.add(small_warehouse, "li.na", PASSWORD, "rep", rep_id="R001", by=auth.SYSTEM)
    users.add(small_warehouse, "boss", PASSWORD, "admin", by=auth.SYSTEM)
    return small_warehouse


def _cli(wh, capsys, *args: str, stdin: str = "") -> tuple[int, str, str]:
    import sys

    sys.stdin = io.StringIO(stdin)
    try:
        status = cli.main(["--warehouse", str(wh.path), *args])
    finally:
        sys.stdin = sys.__stdin__
    out = capsys.readouterr()
    return status, out.out, out.err


def test_the_cli_lists_disables_enables_changes_roles_resets_and_removes(wh, capsys):
    status, out, _ = _cli(wh, capsys, "users", "list")
    assert status == 0 and "li.na" in out and "rep R001" in out and "active" in out

    session = sessions.start(wh, "li.na", None)
    assert _cli(wh, capsys, "users", "disable", "li.na")[0] == 0
    assert sessions.resume(wh, session.token) is None
    with pytest.raises(auth.AccountDisabledError):
        auth.authenticate(wh, "li.na", PASSWORD)
    assert "disabled" in _cli(wh, capsys, "users", "list")[1]
    assert _cli(wh, capsys, "users", "enable", "li.na")[0] == 0
    assert auth.authenticate(wh, "li.na", PASSWORD).role == "rep"

    status, out, _ = _cli(wh, capsys, "users", "set-role", "li.na", "--role", "manager")
    assert status == 2  # a manager needs a team
    team = wh.query("scope_reps", role="admin", rep_id=None, team=None).team.iloc[0]
    status, out, _ = _cli(
        wh, capsys, "users", "set-role", "li.na", "--role", "manager", "--team", team
    )
    assert status == 0 and auth.user(wh, "li.na").team == team

    status, out, err = _cli(
        wh, capsys, "users", "set-password", "li.na", "--password-stdin", stdin="12345678\n"
    )
    assert status == 2 and "too easy" in err
    session = sessions.start(wh, "li.na", None)
    status, out, _ = _cli(
        wh, capsys, "users", "set-password", "li.na", "--password-stdin", stdin="new long secret\n"
    )
    assert status == 0 and "1 session(s) ended" in out
    assert sessions.resume(wh, session.token) is None
    assert auth.authenticate(wh, "li.na", "new long secret")

    assert _cli(wh, capsys, "users", "remove", "li.na")[0] == 0
    assert auth.user(wh, "li.na") is None
    status, _, err = _cli(wh, capsys, "users", "remove", "li.na")
    assert status == 2 and "no user" in err


def test_the_last_active_admin_cannot_be_disabled_removed_or_demoted(wh, capsys):
    for args in (
        ("disable", "boss"),
        ("remove", "boss"),
        ("set-role", "boss", "--role", "rep", "--rep-id", "R001"),
    ):
        status, _, err = _cli(wh, capsys, "users", *args)
        assert status == 2 and "last active admin" in err, args
    assert auth.user(wh, "boss").role == "admin"
    users.add(wh, "second", PASSWORD, "admin", by=auth.SYSTEM)
    assert _cli(wh, capsys, "users", "disable", "boss")[0] == 0
    with pytest.raises(users.UserAdminError, match="last active admin"):
        users.remove(wh, "second", by=auth.SYSTEM)


def test_an_admin_cannot_disable_remove_or_demote_themself(wh):
    users.add(wh, "second", PASSWORD, "admin", by=auth.SYSTEM)
    boss = auth.user(wh, "boss")
    for change in (
        lambda: users.disable(wh, "boss", by=boss),
        lambda: users.remove(wh, "boss", by=boss),
        lambda: users.set_role(wh, "boss", "rep", rep_id="R001", by=boss),
    ):
        with pytest.raises(users.UserAdminError) as refused:
            change()
        assert refused.value.reason == "self"
    users.disable(wh, "second", by=boss)  # another admin: fine


@pytest.mark.parametrize("change", ["disabled", "demoted", "removed"])
def test_an_admin_changed_a_moment_ago_can_no_longer_change_anyone(wh, change):
    """The admin's signed-in copy still says admin; every write re-reads the account inside
    its own transaction and refuses, and nothing is changed."""
    users.add(wh, "second", PASSWORD, "admin", by=auth.SYSTEM)
    second = auth.user(wh, "second")  # as their browser holds it
    boss = auth.user(wh, "boss")
    if change == "disabled":
        users.disable(wh, "second", by=boss)
    elif change == "demoted":
        users.set_role(wh, "second", "rep", rep_id="R002", by=boss)
    else:
        users.remove(wh, "second", by=boss)
    with wh.connect() as cur:
        before = cur.execute("select * from users order by username").fetchall()
    for write in (
        lambda: users.set_role(wh, "li.na", "admin", by=second),
        lambda: users.set_password(wh, "li.na", "another long secret 7", by=second),
        lambda: users.disable(wh, "boss", by=second),
        lambda: users.enable(wh, "li.na", by=second),
        lambda: users.remove(wh, "li.na", by=second),
        lambda: users.sign_out_everywhere(wh, "li.na", by=second),
        lambda: users.set_external_id(wh, "li.na", "li@example.com", by=second),
        lambda: users.add(wh, "third", PASSWORD, "admin", by=second),
    ):
        with pytest.raises(auth.AccountChangedError, match="sign in again"):
            write()
    with wh.connect() as cur:
        assert cur.execute("select * from users order by username").fetchall() == before


def test_an_existing_user_is_never_replaced(wh):
    """The Users page and the CLI add through users.add, the demo through users.create: each
    refuses a name that is taken (in any case) and leaves the stored user as it was."""
    with wh.connect() as cur:
        before = cur.execute("select * from users order by username").fetchall()
    boss = auth.user(wh, "boss")
    with pytest.raises(users.UserAdminError) as refused:
        users.add(wh, " Li.Na ", "another long secret 7", "admin", by=boss)
    assert refused.value.reason == "exists" and refused.value.params == {"name": "li.na"}
    with (
        pytest.raises(users.UserAdminError, match="already a user 'boss'"),
        wh.transaction() as cur,
    ):
        users.create(cur, "boss", None, "admin", external_id="boss@example.com")
    with wh.connect() as cur:
        assert cur.execute("select * from users order by username").fetchall() == before
    assert auth.authenticate(wh, "li.na", PASSWORD).role == "rep"


def test_only_admins_manage_users(wh):
    from repurchase.errors import AccessDeniedError

    with pytest.raises(AccessDeniedError):
        users.disable(wh, "boss", by=auth.user(wh, "li.na"))


# ----------------------------------------------------------------------------- the page


def _admin_on_users_page(language: str = "en") -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["ui.language"] = language
    at.run()
    at.text_input(key="login.username").input("admin")
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button[0].click().run()
    at.switch_page("pages/users.py").run()
    assert not at.exception
    return at


def test_the_users_page_is_for_admins_only(app_warehouse):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["ui.language"] = "en"
    at.run()
    at.text_input(key="login.username").input("manager")
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button[0].click().run()
    at.switch_page("pages/users.py").run()
    assert [e.value for e in at.error] == ["This page is not available for your role."]
    assert not at.dataframe


def test_an_admin_disables_a_rep_and_adds_a_user_on_the_page(app_warehouse):
    at = _admin_on_users_page()
    assert [t.value for t in at.title] == ["Users"]
    assert set(at.dataframe[0].value["Username"]) == {"admin", "manager", "rep"}
    rep_session = sessions.start(app_warehouse, "rep", None)
    at.selectbox(key="users.pick").select("rep").run()
    assert at.text_input(key="users.rep.rep").value == "R001"
    assert at.text_input(key="users.team.rep").value == ""  # not "nan"
    at.button(key="users.disable").click().run()
    assert not at.exception
    assert "rep is disabled; 1 signed-in browser was signed out." in [s.value for s in at.success]
    assert auth.user(app_warehouse, "rep") is None
    assert sessions.resume(app_warehouse, rep_session.token) is None

    at.text_input(key="users.new_name").input("zhang.san")
    at.selectbox(key="users.new_role").select("admin")
    at.text_input(key="users.new_pw1").input("12345678")
    at.text_input(key="users.new_pw2").input("12345678")
    at.button(key="FormSubmitter:users.add_form-Add user").click().run()
    assert any("too easy to guess" in e.value for e in at.error)
    assert auth.user(app_warehouse, "zhang.san") is None


def test_the_page_refuses_an_admin_disabling_themself_in_chinese(app_warehouse):
    at = _admin_on_users_page("zh")
    at.selectbox(key="users.pick").select("admin").run()
    assert at.button(key="users.disable").disabled  # offered greyed out, with the reason
    assert any("这是您自己的账号" in c.value for c in at.caption)


def test_the_cli_list_says_an_admin_without_a_team_sees_all(wh, capsys):
    _, out, _ = _cli(wh, capsys, "users", "list")
    boss = next(line for line in out.splitlines() if line.split()[0] == "boss")
    assert " all " in boss and "nan" not in boss
