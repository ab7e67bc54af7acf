"""The weekly e-mailable summary: one self-contained HTML page (inline CSS, no scripts, no
external files), printable, in the reader's language.

Its numbers are team_today.team_week's, the same functions the manager's page reads. Every
text that comes from data (rep names, teams, the reader's name) is escaped with html.escape;
the catalogue's own sentences are escaped too, once their parameters are filled in.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from repurchase import i18n
from repurchase.accounts.auth import User
from repurchase.services import models, proof, team_today
from repurchase.services.proof import TeamProof
from repurchase.services.team_today import TeamPeriod
from repurchase.warehouse.store import Warehouse

_CSS = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", Arial, sans-serif;
       color: #222; margin: 24px; font-size: 13px; }
h1 { font-size: 20px; margin: 0 0 4px 0; }
p { margin: 4px 0; }
.meta { color: #555; }
table { border-collapse: collapse; margin-top: 12px; width: 100%; }
th, td { border: 1px solid #ccc; padding: 4px 6px; text-align: right; white-space: nowrap; }
th { background: #f0f2f6; }
td.text, th.text { text-align: left; white-space: normal; }
tfoot td { font-weight: bold; background: #fafafa; }
.note { color: #555; font-size: 11px; margin-top: 12px; }
h2 { font-size: 15px; margin: 16px 0 4px 0; }
.verdict { font-weight: bold; margin-top: 8px; }
@media print { body { margin: 8mm; font-size: 10px; } th { background: #eee; } }
"""

# Columns of the report's table after the rep's id and name: (catalogue key, value).
_COUNT_COLUMNS = ("listed", "ordered", "no_demand", "not_reached", "snoozed", "skipped", "open")


@dataclass(frozen=True)
class Report:
    html: str
    file_name: str
    period: TeamPeriod


def build(
    warehouse: Warehouse,
    user: User,
    day: date,
    language: str,
    now: datetime,
    team: str | None = None,
) -> Report:
    """The report for the week (Monday to Sunday) holding `day`, as `user` may see it (a
    manager their team, an admin everyone or one `team`; a rep is refused), cut at `now`'s day
    for a week in progress."""
    period = team_today.team_week(warehouse, user, day, now.date(), team)
    last_day = warehouse.query("data_last_day").last_day.iloc[0]
    scope = team if team is not None else user.team if user.role == "manager" else None
    proofs, ranking = _proofs(warehouse, user, period, scope)
    page = render(
        period,
        language,
        scope=scope,
        generated_at=now,
        generated_by=user.display_name or user.username,
        data_last_day=None if pd.isna(last_day) else pd.Timestamp(last_day).date(),
        today=now.date(),
        proofs=proofs,
        ranking=ranking,
    )
    return Report(page, f"weekly_report_{period.first}.html", period)


def _proofs(
    warehouse: Warehouse, user: User, period: TeamPeriod, scope: str | None
) -> tuple[list[TeamProof], tuple[str, str] | None]:
    """The hold-out's proof per team in the report's scope, from every list up to the
    report's last day."""
    first, _last = models.list_period(warehouse)
    if first is None:
        return [], None
    found = proof.team_proofs(warehouse, user, first, period.last)
    if scope is not None:
        found = [f for f in found if f.team == scope]
    return found, proof.ranking(warehouse, user)


def _proof_html(
    proofs: list[TeamProof], ranking: tuple[str, str] | None, language: str, named: bool
) -> str:
    """Each team's verdict first, then its details; escaped like every other text."""
    no_team = i18n.text("team.no_team", language)
    parts = []
    for one in proofs:
        if named:
            team = i18n.text("proof.team", language, team=one.team or no_team)
            parts.append(f"<p><strong>{html.escape(team)}</strong></p>")
        verdict = proof.verdict_sentence(one.proof, language)
        parts.append(f'<p class="verdict">{html.escape(verdict)}</p>')
        for line in proof.detail_sentences(one.proof, language, ranking):
            parts.append(f'<p class="meta">{html.escape(line)}</p>')
    if not proofs:
        parts.append(
            f'<p class="meta">{html.escape(i18n.text("proof.none_in_scope", language))}</p>'
        )
    title = html.escape(i18n.text("report.proof_title", language))
    return f"<h2>{title}</h2>" + "".join(parts)


