"""Real local SMTP servers for the mail tests, on 127.0.0.1, stopped by the test that starts
them: one that accepts and keeps what it received (aiosmtpd), one whose every message is
refused with a 5xx answer, and one that accepts the TCP connection and never says a word."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    envelope_from: str
    recipients: list[str]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        """The text of the message's text/<subtype> part."""
        return self.message.get_body(preferencelist=(subtype,)).get_content()


@dataclass
class Handler:
    """Keeps every message; `refuse` answers DATA with that 5xx line instead."""

    refuse: str | None = None
    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.refuse:
            return self.refuse
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"


@contextmanager
def smtp_server(refuse: str | None = None) -> Iterator[tuple[int, Handler]]:
    """An SMTP server on 127.0.0.1 for the block: (port, handler with what it received)."""
    handler = Handler(refuse=refuse)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections (the kernel completes them from the backlog) and
    never answers: an SMTP client waits for the greeting until its time-out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
