"""Company sign-in (OpenID Connect): the settings from secrets.toml, the identity provider's
claims mapped to a user of the users table, what is refused (and that a refusal writes
nothing), linking users from the CLI, and the one session a sign-in at the provider opens."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from repurchase.accounts import auth, sessions, users
from repurchase.accounts.company_sign_in import (
    CLOCK_SKEW_SECONDS,
    CompanySignInSettingsError,
    Identity,
    LinkedUser,
    Settings,
    SignInRefused,
    decide,
    identity,
    settings_from,
    sign_in,
)
from repurchase.cli import main as cli
from repurchase.services import access
from repurchase.warehouse.store import Warehouse, load_migrations

from ..conftest import snapshot

NOW = datetime(2026, 6, 1, 9, 0)
AUTH = {
    "redirect_uri": "https://sales.example.com/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "repurchase",
    "client_secret": "secret",
    "server_metadata_url": "https://login.example.com/.well-known/openid-configuration",
}
EMAIL = Settings()  # the default: the verified email
BY_SUB = Settings(match_claim="sub")


def claims(**overrides: object) -> dict[str, object]:
    """An ID token's claims as Streamlit hands them over in st.user."""
    issued = int(NOW.timestamp())
    base = {
        "is_logged_in": True,
        "iss": "https://login.example.com",
        "sub": "00u1AbC",
        "aud": "repurchase",
        "iat": issued,
        "exp": issued + 3600,
        "nonce": "n-1",
        "email": "Li.Na@Example.com",
        "email_verified": True,
        "name": "Li Na",
    }
    return {k: v for k, v in {**base, **overrides}.items() if v is not None}


# ----------------------------------------------------------------------------- settings


def test_without_an_auth_section_company_sign_in_is_off():
    assert settings_from({}) is None
    assert settings_from({"company_sign_in": {"provider_name": "Example"}}) is None


def test_an_auth_section_alone_turns_it_on_with_the_defaults():
    assert settings_from({"auth": AUTH}) == Settings(
        provider_name="",
        match_claim="email",
        require_verified_email=True,
        password_sign_in=True,
        provider="",
    )


def test_the_company_sign_in_section_sets_how_users_are_matched():
    given = {"provider_name": " Example Corp ", "match_claim": "sub", "password_sign_in": False}
    assert settings_from({"auth": AUTH, "company_sign_in": given}) == Settings(
        provider_name="Example Corp", match_claim="sub", password_sign_in=False
    )


@pytest.mark.parametrize(
    ("section", "words"),
    [
        ({"match-claim": "sub"}, "no setting 'match-claim'"),
        ({"password_sign_in": "no"}, "password_sign_in must be a bool"),
        ({"match_claim": "  "}, "match_claim is empty"),
        ("email", "must be a table"),
    ],
)
def test_a_mistyped_setting_is_refused_by_name(section, words):
    with pytest.raises(CompanySignInSettingsError, match=words):
        settings_from({"auth": AUTH, "company_sign_in": section})


# ----------------------------------------------------------------------------- claims -> identity


@pytest.mark.parametrize(
    ("settings", "given", "expected"),
    [
        (EMAIL, {}, "li.na@example.com"),  # matched ignoring case
        (EMAIL, {"email_verified": "true"}, "li.na@example.com"),  # some providers send text
        (Settings(require_verified_email=False), {"email_verified": False}, "li.na@example.com"),
        (BY_SUB, {"email_verified": False}, "00u1abc"),  # the subject: no email check
        (Settings(match_claim="employee_no"), {"employee_no": 4711}, "4711"),
        (EMAIL, {"exp": int(NOW.timestamp()) - CLOCK_SKEW_SECONDS + 5}, "li.na@example.com"),
    ],
)
def test_the_identity_is_the_matched_claim(settings, given, expected):
    assert identity(claims(**given), settings, NOW).value == expected


@pytest.mark.parametrize(
    ("settings", "given", "reason"),
    [
        (EMAIL, {"email": None}, "no_claim"),
        (EMAIL, {"email": "   "}, "no_claim"),
        (EMAIL, {"email": ["a@example.com"]}, "no_claim"),
        (Settings(match_claim="upn"), {}, "no_claim"),
        (EMAIL, {"email_verified": False}, "unverified"),
        (EMAIL, {"email_verified": None}, "unverified"),  # not said: not verified
        (EMAIL, {"exp": int(NOW.timestamp()) - CLOCK_SKEW_SECONDS - 5}, "expired"),
    ],
)
def test_claims_that_do_not_say_who_it_is_are_refused(settings, given, reason):
    with pytest.raises(SignInRefused) as refused:
        identity(claims(**given), settings, NOW)
    assert refused.value.reason == reason
    assert refused.value.claim == settings.match_claim


def test_each_sign_in_at_the_provider_has_its_own_key():
    first = identity(claims(), EMAIL, NOW)
    assert identity(claims(), EMAIL, NOW) == first  # the same token, read again
    assert identity(claims(nonce="n-2"), EMAIL, NOW).sign_in_key != first.sign_in_key
    assert identity(claims(iat=int(NOW.timestamp()) + 60), EMAIL, NOW) != first


