"""The beheerder's console (issue #18): accounts across teams, the audit log viewer, retention bounds."""

import uuid
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from tests.conftest import TEST_PASSWORD


@pytest.fixture
def console(team_setup, make_team, make_user, login):
    """team_setup plus a beheerder (in a team of their own) and a second team's teamleider."""
    admin_team = make_team("Beheer")
    team_setup["admin"] = make_user(admin_team, "beheerder", name="Bea Beheer")
    team_setup["admin_team"] = admin_team
    team_setup["client"]["admin"] = login(team_setup["admin"])
    return team_setup


def _audit_rows(app, action):
    from sqlalchemy import select

    from server.extensions import db
    from server.models import AuditLog

    with app.app_context():
        return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


def _sessions_of(app, user_id) -> int:
    from sqlalchemy import func, select

    from server.extensions import db
    from server.models import AuthSession

    with app.app_context():
        return db.session.scalar(select(func.count()).where(AuthSession.user_id == user_id))


ADMIN_ROUTES = (
    ("GET", "/api/v1/admin/users", None),
    ("PATCH", "/api/v1/admin/users/{user}", {"active": False}),
    ("POST", "/api/v1/admin/users/{user}/second-factor-reset", None),
    ("GET", "/api/v1/admin/retention", None),
    (
        "PUT",
        "/api/v1/admin/retention",
        {
            "raw_text_days_min": 1,
            "raw_text_days_max": 30,
            "retention_months_min": 1,
            "retention_months_max": 24,
        },
    ),
)


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_only_a_beheerder_reaches_the_console(console, anonymous, method, path, body):
    template, path = path, path.format(user=console["alice"])
    assert anonymous._call(method, path, json=body).status_code == 401
    for name in ("lead", "alice", "stranger"):
        response = console["client"][name]._call(method, path, json=body)
        assert response.status_code == 403, (name, response.get_json())
        assert response.get_json()["detail"] == "Alleen een beheerder kan dit."
    # A non-admin's refusal does not depend on whether the account exists.
    if "{user}" in template:
        ghost = template.format(user=uuid.uuid4())
        assert console["client"]["lead"]._call(method, ghost, json=body).status_code == 403
        assert console["client"]["admin"]._call(method, ghost, json=body).status_code == 404


def test_the_user_list_shows_every_account_across_teams(console):
    admin = console["client"]["admin"]
    page = admin.get("/api/v1/admin/users?page_size=100").get_json()
    names = {item["display_name"]: item for item in page["items"]}
    assert {"Lead", "Alice", "Bob", "Stranger", "Bea Beheer"} <= set(names)
    assert names["Stranger"]["teams"] == [
        {"id": str(console["other_team"]), "name": "Ander team", "role": "medewerker"}
    ]
    assert names["Lead"]["roles"] == ["teamleider"] and names["Lead"]["active"] is True
    assert names["Alice"]["mfa_enabled"] is False and names["Bea Beheer"]["is_self"] is True
    only_team = admin.get(f"/api/v1/admin/users?team_id={console['other_team']}").get_json()
    assert [item["display_name"] for item in only_team["items"]] == ["Stranger"]
    assert [item["display_name"] for item in admin.get("/api/v1/admin/users?q=ali").get_json()["items"]] == [
        "Alice"
    ]
    assert admin.get("/api/v1/admin/users?page_size=101").status_code == 422


def test_deactivating_ends_sessions_and_is_audited(app, console, login):
    admin, alice = console["client"]["admin"], console["client"]["alice"]
    login(console["alice"])  # a second device
    assert _sessions_of(app, console["alice"]) == 2
    response = admin.patch(f"/api/v1/admin/users/{console['alice']}", json={"active": False})
    assert response.status_code == 200 and response.get_json()["active"] is False
    assert _sessions_of(app, console["alice"]) == 0
    assert alice.get("/api/v1/me").status_code == 401
    relogin = app.test_client().post(
        "/api/v1/auth/login", json={"email": _email(app, console["alice"]), "password": TEST_PASSWORD}
    )
    assert relogin.status_code == 401
    (row,) = _audit_rows(app, "user.deactivate")
    assert row.actor_id == console["admin"] and row.subject_user_id == console["alice"]
    assert row.object_id == str(console["alice"])
    again = admin.patch(f"/api/v1/admin/users/{console['alice']}", json={"active": True})
    assert again.status_code == 200 and again.get_json()["active"] is True
    assert len(_audit_rows(app, "user.activate")) == 1
    assert login(console["alice"]).get("/api/v1/me").status_code == 200


def _email(app, user_id) -> str:
    from server.extensions import db
    from server.models import User

    with app.app_context():
        return db.session.get(User, user_id).email


