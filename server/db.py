"""Engine settings that depend on the database in use."""

from time import monotonic

from sqlalchemy import event, exc

# A pooled PostgreSQL connection unused for longer than this is tested with one round trip
# (`SELECT 1`) before a request gets it. A restart or failover takes longer than this, so a
# connection that outlived one is always tested; one in steady use is not (see configure_engine).
IDLE_PING_SECONDS = 1.0


def configure_engine(engine) -> None:
    if engine.dialect.name == "sqlite":
        _sqlite_pragmas(engine)
    else:
        _ping_after_idle(engine)


def _ping_after_idle(engine) -> None:
    """SQLAlchemy's `pool_pre_ping` costs a round trip on every checkout, that is on every request.
    This pings only a connection that sat idle: one that PostgreSQL dropped while it waited (a
    restart, a failover, an idle timeout) is replaced before the request uses it, so the first
    request afterwards is answered normally instead of with an error.

    A connection that fails while in use (the database goes away mid-request) still answers 503,
    and SQLAlchemy then discards every connection pooled before it (server/errors.py)."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection, record):
        record.info["idle_since"] = monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        # A fresh connection has no idle_since (its record's info starts empty): nothing to test.
        idle_since = record.info.get("idle_since")
        if idle_since is None or monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool replaces this connection and every one pooled before now, and tries again.
            raise exc.InvalidatePoolError() from error


def _sqlite_pragmas(engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        # Web, worker and scheduler share one SQLite file: WAL lets readers and a writer coexist,
        # the busy timeout makes a second writer wait instead of failing.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
