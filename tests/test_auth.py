"""Sign-in: hashed passwords, one answer for every wrong attempt, lock-out, demo accounts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from repurchase import auth


@pytest.fixture
def users(small_warehouse):
    auth.create_user(
        small_warehouse, "Li.Na", "correct horse", "rep", rep_id="R001", display_name="李娜"
    )
    return small_warehouse


def test_passwords_are_stored_as_argon2_hashes(users):
    with users.connect() as cur:
        stored = cur.execute("select password_hash from users where username = 'li.na'").fetchone()[
            0
        ]
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


def test_the_right_password_signs_in_whatever_the_case_of_the_name(users):
    user = auth.authenticate(users, "  LI.NA ", "correct horse")
    assert (user.username, user.role, user.rep_id, user.display_name) == (
        "li.na",
        "rep",
        "R001",
        "李娜",
    )


@pytest.mark.parametrize(("name", "password"), [("li.na", "wrong"), ("nobody", "correct horse")])
def test_a_wrong_name_or_password_gets_the_same_answer(users, name, password):
    with pytest.raises(auth.AuthError, match="wrong username or password"):
        auth.authenticate(users, name, password)


def test_five_wrong_passwords_lock_the_account_for_a_while(users):
    now = datetime(2026, 6, 1, 9, 0)
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(auth.AuthError):
            auth.authenticate(users, "li.na", "guess", now=now)
    with pytest.raises(auth.AccountLockedError):
        auth.authenticate(users, "li.na", "guess", now=now)
    # locked: even the right password is refused until the lock runs out
    with pytest.raises(auth.AccountLockedError, match="locked"):
        auth.authenticate(users, "li.na", "correct horse", now=now + timedelta(minutes=1))
    later = now + timedelta(minutes=auth.LOCK_MINUTES + 1)
    assert auth.authenticate(users, "li.na", "correct horse", now=later).username == "li.na"


def test_a_success_resets_the_count_of_failures(users):
    now = datetime(2026, 6, 1, 9, 0)
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(auth.AuthError):
            auth.authenticate(users, "li.na", "guess", now=now)
    auth.authenticate(users, "li.na", "correct horse", now=now)
    with pytest.raises(auth.AuthError):  # a fresh count: not locked after one more failure
        auth.authenticate(users, "li.na", "guess", now=now)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"username": "x", "password": "short", "role": "rep", "rep_id": "R001"}, "8 characters"),
        ({"username": "x", "password": "long enough", "role": "boss"}, "role"),
        ({"username": "x", "password": "long enough", "role": "rep"}, "rep_id"),
        ({"username": "x", "password": "long enough", "role": "manager"}, "team"),
        ({"username": "x y", "password": "long enough", "role": "admin"}, "letters"),
        ({"username": "x", "password": "long enough", "role": "rep", "rep_id": "R999"}, "no rep"),
    ],
)
def test_bad_accounts_are_refused(small_warehouse, kwargs, words):
    with pytest.raises(ValueError, match=words):
        auth.create_user(small_warehouse, **kwargs)


def test_the_demo_has_one_account_per_role(app_warehouse):
    for name, role in (("rep", "rep"), ("manager", "manager"), ("admin", "admin")):
        user = auth.authenticate(app_warehouse, name, auth.DEMO_PASSWORD)
        assert user.role == role
    rep = auth.authenticate(app_warehouse, "rep", auth.DEMO_PASSWORD)
    manager = auth.authenticate(app_warehouse, "manager", auth.DEMO_PASSWORD)
    with app_warehouse.connect() as cur:
        team = cur.execute("select team from reps where rep_id = $r", {"r": rep.rep_id}).fetchone()[
            0
        ]
    assert manager.team == team
