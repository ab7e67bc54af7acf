"""An import acts for an account too: the service layer passes `auth.acting` as the import's
first step inside its transaction, so an admin disabled or demoted a moment ago imports
nothing, and replaces no demo."""

from __future__ import annotations

import pytest

from repurchase.accounts import auth, users
from repurchase.services import demo_guard
from repurchase.warehouse import importer
from repurchase.warehouse.store import Warehouse

from ..conftest import snapshot
from ._demo_company import write_files
from .test_demo_replace import demo_warehouse  # noqa: F401 (a fixture)

pytestmark = pytest.mark.both_backends

CHANGES = {
    "disabled": lambda wh: users.disable(wh, "importer", by=auth.SYSTEM),
    "removed": lambda wh: users.remove(wh, "importer", by=auth.SYSTEM),
    "demoted": lambda wh: users.set_role(
        wh, "importer", "manager", team=_a_team(wh), by=auth.SYSTEM
    ),
}


def _a_team(wh: Warehouse) -> str:
    with wh.connect() as cur:
        return cur.execute("select min(team) from reps").fetchone()[0]


def _importer_then(wh: Warehouse, change: str) -> auth.User:
    """An admin as signed in, changed afterwards (another admin keeps the warehouse run)."""
    if auth.user(wh, "admin") is None:
        users.add(wh, "admin", "another long passphrase", "admin", by=auth.SYSTEM)
    signed_in = users.add(wh, "importer", "a long probe passphrase", "admin", by=auth.SYSTEM)
    CHANGES[change](wh)
    return signed_in


@pytest.mark.parametrize("change", CHANGES)
def test_an_import_by_an_admin_changed_a_moment_ago_writes_nothing(
    small_warehouse, tmp_path, change
):
    admin = _importer_then(small_warehouse, change)
    report = importer.validate(small_warehouse, [importer.read_file(p) for p in _files(tmp_path)])
    assert report.ok, report.issues
    before = snapshot(small_warehouse)
    with pytest.raises(auth.AccountChangedError, match="importer"):
        importer.write(
            small_warehouse,
            report,
            imported_by=admin.username,
            before=lambda cur: auth.acting(cur, admin),
        )
    assert snapshot(small_warehouse) == before


@pytest.mark.parametrize("change", ["disabled"])
def test_replacing_the_demo_for_an_admin_changed_a_moment_ago_keeps_the_demo(
    demo_warehouse,  # noqa: F811 (the fixture imported above)
    tmp_path,
    change,
):
    admin = _importer_then(demo_warehouse, change)
    report = importer.validate(
        demo_warehouse, [importer.read_file(p) for p in write_files(tmp_path / "acme")]
    )
    assert report.ok, report.issues
    before = snapshot(demo_warehouse)
    with pytest.raises(auth.AccountChangedError):
        demo_guard.replace_demo_and_import(
            demo_warehouse,
            report,
            imported_by=admin.username,
            admin=demo_guard.NewAdmin("boss", "violet tractor harbour 42"),
            before=lambda cur: auth.acting(cur, admin),
        )
    assert snapshot(demo_warehouse) == before and demo_guard.is_demo(demo_warehouse)


def _files(tmp_path):
    return write_files(tmp_path / "acme")
