"""What the reminder mails say: a rep's morning mail (the day's list, the follow-ups due, a link
to the list) and a manager's weekly report, each in the reader's language, as a plain-text part
and an HTML part.

Pure functions of what services read: nothing here reads or writes the warehouse. Every text
that comes from data (customer, contact, rep and team names, notes, the reader's own name) is
escaped with html.escape in the HTML part; the catalogue's sentences are escaped too, once
their parameters are filled in. The HTML uses inline styles only (mail clients drop <style>
blocks and never run scripts) and loads nothing from outside.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from repurchase import i18n
from repurchase.lists import explain
from repurchase.services.team_today import TeamPeriod, share_text

MORNING, WEEKLY = "morning", "weekly"
# A phone's mail app shows the first lines: the whole list fits, but a very long one is cut
# with a count and the link, never a mail of hundreds of rows.
MAX_LIST_ROWS = 40
REASON_CHARS = 90
CALL_LIST_PATH = "call_list"  # the call list page's address under the app (ui/routes.PAGES)

_TABLE = "border-collapse:collapse;width:100%;max-width:720px;font-size:14px"
_CELL = "border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top"
_HEAD = _CELL + ";background:#f0f2f6"
_BODY = (
    'font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",Arial,sans-serif;'
    "color:#222;font-size:14px;line-height:1.45"
)


@dataclass(frozen=True)
class Mail:
    """One mail as it is queued: its key says what it is for, so it is queued once."""

    key: str  # kind:username:period
    kind: str  # MORNING or WEEKLY
    username: str
    period: date  # the list's day, or the week's Monday
    recipient: str
    language: str
    subject: str
    text: str
    html: str
    expires_at: datetime  # not sent after this (a morning list is no use the next day)


def mail_key(kind: str, username: str, period: date) -> str:
    return f"{kind}:{username}:{period.isoformat()}"


def _e(value: object) -> str:
    return html.escape("" if value is None or value is pd.NA else str(value), quote=True)


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or value == ""


def _short(value: str, limit: int) -> str:
    value = " ".join(value.split())  # a note's line breaks would break the text part's layout
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _contact(row: pd.Series) -> str:
    parts = [str(row[c]) for c in ("contact_name", "contact_phone") if not _blank(row[c])]
    return " · ".join(parts)


def _reason(row: pd.Series, language: str) -> str:
    """The most telling reason for the customer, in a line."""
    reasons = row["reasons"] if isinstance(row["reasons"], list) else []
    for_, _against = explain.split(reasons)
    return _short(i18n.reason_text(for_[0], language), REASON_CHARS) if for_ else ""


def _link(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/{CALL_LIST_PATH}" if base_url else ""


def _html_table(headers: list[str], rows: list[list[str]]) -> str:
    """A table of already escaped cells."""
    head = "".join(f'<th style="{_HEAD}">{h}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td style="{_CELL}">{c}</td>' for c in cells) + "</tr>" for cells in rows
    )
    return f'<table style="{_TABLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _card(name: object, lines: list[str], small: str) -> str:
    """One customer in one cell, so a phone's narrow screen reads it top to bottom: the name,
    then each line, then the reason or note in grey (all escaped here)."""
    shown = [f"<strong>{_e(name)}</strong>", *(_e(line) for line in lines if line)]
    if small:
        shown.append(f'<span style="color:#555;font-size:13px">{_e(small)}</span>')
    return "<br>".join(shown)


def _page(language: str, title: str, body: str) -> str:
    lang = "zh-CN" if language == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title></head>"
        f'<body style="{_BODY}">{body}</body></html>\n'
    )


def morning(
    *,
    username: str,
    name: str,
    recipient: str,
    language: str,
    day: date,
    rows: pd.DataFrame,
    base_url: str,
) -> Mail | None:
    """A rep's morning mail for `day` from their call list (services.access.call_list's
    columns): the follow-ups due first, then the model's list, without the customers set aside
    (snoozed, skipped) or already called that day. None when there is nothing to call."""
    open_rows = rows[rows.status == "open"]
    follow_ups = open_rows[open_rows.follow_up.astype(bool)]
    listed = open_rows[~open_rows.follow_up.astype(bool) & open_rows.on_list.astype(bool)]
    if follow_ups.empty and listed.empty:
        return None

    def say(key: str, **params: object) -> str:
        return i18n.text(key, language, **params)

    subject = say("mail.morning.subject", day=day, n=len(listed), f=len(follow_ups))
    link = _link(base_url)
    text = [say("mail.morning.hello", name=name), say("mail.morning.intro", day=day), ""]
    parts = [
        f"<p>{_e(say('mail.morning.hello', name=name))}<br>"
        f"{_e(say('mail.morning.intro', day=day))}</p>"
    ]
    if link:
        text += [say("mail.morning.open", url=link), ""]
        parts.append(
            f'<p><a href="{_e(link)}" style="display:inline-block;padding:10px 16px;'
            'background:#ff4b4b;color:#fff;border-radius:6px;text-decoration:none">'
            f"{_e(say('mail.morning.open_button'))}</a></p>"
        )
    if not follow_ups.empty:
        text += _follow_up_text(follow_ups, language)
        parts.append(_follow_up_html(follow_ups, language))
    text.append(say("mail.morning.list"))
    parts.append(f'<h2 style="font-size:16px">{_e(say("mail.morning.list"))}</h2>')
    if listed.empty:
        text.append(say("mail.morning.none"))
        parts.append(f"<p>{_e(say('mail.morning.none'))}</p>")
    shown = listed.head(MAX_LIST_ROWS)
    cells = []
    for number, (_, row) in enumerate(shown.iterrows(), start=1):
        contact, why = _contact(row), _reason(row, language)
        text.append(f"{number:>2}. {row.customer_name}" + (f" · {contact}" if contact else ""))
        if why:
            text.append(f"    {why}")
        cells.append([str(number), _card(row.customer_name, [contact], why)])
    if cells:
        headers = [_e(say(f"mail.col.{c}")) for c in ("rank", "customer")]
        parts.append(_html_table(headers, cells))
    if len(listed) > len(shown):
        more = say("mail.morning.more", n=len(listed) - len(shown))
        text.append(more)
        parts.append(f"<p>{_e(more)}</p>")
    footer = say("mail.footer", email=recipient)
    text += ["", "--", footer]
    parts.append(f'<p style="color:#777;font-size:12px">{_e(footer)}</p>')
    return Mail(
        key=mail_key(MORNING, username, day),
        kind=MORNING,
        username=username,
        period=day,
        recipient=recipient,
        language=language,
        subject=subject,
        text="\n".join(text) + "\n",
        html=_page(language, subject, "".join(parts)),
        expires_at=datetime.combine(day + timedelta(days=1), datetime.min.time()),
    )


def _due(row: pd.Series, language: str) -> str:
    return i18n.text("mail.morning.due_on", language, day=pd.Timestamp(row.follow_up_date).date())


def _follow_up_text(follow_ups: pd.DataFrame, language: str) -> list[str]:
    lines = [i18n.text("mail.morning.follow_ups", language)]
    for _, row in follow_ups.iterrows():
        due = i18n.text(
            "mail.morning.due_on", language, day=pd.Timestamp(row.follow_up_date).date()
        )
        contact = _contact(row)
        lines.append(f" - {row.customer_name} ({due})" + (f" · {contact}" if contact else ""))
        if not _blank(row.follow_up_note):
            lines.append(f"   {_short(str(row.follow_up_note), 200)}")
    return [*lines, ""]


def _follow_up_html(follow_ups: pd.DataFrame, language: str) -> str:
    cells = []
    for _, row in follow_ups.iterrows():
        note = "" if _blank(row.follow_up_note) else _short(str(row.follow_up_note), 200)
        cells.append([_card(row.customer_name, [_due(row, language), _contact(row)], note)])
    headers = [_e(i18n.text("mail.col.customer", language))]
    title = _e(i18n.text("mail.morning.follow_ups", language))
    return f'<h2 style="font-size:16px">{title}</h2>' + _html_table(headers, cells)


def weekly(
    *,
    username: str,
    recipient: str,
    language: str,
    period: TeamPeriod,
    team: str,
    report_html: str,
    base_url: str,
    now: datetime,
) -> Mail:
    """A manager's mail of the weekly report (services.weekly_report's page, whose every data
    text is escaped already) with a plain-text summary: one line per rep and the team's."""
    last = period.first + timedelta(days=6)
    team_name = team or i18n.text("team.no_team", language)
    subject = i18n.text(
        "mail.weekly.subject", language, first=period.first, last=last, team=team_name
    )
    lines = [i18n.text("mail.weekly.intro", language, first=period.first, last=last), ""]
    for _, row in period.reps.iterrows():
        lines.append(
            i18n.text(
                "mail.weekly.row",
                language,
                name=row["name"],
                rep=row.rep_id,
                listed=int(row.listed),
                ordered=int(row.ordered),
                worked=share_text(row.worked_share),
            )
        )
    totals = period.totals
    lines.append(
        i18n.text(
            "mail.weekly.totals",
            language,
            listed=int(totals.listed),
            ordered=int(totals.ordered),
            worked=share_text(totals.worked_share),
        )
    )
    if base_url:
        lines += ["", base_url.rstrip("/") + "/team_today"]
    lines += ["", "--", i18n.text("mail.footer", language, email=recipient)]
    return Mail(
        key=mail_key(WEEKLY, username, period.first),
        kind=WEEKLY,
        username=username,
        period=period.first,
        recipient=recipient,
        language=language,
        subject=subject,
        text="\n".join(lines) + "\n",
        html=report_html,
        expires_at=now + timedelta(days=7),
    )
