"""Importing a company's files from the app: a dry run that checks, the write of a clean
report, and the first import that replaces the demo. Admins only; the write re-reads the
admin's account inside its transaction."""

from __future__ import annotations

from typing import Protocol

from repurchase.accounts import auth
from repurchase.accounts.auth import User
from repurchase.services import access, demo_guard
from repurchase.warehouse import importer
from repurchase.warehouse.store import Warehouse


class Upload(Protocol):
    """An uploaded file: its name and its bytes (Streamlit's UploadedFile is one)."""

    name: str

    def getvalue(self) -> bytes: ...


def check(warehouse: Warehouse, user: User, files: list[Upload]) -> importer.ValidationReport:
    """Read and check uploaded files (a dry run: nothing is written)."""
    access.require_admin(user)
    read = [importer.read_file(f.name, name=f.name, data=f.getvalue()) for f in files]
    return importer.validate(warehouse, read)


def write(
    warehouse: Warehouse, user: User, report: importer.ValidationReport
) -> importer.ImportReport:
    """Write a clean report's rows in one transaction, recorded as imported by `user`."""
    access.require_admin(user)
    return importer.write(
        warehouse, report, imported_by=user.username, before=lambda cur: auth.acting(cur, user)
    )


def replace_demo(
    warehouse: Warehouse,
    user: User,
    report: importer.ValidationReport,
    admin: demo_guard.NewAdmin | None,
) -> demo_guard.Replaced:
    """The confirmed first import into the demo: back up, import and remove the demo in one
    transaction. An admin signed in with the demo's account (removed with the demo) passes
    `admin`, their own account, created in that transaction, so nobody is locked out."""
    access.require_admin(user)
    return demo_guard.replace_demo_and_import(
        warehouse,
        report,
        imported_by=user.username,
        admin=admin,
        before=lambda cur: auth.acting(cur, user),
    )


def is_demo(warehouse: Warehouse) -> bool:
    """Whether the warehouse holds the demo (recorded by the demo build, never inferred)."""
    return demo_guard.is_demo(warehouse)
