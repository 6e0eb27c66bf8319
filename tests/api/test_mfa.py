"""Second factor (TOTP, recovery codes) as production enforces it for teamleiders and beheerders."""

import re
import uuid

import pyotp
import pytest

from tests.conftest import TEST_PASSWORD, ApiClient

BASE = "https://leerlus.test"
# Reachable while a second factor is still owed: logging it in, enrolling it, or leaving.
ENROLMENT = {
    "/api/v1/auth/mfa",
    "/api/v1/me/mfa/setup",
    "/api/v1/me/mfa/enable",
    "/api/v1/auth/logout",
    "/api/v1/auth/sso/logout",
}
PUBLIC = {
    "/api/v1/auth/login",
    "/api/v1/openapi.json",
    "/api/v1/push/vapid-public-key",
    "/api/v1/auth/password-reset",
    "/api/v1/auth/password-reset/<string:token>",
    "/api/v1/invitations/<string:token>/accept",
    "/api/v1/organisation-invitations/<string:token>",
    "/api/v1/auth/sso",
    "/api/v1/auth/sso/<name>/login",
    "/api/v1/auth/sso/<name>/callback",
}


class HttpsClient(ApiClient):
    """The production cookie is Secure with the __Host- prefix: it only travels over HTTPS."""

    def _call(self, method, path, json=None, **kwargs):
        kwargs.setdefault("base_url", BASE)
        return super()._call(method, path, json=json, **kwargs)


def production_app():
    """The app as LEERLUS_ENV=production builds it, on the test database (the `app` fixture's)."""
    from server import create_app

    return create_app(
        {"TESTING": True, "LEERLUS_ENV": "production", "SECRET_KEY": "s", "PUBLIC_BASE_URL": BASE}
    )


@pytest.fixture(scope="module")
def production(app):
    return production_app()


def login(production, user_id, ip="127.0.2.1") -> tuple[HttpsClient, dict]:
    from server.extensions import db
    from server.models import User

    with production.app_context():
        email = db.session.get(User, user_id).email
    http = production.test_client()
    http.environ_base["REMOTE_ADDR"] = ip
    client = HttpsClient(http)
    response = client.post("/api/v1/auth/login", json={"email": email, "password": TEST_PASSWORD})
    assert response.status_code == 200, response.get_json()
    client.csrf = response.get_json()["csrf_token"]
    return client, response.get_json()


def sample_path(rule) -> str:
    """The rule with made-up values (any id will do: the request must stop before the lookup)."""
    path = rule.rule
    for name in rule.arguments:
        value = "2026-W01" if name == "iso_week" else str(uuid.uuid4())
        path = re.sub(rf"<(\w+:)?{name}>", value, path)
    return path


def test_production_lead_without_a_second_factor_can_only_enrol(production, make_team, make_user):
    team = make_team()
    lead = make_user(team, "teamleider")
    client, body = login(production, lead)
    assert body["mfa_required_by_role"] is True and body["mfa_enabled"] is False

    held = []
    for rule in production.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.rule in ENROLMENT | PUBLIC:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client._call(method, sample_path(rule), json={} if method != "GET" else None)
            problem = response.get_json(silent=True) or {}
            # A write may fail its body validation first (422); nothing may get through to the data.
            if not (
                response.status_code == 403
                and problem.get("type") == "/problems/mfa-required"
                or method != "GET"
                and response.status_code == 422
            ):
                held.append(f"{method} {rule.rule}: {response.status_code} {problem.get('type')}")
    assert not held, "reachable without the second factor:\n" + "\n".join(held)
    assert client.get(f"/api/v1/teams/{team}").get_json()["type"] == "/problems/mfa-required"

    secret = client.post("/api/v1/me/mfa/setup").get_json()["secret"]
    enabled = client.post("/api/v1/me/mfa/enable", json={"code": pyotp.TOTP(secret).now()})
    assert enabled.status_code == 200 and len(enabled.get_json()["recovery_codes"]) == 10
    assert client.get(f"/api/v1/teams/{team}").status_code == 200


