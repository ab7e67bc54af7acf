"""Tables and words as the pages show them: translated labels, rates with their intervals, money,
contact lines. Pure functions of data (no widgets).
"""

from __future__ import annotations

import os
import re
import unicodedata

import pandas as pd

from repurchase import i18n
from repurchase.evaluation import outcomes as evaluate
from repurchase.i18n import steps
from repurchase.lists import list_actions
from repurchase.services import (
    job_runner,
    team_today,
)
from repurchase.ui.resources import now
from repurchase.ui.text import language, plain, t

MIN_CELL_ENV = "REPURCHASE_MIN_CELL"


def min_cell() -> int:
    raw = os.environ.get(MIN_CELL_ENV)
    return int(raw) if raw else evaluate.MIN_VISITS


def gate_verdict(gate: pd.DataFrame) -> str:
    """Which method makes the lists and why, in plain words (the gate of the serving run:
    columns method, list_precision, serves)."""
    network = gate[gate.method == "network"].iloc[0]
    peers = gate[gate.method != "network"]
    best = peers.loc[peers.list_precision.idxmax()] if len(peers) else network
    served = gate[gate.serves].iloc[0]
    margin = best.get("margin_se", 0.0) if served.method == "network" else 0.0
    words = {
        "margin": f"{0.0 if pd.isna(margin) else margin:.1%}",
        "precision": f"{network.list_precision:.1%}",
        "peer": t(f"method.{(best if served.method == 'network' else served).method}"),
        "peer_precision": f"{(best if served.method == 'network' else served).list_precision:.1%}",
    }
    key = "model.serves_network" if served.method == "network" else "model.serves_peer"
    return t(key, **words)


def say_reasons(reasons: list[dict[str, object]], skip: tuple[str, ...] = ()) -> list[str]:
    """The reasons as sentences in the user's language, leaving out codes in `skip` (facts
    the page already shows elsewhere)."""
    return [i18n.reason_text(r, language()) for r in reasons if r["code"] not in skip]


def _pct(value: float, fmt: str = "{:.1%}") -> str:
    return "–" if pd.isna(value) else fmt.format(value)


# Columns of a visit table and their labels, in the order the pages show them.
VISIT_COLUMNS = {
    "visited_at": "common.when",
    "rep_name": "common.rep",
    "method": "log.method",
    "result": "log.result",
    "note": "log.note",
    "order_amount": "log.field.order_amount",
    "follow_up_date": "log.field.follow_up_date",
    "entered_by": "customer.entered_by",
}


def cohort_labels(table: pd.DataFrame) -> list[str]:
    """The rows of evaluate.on_off_table named in the user's language."""
    lang = language()
    return [
        i18n.cohort_label(d, c, lang) for d, c in zip(table.dimension, table.cohort, strict=True)
    ]


def _rate_with_interval(rate: float, low: float, high: float) -> str:
    if pd.isna(rate):
        return "–"
    return f"{rate:.1%} ({low:.1%}–{high:.1%})"


def cohort_display(table: pd.DataFrame) -> pd.DataFrame:
    """evaluate.on_off_table as the cohort page shows it: translated groups, each side's rate
    with its 95 % interval in one cell (so the table fits and lift and p stay in view), counts,
    as text ("–" where a side has no visits)."""
    return pd.DataFrame(
        {
            t("cohorts.cohort"): cohort_labels(table),
            t("cohorts.reps"): table.reps,
            t("cohorts.on_list_ci"): [
                _rate_with_interval(r, lo, hi)
                for r, lo, hi in zip(table.on_rate, table.on_low, table.on_high, strict=True)
            ],
            t("cohorts.on_visits"): table.on_visits,
            t("cohorts.off_list_ci"): [
                _rate_with_interval(r, lo, hi)
                for r, lo, hi in zip(table.off_rate, table.off_low, table.off_high, strict=True)
            ],
            t("cohorts.off_visits"): table.off_visits,
            t("cohorts.lift"): table.lift.map(lambda v: _pct(v, "{:+.0%}")),
            t("cohorts.p_value"): table.p_value.map(lambda v: _pct(v, "{:.3f}")),
        }
    )


