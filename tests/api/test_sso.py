"""Single sign-on against a real OpenID Provider (npm oidc-provider, OpenID Certified) started here.

The IdP's pages are driven with requests (its login form); Leerlus is the Flask test client, so the
browser's redirects between the two are followed by hand. The IdP can be told to put different
claims in its next ID token, re-signed with its own key: a wrong audience or an expiry in the past
then fails on exactly that check, not on a signature.
"""

import contextlib
import json
import logging
import os
import re
import subprocess
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from sqlalchemy import func, select

from server.embedded import stop, wait_until

OIDC_DIR = Path(__file__).resolve().parents[1] / "oidc"
BASE = "http://leerlus.test"
ACCOUNTS = {
    "invited": {"email": "Nieuw.Collega@Gemeente.test", "email_verified": True, "name": "Nieuwe Collega"},
    "existing": {"email": "bestaand@gemeente.test", "email_verified": True, "name": "Bestaand"},
    "lead": {"email": "lead@gemeente.test", "email_verified": True, "name": "Lead"},
    "unverified": {"email": "bestaand@gemeente.test", "email_verified": False},
    "stranger": {"email": "onbekend@gemeente.test", "email_verified": True},
    "grouped": {
        "email": "groep@gemeente.test",
        "email_verified": True,
        "groups": ["wijkteam-oost", "iets-anders"],
    },
}

pytestmark = pytest.mark.skipif(
    not (OIDC_DIR / "node_modules" / "oidc-provider").exists(),
    reason="npm ci in tests/oidc first (.ci/run does)",
)


@contextlib.contextmanager
def start_idp(folder: Path, redirect_uri: str, post_logout_uri: str):
    """The OpenID Provider on a port it picks itself, for one client redirecting to `redirect_uri`;
    yields its issuer."""
    log_path = folder / "idp.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        ["node", "provider.mjs"],
        cwd=OIDC_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "ACCOUNTS": json.dumps(ACCOUNTS),
            "REDIRECT_URI": redirect_uri,
            "POST_LOGOUT_URI": post_logout_uri,
        },
    )
    try:
        port = wait_until(lambda: _ready_port(log_path), 30, 0.2, "the OpenID Provider")
        issuer = f"http://127.0.0.1:{port}"
        assert _answers(f"{issuer}/.well-known/openid-configuration")
        yield issuer
    finally:
        stop(process)
        log.close()


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    with start_idp(
        tmp_path_factory.mktemp("idp"), f"{BASE}/api/v1/auth/sso/werk/callback", f"{BASE}/app/"
    ) as issuer:
        yield issuer


def _ready_port(log_path: Path) -> int | None:
    found = re.search(r"^ready (\d+)$", log_path.read_text(), re.MULTILINE)
    return int(found.group(1)) if found else None


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.ConnectionError:
        return False


@pytest.fixture
def sso_app(app, idp, make_team):
    """The app as an installation with one IdP configured (the same database as every test)."""
    from server import create_app

    team = make_team("Wijkteam Oost")
    provider = {
        "name": "werk",
        "issuer": idp,
        "client_id": "leerlus",
        "client_secret": "leerlus-test-secret",
        "scopes": "openid email profile groups",
        "mfa_amr": ["mfa", "hwk"],
        "group_teams": {"wijkteam-oost": {"team_id": str(team), "role": "medewerker"}},
    }
    sso = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "PUBLIC_BASE_URL": BASE,
            "OIDC_PROVIDERS": json.dumps([provider]),
            "MFA_REQUIRED_ROLES": ("teamleider",),
            "OIDC_CLOCK_SKEW_SECONDS": 30,
        }
    )
    sso.team_oost = team
    return sso


def next_id_token(idp: str, **claims) -> None:
    assert (
        requests.get(f"{idp}/__test__/next-id-token", params={"claims": json.dumps(claims)}).status_code
        == 204
    )


def start(client) -> str:
    """Leerlus's login: answers a redirect to the IdP's authorize endpoint with PKCE, state and nonce."""
    answer = client.get("/api/v1/auth/sso/werk/login")
    assert answer.status_code == 302
    location = answer.headers["Location"]
    query = urlsplit(location).query
    for part in ("code_challenge_method=S256", "code_challenge=", "state=", "nonce=", "client_id=leerlus"):
        assert part in query, part
    return location


