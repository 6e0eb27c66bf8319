"""AVG duties: export, erasure, retention and the audit log."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from tests.conftest import TEST_PASSWORD
from tests.support.factories import reflection


def test_export_holds_my_data_and_nobody_elses(team_setup):
    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    alice.post("/api/v1/reflections", json=reflection(what_happened="Alleen van Alice"))
    bob.post("/api/v1/reflections", json=reflection(what_happened="Alleen van Bob"))
    response = alice.get("/api/v1/me/export")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert [r["what_happened"] for r in data["reflections"]] == ["Alleen van Alice"]
    assert "Alleen van Bob" not in response.get_data(as_text=True)


def test_erasure_removes_everything_and_recounts_the_team(team_setup, run_jobs, app, anonymous):
    alice = team_setup["client"]["alice"]
    alice.post("/api/v1/reflections", json=reflection(themes=["gespreksvoering"]))
    team_setup["client"]["bob"].post("/api/v1/reflections", json=reflection(themes=["gespreksvoering"]))
    run_jobs()
    assert alice.delete("/api/v1/me", json={"password": "wrong"}).status_code == 422
    response = alice.delete("/api/v1/me", json={"password": TEST_PASSWORD})
    assert response.status_code == 204
    assert alice.get("/api/v1/me").status_code == 401
    run_jobs()
    with app.app_context():
        from server.extensions import db
        from server.models import Reflection, TeamWeekTheme, User

        assert db.session.get(User, team_setup["alice"]) is None
        assert db.session.query(Reflection).count() == 1
        rows = db.session.query(TeamWeekTheme).filter_by(theme_id="gespreksvoering").all()
        assert [(r.reflections, r.authors) for r in rows] == [(1, 1)]
        email = "gone"  # the account cannot log in any more
    assert (
        anonymous.post("/api/v1/auth/login", json={"email": email, "password": TEST_PASSWORD}).status_code
        == 401
    )


def test_retention_keeps_only_deidentified_text_after_the_raw_period(team_setup, run_jobs, app):
    alice = team_setup["client"]["alice"]
    created = alice.post(
        "/api/v1/reflections", json=reflection(what_happened="Mw Jansen belde met 06-12345678 over de huur.")
    ).get_json()
    run_jobs()
    from server.extensions import db
    from server.models import Reflection
    from workers.retention import run_retention

    def stored_text() -> str:
        with app.app_context():
            return db.session.get(Reflection, uuid.UUID(created["id"])).what_happened

    with app.app_context():
        run_retention(now=datetime.now(UTC) + timedelta(days=29))
    assert "06-12345678" in stored_text()
    with app.app_context():
        assert run_retention(now=datetime.now(UTC) + timedelta(days=31))["raw_text_purged"] == 1
    assert "06-12345678" not in stored_text() and "[telefoonnummer]" in stored_text()


def test_retention_deletes_everything_past_the_retention_period(team_setup, run_jobs, app):
    alice = team_setup["client"]["alice"]
    old = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    alice.post("/api/v1/reflections", json=reflection(occurred_at=old, themes=["wonen"]))
    run_jobs()
    from workers.retention import run_retention

    with app.app_context():
        from server.extensions import db
        from server.models import Reflection, TeamWeekTheme

        run_retention(now=datetime.now(UTC) + timedelta(days=24 * 31))
        assert db.session.query(Reflection).count() == 0
        # One author is below k = 3: that aggregate row goes too.
        assert db.session.query(TeamWeekTheme).filter_by(theme_id="wonen").count() == 0


def test_audit_log_records_team_reads_and_only_beheerders_read_it(team_setup, make_user, login):
    team_setup["client"]["bob"].get("/api/v1/team/reflections")
    assert team_setup["client"]["lead"].get("/api/v1/audit").status_code == 403
    admin = login(make_user(team_setup["team"], "beheerder"))
    log = admin.get("/api/v1/audit").get_json()
    actions = [row["action"] for row in log["items"]]
    assert "team.reflections.read" in actions
    read = next(row for row in log["items"] if row["action"] == "team.reflections.read")
    assert read["actor_id"] == str(team_setup["bob"])
    assert "text" not in read


def test_audit_chain_detects_tampering(team_setup, app):
    for _ in range(3):
        team_setup["client"]["bob"].get("/api/v1/team/reflections")
    from server.audit import first_broken_row

    with app.app_context():
        from server.extensions import db
        from server.models import AuditLog

        assert first_broken_row() is None
        row = db.session.query(AuditLog).order_by(AuditLog.id).all()[1]
        row.actor_id = uuid.uuid4()
        db.session.commit()
        assert first_broken_row() == row.id


def test_concurrent_audited_requests_keep_one_unbroken_chain(team_setup, app):
    from server.audit import first_broken_row
    from server.extensions import db
    from server.models import AuditLog

    readers = list(team_setup["client"].values())  # four people, each with a client of their own
    barrier = threading.Barrier(len(readers))

    def read(client):
        barrier.wait()
        return [client.get("/api/v1/team/reflections").status_code for _ in range(10)]

    with ThreadPoolExecutor(len(readers)) as pool:
        statuses = [status for batch in pool.map(read, readers) for status in batch]
    assert statuses == [200] * 40
    with app.app_context():
        reads = db.session.query(AuditLog).filter(AuditLog.action == "team.reflections.read").count()
        assert reads == 40
        assert first_broken_row() is None
