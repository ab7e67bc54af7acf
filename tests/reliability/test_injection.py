"""Markup and formula injection in every field shown or exported: whatever a
company's files or a rep's note hold, the pages show it as text and spreadsheets as text."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from repurchase import i18n
from repurchase.accounts import auth
from repurchase.lists import exports

from .conftest import signed_in

MARKUP = "**bold** [link](http://x.example) <img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://x.example","open")'
PAYLOAD = f"{MARKUP} {FORMULA}"
# what must never reach a Markdown renderer unescaped (escaped, each mark has a backslash)
RAW = [re.compile(r"(?<!\\)<img"), re.compile(r"(?<!\\)\*\*bold"), re.compile(r"(?<!\\)\[link")]


def _poison(wh) -> str:
    """Markup in every imported field a page shows: names, team, codes, a note."""
    rep = auth.user(wh, "rep")
    with wh.transaction() as cur:
        customer = cur.execute(
            "select min(customer_id) from customers where owner_rep_id = $r", {"r": rep.rep_id}
        ).fetchone()[0]
        cur.execute(
            "update customers set name = $p, customer_type = $p, industry = $p, tag = $p "
            "where customer_id = $c",
            {"p": PAYLOAD, "c": customer},
        )
        cur.execute("update reps set name = $p, team = $t", {"p": PAYLOAD, "t": PAYLOAD})
        cur.execute(
            "update visits set note = $p, method = $p, target = $p, purpose = $p "
            "where customer_id = $c",
            {"p": PAYLOAD, "c": customer},
        )
        cur.execute("update users set team = $t where role = 'manager'", {"t": PAYLOAD})
    return customer


def _rendered_markdown(at: AppTest) -> list[str]:
    """Every string of the page that Streamlit renders as Markdown."""
    out: list[str] = []
    for kind in ("markdown", "caption", "title", "header", "subheader"):
        out += [e.value for e in at.get(kind)]
    for kind in ("info", "success", "warning", "error"):
        out += [e.value for e in getattr(at, kind)]
    out += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    # a selectbox's and a multiselect's options are plain text (shown as typed); a radio's
    # render Markdown
    for widget in (*at.selectbox, *at.multiselect):
        out.append(widget.label)
    for widget in at.radio:
        out += [widget.label, *[str(o) for o in widget.options]]
    out += [e.label for e in at.expander]
    return out


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        ("rep", ["call_list", "log_visit", "customer"]),
        ("manager", ["call_list", "customer", "cohorts", "model"]),
        ("admin", ["call_list", "log_visit", "customer", "cohorts", "model", "data"]),
    ],
)
def test_markup_in_every_imported_field_is_shown_as_text_on_every_page(app_warehouse, role, pages):
    customer = _poison(app_warehouse)
    at = signed_in(role)
    for page in pages:
        at.session_state["customer.id"] = customer
        at.session_state["log.customer"] = customer
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        for text in _rendered_markdown(at):
            for raw in RAW:
                assert not raw.search(text), (role, page, text)


def test_every_export_writes_imported_text_as_text_not_a_formula():
    frame = pd.DataFrame(
        {
            "customer_name": [FORMULA, "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "plain"],
            "note": ["\t=1+1", "\r=1+1", None, "ok", "=x"],
            "result": ["order", "no_order", FORMULA, None, "order"],
            "order_amount": [-5.0, 1.234, None, 0.0, 2.0],
        }
    )
    readable = exports.for_people(frame, lambda k, c: i18n.value_label(k, c, "zh"))
    back = pd.read_csv(io.BytesIO(exports.csv_bytes(readable)), encoding="utf-8-sig", dtype=str)
    for column in ("customer_name", "note", "result"):
        for cell in back[column].dropna():
            assert not cell.startswith(exports.FORMULA_START), (column, cell)
    assert back.result.iloc[0] == "成功拿到订单"  # codes in the reader's language
    assert back.order_amount.iloc[0] == "-5.0"  # a negative number stays a number
    assert back.order_amount.iloc[1] == "1.23"
