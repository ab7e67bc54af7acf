"""Words that stayed English in 中文, and one action called two names."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st

from repurchase import i18n
from repurchase.i18n import CATALOGUE
from repurchase.ui import display, text


@pytest.fixture
def chinese():
    st.session_state[text.LANGUAGE_KEY] = "zh"
    yield
    del st.session_state[text.LANGUAGE_KEY]


def test_snoozed_is_the_same_word_on_the_list_and_in_the_report():
    word = i18n.text("worklist.snooze", "zh")
    assert word in i18n.text("team.col.snoozed", "zh")
    assert not [key for key, said in CATALOGUE.items() if "推迟" in said.get("zh", "")]


def test_the_serving_model_and_the_overall_week_are_said_in_chinese(chinese):
    said = display.architecture_label("cnn-lstm/hybrid/rhythm (serving peer: bg/nbd)")
    assert said == "cnn-lstm/hybrid/rhythm(实际使用对比模型:bg/nbd)"
    assert display.architecture_label("cnn-lstm/paper/paper") == "cnn-lstm/paper/paper"
    table = pd.DataFrame({"model_version": ["v1", "v1"], "week": ["2026-11-02", "all"]})
    assert list(display.weeks_display(table).week) == ["2026-11-02", "全部"]
