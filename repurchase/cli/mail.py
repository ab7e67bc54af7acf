"""Reminder mails from the shell: `send-reminders` (what the nightly job does after the lists,
or with --dry-run what it would send), `mail-settings` (the SMTP server), `set-email` (a user's
address) and `mail-log` (the latest sends), through the same services as the Users page,
acting as auth.SYSTEM."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import date, datetime

from repurchase.cli.commands import command, read_password
from repurchase.warehouse.store import Warehouse


def _send_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--today", type=date.fromisoformat, help="the lists' day (default: today)")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="print the mails that would be queued (recipient, language, subject); nothing is "
        "written or sent",
    )


@command(
    "send-reminders",
    "queue today's morning and weekly mails and send what is due (the nightly job does this)",
    _send_options,
)
def _send(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.services import mail_settings, reminders

    today, now = args.today or date.today(), datetime.now()
    settings = mail_settings.load(warehouse)
    if not settings.configured:
        print("no mail server is set (python -m repurchase mail-settings --help): nothing sent")
        if not args.dry_run:
            return 0
    if args.dry_run:
        mails = reminders.compose_day(warehouse, today, now, settings)
        for mail in mails:
            print(f"{mail.kind:<8} {mail.language}  {mail.recipient:<32} {mail.subject}")
        print(f"{len(mails)} mails would be queued for {today}; nothing written or sent")
        return 0
    queued = reminders.queue_day(warehouse, today, now)
    delivered = reminders.deliver(warehouse, now, settings)
    print(f"{len(queued.queued)} mails queued for {today}, {len(delivered.sent)} sent")
    for key, error in delivered.failed.items():
        print(f"  not sent (will be tried again): {key}: {error}", file=sys.stderr)
    return 0


def _settings_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", help="SMTP server (empty: send nothing)")
    p.add_argument("--port", type=int)
    p.add_argument("--security", choices=["starttls", "tls", "none"])
    p.add_argument("--sender", help="the From address")
    p.add_argument("--user", help="sign-in name at the server, if it needs one")
    p.add_argument("--password-stdin", action="store_true", help="read its password from stdin")
    p.add_argument("--base-url", help="the app's address, for the link to the list")
    p.add_argument("--timeout", type=float, help="seconds per connection and command")


@command(
    "mail-settings", "show or set the SMTP server reminder mails go through", _settings_options
)
def _settings(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.accounts import auth
    from repurchase.services import mail_settings

    current = mail_settings.load(warehouse)
    changes = {
        field: value
        for field, value in (
            ("host", args.host),
            ("port", args.port),
            ("security", args.security),
            ("sender", args.sender),
            ("username", args.user),
            ("base_url", args.base_url),
            ("timeout_seconds", args.timeout),
        )
        if value is not None
    }
    if args.password_stdin:
        changes["password"] = read_password(args.user or current.username, True)
    if changes:
        current = mail_settings.save(warehouse, auth.SYSTEM, replace(current, **changes))
    for field, value in current.shown().items():
        print(f"{field:<16} {value}")
    print("mails are " + ("sent" if current.configured else "not sent (set --host and --sender)"))
    return 0


def _email_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("username")
    p.add_argument("address", help="the user's e-mail address; '' clears it")


@command("set-email", "set the address a user's reminder mails go to", _email_options)
def _set_email(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.accounts import auth
    from repurchase.services import reminders

    reminders.set_email(warehouse, auth.SYSTEM, args.username, args.address)
    print(f"{args.username}: " + (args.address.strip() or "no address"))
    return 0


def _log_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, default=20)


@command("mail-log", "the latest reminder mails: to whom, sent or why not", _log_options)
def _log(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from repurchase.accounts import auth
    from repurchase.services import reminders

    log = reminders.send_log(warehouse, auth.SYSTEM, args.limit)
    if log.empty:
        print("no mail queued yet")
    for row in log.itertuples():
        error = f"  {row.last_error}" if isinstance(row.last_error, str) else ""
        print(
            f"{row.period} {row.kind:<8} {row.recipient:<32} {row.status:<8} "
            f"tries {row.attempts}{error}"
        )
    return 0
