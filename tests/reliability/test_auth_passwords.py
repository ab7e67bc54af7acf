"""Finding: `add-user` accepted `12345678` and the public demo password. Weak, known and
name-like passwords are refused by the CLI, the Users page and every path that sets one, with
a message that says why (in both languages in the app)."""

from __future__ import annotations

import io

import pytest

from repurchase import i18n
from repurchase.accounts import auth, passwords, users
from repurchase.cli import main as cli

REFUSED = [
    ("12345678", "guessable"),
    ("password123", "guessable"),
    ("qwertyuiop", "guessable"),
    (auth.DEMO_PASSWORD, "demo"),
    ("wang.wei", "username"),
    ("my wang.wei pw", "username"),
    ("Wang.Wei2026", "username"),
    ("short1!", "short"),
]


@pytest.mark.parametrize(("password", "reason"), REFUSED)
def test_weak_known_and_name_like_passwords_are_refused(password, reason):
    with pytest.raises(passwords.WeakPasswordError) as refused:
        passwords.check_strength(password, "wang.wei")
    assert refused.value.reason == reason
    for language in i18n.LANGUAGES:  # the app says why, in the user's language
        assert i18n.text(f"users.weak.{reason}", language, min=passwords.MIN_LENGTH)


@pytest.mark.parametrize("password", ["kitchen window blue", "Tr0ub4dor&3", "xk7-pq2-mv9"])
def test_strong_passwords_pass(password):
    passwords.check_strength(password, "wang.wei")


@pytest.mark.parametrize(("password", "words"), [("12345678", "too easy"), ("demo-2026", "demo")])
def test_add_user_refuses_them_with_a_clear_message(
    small_warehouse, monkeypatch, capsys, password, words
):
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{password}\n"))
    status = cli.main(
        ["--warehouse", str(small_warehouse.path), "add-user", "wang.wei", "--role", "admin"]
        + ["--password-stdin"]
    )
    assert status == 2 and words in capsys.readouterr().err
    assert auth.user(small_warehouse, "wang.wei") is None


def test_resetting_a_password_follows_the_same_rules(small_warehouse):
    users.add(small_warehouse, "wang.wei", "kitchen window blue", "admin", by=auth.SYSTEM)
    with pytest.raises(passwords.WeakPasswordError):
        users.set_password(small_warehouse, "wang.wei", "12345678", by=auth.SYSTEM)
    assert auth.authenticate(small_warehouse, "wang.wei", "kitchen window blue")


def test_the_demo_accounts_keep_their_public_password(app_warehouse):
    assert auth.authenticate(app_warehouse, "admin", auth.DEMO_PASSWORD).role == "admin"
