"""Findings: 20-40 simultaneous wrong passwords crashed with a TransactionException and were
not counted; the lock-out message told a real user from an unknown one; anyone could lock
`admin` out. Now every attempt is counted (before the password is checked, retried on a
conflict), unknown names are answered exactly like real ones, and a stranger's failures make
only the stranger's address wait."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from repurchase.accounts import auth, passwords, throttle, users

NOW = datetime(2026, 6, 1, 9, 0)
PASSWORD = "kitchen window blue"  # noqa: S105 (a test account)


@pytest.fixture
def wh(small_warehouse):
    # the demo's admin, with a password of its own
    users.set_password(small_warehouse, "admin", PASSWORD, by=auth.SYSTEM)
    return small_warehouse


def _answer(wh, name, password, client, now=NOW) -> str:
    try:
        auth.authenticate(wh, name, password, now=now, client=client)
    except auth.TooManyAttemptsError as exc:
        return f"wait: {exc}"
    except auth.AuthError as exc:
        return f"wrong: {exc}"
    return "signed in"


def test_forty_simultaneous_wrong_passwords_are_all_answered_and_all_counted(wh):
    answers: list[str] = []
    crashes: list[BaseException] = []
    start = threading.Barrier(40)

    def guess(i: int) -> None:
        start.wait()
        try:
            auth.authenticate(wh, "admin", f"guess {i}", client="203.0.113.9")
        except auth.TooManyAttemptsError:
            answers.append("wait")
        except auth.AuthError:
            answers.append("wrong")
        except BaseException as exc:  # noqa: BLE001 (the finding: anything else escaped)
            crashes.append(exc)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert crashes == []
    assert len(answers) == 40
    # counted before the check: a burst gets no more passwords checked than one by one
    assert answers.count("wrong") == throttle.FREE_FAILURES
    assert throttle.failures(wh, "admin", "203.0.113.9") == 40


def test_a_real_name_and_an_unknown_one_get_the_same_answers_in_the_same_order(wh):
    real = [_answer(wh, "admin", "guess", "203.0.113.9") for _ in range(8)]
    unknown = [_answer(wh, "nobody", "guess", "203.0.113.9") for _ in range(8)]
    assert real == unknown
    assert real[0] == "wrong: wrong username or password" and real[-1].startswith("wait")


def test_a_real_name_and_an_unknown_one_cost_the_same_password_work(wh, monkeypatch):
    """Timing: each answer checks exactly one argon2 hash (a dummy one for an unknown name)
    while answered, and none while waiting, for real and unknown names alike."""
    checks: list[str | None] = []
    verify = passwords.verify
    monkeypatch.setattr(
        passwords, "verify", lambda stored, pw: checks.append(stored) or verify(stored, pw)
    )
    counts = {}
    for name in ("admin", "nobody"):
        checks.clear()
        for _ in range(8):
            _answer(wh, name, "guess", "203.0.113.9")
        counts[name] = len(checks)
    assert counts == {"admin": throttle.FREE_FAILURES, "nobody": throttle.FREE_FAILURES}


def test_a_stranger_cannot_lock_the_real_admin_out(wh):
    for _ in range(30):  # a stranger, as often as they like
        _answer(wh, "admin", "guess", "203.0.113.9")
    assert _answer(wh, "admin", "guess", "203.0.113.9").startswith("wait")
    # the admin, from their own address, signs in at once
    assert _answer(wh, "admin", PASSWORD, "198.51.100.7") == "signed in"


def test_the_wait_grows_with_every_attempt_and_is_capped(wh):
    waits = [throttle.wait_after(n) for n in range(1, 20)]
    assert waits[: throttle.FREE_FAILURES - 1] == [timedelta(0)] * (throttle.FREE_FAILURES - 1)
    assert waits[throttle.FREE_FAILURES - 1] == throttle.FIRST_WAIT
    assert waits == sorted(waits) and max(waits) == throttle.MAX_WAIT
    # and the right password works once the wait is over, from the same address too
    for _ in range(throttle.FREE_FAILURES):
        _answer(wh, "admin", "guess", "192.0.2.1")
    assert _answer(wh, "admin", PASSWORD, "192.0.2.1").startswith("wait")
    later = NOW + throttle.FIRST_WAIT + timedelta(seconds=1)
    assert _answer(wh, "admin", PASSWORD, "192.0.2.1", now=later) == "signed in"
