"""Sessions and CSRF (security-tests T4): rotation, revocation, cookie attributes, CSRF on every write,
and no state change through GET."""

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.api.test_mfa import BASE, HttpsClient, production_app
from tests.conftest import TEST_PASSWORD, ApiClient

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_EXEMPT = {"/api/v1/auth/login"}


def email_of(app, user_id) -> str:
    from server.extensions import db
    from server.models import User

    with app.app_context():
        return db.session.get(User, user_id).email


def session_cookie(client, name="leerlus_session", domain="localhost") -> str | None:
    cookie = client.http.get_cookie(name, domain=domain)
    return cookie.value if cookie else None


def with_cookie(app, value, name="leerlus_session") -> ApiClient:
    """A new browser that only has a stolen or remembered cookie value."""
    http = app.test_client()
    http.set_cookie(name, value)
    return ApiClient(http)


def sample_path(rule) -> str:
    path = rule.rule
    for name in rule.arguments:
        value = "2026-W01" if name == "iso_week" else str(uuid.uuid4())
        path = re.sub(rf"<(\w+:)?{name}>", value, path)
    return path


def test_login_rotates_the_session_and_the_old_cookie_dies(app, team_setup):
    alice = team_setup["client"]["alice"]
    before = session_cookie(alice)
    again = alice.post(
        "/api/v1/auth/login", json={"email": email_of(app, team_setup["alice"]), "password": TEST_PASSWORD}
    )
    assert again.status_code == 200
    after = session_cookie(alice)
    assert after and after != before
    assert with_cookie(app, before).get("/api/v1/me").status_code == 401
    assert with_cookie(app, after).get("/api/v1/me").status_code == 200


def test_a_cookie_planted_before_login_is_never_adopted(app, team_setup):
    """Session fixation: the server makes its own id; a value the attacker chose stays worthless."""
    planted = "attacker-chosen-value"
    victim = with_cookie(app, planted)
    assert (
        victim.post(
            "/api/v1/auth/login", json={"email": email_of(app, team_setup["bob"]), "password": TEST_PASSWORD}
        ).status_code
        == 200
    )
    assert session_cookie(victim) != planted
    assert with_cookie(app, planted).get("/api/v1/me").status_code == 401


def test_logout_kills_the_cookie_server_side_and_clears_site_data(app, team_setup):
    alice = team_setup["client"]["alice"]
    remembered = session_cookie(alice)
    response = alice.post("/api/v1/auth/logout")
    assert response.status_code == 204
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert with_cookie(app, remembered).get("/api/v1/me").status_code == 401


def test_password_change_logs_out_every_other_device(app, team_setup, login):
    phone = team_setup["client"]["alice"]
    laptop = login(team_setup["alice"])
    changed = phone.post(
        "/api/v1/me/password",
        json={"current_password": TEST_PASSWORD, "new_password": "een nieuw lang wachtwoord"},
    )
    assert changed.status_code == 204
    assert laptop.get("/api/v1/me").status_code == 401
    assert phone.get("/api/v1/me").status_code == 200


def test_deactivated_user_loses_every_session_and_cannot_log_in(app, team_setup):
    lead, bob = team_setup["client"]["lead"], team_setup["client"]["bob"]
    remembered = session_cookie(bob)
    response = lead.patch(
        f"/api/v1/teams/{team_setup['team']}/members/{team_setup['bob']}", json={"active": False}
    )
    assert response.status_code == 200
    assert bob.get("/api/v1/me").status_code == 401
    assert with_cookie(app, remembered).get("/api/v1/me").status_code == 401
    relogin = bob.post(
        "/api/v1/auth/login", json={"email": email_of(app, team_setup["bob"]), "password": TEST_PASSWORD}
    )
    assert relogin.status_code == 401


def test_an_expired_session_is_401(app, team_setup):
    from server.extensions import db
    from server.models import AuthSession, utcnow

    with app.app_context():
        for row in db.session.scalars(select(AuthSession).where(AuthSession.user_id == team_setup["alice"])):
            row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert team_setup["client"]["alice"].get("/api/v1/me").status_code == 401


