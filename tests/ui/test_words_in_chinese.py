"""Words that stayed English in 中文, and one action called two names."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
import streamlit as st

from repurchase import i18n
from repurchase.i18n import CATALOGUE
from repurchase.i18n.steps import Step
from repurchase.services import job_runner
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
        (Step("jobs.step.reading", day=date(2026, 12, 6)), "正在读取 2026-12-06 之前的历史"),
        (Step("jobs.step.scoring", day=date(2026, 12, 6)), "正在为 2026-12-06 评分"),
        (Step("jobs.step.done"), "完成"),
        (
            Step("jobs.step.epoch_best", seed=3, epoch=2, precision=0.4123, auc=0.77121),
            "种子 3 第 2 轮:名单准确率 41.2%,AUC 0.7712(最佳)",
        ),
        (
            Step("jobs.step.training", variant="hybrid", seed=1, cutoff=date(2026, 10, 5)),
            "正在用 2026-10-05 之前的历史训练 hybrid(种子 1)",
        ),
        (
            Step(
                "jobs.step.week",
                day=date(2026, 10, 5),
                method="model/hybrid",
                precision=0.4,
                reps=0.3,
            ),
            "2026-10-05 当周:model/hybrid 准确率 40.0%,销售自身成功率 30.0%",
        ),
        (
            Step("jobs.step.batch", seed=7, epoch=3, batch=16, batches=79),
            "种子 7 第 3 轮:第 16/79 批",
        ),
    ],
)
def test_a_running_jobs_progress_is_stored_as_a_key_and_said_in_chinese(chinese, step, said):
    stored = job_runner._stored_message(step)
    assert "{" in stored and step.key in stored  # the key and its numbers, not English text
    assert display.job_step(stored) == said


def test_a_running_jobs_progress_is_said_in_english_to_an_english_reader(monkeypatch):
    monkeypatch.setitem(st.session_state, text.LANGUAGE_KEY, "en")
    step = Step("jobs.step.epoch", seed=3, epoch=2, precision=0.412, auc=0.7712)
    assert display.job_step(job_runner._stored_message(step)) == (
        "seed 3 epoch 2: list precision 41.2%, AUC 0.7712"
    )


@pytest.mark.parametrize(
    "old",
    [
        "seed 3 epoch 2: list precision 41.2%, AUC 0.7712",
        "promoted: not worse on 4 weeks",
        "{not json",
        '{"step": "jobs.step.no_such_key", "params": {}}',
    ],
)
def test_an_older_rows_plain_text_still_shows_as_written(chinese, old):
    assert display.job_step(old) == old
