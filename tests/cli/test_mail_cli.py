"""Reminder mails from the shell, run as a user runs them, against a real SMTP server the test
starts on 127.0.0.1: the settings, an address, a dry run that writes and sends nothing, the
send, and the send log."""

from __future__ import annotations

from ..conftest import run_cli, snapshot
from ..smtp_server import smtp_server


def test_the_mail_commands_from_settings_to_the_send_log(app_warehouse):
    where = ["--warehouse", str(app_warehouse.path)]
    unset = run_cli(*where, "send-reminders")
    assert unset.returncode == 0 and "no mail server is set" in unset.stdout

    bad = run_cli(*where, "mail-settings", "--host", "127.0.0.1", "--sender", "nobody")
    assert bad.returncode == 2 and "is not an e-mail address" in bad.stderr
    assert "Traceback" not in bad.stderr

    assert run_cli(*where, "set-email", "rep", "rep@example.com").returncode == 0
    with smtp_server() as (port, handler):
        shown = run_cli(
            *where,
            "mail-settings",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--security",
            "none",
            "--sender",
            "lists@example.com",
        )
        assert shown.returncode == 0 and "mails are sent" in shown.stdout
        before = snapshot(app_warehouse)
        dry = run_cli(*where, "send-reminders", "--dry-run")
        assert dry.returncode == 0, dry.stderr
        assert "rep@example.com" in dry.stdout and "1 mails would be queued" in dry.stdout
        assert snapshot(app_warehouse) == before and handler.received == []

        sent = run_cli(*where, "send-reminders")
        assert sent.returncode == 0, sent.stderr
        assert "1 mails queued" in sent.stdout and ", 1 sent" in sent.stdout
        assert [r.recipients for r in handler.received] == [["rep@example.com"]]
        again = run_cli(*where, "send-reminders")
        assert "0 mails queued" in again.stdout and len(handler.received) == 1

    log = run_cli(*where, "mail-log")
    assert log.returncode == 0 and "rep@example.com" in log.stdout and "sent" in log.stdout