# ----------------------------------------------------------------------------- identity -> user

REP = auth.User("li.na", "Li Na", "rep", "R001", None)
WHO = Identity("li.na@example.com", "k1")


@pytest.mark.parametrize(
    ("linked", "used", "reason"),
    [
        (None, False, "unknown"),
        (LinkedUser(REP, disabled=True), False, "disabled"),
        (LinkedUser(REP, disabled=False), True, "used"),
    ],
)
def test_decide_refuses_unknown_disabled_and_used(linked, used, reason):
    with pytest.raises(SignInRefused) as refused:
        decide(WHO, linked, used, "email")
    assert (refused.value.reason, refused.value.identity) == (reason, "li.na@example.com")


def test_decide_gives_the_linked_user_with_the_role_and_scope_of_the_users_table():
    assert decide(WHO, LinkedUser(REP, disabled=False), False, "email") == REP


# ----------------------------------------------------------------------------- in the warehouse


@pytest.fixture
def linked(small_warehouse):
    """A rep and a manager linked to company accounts, without passwords."""
    users.add(
        small_warehouse,
        "li.na",
        None,
        "rep",
        rep_id="R001",
        external_id=" Li.Na@Example.com ",
        by=auth.SYSTEM,
    )
    with small_warehouse.connect() as cur:
        team = cur.execute("select team from reps where rep_id = 'R002'").fetchone()[0]
    users.add(
        small_warehouse,
        "wang",
        None,
        "manager",
        team=team,
        external_id="wang@example.com",
        by=auth.SYSTEM,
    )
    return small_warehouse


def test_a_linked_rep_signs_in_with_an_app_session_and_sees_only_their_customers(linked):
    signed = sign_in(linked, claims(), EMAIL, client="10.0.0.5", now=NOW)
    assert signed.user == auth.User("li.na", "li.na", "rep", "R001", None)
    assert sessions.resume(linked, signed.session.token, now=NOW).username == "li.na"
    with linked.connect() as cur:
        (last_login,) = cur.execute(
            "select last_login_at from users where username = 'li.na'"
        ).fetchone()
        (client,) = cur.execute("select client from user_sessions").fetchone()
    assert (last_login, client) == (NOW, "10.0.0.5")
    owners = set(access.customers(linked, signed.user).owner_rep_id)
    assert owners == {"R001"}


def test_a_linked_manager_gets_the_managers_role_and_team(linked):
    signed = sign_in(
        linked, claims(email="wang@example.com", sub="00u2"), EMAIL, client=None, now=NOW
    )
    assert (signed.user.role, signed.user.rep_id) == ("manager", None)
    assert signed.user.team


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ({"email": "stranger@example.com"}, "unknown"),
        ({"email_verified": False}, "unverified"),
        ({"email": None}, "no_claim"),
        ({"exp": int(NOW.timestamp()) - 3600}, "expired"),
    ],
)
def test_a_refused_sign_in_creates_nothing(linked, given, reason):
    before = snapshot(linked)
    with pytest.raises(SignInRefused) as refused:
        sign_in(linked, claims(**given), EMAIL, client=None, now=NOW)
    assert refused.value.reason == reason
    assert snapshot(linked) == before


def test_a_disabled_user_is_refused_and_nothing_is_written(linked):
    users.disable(linked, "li.na", by=auth.SYSTEM)
    before = snapshot(linked)
    with pytest.raises(SignInRefused, match="disabled"):
        sign_in(linked, claims(), EMAIL, client=None, now=NOW)
    assert snapshot(linked) == before


def test_one_sign_in_at_the_provider_opens_one_session_which_an_admin_can_end(linked):
    first = sign_in(linked, claims(), EMAIL, client=None, now=NOW)
    users.sign_out_everywhere(linked, "li.na", by=auth.SYSTEM)  # a lost phone
    assert sessions.resume(linked, first.session.token, now=NOW) is None
    # the identity cookie on that phone does not sign it back in
    with pytest.raises(SignInRefused) as refused:
        sign_in(linked, claims(), EMAIL, client=None, now=NOW + timedelta(minutes=1))
    assert refused.value.reason == "used"
    # signing in at the provider again does
    again = sign_in(linked, claims(nonce="n-2"), EMAIL, client=None, now=NOW)
    assert again.user.username == "li.na"


def test_a_new_role_set_by_an_admin_applies_at_the_next_company_sign_in(linked):
    users.set_role(linked, "li.na", "rep", rep_id="R003", by=auth.SYSTEM)
    assert sign_in(linked, claims(), EMAIL, client=None, now=NOW).user.rep_id == "R003"


def test_matching_on_the_subject(linked):
    users.set_external_id(linked, "li.na", "00u1AbC", by=auth.SYSTEM)
    signed = sign_in(linked, claims(email="other@example.com"), BY_SUB, client=None, now=NOW)
    assert signed.user.username == "li.na"