def render(
    period: TeamPeriod,
    language: str,
    *,
    scope: str | None,
    generated_at: datetime,
    generated_by: str,
    data_last_day: date | None,
    today: date,
    proofs: list[TeamProof] | None = None,
    ranking: tuple[str, str] | None = None,
) -> str:
    """The report's HTML. `scope`: the team shown (None: all teams, with a team column);
    `proofs`: the hold-out's proof per team (None: no such section)."""

    def say(key: str, **params: object) -> str:
        return html.escape(i18n.text(key, language, **params))

    no_team = i18n.text("team.no_team", language)
    heading = (
        say("report.scope_all")
        if scope is None
        else say("report.scope_team", team=scope if scope else no_team)
    )
    meta = [
        say("report.week", first=period.first, last=period.first + timedelta(days=6)),
        say(
            "report.generated",
            when=generated_at.strftime("%Y-%m-%d %H:%M"),
            who=generated_by,
            last_day=data_last_day or i18n.text("report.no_data", language),
        ),
        say("report.list_days", days=period.list_days),
    ]
    if period.last < period.first + timedelta(days=6) and period.last == today:
        meta.insert(1, say("report.in_progress", last=period.last))

    with_team = scope is None
    header, body, footer = _table(period, language, with_team)
    title = say("report.title")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if language == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{title} · {html.escape(str(period.first))}</title>"
        f"<style>{_CSS}</style></head><body>"
        f"<h1>{title}</h1><p><strong>{heading}</strong></p>"
        + "".join(f'<p class="meta">{m}</p>' for m in meta)
        + f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody>"
        f"<tfoot>{footer}</tfoot></table>"
        + ("" if proofs is None else _proof_html(proofs, ranking, language, scope is None))
        + f'<p class="note">{say("report.method", last=period.last)}</p>'
        "</body></html>\n"
    )


def _table(period: TeamPeriod, language: str, with_team: bool) -> tuple[str, list[str], str]:
    """The report table's header row cells, body rows and totals row."""

    def say(key: str, **params: object) -> str:
        return html.escape(i18n.text(key, language, **params))

    no_team = i18n.text("team.no_team", language)
    head = ["rep", "name", *(["team"] if with_team else [])]
    head += [*_COUNT_COLUMNS, "worked_share", "on_list", "off_list", "at_risk"]
    text_columns = {"rep", "name", "team"}
    header = "".join(
        f'<th class="{"text" if c in text_columns else ""}">{say(f"team.col.{c}")}</th>'
        for c in head
    )

    def cells(row: pd.Series, first: list[str]) -> str:
        values = [
            *first,
            *(str(int(row[c])) for c in _COUNT_COLUMNS),
            team_today.share_text(row.worked_share),
            team_today.success_text(row, "on"),
            team_today.success_text(row, "off"),
            str(int(row.at_risk)),
        ]
        return "".join(
            f'<td class="{"text" if i < len(first) else ""}">{html.escape(v)}</td>'
            for i, v in enumerate(values)
        )

    body = []
    for _, row in period.reps.iterrows():
        first = [str(row.rep_id), str(row["name"])]
        if with_team:
            first.append(no_team if pd.isna(row.team) or row.team == "" else str(row.team))
        body.append(f"<tr>{cells(row, first)}</tr>")
    totals = [i18n.text("team.totals", language), "", *([""] if with_team else [])]
    footer = f"<tr>{cells(period.totals, totals)}</tr>"
    return header, body, footer