def at_idp(authorize_url: str, account: str) -> str:
    """A person at the IdP: logs in as `account`; returns where the IdP sends the browser back to."""
    browser = requests.Session()
    page = browser.get(authorize_url)
    assert page.status_code == 200 and 'name="login"' in page.text, page.text[:300]
    action = re.search(r'<form[^>]*action="([^"]+)"', page.text).group(1)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    answer = browser.post(
        urljoin(page.url, action),
        data=hidden | {"login": account, "password": "wat-dan-ook"},
        allow_redirects=False,
    )
    for _ in range(10):
        location = urljoin(answer.url, answer.headers["Location"])
        if location.startswith(BASE):
            return location.removeprefix(BASE)
        answer = browser.get(location, allow_redirects=False)
    raise AssertionError("the IdP never sent the browser back")


def sso_login(sso_app, account: str):
    client = sso_app.test_client()
    callback = at_idp(start(client), account)
    return client, callback, client.get(callback)


def refused(answer, code: str) -> bool:
    return (
        answer.status_code == 302
        and answer.headers["Location"] == f"/app/#/login?sso={code}"
        and ("leerlus_session=" not in answer.headers.get("Set-Cookie", ""))
    )


def user_count(app) -> int:
    from server.extensions import db
    from server.models import User

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_happy_path_invitation_becomes_account_and_session(sso_app, make_user, team_setup, caplog):
    from server.extensions import db
    from server.models import AuthSession, Invitation, User, utcnow

    with sso_app.app_context():
        db.session.add(
            Invitation(
                team_id=team_setup["team"],
                email="nieuw.collega@gemeente.test",
                role="medewerker",
                token_hash=uuid.uuid4().hex,
                expires_at=utcnow() + timedelta(days=7),
            )
        )
        db.session.commit()
    client, _, answer = sso_login(sso_app, "invited")
    assert answer.status_code == 302 and answer.headers["Location"] == "/app/"
    me = client.get("/api/v1/me")
    assert me.status_code == 200, me.get_json()
    assert me.get_json()["user"]["email"] == "nieuw.collega@gemeente.test"
    with sso_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "nieuw.collega@gemeente.test"))
        assert user.password_hash is None and user.display_name == "Nieuwe Collega"
        assert user.role_in(team_setup["team"]) == "medewerker"
        assert db.session.scalar(select(Invitation)).accepted_at is not None
        assert (
            db.session.scalar(select(AuthSession).where(AuthSession.user_id == user.id)).sso_provider
            == "werk"
        )


def test_existing_user_is_matched_by_verified_email(sso_app, make_user, team_setup):
    make_user(team_setup["team"], email="bestaand@gemeente.test")
    before = user_count(sso_app)
    client, _, answer = sso_login(sso_app, "existing")
    assert answer.headers["Location"] == "/app/"
    assert client.get("/api/v1/me").get_json()["user"]["email"] == "bestaand@gemeente.test"
    assert user_count(sso_app) == before


def test_replayed_state_is_refused(sso_app, make_user, team_setup, caplog):
    make_user(team_setup["team"], email="bestaand@gemeente.test")
    client, callback, first = sso_login(sso_app, "existing")
    assert first.headers["Location"] == "/app/"
    with caplog.at_level(logging.WARNING, logger="server.api.sso"):
        again = client.get(callback)
    assert refused(again, "mislukt")
    assert "MismatchingStateError" in caplog.text
    # Another browser replaying the callback has no state at all.
    assert refused(sso_app.test_client().get(callback), "mislukt")


@pytest.mark.parametrize(
    "claims, error",
    [
        ({"nonce": "een-andere-nonce"}, "InvalidClaimError: Invalid claim: 'nonce'"),
        ({"iss": "https://nep-idp.example"}, "InvalidClaimError: Invalid claim: 'iss'"),
        (
            {"iat": int(time.time()) + 3600},
            "InvalidClaimError: The token was issued in the future",
        ),  # from the future, beyond the skew
        ({"aud": "een-andere-app"}, "InvalidClaimError: Invalid claim: 'aud'"),
        # azp naming us is not enough when the audience does not
        ({"aud": ["een-andere-app", "nog-een"], "azp": "leerlus"}, "InvalidClaimError: Invalid claim: 'aud'"),
    ],
)
def test_wrong_audience_issuer_nonce_or_time_is_refused(
    claims, error, sso_app, idp, make_user, team_setup, caplog
):
    make_user(team_setup["team"], email="bestaand@gemeente.test")
    client = sso_app.test_client()
    callback = at_idp(start(client), "existing")
    next_id_token(idp, **claims)
    with caplog.at_level(logging.WARNING, logger="server.api.sso"):
        answer = client.get(callback)
    assert refused(answer, "mislukt")
    assert error in caplog.text
    assert client.get("/api/v1/me").status_code == 401


