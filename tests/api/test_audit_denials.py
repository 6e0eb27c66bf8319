"""Refused access is audited (NEN 7513, security-tests T22): one "access.denied" row per refusal.

A logged-in caller who is refused — 403 for a role, a missing second factor or a bad CSRF token, and
the 404s the authorisation helpers answer to hide another team's or person's objects — leaves a row
with result "denied": who, which route and object, the status and why. Never a body or any text.
"""

import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.factories import reflection

CANARY = "Kanarie-tekst 7513 mag nooit in het auditlog"


def denied_rows(app) -> list[dict]:
    from server.extensions import db
    from server.models import AuditLog

    with app.app_context():
        rows = db.session.query(AuditLog).filter(AuditLog.result == "denied").order_by(AuditLog.id).all()
        return [
            {column.name: getattr(row, column.name) for column in AuditLog.__table__.columns} for row in rows
        ]


def pseudonym(app, object_id) -> str:
    from server.audit import object_pseudonym

    with app.app_context():
        return object_pseudonym(object_id)


def only_row(app) -> dict:
    rows = denied_rows(app)
    assert len(rows) == 1, rows
    return rows[0]


def assert_no_text(row: dict) -> None:
    for value in row.values():
        assert CANARY not in str(value) and "Huisbezoek" not in str(value)


def test_another_teams_reflections_answer_404_and_leave_a_denied_row(app, team_setup):
    stranger = team_setup["client"]["stranger"]
    response = stranger.get(f"/api/v1/team/reflections?team_id={team_setup['team']}")
    assert response.status_code == 404
    row = only_row(app)
    assert row["actor_id"] == team_setup["stranger"]
    assert (row["action"], row["result"], row["object_type"]) == ("access.denied", "denied", "team")
    assert row["object_id"] == str(team_setup["team"]) and row["team_id"] == team_setup["team"]
    assert row["reason"].startswith("404 not_member: GET ")
    assert row["origin"] == "127.0.0.1" and row["subject_user_id"] is None
    assert_no_text(row)


def test_another_persons_reflection_answers_404_and_leaves_a_row_without_its_text(app, team_setup):
    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    mine = alice.post("/api/v1/reflections", json=reflection(what_happened=CANARY)).get_json()["id"]
    assert bob.get(f"/api/v1/reflections/{mine}").status_code == 404
    # A write with text in its body: refused, and nothing of the body reaches the log.
    assert bob.patch(f"/api/v1/reflections/{mine}", json={"next_time": CANARY}).status_code == 404
    read, write = denied_rows(app)
    for row in (read, write):
        assert row["actor_id"] == team_setup["bob"] and row["action"] == "access.denied"
        # The author is not recorded and the id only as a keyed pseudonym (issue #15, item 3).
        assert (row["object_type"], row["object_id"]) == ("reflection", pseudonym(app, mine))
        assert row["subject_user_id"] is None and row["team_id"] == team_setup["team"]
        assert_no_text(row)
    assert read["reason"].startswith("404 not_owner: GET ") and write["reason"].startswith(
        "404 not_owner: PATCH "
    )
    # The author's own reads are not refusals.
    assert alice.get(f"/api/v1/reflections/{mine}").status_code == 200
    assert len(denied_rows(app)) == 2


def test_an_id_that_does_not_exist_is_recorded_like_a_hidden_one(app, team_setup):
    """Both 404s write a row, so the audit write cannot make a hidden object answer slower."""
    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    mine = alice.post("/api/v1/reflections", json=reflection()).get_json()["id"]
    hidden, missing = bob.get(f"/api/v1/reflections/{mine}"), bob.get(f"/api/v1/reflections/{uuid.uuid4()}")
    assert hidden.status_code == missing.status_code == 404 and hidden.data == missing.data
    rows = denied_rows(app)
    assert [row["reason"].split(":")[0] for row in rows] == ["404 not_owner", "404 missing"]
    assert rows[1]["subject_user_id"] is None and rows[1]["team_id"] is None


def test_a_medewerker_on_a_teamleider_route_gets_403_and_a_row(app, team_setup):
    alice = team_setup["client"]["alice"]
    response = alice.patch(f"/api/v1/teams/{team_setup['team']}", json={"digest_hour": 8})
    assert response.status_code == 403
    assert response.headers["Content-Type"] == "application/problem+json"
    row = only_row(app)
    assert row["actor_id"] == team_setup["alice"] and row["team_id"] == team_setup["team"]
    assert (row["object_type"], row["object_id"]) == ("team", str(team_setup["team"]))
    assert row["reason"].startswith("403 role: PATCH ")


def test_a_403_raised_inside_a_view_is_recorded_too(app, team_setup):
    """Checks that live in a view (here: only beheerders read the log) go through the same hook."""
    assert team_setup["client"]["lead"].get("/api/v1/audit").status_code == 403
    row = only_row(app)
    assert row["actor_id"] == team_setup["lead"] and row["object_type"] == "route"
    assert row["reason"].startswith("403 refused: GET ")


def test_a_missing_csrf_token_is_recorded_without_the_body(app, team_setup):
    alice = team_setup["client"]["alice"]
    response = alice.post(
        "/api/v1/reflections", json=reflection(what_happened=CANARY), headers={"X-CSRF-Token": "wrong"}
    )
    assert response.status_code == 403 and response.get_json()["type"] == "/problems/csrf"
    row = only_row(app)
    assert row["actor_id"] == team_setup["alice"] and row["reason"].startswith("403 csrf: POST ")
    assert_no_text(row)


