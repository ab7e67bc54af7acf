"""Cached reads of the services for the pages. Every loader that returns a user's data takes the
signed-in `User`: the cache key includes it, and the service applies the user's scope inside.
Cleared after a write, an import or a promotion.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

import pandas as pd
import streamlit as st

from repurchase.accounts.auth import User
from repurchase.errors import WarehouseLockedError
from repurchase.evaluation.outcomes import HoldoutLift
from repurchase.lists import team_settings
from repurchase.model import registry
from repurchase.services import (
    access,
    cohorts,
    daily_lists,
    imports,
    models,
    proof,
    team_today,
    visits,
    weekly_report,
)
from repurchase.ui.resources import now, serving_model, warehouse
from repurchase.ui.text import language

T = TypeVar("T")


@st.cache_data(ttl=60, max_entries=200, show_spinner=False)
def reps_in_scope(user: User) -> pd.DataFrame:
    return access.reps_in_scope(warehouse(), user)


@st.cache_data(ttl=60, max_entries=200, show_spinner=False)
def _customers_in_scope(user: User) -> pd.DataFrame:
    return access.customers(warehouse(), user)


def _or_last_seen(key: str, owner: object, read: Callable[[], T]) -> T:
    """`read()`; while a job holds the file past the lock timeout, what this session last
    read for the same `owner`. The visit form needs these to be drawn at all, and a form that
    is not drawn drops what was typed in it, where a drawn one saves or queues it."""
    try:
        found = read()
    except WarehouseLockedError:
        seen = st.session_state.get(key)
        if seen is None or seen[0] != owner:
            raise
        return seen[1]
    st.session_state[key] = (owner, found)
    return found


def customers_in_scope(user: User) -> pd.DataFrame:
    return _or_last_seen("cached.customers_seen", user, lambda: _customers_in_scope(user))


@st.cache_data(ttl=60, max_entries=500, show_spinner=False)
def call_list(user: User, rep_id: str, day: date) -> pd.DataFrame:
    return access.call_list(warehouse(), user, rep_id, day)


@st.cache_data(ttl=60, max_entries=500, show_spinner=False)
def customer_history(user: User, customer_id: str) -> dict[str, object]:
    return access.customer_history(warehouse(), user, customer_id)


@st.cache_data(ttl=300, max_entries=100, show_spinner=False)
def team_outcomes(user: User, first: date, last: date) -> pd.DataFrame:
    return cohorts.team_outcomes(warehouse(), user, first, last)


@st.cache_data(ttl=300, max_entries=50, show_spinner=False)
def list_period() -> tuple[date | None, date | None]:
    return models.list_period(warehouse())


def model_overview(user: User) -> dict[str, pd.DataFrame]:
    """The Model page's tables. Cached per serving version, read live: a version promoted by
    another process (the nightly job, another app server on the same database) shows at once,
    not when the cache expires; this process clears its caches only after its own changes."""
    access.require_manager(user)
    return _model_overview(user, registry.serving_version(warehouse()))


@st.cache_data(ttl=300, max_entries=20, show_spinner=False)
def _model_overview(user: User, serving: str | None) -> dict[str, pd.DataFrame]:
    """`serving` is only the cache key (see model_overview)."""
    return models.overview(warehouse(), user, serving_model())


@st.cache_data(ttl=60, max_entries=20, show_spinner=False)
def _visit_choices() -> dict[str, list[str]]:
    return visits.choices(warehouse())


def visit_choices() -> dict[str, list[str]]:
    return _or_last_seen("cached.visit_choices_seen", None, _visit_choices)


def clear_caches() -> None:
    """After a write, an import or a promotion: every cached result may be stale."""
    st.cache_data.clear()


def clear_lists_and_history() -> None:
    """After a visit is logged, changed or deleted: the lists, the customer's history and the
    manager's view of today all count it."""
    call_list.clear()
    customer_history.clear()
    team_outcomes.clear()
    team_day.clear()
    _weekly_report.clear()


