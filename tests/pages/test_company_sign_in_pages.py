"""Company sign-in in the pages, driven with AppTest (`at.secrets` for secrets.toml, `at.user`
for what Streamlit hands over after st.login): the button in both languages, the password form
kept or not, a linked rep landing on their own list, refusals in both languages, sign-out of
both, and the Users page linking a company account."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from repurchase import i18n
from repurchase.accounts import auth, sessions
from repurchase.ui import text

from ..conftest import REPO, snapshot

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-some-length",
    "client_id": "repurchase",
    "client_secret": "secret",
    "server_metadata_url": "http://localhost:9400/.well-known/openid-configuration",
}
EMAIL = "li.na@example.com"


def _app(lang: str = "en", **company: object) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["ui.language"] = lang
    at.secrets["auth"] = AUTH
    at.secrets["company_sign_in"] = {"provider_name": "Example Corp", **company}
    return at


def _signed_in_at_provider(at: AppTest, email: str, **claims: object) -> AppTest:
    at.user = {
        "is_logged_in": True,
        "iss": "http://localhost:9400",
        "sub": f"sub-{email}",
        "iat": 1_900_000_000,
        "nonce": "n",
        "email": email,
        "email_verified": True,
        **claims,
    }
    return at


@pytest.fixture
def linked(app_warehouse):
    """The demo's rep's customers, seen by a second user who signs in with the company."""
    rep = auth.authenticate(app_warehouse, "rep", auth.DEMO_PASSWORD)
    auth.users.add(
        app_warehouse,
        "li.na",
        None,
        "rep",
        rep_id=rep.rep_id,
        display_name="李娜",
        external_id=EMAIL,
        by=auth.SYSTEM,
    )
    return app_warehouse


def _buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_without_auth_secrets_the_sign_in_page_is_as_before(app_warehouse):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["ui.language"] = "en"
    at.run()
    assert not at.exception
    assert not any("Example" in label or "company" in label for label in _buttons(at))
    assert at.text_input(key="login.password")


@pytest.mark.parametrize(
    ("lang", "label"), [("en", "Sign in with Example Corp"), ("zh", "使用Example Corp登录")]
)
def test_with_auth_secrets_the_sign_in_page_offers_the_company_button(app_warehouse, lang, label):
    at = _app(lang).run()
    assert not at.exception
    assert at.button(key="login.company").label == label
    assert at.text_input(key="login.password")  # kept by default, for break-glass admins
    assert i18n.text("company.or_password", lang) in [c.value for c in at.caption]


def test_without_a_provider_name_the_button_says_company_account(app_warehouse):
    at = _app(provider_name="").run()
    assert at.button(key="login.company").label == "Sign in with your company account"


def test_password_sign_in_can_be_switched_off(app_warehouse):
    at = _app(password_sign_in=False).run()
    assert not at.exception
    assert _buttons(at) == ["Sign in with Example Corp"]
    assert not at.text_input and not at.info  # no form, no demo accounts


def test_the_password_form_still_signs_in_next_to_the_company_button(app_warehouse):
    at = _app().run()
    at.text_input(key="login.username").input("admin")
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button(key="FormSubmitter:login.form-Sign in").click().run()
    assert not at.exception and at.session_state["auth.user"].role == "admin"


def test_a_linked_rep_lands_on_their_own_call_list(linked):
    at = _signed_in_at_provider(_app(), EMAIL).run()
    assert not at.exception
    user = at.session_state["auth.user"]
    assert (user.username, user.role) == ("li.na", "rep")
    assert [t.value for t in at.title] == ["Today's call list"]
    assert "Signed in as 李娜 (sales rep)" in [c.value for c in at.sidebar.caption]
    session = at.session_state["auth.session"]
    assert sessions.resume(linked, session.token).username == "li.na"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "The company account ` stranger@example.com ` is not linked to a user of this app"),
        ("zh", "公司账号 ` stranger@example.com ` 未关联本应用的用户"),
    ],
)
def test_an_unlinked_company_account_is_refused_in_both_languages(linked, lang, words):
    before = snapshot(linked)
    at = _signed_in_at_provider(_app(lang), "stranger@example.com").run()
    assert not at.exception
    assert "auth.user" not in at.session_state
    [error] = [e.value for e in at.error]
    assert words in error  # the address as inline code: text, never a mailto link
    assert at.button(key="login.company_sign_out")  # to try another company account
    assert snapshot(linked) == before


@pytest.mark.parametrize(
    ("identity", "shown"),
    [
        ("a@example.com", "` a@example.com `"),
        ("odd`name", "`` odd`name ``"),
        ("<b>x</b>", "` <b>x</b> `"),
        (None, ""),
    ],
)
def test_a_company_account_is_shown_as_code(identity, shown):
    assert text.account(identity) == shown


def test_a_disabled_user_is_refused(linked):
    from repurchase.accounts import users

    users.disable(linked, "li.na", by=auth.SYSTEM)
    at = _signed_in_at_provider(_app(), EMAIL).run()
    assert "auth.user" not in at.session_state
    assert [e.value for e in at.error][0].startswith("Your user in this app")


def test_signing_out_leaves_the_app_and_the_identity_provider(linked):
    at = _signed_in_at_provider(_app(), EMAIL).run()
    token = at.session_state["auth.session"].token
    at.sidebar.button(key="nav.sign_out").click().run()
    assert not at.exception
    assert sessions.resume(linked, token) is None  # the app session ended
    assert at.user.get("is_logged_in") is False  # st.logout ran: out of the provider too


def test_the_users_page_links_a_company_account(linked):
    at = _app().run()
    at.text_input(key="login.username").input("admin")
    at.text_input(key="login.password").input(auth.DEMO_PASSWORD)
    at.button(key="FormSubmitter:login.form-Sign in").click().run()
    at.switch_page("pages/users.py").run()
    assert not at.exception
    # the users table (the page's E-mail block below it has tables of its own)
    [table] = [d for d in at.dataframe if "Company account" in d.value.columns]
    assert EMAIL in table.value["Company account"].tolist()
    at.selectbox(key="users.pick").select("rep").run()
    at.text_input(key="users.external.rep").input("Rep@Example.com")
    at.button(key="FormSubmitter:users.external_form-Save company account").click().run()
    assert not at.exception
    assert "now signs in with the company account ` rep@example.com `" in at.success[0].value
    with linked.connect() as cur:
        stored = cur.execute("select external_id from users where username = 'rep'").fetchone()
    assert stored == ("rep@example.com",)


def test_an_incomplete_auth_section_is_named_when_the_button_is_clicked(app_warehouse):
    # st.login validates Streamlit's own secrets (none here): its message says what is missing
    at = _app().run()
    at.button(key="login.company").click().run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith("Company sign-in is misconfigured (.streamlit/secrets.toml):")


def test_a_misspelt_company_sign_in_setting_is_named_on_the_sign_in_page(app_warehouse):
    at = _app(match_clam="sub").run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert "no setting 'match\\_clam'" in error
    assert at.text_input(key="login.password")  # the password form still works
