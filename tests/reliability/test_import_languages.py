"""Import problems in the user's language (the problem tables stayed English in 中文
mode). Each problem carries an i18n key and its parameters; the CLI keeps English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from repurchase import i18n
from repurchase.accounts import auth
from repurchase.errors import ImportValidationError
from repurchase.ui import import_problems
from repurchase.warehouse import importer

from ..conftest import REPO

VISIT_HEADER = "rep_id,customer_id,visit_date,method,target,purpose,result,note,order_amount"
BAD_VISITS = (
    VISIT_HEADER + "\n"
    "R001,C00001,2026-13-01,phone,active,x,order,,1\n"
    "R001,C00001,2026-01-01,phone,active,x,maybe,,\n"
    "R404,C00001,2026-01-01,phone,active,x,order,,-5\n"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _problems(warehouse, tmp_path: Path) -> list:
    path = tmp_path / "visits_bad.csv"
    path.write_text(BAD_VISITS, encoding="utf-8")
    report = importer.validate(warehouse, [importer.read_file(path)])
    assert not report.ok
    return report.issues


def test_every_problem_key_the_importer_uses_is_in_both_languages():
    used = set()
    for path in (REPO / "repurchase" / "warehouse" / "importing").glob("*.py"):
        used |= set(re.findall(r'"(import\.[a-z_]+\.[a-z_]+)"', path.read_text()))
    used |= {"import.value.date", "import.value.datetime"}  # built from the column's kind
    used |= {f"import.table.{c}" for c in ("file", "line", "column", "problem")}
    assert len(used) > 40
    assert sorted(k for k in used if k not in i18n.CATALOGUE) == []
    for key in used:  # (test_i18n checks that both languages take the same placeholders)
        assert CJK.search(i18n.CATALOGUE[key]["zh"]), key


def test_each_problem_renders_in_chinese_naming_the_same_place_and_value(small_warehouse, tmp_path):
    issues = _problems(small_warehouse, tmp_path)
    assert [(i.line, i.column) for i in issues] == [
        (2, "visit_date"),
        (3, "result"),
        (4, "order_amount"),
        (4, "rep_id"),  # references are checked after every file's values
    ]
    for issue in issues:
        assert issue.key in i18n.CATALOGUE
        assert import_problems.render(issue, "en") == issue.message  # the CLI's English, unchanged
        chinese = import_problems.render(issue, "zh")
        assert CJK.search(chinese), chinese
        for name, value in issue.params:
            if name == "value":
                assert f"'{value}'" in chinese  # the file's value, quoted as in English
    assert "'2026-13-01' 不是有效的 ISO-8601 日期" in import_problems.render(issues[0], "zh")
    assert "未知的销售代表编号 'R404'" in import_problems.render(issues[3], "zh")


def test_the_problem_table_is_headed_and_worded_in_the_users_language(small_warehouse, tmp_path):
    issues = _problems(small_warehouse, tmp_path)
    english = import_problems.issues_frame(issues, "en")
    chinese = import_problems.issues_frame(issues, "zh")
    assert list(english.columns) == ["file", "line", "column", "problem"]
    assert list(chinese.columns) == ["文件", "行号", "列", "问题"]
    assert list(chinese["行号"]) == [2, 3, 4, 4] == list(english["line"])
    assert list(chinese["文件"]) == ["visits_bad.csv"] * 4
    assert all(CJK.search(p) for p in chinese["问题"])


def test_a_file_that_cannot_be_read_is_named_in_chinese_too(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    ragged = tmp_path / "visits.csv"
    ragged.write_text(VISIT_HEADER + "\nR001,C00001\n", encoding="utf-8")
    for path, words in [(folder, "是文件夹"), (ragged, "此行有 2 个字段,表头有 9 个")]:
        with pytest.raises(ImportValidationError) as caught:
            importer.read_file(path)
        assert words in import_problems.render(caught.value.issues[0], "zh")


def test_the_data_page_shows_upload_problems_in_chinese(app_warehouse):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["ui.language"] = "zh"
    at.run()
    at.text_input(key="login.username").input("admin")
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button[0].click().run()
    at.switch_page("pages/data.py").run()
    before = app_warehouse.table_counts()
    upload = at.file_uploader(key="data.files")
    upload.upload("visits_bad.csv", BAD_VISITS.encode(), "text/csv").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["文件", "行号", "列", "问题"]
    assert list(table["列"]) == ["visit_date", "result", "order_amount", "rep_id"]
    assert table["问题"].iloc[2] == "'-5' 为负数"
    assert app_warehouse.table_counts() == before
