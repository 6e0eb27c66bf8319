"""The request's caller: one SELECT into plain values, and every guarantee of the session kept."""

import uuid
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import update

from tests.conftest import TEST_PASSWORD
from tests.support.factories import reflection
from tests.support.sql import recorded_statements

REQUIRED = ("teamleider", "beheerder", "beleidsmedewerker")  # production's MFA_REQUIRED_ROLES


@pytest.fixture
def statements(app):
    return lambda: recorded_statements(app)


def _selects(seen: list[str]) -> list[str]:
    return [s for s in seen if s.startswith("select") and "from" in s]


def _policy_member(app) -> uuid.UUID:
    """A beleidsmedewerker: an organisation role, no team."""
    from server.auth.passwords import hash_password
    from server.extensions import db
    from server.models import Organisation, OrganisationMembership, User

    with app.app_context():
        organisation = Organisation(name="Gemeente Test")
        user = User(
            email=f"beleid-{uuid.uuid4().hex[:6]}@gemeente.nl",
            display_name="Bram",
            password_hash=hash_password(TEST_PASSWORD),
        )
        db.session.add_all([organisation, user])
        db.session.flush()
        db.session.add(
            OrganisationMembership(user_id=user.id, organisation_id=organisation.id, role="beleidsmedewerker")
        )
        db.session.commit()
        return user.id


def test_a_write_loads_its_caller_with_one_select_when_roles_need_a_second_factor(
    app, team_setup, statements, monkeypatch
):
    """With production's roles that need a second factor, a medewerker's check also reads their
    organisation roles: the ORM lookup lazy-loaded them in a second SELECT, the Core lookup joins them."""
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", REQUIRED)
    alice = team_setup["client"]["alice"]
    alice.post("/api/v1/reflections", json=reflection())  # warm: the session is not touched again
    with statements() as seen:
        response = alice.post("/api/v1/reflections", json=reflection())
    assert response.status_code == 201, response.get_json()
    selects = _selects(seen)
    assert len(selects) == 1 and "from auth_sessions" in selects[0], seen
    assert sorted(s.split("(")[0] for s in seen if s.startswith("insert")) == [
        "insert into outbox_events ",
        "insert into reflections ",
    ], seen


@pytest.mark.parametrize("who", ["alice", "lead", "policy"])
def test_get_me_is_one_select_for_staff_and_for_a_beleidsmedewerker(
    app, team_setup, login, statements, monkeypatch, who
):
    """GET /me answers from the caller alone: teams with names, organisations with names."""
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", ())
    client = login(_policy_member(app)) if who == "policy" else team_setup["client"][who]
    client.get("/api/v1/me")  # warm
    with statements() as seen:
        body = client.get("/api/v1/me").get_json()
    assert len(_selects(seen)) == 1 and seen == _selects(seen), seen
    if who == "policy":
        assert [o["name"] for o in body["organisations"]] == ["Gemeente Test"] and body["teams"] == []
    else:
        assert [t["name"] for t in body["teams"]] == ["Wijkteam Test"] and body["organisations"] == []
        assert body["teams"][0]["role"] == ("teamleider" if who == "lead" else "medewerker")


def test_the_first_team_is_the_oldest_membership(app, team_setup, make_team, login):
    """Views that default to "the first team" (themes, portfolio, overview) get the same one every time."""
    from server.extensions import db
    from server.models import Membership, utcnow

    later = make_team("Later team")
    with app.app_context():
        db.session.add(
            Membership(
                user_id=team_setup["alice"],
                team_id=later,
                role="medewerker",
                created_at=utcnow() + timedelta(days=1),
            )
        )
        db.session.commit()
    alice = login(team_setup["alice"])
    for _ in range(3):
        assert [t["name"] for t in alice.get("/api/v1/me").get_json()["teams"]] == [
            "Wijkteam Test",
            "Later team",
        ]


def _session_rows(app, user_id):
    from sqlalchemy import select

    from server.extensions import db
    from server.models import AuthSession

    with app.app_context():
        return db.session.scalars(select(AuthSession).where(AuthSession.user_id == user_id)).all()


def test_a_revoked_session_is_refused_on_the_next_request(app, team_setup, login):
    from sqlalchemy import delete

    from server.extensions import db
    from server.models import AuthSession

    alice = team_setup["client"]["alice"]
    assert alice.get("/api/v1/me").status_code == 200
    with app.app_context():
        db.session.execute(delete(AuthSession).where(AuthSession.user_id == team_setup["alice"]))
        db.session.commit()
    assert alice.get("/api/v1/me").status_code == 401
    assert alice.post("/api/v1/reflections", json=reflection()).status_code == 401


