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


@pytest.mark.parametrize(
    ("step", "said"),
    [
        ("reading history before 2026-12-06", "正在读取 2026-12-06 之前的历史"),
        ("scoring 2026-12-06", "正在为 2026-12-06 评分"),
        ("done", "完成"),
        (
            "seed 3 epoch 2: list precision 41.2%, AUC 0.7712 (best)",
            "种子 3 第 2 轮:名单准确率 41.2%,AUC 0.7712(最佳)",
        ),
        (
            "training hybrid (seed 1) on history before 2026-10-05",
            "正在用 2026-10-05 之前的历史训练 hybrid(种子 1)",
        ),
        (
            "week of 2026-10-05: model/hybrid precision 40.0% vs reps' success 30.0%",
            "2026-10-05 当周:model/hybrid 准确率 40.0%,销售自身成功率 30.0%",
        ),
        ("promoted: not worse on 4 weeks", "promoted: not worse on 4 weeks"),  # as written
    ],
)
def test_a_running_jobs_progress_text_is_said_in_chinese(chinese, step, said):
    assert display.job_step(step) == said


def test_a_running_jobs_progress_text_stays_as_written_in_english(monkeypatch):
    monkeypatch.setitem(st.session_state, text.LANGUAGE_KEY, "en")
    assert display.job_step("seed 3 epoch 2: list precision 41.2%, AUC 0.7712") == (
        "seed 3 epoch 2: list precision 41.2%, AUC 0.7712"
    )
