"""After the demo is replaced by a company's own data (no model yet, no lists): a rep reads a
plain message, and the admin is told to train, instead of "0 customers ... (model )"."""

from __future__ import annotations

import pytest

from repurchase import i18n
from repurchase.accounts import auth, users
from repurchase.services import demo_guard
from repurchase.warehouse import importer

from ..reliability._demo_company import write_files
from ..reliability.conftest import signed_in

PASSWORD = "violet tractor harbour 42"  # noqa: S105 (the test accounts')


def _replaced(wh, tmp_path) -> None:
    """The demo replaced by the small company's files (admin `boss`), and a rep account for
    its first rep, `li`."""
    read = [importer.read_file(p) for p in write_files(tmp_path / "acme")]
    report = importer.validate(wh, read)
    demo_guard.replace_demo_and_import(
        wh, report, imported_by="admin", admin=demo_guard.NewAdmin("boss", PASSWORD)
    )
    hashed = auth.hash_password(PASSWORD)
    with wh.transaction() as cur:
        users.create(cur, "li", hashed, "rep", rep_id="ACME-R1")


def _said(at) -> list[str]:
    parts = [at.info, at.warning, at.caption, at.text, at.markdown, at.success, at.error]
    return [e.value for part in parts for e in part]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_rep_reads_a_plain_message_and_the_admin_is_told_to_train(app_warehouse, tmp_path, lang):
    _replaced(app_warehouse, tmp_path)
    rep = signed_in("li", PASSWORD, language=lang)
    assert not rep.exception
    said = _said(rep)
    assert i18n.text("list.no_model", lang) in said
    for wrong in ("list.being_written", "list.empty", "list.no_model_admin"):
        assert i18n.text(wrong, lang) not in said, wrong
    assert not [s for s in said if "(model )" in s or "(模型 )" in s]

    admin = signed_in("boss", PASSWORD, language=lang)
    admin.switch_page("pages/call_list.py").run()
    assert not admin.exception
    assert i18n.text("list.no_model_admin", lang) in _said(admin)
    admin.switch_page("pages/data.py").run()
    assert not admin.exception
    assert i18n.text("data.train_first", lang) in [w.value for w in admin.warning]