# ----------------------------------------------------------------------------- linking users


def test_a_company_only_user_has_no_password_that_signs_in(linked):
    with linked.connect() as cur:
        (stored,) = cur.execute(
            "select password_hash from users where username = 'li.na'"
        ).fetchone()
    assert stored is None
    for attempt in ("", "li.na@example.com", auth.DEMO_PASSWORD):
        with pytest.raises(auth.AuthError, match="wrong username or password"):
            auth.authenticate(linked, "li.na", attempt)


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"password": None}, "needs_sign_in"),
        ({"password": None, "external_id": "  "}, "needs_sign_in"),
        ({"password": None, "external_id": "LI.NA@example.com"}, "external_id_taken"),
        ({"password": None, "external_id": "x" * 300}, "external_id"),
        ({"password": None, "external_id": "tab\there@example.com"}, "external_id"),
    ],
)
def test_bad_company_accounts_are_refused(linked, kwargs, reason):
    with pytest.raises(auth.InvalidAccountError) as refused:
        users.add(linked, "zhao", role="rep", rep_id="R002", **kwargs, by=auth.SYSTEM)
    assert refused.value.reason == reason


def test_linking_and_unlinking_ends_the_users_sessions(linked):
    signed = sign_in(linked, claims(), EMAIL, client=None, now=NOW)
    assert users.set_external_id(linked, "li.na", "li.na@new.example.com", by=auth.SYSTEM) == 1
    assert sessions.resume(linked, signed.session.token) is None
    with pytest.raises(auth.InvalidAccountError, match="already linked"):
        users.set_external_id(linked, "wang", "LI.NA@new.example.com", by=auth.SYSTEM)
    users.set_external_id(linked, "li.na", None, by=auth.SYSTEM)
    table = users.list_users(linked, by=auth.SYSTEM).set_index("username")
    assert table.external_id.isna()["li.na"] and table.external_id["wang"] == "wang@example.com"


def test_the_cli_adds_a_company_user_without_asking_for_a_password(small_warehouse, capsys):
    path = str(small_warehouse.path)
    code = cli.main(
        [
            "--warehouse",
            path,
            "add-user",
            "li.na",
            "--role",
            "rep",
            "--rep-id",
            "R001",
            "--external-id",
            "Li.Na@Example.com",
        ]
    )
    assert code == 0
    assert "can sign in with company sign-in as li.na@example.com" in capsys.readouterr().out
    assert sign_in(small_warehouse, claims(), EMAIL, client=None, now=NOW).user.rep_id == "R001"

    assert cli.main(["--warehouse", path, "users", "link", "li.na", "lina@example.com"]) == 0
    assert cli.main(["--warehouse", path, "users", "list"]) == 0
    listing = capsys.readouterr().out
    assert "company_account" in listing and "lina@example.com" in listing
    assert cli.main(["--warehouse", path, "users", "unlink", "li.na"]) == 0
    assert (
        users.list_users(small_warehouse, by=auth.SYSTEM)
        .set_index("username")
        .external_id.isna()["li.na"]
    )


def test_users_and_sessions_from_before_0017_keep_their_passwords_and_sessions(tmp_path):
    path = tmp_path / "old.duckdb"
    old = Warehouse(path, migrations=[m for m in load_migrations() if m.version < 17])
    now = datetime.now()
    with old.transaction() as cur:
        cur.execute(
            "insert into reps (rep_id, name, gender, birth_date, hire_date, level) "
            "values ('R1', 'Li', 'F', '1999-01-01', '2025-01-01', 'junior')"
        )
        # as the code before 0017 wrote them
        cur.execute(
            "insert into users (username, display_name, password_hash, role, rep_id) "
            "values ('li', 'Li', $h, 'rep', 'R1')",
            {"h": auth.hash_password("kitchen window blue")},
        )
        cur.execute(
            "insert into user_sessions (token_hash, username, created_at, last_seen_at, "
            "expires_at) values ($h, 'li', $now, $now, $end)",
            {"h": sessions.token_hash("old-token"), "now": now, "end": now + timedelta(days=1)},
        )

    new = Warehouse(path)
    assert auth.authenticate(new, "li", "kitchen window blue").username == "li"
    assert sessions.resume(new, "old-token").username == "li"
    assert users.list_users(new, by=auth.SYSTEM).external_id.isna().all()
    users.set_external_id(new, "li", "li@example.com", by=auth.SYSTEM)
    assert auth.authenticate(new, "li", "kitchen window blue")  # a link keeps the password


def test_an_admin_changing_their_own_link_keeps_their_own_session(linked):
    users.add(linked, "boss", "kitchen window blue", "admin", by=auth.SYSTEM)
    mine = sessions.start(linked, "boss", None)
    other = sessions.start(linked, "boss", None)
    assert (
        users.set_external_id(
            linked, "boss", "boss@example.com", keep_token=mine.token, by=auth.SYSTEM
        )
        == 1
    )
    assert sessions.resume(linked, mine.token) and sessions.resume(linked, other.token) is None