def test_production_medewerker_needs_no_second_factor(production, make_team, make_user):
    client, body = login(production, make_user(make_team(), "medewerker"))
    assert body["mfa_required_by_role"] is False
    assert client.get("/api/v1/me").status_code == 200


def test_enrolled_user_gets_mfa_required_at_login_and_access_only_after_a_valid_code(
    production, make_team, make_user
):
    team = make_team()
    secret = pyotp.random_base32()
    lead = make_user(team, "teamleider", mfa_enabled=True, totp_secret=secret)
    client, body = login(production, lead)
    assert body == {"mfa_required": True, "csrf_token": client.csrf}, (
        "nothing about the account before the code"
    )
    from server.schemas.accounts import LoginOut

    assert LoginOut().validate(body) == {}, "the OpenAPI document's login response describes this body"
    assert client.get("/api/v1/me").get_json()["type"] == "/problems/mfa-required"
    assert client.post("/api/v1/auth/mfa", json={"code": "0000000"}).status_code == 401
    assert client.get(f"/api/v1/teams/{team}").status_code == 403
    confirmed = client.post("/api/v1/auth/mfa", json={"code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 200 and confirmed.get_json()["user"]["id"] == str(lead)
    assert client.get(f"/api/v1/teams/{team}").status_code == 200


def test_recovery_codes_work_once(production, make_team, make_user):
    lead = make_user(make_team(), "beheerder")
    client, _ = login(production, lead)
    secret = client.post("/api/v1/me/mfa/setup").get_json()["secret"]
    codes = client.post("/api/v1/me/mfa/enable", json={"code": pyotp.TOTP(secret).now()}).get_json()[
        "recovery_codes"
    ]
    assert client.post("/api/v1/auth/logout").status_code == 204

    again, _ = login(production, lead, ip="127.0.2.2")
    assert again.post("/api/v1/auth/mfa", json={"code": codes[0]}).status_code == 200
    assert again.get("/api/v1/me").status_code == 200
    third, _ = login(production, lead, ip="127.0.2.3")
    assert third.post("/api/v1/auth/mfa", json={"code": codes[0]}).status_code == 401
    assert third.post("/api/v1/auth/mfa", json={"code": codes[1]}).status_code == 200


def test_wrong_codes_are_rate_limited_with_retry_after(production, make_team, make_user):
    secret = pyotp.random_base32()
    lead = make_user(make_team(), "teamleider", mfa_enabled=True, totp_secret=secret)
    client, _ = login(production, lead)
    wrong = [client.post("/api/v1/auth/mfa", json={"code": f"{n:07d}"}).status_code for n in range(5)]
    assert wrong == [401] * 5
    # The account now waits, even for the right code, so 10^6 codes cannot be tried.
    locked = client.post("/api/v1/auth/mfa", json={"code": pyotp.TOTP(secret).now()})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert client.get("/api/v1/me").status_code == 403


def test_a_code_that_was_used_once_cannot_be_replayed(production, make_team, make_user):
    team = make_team()
    secret = pyotp.random_base32()
    lead = make_user(team, "teamleider", mfa_enabled=True, totp_secret=secret)
    first, _ = login(production, lead)
    code = pyotp.TOTP(secret).now()
    assert first.post("/api/v1/auth/mfa", json={"code": code}).status_code == 200
    # Someone who saw the code over a shoulder tries it in the same 30 seconds.
    second, _ = login(production, lead, ip="127.0.2.9")
    assert second.post("/api/v1/auth/mfa", json={"code": code}).status_code == 401
    assert second.get(f"/api/v1/teams/{team}").status_code == 403


def test_a_code_with_strange_characters_is_a_422_not_a_500(production, make_team, make_user):
    lead = make_user(make_team(), "beheerder")
    client, _ = login(production, lead)
    client.post("/api/v1/me/mfa/setup")
    # A lone surrogate can only travel as a JSON escape, as schemathesis sent it.
    for body in ('{"code": "12345\\udc00"}', '{"code": "１２３４５６"}', '{"code": "12 34 56<script>"}'):
        response = client.post("/api/v1/me/mfa/enable", data=body, content_type="application/json")
        assert response.status_code == 422, body