def test_a_beheerder_cannot_deactivate_themselves_or_the_last_beheerder(app, console, make_user, login):
    admin = console["client"]["admin"]
    own = admin.patch(f"/api/v1/admin/users/{console['admin']}", json={"active": False})
    assert own.status_code == 409 and "eigen account" in own.get_json()["detail"]
    # A second beheerder may switch the first off, but then nobody may switch the second off.
    second = make_user(console["admin_team"], "beheerder", name="Tweede")
    other = login(second)
    assert other.patch(f"/api/v1/admin/users/{console['admin']}", json={"active": False}).status_code == 200
    third = make_user(console["team"], "beheerder", name="Derde")
    assert other.patch(f"/api/v1/admin/users/{third}", json={"active": False}).status_code == 200
    # Only `second` is left: demoting or removing their beheerder membership is refused as well.
    last = login(second)
    demote = last.patch(
        f"/api/v1/teams/{console['admin_team']}/members/{second}", json={"role": "medewerker"}
    )
    assert demote.status_code == 409 and "laatste beheerder" in demote.get_json()["detail"]
    remove = last.delete(f"/api/v1/teams/{console['admin_team']}/members/{second}")
    assert remove.status_code == 409
    via_team = last.patch(f"/api/v1/teams/{console['admin_team']}/members/{second}", json={"active": False})
    assert via_team.status_code == 409
    assert _audit_rows(app, "user.deactivate")[-1].actor_id == second


def test_resetting_a_second_factor_asks_for_a_new_one_at_next_login(app, console, make_user, login):
    secret = pyotp.random_base32()
    carla = make_user(console["team"], "medewerker", name="Carla", mfa_enabled=True, totp_secret=secret)
    client = app.test_client()
    email = _email(app, carla)
    assert client.post("/api/v1/auth/login", json={"email": email, "password": TEST_PASSWORD}).get_json()[
        "mfa_required"
    ]
    admin = console["client"]["admin"]
    reset = admin.post(f"/api/v1/admin/users/{carla}/second-factor-reset")
    assert reset.status_code == 200, reset.get_json()
    assert reset.get_json()["mfa_enabled"] is False and reset.get_json()["mfa_enrol_required"] is True
    assert _sessions_of(app, carla) == 0
    (row,) = _audit_rows(app, "user.mfa_reset")
    assert row.actor_id == console["admin"] and row.subject_user_id == carla
    # The old code no longer counts; the next login is held at enrolment until a new factor is set.
    fresh = app.test_client()
    body = fresh.post("/api/v1/auth/login", json={"email": email, "password": TEST_PASSWORD}).get_json()
    assert (
        "mfa_required" not in body and body["mfa_required_by_role"] is True and body["mfa_enabled"] is False
    )
    csrf = {"X-CSRF-Token": body["csrf_token"]}
    refused = fresh.get(f"/api/v1/teams/{console['team']}")
    assert refused.status_code == 403 and refused.get_json()["type"] == "/problems/mfa-required"
    new_secret = fresh.post("/api/v1/me/mfa/setup", headers=csrf).get_json()["secret"]
    assert new_secret != secret
    enabled = fresh.post("/api/v1/me/mfa/enable", json={"code": pyotp.TOTP(new_secret).now()}, headers=csrf)
    assert enabled.status_code == 200
    assert fresh.get(f"/api/v1/teams/{console['team']}").status_code == 200
    assert fresh.get("/api/v1/me").get_json()["mfa_required_by_role"] is False
    own = admin.post(f"/api/v1/admin/users/{console['admin']}/second-factor-reset")
    assert own.status_code == 409