def when(value: object, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime(fmt)


_SERVING_PEER = re.compile(r"(?P<networks>.*) \(serving peer: (?P<peer>[^)]*)\)")


def architecture_label(architecture: object) -> str:
    """registry.architecture ("cnn-lstm/hybrid/rhythm (serving peer: bg/nbd)") in the reader's
    language: the names of networks and peers stay, the words around them are translated."""
    stored = "" if architecture is None or pd.isna(architecture) else str(architecture)
    found = _SERVING_PEER.fullmatch(stored)
    return t("model.serving_peer", **found.groupdict()) if found else stored


def weeks_display(table: pd.DataFrame) -> pd.DataFrame:
    """A table with a `week` column whose overall rows say "all" (outcomes.version_table),
    with that word in the reader's language."""
    return table.assign(week=table.week.map(lambda w: t("common.all") if w == "all" else w))


def versions_display(versions: pd.DataFrame) -> pd.DataFrame:
    """registry.versions as the Model page lists them: labels and statuses in the user's
    language, dates as text, empty cells empty (never "None")."""
    return pd.DataFrame(
        {
            t("model.version"): versions.version,
            t("model.status"): versions.status.map(lambda s: t(f"model.status.{s}")),
            t("model.created"): versions.created_at.map(when),
            t("model.history_from"): versions.train_start.map(lambda v: when(v, "%Y-%m-%d")),
            t("model.trained_until"): versions.train_end.map(lambda v: when(v, "%Y-%m-%d")),
            t("model.promoted"): versions.promoted_at.map(when),
            t("model.valid_auc"): versions.valid_auc.map(lambda v: _pct(v, "{:.3f}")),
            t("model.valid_precision"): versions.precision_at_n.map(_pct),
            t("model.network"): versions.architecture.map(architecture_label),
        }
    )


def jobs_table(found: list[job_runner.Job]) -> pd.DataFrame:
    """Jobs for people: translated names and statuses, the job's own words as text."""

    def minutes(job: job_runner.Job) -> str:
        if job.started_at is None:
            return ""
        end = job.finished_at or now()
        return f"{max((end - job.started_at).total_seconds(), 0) / 60:.1f}"

    return pd.DataFrame(
        {
            t("jobs.col.job"): [job.job_id for job in found],
            t("jobs.col.what"): [t(f"jobs.action.{job.action}") for job in found],
            t("jobs.col.status"): [t(f"jobs.status.{job.status}") for job in found],
            t("jobs.col.by"): [job.requested_by for job in found],
            t("jobs.col.started"): [f"{job.created_at:%Y-%m-%d %H:%M}" for job in found],
            t("jobs.col.minutes"): [minutes(job) for job in found],
            t("jobs.col.result"): [job_result(job) for job in found],
        }
    )


def job_step(message: str) -> str:
    """A running job's last step in the reader's language (jobs store it as a catalogue key and
    its parameters, i18n/steps.py); plain text, as older rows and unexpected errors hold it,
    as written."""
    step = steps.decode(message)
    return message if step is None else step.in_language(language())


def job_result(job: job_runner.Job) -> str:
    """How a job ended, in the reader's language where the job recorded it as data; else the
    job's own words (an unexpected error's message), as text."""
    data = job.result or {}
    if job.status == "succeeded":
        if "version" in data:
            key = "jobs.result.promoted" if data["promoted"] else "jobs.result.not_promoted"
            return t(key, version=data["version"])
        if "backtest_run" in data:
            return t("jobs.result.backtest", run=data["backtest_run"], weeks=data["weeks"])
        if "folders" in data:
            return t("jobs.result.cleaned", folders=data["folders"], versions=data["versions"])
    if job.status == "cancelled":
        if job.cancel_requested_by:
            return t("jobs.result.cancelled", by=job.cancel_requested_by)
        return t("jobs.result.interrupted")
    if job.status == "failed" and "dead" in data:
        return t(f"jobs.result.dead_{data['dead']}")
    return job.outcome or job.error or ""


def measure_tables(measures: dict) -> dict[str, pd.DataFrame]:
    """The Model page's three tables from a run's measures, labelled in the user's language."""
    size, ev = measures["order_size"], measures["expected_value"]
    value = pd.DataFrame(
        {
            t("measures.figure"): [
                t("measures.size_mae"),
                t("measures.size_mdape"),
                t("measures.value_mae"),
                t("measures.value_rmse"),
            ],
            t("measures.model"): [
                _pct(size["model"]["mae"], "{:,.0f}"),
                _pct(size["model"]["mdape"]),
                _pct(ev["model"]["mae"], "{:,.0f}"),
                _pct(ev["model"]["rmse"], "{:,.0f}"),
            ],
            t("measures.baseline"): [
                _pct(size["baseline"]["mae"], "{:,.0f}"),
                _pct(size["baseline"]["mdape"]),
                _pct(ev["baseline"]["mae"], "{:,.0f}"),
                _pct(ev["baseline"]["rmse"], "{:,.0f}"),
            ],
        }
    )
    ranking = measures["ranking"]
    lists = [
        (t("measures.by_probability"), ranking["probability"]),
        (t("measures.by_value"), ranking["value"]),
        (t("measures.by_own_average"), ranking["value (own average)"]),
        (t("measures.with_rule"), measures["recall_rule"]["with"]),
    ]
    per_call = pd.DataFrame(
        {
            t("measures.list"): [name for name, _ in lists],
            t("measures.per_call"): [_pct(row["value_per_call"], "{:,.0f}") for _, row in lists],
            t("measures.precision"): [_pct(row["precision"]) for _, row in lists],
            t("measures.calls"): [row["calls"] for _, row in lists],
        }
    )
    tables = {"value": value, "ranking": per_call}
    risk = measures.get("churn", {})
    if risk.get("weeks"):
        rules = [(t("measures.flag"), risk["model"]), (t("measures.twice_gap"), risk["baseline"])]
        tables["churn"] = pd.DataFrame(
            {
                t("measures.rule"): [name for name, _ in rules],
                # a rule that flagged nobody has no precision: a dash, not "nan%"
                t("measures.precision"): [_pct(q["precision"]) for _, q in rules],
                t("measures.recall"): [_pct(q["recall"]) for _, q in rules],
                t("measures.flagged"): [q["flagged"] for _, q in rules],
            }
        )
    return tables


def follow_up_text(day: object) -> str:
    """ "Call back on 2026-07-03", or "" for a visit without a follow-up."""
    shown = when(day, "%Y-%m-%d")
    return t("log.follow_up_shown", day=shown) if shown else ""


_PHONE_DIGITS = 20  # E.164 allows 15; room for an extension, not for a story


def tel_href(phone: object) -> str | None:
    """A `tel:` link for a stored phone number: only its digits, with a leading + if it
    starts with one (full-width digits, as typed on a Chinese keyboard, count). Anything
    else in the value (spaces, dashes, markup, a script) never reaches the href; a value
    without digits, or with more than a phone number has, gets no link."""
    if phone is None or (isinstance(phone, float) and pd.isna(phone)):
        return None
    text = unicodedata.normalize("NFKC", str(phone)).strip()
    digits = "".join(c for c in text if "0" <= c <= "9")
    if not digits or len(digits) > _PHONE_DIGITS:
        return None
    return f"tel:{'+' if text.startswith('+') else ''}{digits}"


_DIALLED = re.compile(r"[0-9+\-()./ ]+")  # a number as people write it, nothing else


def contact_line(name: object, phone: object) -> tuple[str, str | None]:
    """The card's contact line as (text, call). `text` is for st.text: the word, the name
    as typed, and a number that cannot be called as typed. `call` is Markdown for a
    tap-to-call link, or None: its shown text is the number as stored only when it holds
    nothing but digits and phone punctuation (escaped), its href only digits. Names never
    reach Markdown: escaping does not stop its autolinks (a name https://evil.example became
    a live link) nor a line of '=' under a note becoming a heading."""
    who = name.strip() if isinstance(name, str) else ""
    number = phone.strip() if isinstance(phone, str) else ""
    if not who and not number:
        return t("worklist.no_contact"), None
    href = tel_href(number) if number else None
    dialled = bool(href) and bool(_DIALLED.fullmatch(unicodedata.normalize("NFKC", number)))
    shown = [part for part in (who, "" if dialled else number) if part]
    line = f"{t('worklist.contact')}: {' · '.join(shown)}".rstrip()
    return line, f"[{plain(number)}]({href})" if dialled else None


def money(amount: object) -> str:
    """An amount in currency units with thousands separators ("–" when unknown)."""
    if amount is None or pd.isna(amount):
        return "–"
    return f"{float(amount):,.0f}"


def change_since_previous(p_order: object, p_previous: object) -> str | None:
    """The change of the chance since the previous list, in points (↑ +6 pts / ↓ -4 pts);
    None when there was no previous list."""
    if p_previous is None or pd.isna(p_previous) or p_order is None or pd.isna(p_order):
        return None
    points = round((float(p_order) - float(p_previous)) * 100)
    if points > 0:
        return t("worklist.change_up", points=points)
    if points < 0:
        return t("worklist.change_down", points=points)
    return t("worklist.change_none")


def list_action_error(exc: list_actions.ListActionError) -> str:
    """A refused snooze, skip or Undo in the user's language."""
    return t(exc.key, **exc.params)


def team_day_display(
    period: team_today.TeamPeriod, with_team: bool, part: str = "day"
) -> pd.DataFrame:
    """team_today.TeamPeriod as the page shows it: one row per rep and a totals row, labels in
    the user's language, rates with their intervals and counts as text (the report's words).
    `part`: "day", the day's lists worked and the customers at risk; "success", the week's
    success on and off the list. Two tables, so that each fits a 1400 px screen whole: one
    with both was wider than the page and hid its last column."""
    rows = [*period.reps.iterrows()]
    shown = []
    for _, row in rows:
        shown.append((row.rep_id, row["name"], team_name(row.team), row))
    shown.append((t("team.totals"), "", "", period.totals))
    table = {
        t("team.col.rep"): [r[0] for r in shown],
        t("team.col.name"): [r[1] for r in shown],
    }
    if with_team:
        table[t("team.col.team")] = [r[2] for r in shown]
    if part == "success":
        table[t("team.col.on_list")] = [team_today.success_text(r[3], "on") for r in shown]
        table[t("team.col.off_list")] = [team_today.success_text(r[3], "off") for r in shown]
        return pd.DataFrame(table)
    for column in ("listed", "ordered", "no_demand", "not_reached", "snoozed", "skipped", "open"):
        table[t(f"team.col.{column}")] = [int(r[3][column]) for r in shown]
    table[t("team.col.worked_share")] = [team_today.share_text(r[3].worked_share) for r in shown]
    table[t("team.col.at_risk")] = [int(r[3].at_risk) for r in shown]
    return pd.DataFrame(table)


def team_name(team: object) -> str:
    """A team for a table cell: its name as stored, or "(no team)"."""
    return t("team.no_team") if team is None or pd.isna(team) or team == "" else str(team)


def team_label(team: object) -> str:
    """A team for Markdown (a message, a heading): escaped. Selectbox options take
    team_name, as they show text as it is."""
    return plain(team_name(team))
