"""Attacks on accounts (issue #15, items 2, 6, 7): the second factor through enrolment, old reset
links after a new password, and bearer tokens in log lines."""

import pyotp
from sqlalchemy import select

from server.redact import redact
from tests.api.test_mfa import login as production_login
from tests.api.test_mfa import production  # noqa: F401 - the fixture
from tests.conftest import TEST_PASSWORD, ApiClient

NEW_PASSWORD = "nieuwe zin voor de wijk"


def test_enrolment_is_no_side_door_around_a_second_factor(production, make_team, make_user):  # noqa: F811
    """A password-only session of an account with a factor guesses codes at /me/mfa/enable."""
    secret = pyotp.random_base32()
    lead = make_user(make_team(), "teamleider", mfa_enabled=True, totp_secret=secret)
    client, _ = production_login(production, lead)
    right = pyotp.TOTP(secret).now()
    # Even the right code does not enrol again (that would pass the factor and replace the recovery codes).
    assert client.post("/api/v1/me/mfa/enable", json={"code": right}).status_code == 409
    assert client.post("/api/v1/me/mfa/setup").status_code == 409
    assert client.get("/api/v1/me").status_code == 403


def test_wrong_enrolment_codes_share_the_second_factors_lock(production, make_team, make_user):  # noqa: F811
    lead = make_user(make_team(), "beheerder")
    client, _ = production_login(production, lead)
    secret = client.post("/api/v1/me/mfa/setup").get_json()["secret"]
    wrong = [client.post("/api/v1/me/mfa/enable", json={"code": f"{n:06d}"}) for n in range(5)]
    assert [r.status_code for r in wrong] == [422] * 5
    # Locked now: the right code waits too, at enrolment and at /auth/mfa alike.
    locked = client.post("/api/v1/me/mfa/enable", json={"code": pyotp.TOTP(secret).now()})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert client.post("/api/v1/auth/mfa", json={"code": pyotp.TOTP(secret).now()}).status_code == 429
    assert client.get("/api/v1/me").status_code == 403


def test_enrolment_is_rate_limited_per_address(production, make_team, make_user):  # noqa: F811
    from server.ratelimits import LOGIN_LIMIT

    lead = make_user(make_team(), "beheerder")
    client, _ = production_login(production, lead, ip="127.0.4.1")
    client.post("/api/v1/me/mfa/setup")
    statuses = [
        client.post("/api/v1/me/mfa/enable", json={"code": "12345x"}).status_code
        for _ in range(int(LOGIN_LIMIT.split()[0]))
    ]
    assert statuses[-1] == 429 and 422 in statuses


def _reset_tokens(app, user_id) -> list[str]:
    from server.auth.links import link_token
    from server.extensions import db
    from server.models import PasswordReset

    with app.app_context():
        rows = db.session.scalars(
            select(PasswordReset).where(PasswordReset.user_id == user_id).order_by(PasswordReset.created_at)
        ).all()
        return [link_token("reset", row.id) for row in rows]


def _email(app, user_id) -> str:
    from server.extensions import db
    from server.models import User

    with app.app_context():
        return db.session.get(User, user_id).email


def test_a_reset_ends_older_reset_links_and_other_sessions(app, anonymous, make_team, make_user, login):
    user = make_user(make_team())
    other_device = login(user)
    for _ in range(2):
        assert (
            anonymous.post("/api/v1/auth/password-reset", json={"email": _email(app, user)}).status_code
            == 202
        )
    older, newer = _reset_tokens(app, user)
    assert (
        anonymous.post(f"/api/v1/auth/password-reset/{newer}", json={"password": NEW_PASSWORD}).status_code
        == 204
    )
    # The older mail, still in a mailbox someone else can read, no longer works.
    assert (
        anonymous.post(
            f"/api/v1/auth/password-reset/{older}", json={"password": "van de aanvaller 1"}
        ).status_code
        == 404
    )
    assert other_device.get("/api/v1/me").status_code == 401
    fresh = ApiClient(app.test_client())
    assert (
        fresh.post(
            "/api/v1/auth/login", json={"email": _email(app, user), "password": NEW_PASSWORD}
        ).status_code
        == 200
    )


def test_changing_the_password_ends_open_reset_links(app, anonymous, make_team, make_user, login):
    user = make_user(make_team())
    me, other_device = login(user), login(user)
    assert anonymous.post("/api/v1/auth/password-reset", json={"email": _email(app, user)}).status_code == 202
    [pending] = _reset_tokens(app, user)
    changed = me.post(
        "/api/v1/me/password", json={"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert changed.status_code == 204
    assert (
        anonymous.post(
            f"/api/v1/auth/password-reset/{pending}", json={"password": "van de aanvaller 1"}
        ).status_code
        == 404
    )
    assert other_device.get("/api/v1/me").status_code == 401
    assert me.get("/api/v1/me").status_code == 200


TOKEN = "Zk3q9-very-secret-token_abc"


def test_every_token_path_is_redacted(app):
    """Every route with a token in its path, now and later: its token never reaches a log line."""
    token_rules = [rule for rule in app.url_map.iter_rules() if "token" in rule.arguments]
    assert len(token_rules) >= 4  # /f/ GET and POST, password reset, invitation
    for rule in token_rules:
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<string:{name}>", TOKEN).replace(f"<{name}>", TOKEN)
        line = f'127.0.0.1 "POST {path}?x=1 HTTP/1.1" 204 0 https://leerlus.test{path}'
        assert TOKEN not in redact(line), rule.rule
        assert "[token]" in redact(line)