def test_expired_id_token_is_refused_beyond_the_clock_skew(sso_app, idp, make_user, team_setup, caplog):
    make_user(team_setup["team"], email="bestaand@gemeente.test")
    client = sso_app.test_client()
    callback = at_idp(start(client), "existing")
    now = int(time.time())
    # Expired 31 s ago: one second past the 30 s of clock skew this installation allows.
    next_id_token(idp, iat=now - 331, exp=now - 31)
    with caplog.at_level(logging.WARNING, logger="server.api.sso"):
        answer = client.get(callback)
    assert refused(answer, "mislukt")
    assert "ExpiredTokenError" in caplog.text


def test_unverified_email_is_refused_even_for_a_known_address(sso_app, make_user, team_setup):
    make_user(team_setup["team"], email="bestaand@gemeente.test")
    client, _, answer = sso_login(sso_app, "unverified")
    assert refused(answer, "email-niet-bevestigd")
    assert client.get("/api/v1/me").status_code == 401


def test_no_invitation_no_account(sso_app, team_setup):
    before = user_count(sso_app)
    _, _, answer = sso_login(sso_app, "stranger")
    assert refused(answer, "geen-uitnodiging")
    assert user_count(sso_app) == before


def test_a_mapped_group_makes_an_account_in_its_team(sso_app):
    from server.extensions import db
    from server.models import User

    client, _, answer = sso_login(sso_app, "grouped")
    assert answer.headers["Location"] == "/app/"
    with sso_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "groep@gemeente.test"))
        assert [(m.team_id, m.role) for m in user.memberships] == [(sso_app.team_oost, "medewerker")]


def test_idp_mfa_stands_in_for_totp_only_when_it_says_so(sso_app, idp, make_user, team_setup):
    make_user(team_setup["team"], "teamleider", email="lead@gemeente.test")
    teams = f"/api/v1/teams/{team_setup['team']}/members"
    client, _, answer = sso_login(sso_app, "lead")
    assert answer.headers["Location"] == "/app/"
    held = client.get(teams)
    assert held.status_code == 403 and held.get_json()["type"].endswith("/problems/mfa-required")

    client = sso_app.test_client()
    callback = at_idp(start(client), "lead")
    next_id_token(idp, amr=["pwd", "mfa"])
    assert client.get(callback).headers["Location"] == "/app/"
    assert client.get(teams).status_code == 200


def test_local_passwords_can_be_switched_off(sso_app, make_user, team_setup, monkeypatch):
    from tests.conftest import TEST_PASSWORD

    monkeypatch.setitem(sso_app.config, "LOCAL_PASSWORDS", False)
    email = "bestaand@gemeente.test"
    make_user(team_setup["team"], email=email)
    client = sso_app.test_client()
    answer = client.post("/api/v1/auth/login", json={"email": email, "password": TEST_PASSWORD})
    assert answer.status_code == 403 and answer.get_json()["type"].endswith("/problems/sso-only")
    assert client.post("/api/v1/auth/password-reset", json={"email": email}).status_code == 403
    offered = client.get("/api/v1/auth/sso").get_json()
    assert offered["local_passwords"] is False
    assert offered["providers"] == [
        {"name": "werk", "label": "Inloggen met je werkaccount", "login_url": "/api/v1/auth/sso/werk/login"}
    ]


def test_logout_ends_the_session_and_offers_the_idps_logout(sso_app, idp, make_user, team_setup):
    make_user(team_setup["team"], email="bestaand@gemeente.test")
    client, _, _ = sso_login(sso_app, "existing")
    csrf = client.get("/api/v1/me").get_json()["csrf_token"]
    answer = client.post("/api/v1/auth/sso/logout", headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 200
    url = answer.get_json()["logout_url"]
    assert url.startswith(f"{idp}/session/end?") and "client_id=leerlus" in url
    assert "post_logout_redirect_uri=http%3A%2F%2Fleerlus.test%2Fapp%2F" in url
    assert client.get("/api/v1/me").status_code == 401
    assert requests.get(url).status_code == 200  # the IdP accepts it (asks to confirm its own logout)
