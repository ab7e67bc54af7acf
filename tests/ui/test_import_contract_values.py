"""The import contract's known values, listed in the README and on the Data page, come from the
code's own lists: a value added to one and not the other fails here."""

from __future__ import annotations

import re

from repurchase import codes
from repurchase.demo import common
from repurchase.ui import data_view
from repurchase.warehouse.importing import contract

from ..conftest import REPO


def _readme_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- allowed-values -->\n(.*?)\n<!-- /allowed-values -->", text, re.S)
    assert found, "README.md lost its allowed-values markers"
    return found.group(1)


def test_the_readme_lists_every_known_value_of_the_code():
    assert _readme_section() == data_view.readme_table(), (
        "README.md's allowed values drifted from the code; paste data_view.readme_table()"
    )


def test_the_lists_hold_every_result_the_importer_accepts_and_every_named_code():
    known = data_view.allowed_values()
    assert set(known["result"]) == set(contract.RESULTS)
    assert set(codes.RESULTS) <= set(known["result"])
    assert set(known["method"]) == {"phone", "im", "onsite", "email"}


def test_the_demo_uses_only_values_the_lists_name(small_demo):
    known = data_view.allowed_values()
    frames = {"customers": small_demo.customers, "visits": small_demo.visits}
    for kind, column in data_view.CODED_COLUMNS:
        used = set(frames[kind][column].dropna().astype(str))
        assert used <= set(known[column]), (column, used - set(known[column]))


def test_the_data_pages_help_names_each_value_in_the_readers_language():
    table = data_view.allowed_values_table("zh")
    assert list(table.columns) == ["文件", "列", "取值", "显示为"]
    shown = dict(zip(table["取值"], table["显示为"], strict=True))
    assert shown["phone"] == "电话" and shown["未联系上"] == "未联系上"
    assert shown["not_reached"] == "未联系上" and shown["design_house"] == "研发方案商"
    english = data_view.allowed_values_table("en")
    assert dict(zip(english["Value"], english["Shown as"], strict=True))["onsite"] == "On-site"
    assert len(table) == sum(len(v) for v in data_view.allowed_values().values())


def test_one_list_of_visit_columns_serves_the_importer_and_the_demo():
    assert [c.name for c in contract.CONTRACT["visits"]] == list(codes.VISIT_COLUMNS)
    assert common.CALL_COLUMNS is codes.VISIT_COLUMNS


def test_the_data_page_shows_the_known_values_in_chinese(app_warehouse):
    from ..reliability.conftest import signed_in

    at = signed_in("admin", language="zh")
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert "各列可识别的取值" in [e.label for e in at.expander]
    shown = [d.value for d in at.table if "显示为" in d.value.columns]
    assert shown and "电话" in set(shown[0]["显示为"]) and "onsite" in set(shown[0]["取值"])
