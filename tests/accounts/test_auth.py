"""Sign-in: hashed passwords, one answer for every wrong attempt, waits after failures, demo
accounts."""

from __future__ import annotations

from datetime import datetime

import pytest

from repurchase.accounts import auth, throttle, users

STRONG = "kitchen window blue"  # passes the password rules


@pytest.fixture
def li_na(small_warehouse):
    users.add(
        small_warehouse,
        "Li.Na",
        "correct horse",
        "rep",
        rep_id="R001",
        display_name="李娜",
        by=auth.SYSTEM,
    )
    return small_warehouse


def test_passwords_are_stored_as_argon2_hashes(li_na):
    with li_na.connect() as cur:
        stored = cur.execute("select password_hash from users where username = 'li.na'").fetchone()[
            0
        ]
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


def test_the_right_password_signs_in_whatever_the_case_of_the_name(li_na):
    user = auth.authenticate(li_na, "  LI.NA ", "correct horse")
    assert (user.username, user.role, user.rep_id, user.display_name) == (
        "li.na",
        "rep",
        "R001",
        "李娜",
    )


@pytest.mark.parametrize(("name", "password"), [("li.na", "wrong"), ("nobody", "correct horse")])
def test_a_wrong_name_or_password_gets_the_same_answer(li_na, name, password):
    with pytest.raises(auth.AuthError, match="wrong username or password"):
        auth.authenticate(li_na, name, password)


def test_after_five_wrong_passwords_this_address_waits_then_the_right_one_works(li_na):
    now = datetime(2026, 6, 1, 9, 0)
    for _ in range(throttle.FREE_FAILURES):
        with pytest.raises(auth.AuthError, match="wrong username or password"):
            auth.authenticate(li_na, "li.na", "guess", now=now, client="10.0.0.5")
    # waiting: even the right password is not checked until the wait is over
    with pytest.raises(auth.TooManyAttemptsError) as waiting:
        auth.authenticate(li_na, "li.na", "correct horse", now=now, client="10.0.0.5")
    assert 0 < waiting.value.wait_seconds <= throttle.FIRST_WAIT.total_seconds() + 1
    later = now + throttle.MAX_WAIT
    assert auth.authenticate(li_na, "li.na", "correct horse", now=later, client="10.0.0.5")


def test_a_success_resets_the_count_of_failures(li_na):
    now = datetime(2026, 6, 1, 9, 0)
    for _ in range(throttle.FREE_FAILURES - 1):
        with pytest.raises(auth.AuthError):
            auth.authenticate(li_na, "li.na", "guess", now=now)
    auth.authenticate(li_na, "li.na", "correct horse", now=now)
    assert throttle.failures(li_na, "li.na") == 0
    for _ in range(throttle.FREE_FAILURES - 1):  # a fresh count: answered at once again
        with pytest.raises(auth.AuthError, match="wrong username"):
            auth.authenticate(li_na, "li.na", "guess", now=now)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"username": "x", "password": "short", "role": "rep", "rep_id": "R001"}, "8 characters"),
        ({"username": "x", "password": STRONG, "role": "boss"}, "role"),
        ({"username": "x", "password": STRONG, "role": "rep"}, "rep_id"),
        ({"username": "x", "password": STRONG, "role": "manager"}, "team"),
        ({"username": "x", "password": STRONG, "role": "manager", "team": "T99"}, "no team"),
        ({"username": "x y", "password": STRONG, "role": "admin"}, "letters"),
        ({"username": "x", "password": STRONG, "role": "rep", "rep_id": "R999"}, "no rep"),
    ],
)
def test_bad_accounts_are_refused(small_warehouse, kwargs, words):
    with pytest.raises(ValueError, match=words):
        users.add(small_warehouse, **kwargs, by=auth.SYSTEM)


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