def test_an_expired_session_and_a_deactivated_user_are_refused_at_once(app, team_setup):
    from server.extensions import db
    from server.models import AuthSession, User, utcnow

    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    with app.app_context():
        db.session.execute(
            update(AuthSession)
            .where(AuthSession.user_id == team_setup["alice"])
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.execute(update(User).where(User.id == team_setup["bob"]).values(active=False))
        db.session.commit()
    assert alice.get("/api/v1/me").status_code == 401
    assert bob.get("/api/v1/me").status_code == 401


def test_the_sliding_expiry_is_written_after_five_minutes_and_not_before(app, team_setup):
    from server.extensions import db
    from server.models import AuthSession, User, utcnow

    alice = team_setup["client"]["alice"]
    ten_minutes_ago = utcnow() - timedelta(minutes=10)
    with app.app_context():
        db.session.execute(
            update(AuthSession)
            .where(AuthSession.user_id == team_setup["alice"])
            .values(last_seen_at=ten_minutes_ago, expires_at=utcnow() + timedelta(hours=1))
        )
        db.session.execute(
            update(User).where(User.id == team_setup["alice"]).values(last_seen_at=ten_minutes_ago)
        )
        db.session.commit()
    assert alice.get("/api/v1/me").status_code == 200
    (row,) = _session_rows(app, team_setup["alice"])
    assert row.last_seen_at > ten_minutes_ago + timedelta(minutes=9)
    assert row.expires_at > utcnow() + timedelta(days=app.config["SESSION_DAYS"] - 1)
    with app.app_context():
        assert db.session.get(User, team_setup["alice"]).last_seen_at == row.last_seen_at
    touched = row.last_seen_at
    assert alice.get("/api/v1/me").status_code == 200
    assert _session_rows(app, team_setup["alice"])[0].last_seen_at == touched  # within five minutes: no write


def test_views_that_change_the_account_persist(app, team_setup, login, anonymous):
    from server.extensions import db
    from server.models import User

    alice = team_setup["client"]["alice"]
    patched = alice.patch(
        "/api/v1/me",
        json={"display_name": "Alice B.", "language": "en", "preferences": {"quiet_start": "19:00"}},
    )
    assert patched.status_code == 200, patched.get_json()
    me = alice.get("/api/v1/me").get_json()
    assert (me["user"]["display_name"], me["language"], me["preferences"]["quiet_start"]) == (
        "Alice B.",
        "en",
        "19:00",
    )

    other_device = login(team_setup["alice"])
    changed = alice.post(
        "/api/v1/me/password",
        json={"current_password": TEST_PASSWORD, "new_password": "een-heel-nieuw-wachtwoord-42"},
    )
    assert changed.status_code == 204, changed.get_json()
    assert alice.get("/api/v1/me").status_code == 200  # this session stays
    assert other_device.get("/api/v1/me").status_code == 401  # every other one is revoked
    with app.app_context():
        email = db.session.get(User, team_setup["alice"]).email
    assert (
        anonymous.post(
            "/api/v1/auth/login", json={"email": email, "password": "een-heel-nieuw-wachtwoord-42"}
        ).status_code
        == 200
    )


def test_enrolling_a_second_factor_persists_and_passes_the_session(app, team_setup):
    alice = team_setup["client"]["alice"]
    secret = alice.post("/api/v1/me/mfa/setup").get_json()["secret"]
    enabled = alice.post("/api/v1/me/mfa/enable", json={"code": pyotp.TOTP(secret).now()})
    assert enabled.status_code == 200, enabled.get_json()
    me = alice.get("/api/v1/me")  # the session's second factor counts as passed: no 403
    assert me.status_code == 200 and me.get_json()["mfa_enabled"] is True


def test_the_caller_is_immutable(app, team_setup):
    """Plain values: a view cannot change the account by accident through g.user."""
    import dataclasses

    from flask import g

    from server.auth.sessions import cookie_name, load_session

    with app.app_context():
        name = cookie_name()
    token = team_setup["client"]["alice"].http.get_cookie(name).value
    with app.test_request_context("/api/v1/me", headers={"Cookie": f"{name}={token}"}):
        load_session()
        assert g.user.id == team_setup["alice"] and g.user.role_in(team_setup["team"]) == "medewerker"
        with pytest.raises(dataclasses.FrozenInstanceError):
            g.user.display_name = "x"
