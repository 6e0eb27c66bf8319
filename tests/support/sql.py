"""What the app says to its database: for tests that count statements (a write's cost in round trips)."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def recorded_statements(app) -> Iterator[list[str]]:
    """Every statement the app sends while the block runs, lower-cased and on one line."""
    from server.extensions import db

    seen: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()).lower())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listen)
