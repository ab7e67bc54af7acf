"""Passwords: argon2id hashes (argon2-cffi) and the rules a new password must meet.

A password is refused when it is short, when it is the demo's public password or the
username, or when zxcvbn (Dropbox's estimator: lists of common passwords, words, names,
keyboard patterns, dates) guesses it in fewer than about 10^8 tries (score below 3). An online
guesser is slowed by the sign-in throttle (throttle.py); a password it could still guess in a
day is refused here.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from repurchase.errors import RepurchaseError

MIN_LENGTH = 8
# zxcvbn's scale: 3 = "safely unguessable: moderate protection from an offline slow-hash
# attack" (about 10^8 guesses), far beyond what the throttle lets an online guesser try.
MIN_SCORE = 3
# The demo's accounts share this password; the README and a demo's sign-in page show it.
DEMO_PASSWORD = "demo-2026"  # noqa: S105

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a real password, only spends the same time")


class WeakPasswordError(RepurchaseError, ValueError):
    """A new password breaks the rules; `reason` names which (the app translates it)."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason  # short, long... -> i18n key users.weak.<reason>
        super().__init__(message)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches; with no stored hash (an unknown name) the same work is
    done against a dummy hash, so the answer time does not tell which names exist."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def check_strength(password: str, username: str, display_name: str | None = None) -> None:
    """Raise WeakPasswordError unless `password` may be set for `username`."""
    from zxcvbn import zxcvbn  # imported here: the CLI's --help stays fast

    name = username.strip().lower()
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError("short", f"a password needs at least {MIN_LENGTH} characters")
    if password == DEMO_PASSWORD:
        raise WeakPasswordError(
            "demo", "this is the demo's public password; choose one nobody else knows"
        )
    if name and name in password.lower():
        raise WeakPasswordError("username", "a password must not contain the username")
    inputs = [name, *name.replace("-", ".").replace("_", ".").split(".")]
    if display_name:
        inputs += display_name.lower().split()
    result = zxcvbn(password[:100], user_inputs=[*inputs, "repurchase", "demo"])
    if result["score"] < MIN_SCORE:
        hint = result["feedback"].get("warning") or "it follows a common pattern"
        raise WeakPasswordError(
            "guessable",
            f"this password is too easy to guess ({hint.rstrip('.')}); use a longer one, "
            "e.g. three or four unrelated words",
        )