def test_a_missing_second_factor_is_recorded(app, team_setup, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", ("teamleider", "beheerder"))
    response = team_setup["client"]["lead"].get("/api/v1/teams")
    assert response.status_code == 403 and response.get_json()["type"] == "/problems/mfa-required"
    row = only_row(app)
    assert row["actor_id"] == team_setup["lead"] and row["reason"].startswith("403 mfa: GET ")


def test_anonymous_requests_allowed_requests_and_plain_not_found_leave_no_denied_row(
    app, team_setup, anonymous
):
    lead = team_setup["client"]["lead"]
    assert anonymous.get(f"/api/v1/team/reflections?team_id={team_setup['team']}").status_code == 401
    assert lead.get(f"/api/v1/team/reflections?team_id={team_setup['team']}").status_code == 200
    assert lead.get("/api/v1/no-such-route").status_code == 404
    # A digest that was not built yet is absent, not hidden.
    assert lead.get(f"/api/v1/teams/{team_setup['team']}/digests/2026-W01").status_code == 404
    assert denied_rows(app) == []


@pytest.mark.parametrize("kind", ["404", "403"])
def test_a_failing_audit_write_still_answers_the_refusal_and_is_logged(
    app, team_setup, monkeypatch, caplog, kind
):
    import server.audit

    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    mine = alice.post("/api/v1/reflections", json=reflection()).get_json()["id"]

    def refuse():
        if kind == "404":
            return bob.get(f"/api/v1/reflections/{mine}")
        return bob.patch(f"/api/v1/teams/{team_setup['team']}", json={"digest_hour": 8})

    expected = refuse()
    assert expected.status_code == int(kind)

    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(server.audit, "audit", broken)
    with caplog.at_level(logging.ERROR, logger="server.audit"):
        response = refuse()
    assert response.status_code == int(kind)
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.data == expected.data
    failures = [r for r in caplog.records if r.name == "server.audit" and r.levelno == logging.ERROR]
    assert len(failures) == 1 and "could not be recorded" in failures[0].getMessage()
    assert str(team_setup["bob"]) in failures[0].getMessage() and failures[0].exc_info
    assert len(denied_rows(app)) == 1  # only the first refusal, written before the store broke
    monkeypatch.undo()
    assert bob.get("/api/v1/reflections").status_code == 200  # the next request is unaffected


def test_concurrent_allowed_and_denied_requests_keep_one_unbroken_chain(app, team_setup):
    from server.audit import first_broken_row
    from server.extensions import db
    from server.models import AuditLog

    alice = team_setup["client"]["alice"]
    mine = alice.post("/api/v1/reflections", json=reflection()).get_json()["id"]
    team, other = team_setup["team"], team_setup["other_team"]
    people = ("lead", "alice", "bob", "stranger")
    barrier = threading.Barrier(len(people))

    def mix(name):
        client = team_setup["client"][name]
        barrier.wait()
        seen = []
        for _ in range(5):
            seen.append(client.get("/api/v1/team/reflections").status_code)  # allowed, audited
            seen.append(
                client.get(f"/api/v1/team/reflections?team_id={other}").status_code
            )  # 404 unless stranger
            seen.append(client.get(f"/api/v1/reflections/{mine}").status_code)  # 404 unless alice
            seen.append(client.patch(f"/api/v1/teams/{team}", json={"digest_hour": 8}).status_code)
        return name, seen

    with ThreadPoolExecutor(len(people)) as pool:
        results = dict(pool.map(mix, people))
    assert results["lead"] == [200, 404, 404, 200] * 5
    assert results["alice"] == [200, 404, 200, 403] * 5
    assert results["bob"] == [200, 404, 404, 403] * 5
    assert results["stranger"] == [200, 200, 404, 404] * 5
    with app.app_context():
        denied = db.session.query(AuditLog).filter(AuditLog.result == "denied").count()
        reads = db.session.query(AuditLog).filter(AuditLog.action == "team.reflections.read").count()
        assert denied == sum(status in (403, 404) for seen in results.values() for status in seen) == 45
        assert reads == 4 * 5 + 5  # everyone their own team each round; the stranger also by team_id
        assert first_broken_row() is None


def test_hiding_404s_raised_inside_views_are_audited_too(app, team_setup):
    from datetime import UTC, datetime

    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    visit = alice.post(
        "/api/v1/visits", json={"client_id": str(uuid.uuid4()), "occurred_at": datetime.now(UTC).isoformat()}
    ).get_json()
    assert bob.post(f"/api/v1/visits/{visit['id']}/feedback-link", json={}).status_code == 404
    nobody = uuid.uuid4()
    assert bob.get(f"/api/v1/notifications/{nobody}").status_code == 404
    link, notification = denied_rows(app)
    assert (link["object_type"], link["object_id"], link["subject_user_id"]) == (
        "visit",
        pseudonym(app, visit["id"]),
        None,
    )
    assert link["reason"].startswith("404 not_owner: POST ")
    assert (notification["object_type"], notification["object_id"]) == (
        "notification",
        pseudonym(app, nobody),
    )
    assert notification["reason"].startswith("404 missing: GET ")
    assert {link["actor_id"], notification["actor_id"]} == {team_setup["bob"]}
