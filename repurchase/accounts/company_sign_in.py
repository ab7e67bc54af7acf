"""Company sign-in: the user the company's identity provider signed in (OpenID Connect, through
Streamlit's `st.login`) mapped to a user of this app, who then gets an ordinary app session.

Turned on by Streamlit's own `[auth]` section in `.streamlit/secrets.toml` (redirect_uri,
cookie_secret, client_id, client_secret, server_metadata_url); without it the app signs in with
passwords only, as before. `[company_sign_in]` says how an identity finds its user:

    provider_name = "Example Corp"  # the button says "Sign in with Example Corp"
    match_claim = "email"           # the ID token's claim compared with users.external_id
    require_verified_email = true   # matching on email: only an address the provider verified
    password_sign_in = true         # keep the password form too (break-glass admin accounts)
    provider = ""                   # a named provider, [auth.<name>], when [auth] has several

The claims are those of the ID token Authlib verified for Streamlit (signature, issuer,
audience, nonce). Nothing is ever created from them: an identity no user is linked to is
refused, and so is a disabled user. The role, rep id and team come from the users table, so
access.py applies the same rules as after a password.

One sign-in at the provider opens one app session. Streamlit keeps the identity in its own
cookie for 30 days; the app session (sessions.py) decides how long someone stays signed in, and
when it ends (idle, too old, "sign out everywhere", a new role, disabled) the identity cookie
does not reopen it: the person signs in at the provider again. An expired ID token is not
accepted either.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime

from repurchase.accounts import sessions
from repurchase.accounts.auth import User, normalise_external_id
from repurchase.errors import RepurchaseError
from repurchase.warehouse import retry
from repurchase.warehouse.store import Cursor, Warehouse, sql

SECTION = "company_sign_in"
# an ID token's exp is checked with this much slack for the two clocks (provider, server)
CLOCK_SKEW_SECONDS = 120
# refusals the sign-in page answers with "sign in again" rather than an error
SIGN_IN_AGAIN = ("expired", "used")


class CompanySignInSettingsError(RepurchaseError):
    """`[company_sign_in]` in secrets.toml holds a key or a value the app does not know."""


class SignInRefused(RepurchaseError):
    """The identity provider signed someone in whom this app does not let in. `reason`
    (i18n company.refused.<reason>): no_claim, unverified, expired, unknown, disabled, used;
    `identity` the matched value (or None), `claim` the claim matched on."""

    def __init__(self, reason: str, message: str, identity: str | None, claim: str) -> None:
        self.reason = reason
        self.identity = identity
        self.claim = claim
        super().__init__(message)


@dataclass(frozen=True)
class Settings:
    provider_name: str = ""
    match_claim: str = "email"
    require_verified_email: bool = True
    password_sign_in: bool = True
    provider: str = ""  # "" is Streamlit's default provider (the keys directly in [auth])


def settings_from(secrets: Mapping[str, object]) -> Settings | None:
    """The company sign-in settings from the secrets (a mapping of secrets.toml's sections);
    None when there is no `[auth]` section, i.e. company sign-in is off. Raises
    CompanySignInSettingsError for an unknown key or a value of the wrong type."""
    if not isinstance(secrets.get("auth"), Mapping):
        return None
    given = secrets.get(SECTION) or {}
    if not isinstance(given, Mapping):
        raise CompanySignInSettingsError(f"secrets.toml: [{SECTION}] must be a table")
    defaults = Settings()
    values = {}
    for key, value in given.items():
        if key not in {f.name for f in fields(Settings)}:
            known = ", ".join(f.name for f in fields(Settings))
            raise CompanySignInSettingsError(
                f"secrets.toml: [{SECTION}] has no setting {key!r} (known: {known})"
            )
        expected = type(getattr(defaults, key))
        if not isinstance(value, expected):
            raise CompanySignInSettingsError(
                f"secrets.toml: [{SECTION}] {key} must be a {expected.__name__}, "
                f"not {type(value).__name__}"
            )
        values[key] = value.strip() if isinstance(value, str) else value
    settings = Settings(**values)
    if not settings.match_claim:
        raise CompanySignInSettingsError(f"secrets.toml: [{SECTION}] match_claim is empty")
    return settings


@dataclass(frozen=True)
class Identity:
    value: str  # the matched claim's value, normalised like users.external_id
    sign_in_key: str  # this one sign-in at the provider (a hash of iss, sub, iat, nonce)


def identity(claims: Mapping[str, object], settings: Settings, now: datetime) -> Identity:
    """Who the provider signed in, from the ID token's claims (`st.user`): the value of
    `settings.match_claim`, normalised. A pure function; raises SignInRefused when the claim
    is missing, when an email the settings require verified is not, or when the token has
    expired."""
    claim = settings.match_claim
    raw = claims.get(claim)
    value = normalise_external_id(str(raw)) if isinstance(raw, str | int) else None
    if value is None:
        raise SignInRefused(
            "no_claim", f"the identity provider sent no {claim!r} claim", None, claim
        )
    if claim == "email" and settings.require_verified_email:
        verified = claims.get("email_verified")
        if not (verified is True or str(verified).lower() == "true"):
            raise SignInRefused(
                "unverified", f"the provider has not verified the email {value!r}", value, claim
            )
    expires = claims.get("exp")
    if isinstance(expires, int | float) and expires + CLOCK_SKEW_SECONDS < now.timestamp():
        raise SignInRefused("expired", "the identity provider's sign-in has expired", value, claim)
    parts = [claims.get(name) for name in ("iss", "sub", "iat", "nonce")]
    key = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    return Identity(value, key)


@dataclass(frozen=True)
class LinkedUser:
    """A users row as company sign-in reads it."""

    user: User
    disabled: bool


def decide(who: Identity, linked: LinkedUser | None, key_used: bool, claim: str) -> User:
    """The user `who` signs in as, or SignInRefused: nobody is linked to the identity, the
    user is disabled, or this sign-in at the provider already opened a session (since ended).
    A pure function: sign_in() reads `linked` and `key_used` from the warehouse."""
    if linked is None:
        raise SignInRefused(
            "unknown", f"no user is linked to the company account {who.value!r}", who.value, claim
        )
    if linked.disabled:
        raise SignInRefused(
            "disabled", f"user {linked.user.username!r} is disabled", who.value, claim
        )
    if key_used:
        raise SignInRefused(
            "used", "this sign-in already opened a session, which has ended", who.value, claim
        )
    return linked.user


@dataclass(frozen=True)
class SignedIn:
    user: User
    session: sessions.Session


def sign_in(
    warehouse: Warehouse,
    claims: Mapping[str, object],
    settings: Settings,
    client: str | None,
    now: datetime | None = None,
    session_settings: sessions.SessionSettings | None = None,
) -> SignedIn:
    """Map the provider's identity to its user and open an app session for them, recording
    the sign-in (users.last_login_at) like a password does, in one transaction. Raises
    SignInRefused; a refusal writes nothing."""
    now = now or datetime.now()
    who = identity(claims, settings, now)

    def write(cur: Cursor) -> SignedIn:
        row = cur.execute(sql("users_by_external_id"), {"external_id": who.value}).fetchone()
        linked = None if row is None else LinkedUser(User(*row[:5]), row[5])
        used = cur.execute(
            sql("user_sessions_sign_in_key_used"), {"sign_in_key": who.sign_in_key}
        ).fetchone()
        user = decide(who, linked, used is not None, settings.match_claim)
        cur.execute(sql("users_record_sign_in"), {"now": now, "username": user.username})
        session = sessions.open_in(
            cur, user.username, client, now, session_settings, sign_in_key=who.sign_in_key
        )
        return SignedIn(user, session)

    return retry.transaction(warehouse, write)
