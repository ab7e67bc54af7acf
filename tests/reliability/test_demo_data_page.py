"""Issue 10, blocker 1: an import on the Data page deleted every demo account, the signed-in
admin's included, and nobody could sign in again. Now the first import into the demo asks to
replace it, and the admin signed in with the demo's account names their own account, created
in the same transaction; they stay signed in and can sign in again."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from repurchase.accounts import auth
from repurchase.warehouse import backup

from ..conftest import REPO
from ._demo_company import demo_rows, write_files


def _app() -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["ui.language"] = "en"
    return at


def _sign_in(username: str, password: str) -> AppTest:
    at = _app().run()
    at.text_input(key="login.username").input(username)
    at.text_input(key="login.password").input(password)
    at.button[0].click().run()
    assert not at.exception
    return at


def _upload_company_files(at: AppTest, tmp_path) -> None:
    at.switch_page("pages/data.py").run()
    files = [(p.name, p.read_bytes(), "text/csv") for p in write_files(tmp_path / "acme")]
    at.file_uploader(key="data.files").set_value(files).run()
    assert not at.exception and not at.error, [e.value for e in at.error]


def test_importing_on_the_data_page_keeps_the_admin_able_to_sign_in(app_warehouse, tmp_path):
    at = _sign_in("admin", auth.DEMO_PASSWORD)
    _upload_company_files(at, tmp_path)
    # the demo is not mixed with the company's data: the page asks first
    assert any("holds the demo" in w.value for w in at.warning)
    at.text_input(key="demo.username").input("boss")
    at.text_input(key="demo.password").input("violet tractor harbour 42")
    at.text_input(key="demo.again").input("violet tractor harbour 42")
    at.checkbox(key="demo.confirm").check()
    at.button(key="FormSubmitter:demo.replace_form-Replace the demo with my data").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("The demo was replaced" in s.value for s in at.success)

    # still signed in, as their own account, on every later page
    assert at.session_state["auth.user"].username == "boss"
    at.switch_page("pages/data.py").run()
    assert not at.exception and at.session_state["auth.user"].username == "boss"
    # and a fresh session signs in again with it; the public demo accounts are gone
    again = _sign_in("boss", "violet tractor harbour 42")
    assert again.session_state["auth.user"].role == "admin"
    refused = _sign_in("admin", auth.DEMO_PASSWORD)
    assert "auth.user" not in refused.session_state
    assert demo_rows(app_warehouse)["demo visits"] == 0
    assert len(backup.list_backups(backup.backups_root(app_warehouse))) == 1


def test_nothing_happens_until_the_admin_confirms(app_warehouse, tmp_path):
    at = _sign_in("admin", auth.DEMO_PASSWORD)
    before = app_warehouse.table_counts()
    _upload_company_files(at, tmp_path)
    at.text_input(key="demo.username").input("boss")
    at.text_input(key="demo.password").input("violet tractor harbour 42")
    at.text_input(key="demo.again").input("copper lantern meadow 17")
    at.checkbox(key="demo.confirm").check()
    at.button(key="FormSubmitter:demo.replace_form-Replace the demo with my data").click().run()
    assert [e.value for e in at.error] == ["The two passwords differ."]
    assert app_warehouse.table_counts() == before
    assert at.session_state["auth.user"].username == "admin"
