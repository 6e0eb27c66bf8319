"""Engine settings that depend on the database in use."""

import threading
from time import monotonic

from sqlalchemy import event, exc
from sqlalchemy.orm import Session

from server.errors import Problem

# A pooled PostgreSQL connection unused for longer than this is tested with one round trip
# (`SELECT 1`) before a request gets it. A restart or failover takes longer than this, so a
# connection that outlived one is always tested; one in steady use is not (see configure_engine).
IDLE_PING_SECONDS = 1.0

# How long a SQLite writer waits for the write lock: SQLite's busy timeout, and the turn below.
SQLITE_BUSY_SECONDS = 10

_sqlite_write_turn = threading.Lock()
_TURN = "sqlite_write_turn"  # in session.info while the session's transaction holds the turn


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
    if not event.contains(Session, "after_transaction_end", _give_back_turn):
        event.listen(Session, "after_transaction_end", _give_back_turn)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        # Web, worker and scheduler share one SQLite file: WAL lets readers and a writer coexist,
        # the busy timeout makes a second writer wait instead of failing.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def take_write_turn(session) -> None:
    """On SQLite, wait for this web process's write turn just before the transaction's first write;
    the transaction's end, whatever it is, gives the turn back (`_give_back_turn`). Elsewhere nothing.

    SQLite has one writer at a time, and a writer that finds the lock taken sleeps in SQLite's busy
    handler in fixed steps (1, 2, 5 ... 100 ms) however soon the lock is free: under load the lock
    sat free while the process's own threads slept (docs/performance.md, item 24). A thread waiting
    here is woken the moment the writer before it is done. Bounded like the busy timeout: a turn not
    had in time answers 503, as a locked database does. Between processes SQLite's own lock still
    decides. PostgreSQL locks rows, not the database: its writers do not queue.
    """
    if _TURN in session.info or session.get_bind().dialect.name != "sqlite":
        return
    if not _sqlite_write_turn.acquire(timeout=SQLITE_BUSY_SECONDS):
        raise Problem(
            503, "De database is even niet bereikbaar. Probeer het zo opnieuw.", headers={"Retry-After": "5"}
        )
    session.info[_TURN] = True


def _give_back_turn(session, transaction) -> None:
    # After the COMMIT or ROLLBACK: SQLAlchemy ends the outermost transaction once the database has.
    if transaction.parent is None and session.info.pop(_TURN, False):
        _sqlite_write_turn.release()
