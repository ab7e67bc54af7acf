"""中文 / English: every key in both catalogues, codes named in both, user text escaped."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from repurchase import i18n

from ..conftest import REPO


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_message_exists_in_both_languages_with_the_same_placeholders():
    for key, texts in i18n.CATALOGUE.items():
        forms = {"en_one", "one_if", "en_zero", "zh_zero"}
        assert set(texts) - forms == set(i18n.LANGUAGES), key
        assert all(texts[lang].strip() for lang in i18n.LANGUAGES), key
        assert _fields(texts["en"]) == _fields(texts["zh"]), key
        if "en_one" in texts:
            assert texts["one_if"] in _fields(texts["en"]), key
            assert _fields(texts["en_one"]) <= _fields(texts["en"]), key
        if "en_zero" in texts or "zh_zero" in texts:  # both languages say "today"
            assert texts["one_if"] in _fields(texts["en"]), key
            for lang in i18n.LANGUAGES:
                assert _fields(texts[f"{lang}_zero"]) <= _fields(texts[lang]), key


def test_english_says_one_day_not_one_days():
    assert i18n.text("reason.recent_order", "en", since=1) == "Ordered yesterday"
    assert i18n.text("reason.recent_order", "en", since=3) == "Ordered 3 days ago"
    assert i18n.text("reason.recent_order", "zh", since=1) == "1 天前刚下过单"


@pytest.mark.parametrize(
    ("key", "params", "en", "zh"),
    [
        ("list.last_visit", {"result": "order"}, "Last call today: order", "今天已回访:order"),
        ("worklist.days_since", {}, "Last call today", "今天已回访"),
    ],
)
def test_a_call_made_today_reads_today_not_zero_days_ago(key, params, en, zh):
    assert i18n.text(key, "en", days=0, **params) == en
    assert i18n.text(key, "zh", days=0, **params) == zh
    assert i18n.text(key, "en", days=1, **params).startswith("Last call yesterday")
    assert i18n.text(key, "zh", days=3, **params).startswith("3 天前回访")


def test_every_code_has_a_name_in_both_languages():
    for kind, codes in i18n.VALUES.items():
        for code, names in codes.items():
            assert set(names) == set(i18n.LANGUAGES), (kind, code)
    assert i18n.value_label("result", "order", "zh") == "成功拿到订单"
    assert i18n.value_label("method", "carrier pigeon", "zh") == "carrier pigeon"  # ERP's own


def test_every_key_the_code_asks_for_exists():
    """Keys written literally in the pages and the package are all in the catalogue."""
    used = set()
    for path in [*Path(REPO / "pages").glob("*.py"), *Path(REPO / "repurchase").rglob("*.py")]:
        used |= set(
            re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]*[a-z_])["']\s*[,)]""", path.read_text())
        )
    # keys built at run time: the form's fields, the visit problems, the cohort dimensions
    used |= {
        f"log.field.{f}"
        for f in (
            "customer_id",
            "visited_at",
            "method",
            "target",
            "purpose",
            "result",
            "note",
            "order_amount",
        )
    }
    used |= set(
        re.findall(
            r'"(visit\.error\.[a-z_]+)"',
            (REPO / "repurchase" / "services" / "visits.py").read_text(),
        )
    )
    used |= {f"cohort.{d}" for d in ("overall", "tenure", "age", "gender")}
    used |= {
        f"reason.{c}"
        for c in (
            "due",
            "overdue",
            "frequent",
            "recent_order",
            "not_contacted",
            "never_contacted",
            "last_visit_order",
            "last_visit_no_order",
            "key_account",
            "little_history",
            "never_ordered",
        )
    }
    missing = sorted(k for k in used if k not in i18n.CATALOGUE)
    assert missing == []


def test_markdown_and_html_in_user_text_is_escaped():
    escaped = i18n.escape_markdown("**bold** <script>x</script> [a](b)")
    assert "**" not in escaped.replace("\\*", "")
    assert "<script>" not in escaped
    assert escaped.replace("\\", "") == "**bold** <script>x</script> [a](b)"


def test_every_cohort_of_table_3_is_named_in_both_languages():
    from repurchase.evaluation import outcomes as evaluate

    cohorts = [("tenure", band) for *_, band in evaluate.TENURE_BANDS]
    cohorts += [("age", band) for *_, band in evaluate.AGE_BANDS]
    cohorts += [("gender", "M"), ("gender", "F")]
    for dimension, cohort in cohorts:
        zh = i18n.cohort_label(dimension, cohort, "zh")
        assert zh.startswith(i18n.text(f"cohort.{dimension}", "zh")), zh
        assert i18n.value_label(dimension, cohort, "zh") != cohort, cohort
        assert not re.search(r"\by\b|Male|Female", zh), zh
    assert i18n.cohort_label("tenure", "< 1 y", "en") == "Tenure < 1 y"
    assert i18n.cohort_label("gender", "F", "zh") == "性别 女"
    assert i18n.cohort_label("overall", None, "zh") == "总计"


def test_no_message_is_written_twice():
    # a dict literal keeps the last of two equal keys silently: one text would never be shown
    for path in Path(i18n.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
                assert len(keys) == len(set(keys)), (
                    path.name,
                    sorted({k for k in keys if keys.count(k) > 1}),
                )


def test_a_key_two_areas_define_fails_loudly():
    once = {"list.day": {"en": "Day", "zh": "日期"}}
    with pytest.raises(ValueError, match=r"list\.day in call_list and team"):
        i18n.assemble([("call_list", once), ("team", {"list.day": {"en": "Day", "zh": "日"}})])
    assert i18n.assemble([("call_list", once), ("team", {})]) == once


def test_the_catalogue_is_every_area_once():
    areas = [area.MESSAGES for area in i18n.AREAS]
    assert len(i18n.CATALOGUE) == sum(len(messages) for messages in areas)
    assert all(i18n.CATALOGUE[key] is text for m in areas for key, text in m.items())


def test_each_key_prefix_lives_in_one_area():
    """A reader finds a key's area from its first word: no prefix is spread over two modules."""
    area_of: dict[str, set[str]] = {}
    for area in i18n.AREAS:
        for key in area.MESSAGES:
            area_of.setdefault(key.split(".")[0], set()).add(area.__name__)
    assert {prefix: names for prefix, names in area_of.items() if len(names) > 1} == {}


def test_the_catalogue_imports_nothing_of_ours_but_the_codes():
    """Both front doors (ui/ and cli/) read it, and the warehouse's importer names its problems
    by key: it sits in the kernel."""
    for path in Path(i18n.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name.split(".")[0] == "repurchase":
                    assert name in ("repurchase.i18n", "repurchase.codes"), (path.name, name)