def test_audit_viewer_filters_by_person_team_kind_and_period(app, console, clock):
    admin, lead = console["client"]["admin"], console["client"]["lead"]
    assert lead.patch(f"/api/v1/teams/{console['team']}", json={"digest_hour": 9}).status_code == 200
    assert admin.patch(f"/api/v1/admin/users/{console['bob']}", json={"active": False}).status_code == 200

    def rows(query):
        response = admin.get(f"/api/v1/audit?{query}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()["items"]

    by_lead = rows(f"actor_id={console['lead']}")
    assert [r["action"] for r in by_lead] == ["team.settings"] and by_lead[0]["actor_name"] == "Lead"
    assert by_lead[0]["team_name"] == "Wijkteam Test"
    about_bob = rows(f"person_id={console['bob']}")
    assert [r["action"] for r in about_bob] == ["user.deactivate"]
    assert about_bob[0]["subject_name"] == "Bob" and about_bob[0]["actor_name"] == "Bea Beheer"
    assert {r["action"] for r in rows(f"team_id={console['team']}")} == {"team.settings"}
    assert {r["object_type"] for r in rows("object_type=user")} == {"user"}
    today = datetime.now(UTC).date()
    assert len(rows(f"since={today - timedelta(days=1)}&until={today + timedelta(days=1)}")) >= 2
    assert rows(f"since={today + timedelta(days=2)}") == []
    assert rows(f"until={today - timedelta(days=2)}") == []
    backwards = admin.get(f"/api/v1/audit?since={today}&until={today - timedelta(days=1)}")
    assert backwards.status_code == 422 and "until" in backwards.get_json()["errors"]
    assert admin.get("/api/v1/audit?since=1850-01-01").status_code == 422
    paged = admin.get("/api/v1/audit?page_size=1&page=2").get_json()
    assert paged["page"] == 2 and len(paged["items"]) == 1 and paged["total"] >= 3


def test_the_person_filter_never_finds_the_author_behind_a_refusal(app, console):
    """A refusal on a reflection names neither its owner nor its id; neither filters can find it."""
    from server.audit import audit
    from server.extensions import db

    alice, bob = console["client"]["alice"], console["client"]["bob"]
    created = alice.post(
        "/api/v1/reflections",
        json={
            "client_id": str(uuid.uuid4()),
            "occurred_at": datetime.now(UTC).isoformat(),
            "what_happened": "x",
        },
    )
    reflection = created.get_json()["id"]
    assert bob.get(f"/api/v1/reflections/{reflection}").status_code == 404
    with app.test_request_context():
        # An older row written before pseudonyms, naming the owner and the real id.
        audit(
            "access.denied",
            "reflection",
            reflection,
            subject_user_id=console["alice"],
            actor_id=console["bob"],
            result="denied",
        )
        db.session.commit()
    admin = console["client"]["admin"]
    about_alice = admin.get(f"/api/v1/audit?person_id={console['alice']}").get_json()["items"]
    assert all(r["object_type"] != "reflection" for r in about_alice), about_alice
    by_bob = admin.get(f"/api/v1/audit?person_id={console['bob']}&object_type=reflection").get_json()["items"]
    assert len(by_bob) == 2
    for row in by_bob:
        assert row["subject_user_id"] is None and row["subject_name"] is None
        assert row["object_id"].startswith("p:") and reflection not in str(row)


def test_retention_bounds_hold_for_teamleiders_and_move_teams_inside(app, console):
    admin, lead = console["client"]["admin"], console["client"]["lead"]
    start = admin.get("/api/v1/admin/retention").get_json()
    assert start["raw_text_days_min"] == 1 and start["raw_text_days_max"] == 30
    assert start["ceiling"] == {"raw_text_days": 30, "retention_months": 24}
    assert {t["name"] for t in start["teams"]} >= {"Wijkteam Test", "Ander team"}
    assert lead.patch(f"/api/v1/teams/{console['team']}", json={"raw_text_days": 3}).status_code == 200
    bounds = {
        "raw_text_days_min": 7,
        "raw_text_days_max": 14,
        "retention_months_min": 6,
        "retention_months_max": 12,
    }
    saved = admin.put("/api/v1/admin/retention", json=bounds)
    assert saved.status_code == 200, saved.get_json()
    assert {k: saved.get_json()[k] for k in bounds} == bounds
    moved = {t["name"]: t for t in saved.get_json()["changed_teams"]}
    assert moved["Wijkteam Test"]["raw_text_days"] == 7 and moved["Wijkteam Test"]["retention_months"] == 12
    assert moved["Ander team"]["raw_text_days"] == 14
    team = lead.get(f"/api/v1/teams/{console['team']}").get_json()
    assert team["retention_bounds"] == {"raw_text_days": [7, 14], "retention_months": [6, 12]}
    for body in (
        {"raw_text_days": 15},
        {"raw_text_days": 6},
        {"retention_months": 13},
        {"retention_months": 5},
    ):
        refused = lead.patch(f"/api/v1/teams/{console['team']}", json=body)
        assert refused.status_code == 422 and set(refused.get_json()["errors"]) == set(body), (
            refused.get_json()
        )
    assert lead.patch(f"/api/v1/teams/{console['team']}", json={"raw_text_days": 10}).status_code == 200
    assert admin.patch(f"/api/v1/teams/{console['team']}", json={"retention_months": 24}).status_code == 422
    # A new team starts inside the bounds too.
    new_team = admin.post("/api/v1/teams", json={"name": "Nieuw"}).get_json()
    assert (new_team["raw_text_days"], new_team["retention_months"]) == (14, 12)
    (row,) = _audit_rows(app, "installation.retention")
    assert row.actor_id == console["admin"] and "7-14" in row.reason
    assert any("bewaargrenzen" in (r.reason or "") for r in _audit_rows(app, "team.settings"))
    above = admin.put("/api/v1/admin/retention", json=bounds | {"raw_text_days_max": 31})
    assert above.status_code == 422 and "raw_text_days_max" in above.get_json()["errors"]
    crossed = admin.put("/api/v1/admin/retention", json=bounds | {"retention_months_min": 13})
    assert crossed.status_code == 422 and "retention_months_min" in crossed.get_json()["errors"]


def test_every_audit_action_in_the_code_has_words_in_dutch_and_english():
    """The console shows actions in words: an action added to the code without a label fails here."""
    import re
    from pathlib import Path

    from server.audit_labels import ACTIONS, OBJECT_TYPES

    root = Path(__file__).resolve().parents[2]
    written = set()
    for path in [*root.joinpath("server").rglob("*.py"), *root.joinpath("workers").rglob("*.py")]:
        source = path.read_text(encoding="utf-8")
        written |= set(re.findall(r"""\baudit\(\s*"([a-z_.]+)\"""", source))
        written |= set(re.findall(r'"(user\.(?:activate|deactivate))"', source))
    assert len(written) > 25
    assert written - ACTIONS.keys() == set(), "audit actions without a label in server/audit_labels.py"
    assert "access.denied" in ACTIONS and "reflection" in OBJECT_TYPES
    assert all(nl and en and nl != en for nl, en in ACTIONS.values())


def test_the_audit_viewer_speaks_the_users_language(console):
    admin = console["client"]["admin"]
    assert admin.patch(f"/api/v1/admin/users/{console['bob']}", json={"active": False}).status_code == 200
    dutch = admin.get("/api/v1/audit?action=user.deactivate").get_json()
    assert dutch["items"][0]["action_label"] == "Account uitgezet"
    assert dutch["items"][0]["object_label"] == "account"
    assert {"id": "reflection", "label": "reflectie"} in dutch["kinds"]
    assert admin.patch("/api/v1/me", json={"language": "en"}).status_code == 200
    english = admin.get("/api/v1/audit?action=user.deactivate").get_json()
    assert english["items"][0]["action_label"] == "Account deactivated"
    assert {"id": "reflection", "label": "reflection"} in english["kinds"]


def test_a_teamleider_cannot_switch_off_an_account_that_is_beheerder_elsewhere(app, console):
    """Deactivation acts on the whole account: a beheerder of another team is not the teamleider's."""
    from server.extensions import db
    from server.models import Membership

    with app.app_context():
        db.session.add(Membership(user_id=console["admin"], team_id=console["team"], role="medewerker"))
        db.session.commit()
    lead = console["client"]["lead"]
    refused = lead.patch(
        f"/api/v1/teams/{console['team']}/members/{console['admin']}", json={"active": False}
    )
    assert refused.status_code == 403, refused.get_json()
    assert (
        lead.patch(
            f"/api/v1/teams/{console['team']}/members/{console['bob']}", json={"active": False}
        ).status_code
        == 200
    )


def test_console_routes_conform_to_the_openapi_document_as_a_beheerder(app, console):
    """schemathesis (tests/api/test_schemathesis.py) runs as a medewerker, who only gets 403 here: this
    runs the console's routes and the audit viewer as a beheerder (never a 5xx, bodies as documented)."""
    from tests.api.test_schemathesis import load_schema, run_schema

    mine = ("/api/v1/admin/", "/api/v1/audit")
    others = {
        (operation.method.upper(), operation.path)
        for operation in (result.ok() for result in load_schema(app).get_all_operations())
        if not operation.path.startswith(mine)
    }
    admin = console["client"]["admin"]
    failures, operations = run_schema(app, admin.http, {"X-CSRF-Token": admin.csrf}, others)
    assert operations == 6
    assert not failures, "\n\n".join(failures)


def test_a_lowered_ceiling_wins_over_stored_bounds():
    from server.retention_bounds import Bounds, bounds_problems, clamped, within_ceiling

    ceiling = {"raw_text_days": 10, "retention_months": 24}
    stored = Bounds(
        raw_text_days_min=14, raw_text_days_max=30, retention_months_min=6, retention_months_max=12
    )
    assert within_ceiling(stored, ceiling) == Bounds(10, 10, 6, 12)
    assert set(bounds_problems(stored, ceiling)) == {"raw_text_days_max"}
    assert clamped(Bounds(7, 14, 6, 12), {"raw_text_days": 30, "retention_months": 6}) == {
        "raw_text_days": 14
    }