@st.cache_data(ttl=15, max_entries=50, show_spinner=False)
def lists_written(day: date) -> bool:
    """Whether `day`'s call lists are written (briefly cached: they appear once written)."""
    return daily_lists.written(warehouse(), day)


def entries_today(user: User, day: date) -> pd.DataFrame:
    """The visits the user logged in the app on `day` (never cached: they just typed them)."""
    return visits.entries_today(warehouse(), user, day)


def is_demo_warehouse() -> bool:
    """Whether the warehouse holds the demo (recorded by the demo build, never inferred)."""
    return imports.is_demo(warehouse())


@st.cache_data(ttl=300, max_entries=20, show_spinner=False)
def backtest_measures(user: User) -> dict | None:
    """The measures of the latest backtest run (services.models.backtest_measures)."""
    return models.backtest_measures(warehouse(), user)


def may_set_aside(user: User) -> bool:
    """Whether the page offers snooze and skip (reps, and admins acting in the app)."""
    return access.may_set_aside(user)


@st.cache_data(ttl=60, max_entries=500, show_spinner=False)
def drifting_away(user: User, rep_id: str, day: date) -> pd.DataFrame:
    return access.drifting_away(warehouse(), user, rep_id, day)


@st.cache_data(ttl=60, max_entries=200, show_spinner=False)
def team_day(user: User, day: date, team: str | None = None) -> team_today.TeamPeriod:
    return team_today.team_day(warehouse(), user, day, team)


@st.cache_data(ttl=120, max_entries=100, show_spinner=False)
def _weekly_report(
    user: User, day: date, team: str | None, lang: str, minute: datetime
) -> weekly_report.Report:
    return weekly_report.build(warehouse(), user, day, lang, minute, team)


def weekly_report_html(user: User, day: date, team: str | None = None) -> weekly_report.Report:
    """The report of `day`'s week in the user's language. It says when it was generated, to
    the minute: the minute is part of the cache key, so a page rerun reuses it within that
    minute and never hands out an older one."""
    return _weekly_report(user, day, team, language(), now())


@st.cache_data(ttl=60, max_entries=20, show_spinner=False)
def team_settings_table(user: User) -> pd.DataFrame:
    return team_settings.settings(warehouse(), user)


@st.cache_data(ttl=300, max_entries=100, show_spinner=False)
def team_proofs(
    user: User, first: date, last: date, reps: tuple[str, ...] | None = None
) -> list[proof.TeamProof]:
    """The hold-out's proof per team of `reps` (None: all) in the user's scope."""
    return proof.team_proofs(warehouse(), user, first, last, reps)


@st.cache_data(ttl=300, max_entries=100, show_spinner=False)
def cohort_holdout(
    user: User, first: date, last: date, reps: tuple[str, ...]
) -> tuple[list[proof.TeamProof], HoldoutLift]:
    """The Cohorts page's proof per team and hold-out lift of those of `reps` in the user's
    scope, from one read of the hold-out's units."""
    return proof.cohort_holdout(warehouse(), user, first, last, reps)


@st.cache_data(ttl=300, max_entries=50, show_spinner=False)
def share_options(user: User, team: str) -> pd.DataFrame:
    """What each hold-out share would cost `team` and when it would give a verdict, from
    every list written so far (admins)."""
    first, last = models.list_period(warehouse())
    if first is None:
        return pd.DataFrame()
    return proof.share_options(warehouse(), user, team, first, last)


@st.cache_data(ttl=300, max_entries=50, show_spinner=False)
def ranking(user: User) -> tuple[str, str] | None:
    """What the serving model's gate chose to rank the lists by, and why (None: nothing)."""
    return proof.ranking(warehouse(), user)


@st.cache_data(ttl=10, show_spinner=False)
def model_serves() -> bool:
    """Whether a model serves (briefly cached: a finished retrain shows within seconds). Without
    one no list is ever written: after the demo is replaced, until the first training."""
    return registry.serving_version(warehouse()) is not None
