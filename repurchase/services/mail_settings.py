"""How the app reaches its mail server: the SMTP settings an admin sets (Users page, or
`python -m repurchase mail-settings`), stored in the warehouse like the other application
settings (`app_settings`, one JSON value), so every app server and the nightly job read the
same. Nothing is sent while no host and sender are set.

The password, when the server needs one, is stored there too: whoever can read the warehouse
file (or a backup of it) can read it, so give the app an account of its own on the mail
server. It is never shown back: the page says only whether one is set.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace
from urllib.parse import urlsplit

from repurchase.accounts.auth import User, acting
from repurchase.errors import RepurchaseError
from repurchase.services.access import require_admin
from repurchase.warehouse import retry
from repurchase.warehouse.store import Cursor, Warehouse, sql

KEY = "mail_settings"
SECURITY = ("starttls", "tls", "none")  # STARTTLS on 587, TLS from the start on 465, plain
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DEFAULT_TIMEOUT = 20.0  # seconds per connection and per command: a dead server never blocks
# an address: something@domain.tld without spaces, angle brackets or line breaks (header safety)
_ADDRESS = re.compile(r"^[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+$")


class MailSettingsError(RepurchaseError, ValueError):
    """A setting that cannot be used; `reason` names it for the page (mail.error.<reason>)."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


@dataclass(frozen=True)
class MailSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"
    username: str = ""
    password: str = ""
    sender: str = ""
    base_url: str = ""  # the app's address, for the link to the list
    timeout_seconds: float = DEFAULT_TIMEOUT

    @property
    def configured(self) -> bool:
        """Whether mails are sent at all: a server and a sender are set."""
        return bool(self.host and self.sender)

    def shown(self) -> dict[str, object]:
        """The settings for a page or the CLI: the password only as whether one is set."""
        values = asdict(self)
        values["password"] = bool(self.password)
        return values


def valid_address(address: str) -> bool:
    return bool(_ADDRESS.match(address or "")) and len(address) <= 254


def check(settings: MailSettings) -> MailSettings:
    """The settings trimmed, or MailSettingsError naming the first that cannot be used.
    Empty host and sender mean "no mail": allowed."""
    s = replace(
        settings,
        host=settings.host.strip(),
        username=settings.username.strip(),
        sender=settings.sender.strip(),
        base_url=settings.base_url.strip().rstrip("/"),
        security=settings.security.strip().lower(),
    )
    if s.host and not re.fullmatch(r"[A-Za-z0-9.\-:\[\]]+", s.host):
        raise MailSettingsError("host", f"mail server {s.host!r}: a host name or an address")
    if not 0 < int(s.port) < 65536:
        raise MailSettingsError("port", f"port {s.port}: 1 to 65535")
    if s.security not in SECURITY:
        raise MailSettingsError("security", f"security {s.security!r}: one of {SECURITY}")
    if s.sender and not valid_address(s.sender):
        raise MailSettingsError("sender", f"sender {s.sender!r} is not an e-mail address")
    if bool(s.host) != bool(s.sender):
        raise MailSettingsError("incomplete", "set both the mail server and the sender, or neither")
    if s.base_url:
        parts = urlsplit(s.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or "\n" in s.base_url:
            raise MailSettingsError("base_url", f"link {s.base_url!r}: an http(s) address")
    if not 0 < float(s.timeout_seconds) <= 300:
        raise MailSettingsError("timeout", "time-out: more than 0 and at most 300 seconds")
    return s


def _read(cur: Cursor) -> MailSettings:
    row = cur.execute(sql("app_setting_value"), {"key": KEY}).fetchone()
    if row is None:
        return MailSettings()
    stored = json.loads(row[0])
    known = {k: v for k, v in stored.items() if k in MailSettings.__dataclass_fields__}
    return MailSettings(**known)


def load(warehouse: Warehouse) -> MailSettings:
    """The stored settings (empty ones when none are set): for the senders, not for pages."""
    with warehouse.connect() as cur:
        return _read(cur)


def current(warehouse: Warehouse, user: User) -> MailSettings:
    """The stored settings, for an admin (the page shows `shown()` of them)."""
    require_admin(user)
    return load(warehouse)


def save(
    warehouse: Warehouse, user: User, settings: MailSettings, keep_password: bool = True
) -> MailSettings:
    """Store `settings` (checked first) as the admin `user`; with `keep_password` an empty
    password keeps the stored one (the page never shows it back)."""
    require_admin(user)
    checked = check(settings)

    def write(cur: Cursor) -> MailSettings:
        acting(cur, user)
        stored = _read(cur)
        final = checked
        if keep_password and not checked.password:
            final = replace(checked, password=stored.password)
        cur.execute(sql("app_setting_remove"), {"key": KEY})
        cur.execute(sql("app_setting_insert"), {"key": KEY, "value": json.dumps(asdict(final))})
        return final

    return retry.transaction(warehouse, write)