def _set_cookie(response) -> tuple[str, str, list[str]]:
    """(name, value, lower-cased attributes) of the one session cookie a login sets."""
    name_value, *attributes = (part.strip() for part in response.headers["Set-Cookie"].split(";"))
    name, value = name_value.split("=", 1)
    return name, value, [attribute.lower() for attribute in attributes]


def test_cookie_attributes_in_development(app, make_team, make_user):
    user = make_user(make_team())
    response = app.test_client().post(
        "/api/v1/auth/login", json={"email": email_of(app, user), "password": TEST_PASSWORD}
    )
    name, _, attributes = _set_cookie(response)
    assert name == "leerlus_session"
    assert {"httponly", "samesite=lax", "path=/"} <= set(attributes) and "secure" not in attributes


def test_cookie_attributes_in_production(app, make_team, make_user):
    user = make_user(make_team())
    production = production_app()
    response = production.test_client().post(
        "/api/v1/auth/login", base_url=BASE, json={"email": email_of(app, user), "password": TEST_PASSWORD}
    )
    name, value, attributes = _set_cookie(response)
    assert name == "__Host-leerlus"
    assert {"secure", "httponly", "samesite=lax", "path=/"} <= set(attributes)
    assert not any(attribute.startswith("domain=") for attribute in attributes), "__Host- forbids Domain"
    client = HttpsClient(production.test_client())
    client.http.set_cookie(name, value, domain="leerlus.test")
    assert client.get("/api/v1/me").status_code == 200


def test_every_state_changing_api_route_refuses_a_missing_or_wrong_csrf_token(app, team_setup):
    alice = team_setup["client"]["alice"]
    token = alice.csrf
    unguarded = []
    writes = [
        (method, rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in sorted(rule.methods & STATE_CHANGING)
        if rule.rule not in CSRF_EXEMPT
    ]
    assert len(writes) > 30
    for method, rule in writes:
        for sent in (None, "wrong-" + token, token[:-1]):
            alice.csrf = sent
            response = alice._call(method, sample_path(rule), json={})
            if response.status_code != 403 or response.get_json()["type"] != "/problems/csrf":
                unguarded.append(f"{method} {rule.rule} with {sent!r}: {response.status_code}")
    alice.csrf = token
    assert not unguarded, "\n".join(unguarded)
    assert alice.get("/api/v1/me").status_code == 200, "refused writes did not end the session"


def test_another_sessions_csrf_token_is_refused(team_setup):
    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    response = alice.patch("/api/v1/me", json={"display_name": "X"}, headers={"X-CSRF-Token": bob.csrf})
    assert response.status_code == 403


def test_cross_site_form_post_is_refused(team_setup):
    """A form on another site can send the Lax cookie on a top-level POST; it cannot send JSON or the header."""
    alice = team_setup["client"]["alice"]
    response = alice.http.post(
        "/api/v1/visits",
        data={"occurred_at": "2026-01-01T10:00:00+01:00"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code in (403, 415)


@pytest.fixture
def snapshot(app):
    from sqlalchemy import text

    from server.extensions import db

    # Reads are audited by design and refresh the session's sliding expiry: those two may change.
    skipped = {"audit_log", "auth_sessions"}

    def take() -> dict:
        with app.app_context():
            return {
                table.name: sorted(map(repr, db.session.execute(text(f"SELECT * FROM {table.name}")).all()))
                for table in db.metadata.sorted_tables
                if table.name not in skipped
            }

    return take


def test_no_get_changes_state(app, team_setup, snapshot):
    """Every GET route, with real ids of the caller's objects, leaves the data as it was."""
    alice, lead = team_setup["client"]["alice"], team_setup["client"]["lead"]
    visit = alice.post(
        "/api/v1/visits", json={"client_id": str(uuid.uuid4()), "occurred_at": "2026-01-05T10:00:00+01:00"}
    ).get_json()["id"]
    token = alice.post(f"/api/v1/visits/{visit}/feedback-link", json={}).get_json()["token"]
    ids = {
        "visit_id": visit,
        "token": token,
        "team_id": str(team_setup["team"]),
        "iso_week": "2026-W01",
        "filename": "manifest.webmanifest",
    }
    before = snapshot()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<(\w+:)?{name}>", ids.get(name, str(uuid.uuid4())), path)
        for client in (alice, lead):
            assert client.get(path).status_code < 500, path
    assert snapshot() == before
