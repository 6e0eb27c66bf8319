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
