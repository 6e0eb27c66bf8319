"""The schema exists only through Alembic, and the migrations match the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext


def test_migrated_schema_matches_the_models(app):
    """No pending autogenerate diff (CI runs this on PostgreSQL, `make test` on SQLite)."""
    from server.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_every_model_table_is_created_by_the_migration(app):
    from sqlalchemy import inspect

    from server.extensions import db

    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_the_recount_marks_migration_downgrades_and_upgrades(app):
    """0013 (docs/performance.md item 22): its table goes on downgrade and comes back on upgrade."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    from server.extensions import db

    with app.app_context():
        db.session.remove()
        downgrade(revision="0012_theme_assigned_at")
        try:
            assert "team_week_recounts" not in inspect(db.engine).get_table_names()
        finally:
            upgrade()
        assert "team_week_recounts" in inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert context.get_current_revision() == "0013_team_week_recounts"
            assert compare_metadata(context, db.metadata) == []
