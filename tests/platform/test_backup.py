"""`leerlus backup` / `leerlus restore` as real commands: write data, back up, drop the database,
restore, and find everything as it was (on SQLite, and on PostgreSQL when TEST_DATABASE_URL is one)."""

import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import MetaData, func, select, text

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Huisbezoek bij mw Jansen: de deurwaarder stond op de stoep, huurachterstand."


def leerlus(env: dict, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


def counts(app) -> dict:
    from server.extensions import db

    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def drop_database(app, database_url: str) -> None:
    from server.extensions import db

    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "sqlite":
            db.engine.dispose()
            Path(db.engine.url.database).unlink()
        else:
            meta = MetaData()
            meta.reflect(bind=db.engine)
            meta.drop_all(bind=db.engine)
            with db.engine.begin() as conn:
                assert (
                    conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar()
                    == 0
                )
            db.engine.dispose()


def test_backup_drop_restore_keeps_data_chain_events_sessions_and_links(
    app, team_setup, run_jobs, database_url, redis_url, tmp_path, monkeypatch
):
    from server.audit import first_broken_row
    from server.extensions import db
    from server.models import AuditLog, OutboxEvent, Reflection, Visit, utcnow
    from workers.relay import relay

    alice, lead, stranger = (team_setup["client"][name] for name in ("alice", "lead", "stranger"))
    for _ in range(3):
        assert (
            alice.post(
                "/api/v1/reflections",
                json={
                    "client_id": str(uuid.uuid4()),
                    "occurred_at": datetime.now(UTC).isoformat(),
                    "what_happened": TEXT,
                    "visibility": "team",
                },
            ).status_code
            == 201
        )
    run_jobs()
    # Two more whose events are still pending when the backup is taken.
    for _ in range(2):
        assert (
            alice.post(
                "/api/v1/reflections",
                json={
                    "client_id": str(uuid.uuid4()),
                    "occurred_at": datetime.now(UTC).isoformat(),
                    "what_happened": TEXT,
                },
            ).status_code
            == 201
        )
    with app.app_context():
        relay()  # dispatched to the old Redis, not processed: restore must send them again
        visit = Visit(
            client_id=uuid.uuid4(),
            author_id=team_setup["alice"],
            team_id=team_setup["team"],
            kind="huisbezoek",
            occurred_at=utcnow() - timedelta(hours=1),
            payload_hash="0" * 64,
        )
        db.session.add(visit)
        db.session.commit()
        visit_id = visit.id
    link_token = alice.post(f"/api/v1/visits/{visit_id}/feedback-link", json={}).get_json()["token"]
    # Refusals are audited: the chain has rows to verify.
    assert stranger.get(f"/api/v1/teams/{team_setup['team']}/members").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditLog)) > 0
        assert first_broken_row() is None
    before = counts(app)
    assert before["reflections"] == 5 and before["outbox_events"] >= 5

    key = Fernet.generate_key().decode()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        LEERLUS_INSTANCE_PATH=str(tmp_path),
        SECRET_KEY="test-secret",
        BACKUP_KEY=key,
        PYTHONPATH=str(ROOT),
    )
    archive = tmp_path / "leerlus.backup"
    made = leerlus(env, "backup", str(archive))
    assert made.returncode == 0, made.stderr
    sealed = archive.read_bytes()
    assert b"deurwaarder" not in sealed and b"test-secret" not in sealed and b"SQLite" not in sealed
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    # The refusals in this process (each real command costs seconds of start-up).
    runner = app.test_cli_runner()
    monkeypatch.setitem(app.config, "BACKUP_KEY", Fernet.generate_key().decode())
    wrong = runner.invoke(args=["restore", str(archive), "--yes"])
    assert wrong.exit_code != 0 and "opent niet met BACKUP_KEY" in wrong.output
    monkeypatch.setitem(app.config, "BACKUP_KEY", key)
    assert runner.invoke(args=["restore", str(archive)]).exit_code != 0  # no --yes, nothing replaced

    drop_database(app, database_url)
    restored = leerlus(env, "restore", str(archive), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert '"pending_events": 2' in restored.stdout and '"audit_chain": "intact"' in restored.stdout

    with app.app_context():
        db.engine.dispose()
    assert counts(app) == before
    with app.app_context():
        assert first_broken_row() is None
        pending = db.session.scalars(select(OutboxEvent).where(OutboxEvent.processed_at.is_(None))).all()
        assert len(pending) == 2 and all(event.dispatched_at is None for event in pending)
    # Sessions taken before the backup still work, the resident's link still opens.
    assert alice.get("/api/v1/reflections").get_json()["total"] == 5
    assert lead.get(f"/api/v1/teams/{team_setup['team']}/members").status_code == 200
    assert app.test_client().get(f"/f/{link_token}").status_code == 200
    # The pending events reach the queue and are processed.
    run_jobs()
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Reflection).where(Reflection.processed_at.is_(None))
            )
            == 0
        )
    # The secrets' source is named; the same key opens the backup for the operator's secret store.
    shown = runner.invoke(args=["restore", str(archive), "--print-secrets"])
    assert shown.exit_code == 0 and "SECRET_KEY=test-secret" in shown.output


def test_backup_without_a_key_says_how_to_make_one(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(tmp_path / "x.backup")])
    assert result.exit_code != 0 and "leerlus backup --new-key" in result.output
    assert not (tmp_path / "x.backup").exists()
    Fernet(runner.invoke(args=["backup", "--new-key"]).output.strip())  # a valid key
