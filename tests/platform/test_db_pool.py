"""The PostgreSQL pool tests a connection with a round trip only after it sat idle (server/db.py):
not on every request, yet a connection the server dropped meanwhile never reaches a request."""

import psycopg
import pytest
from sqlalchemy import create_engine

import server.db
from server.db import IDLE_PING_SECONDS, configure_engine


@pytest.fixture
def pg_engine(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        pytest.skip("PostgreSQL only: SQLite has no server that can drop a connection")
    # One pooled connection, so every checkout gets the same one back.
    engine = create_engine(url, pool_size=1, max_overflow=0)
    configure_engine(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(server.db, "monotonic", lambda: now[0])
    return now


@pytest.fixture
def pings(pg_engine, monkeypatch):
    seen = []
    ping = pg_engine.dialect.do_ping
    monkeypatch.setattr(pg_engine.dialect, "do_ping", lambda conn: seen.append(1) or ping(conn))
    return seen


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()


def test_a_connection_in_steady_use_is_not_pinged_an_idle_one_is(pg_engine, clock, pings):
    first = _backend_pid(pg_engine)
    clock[0] += IDLE_PING_SECONDS * 0.9
    assert _backend_pid(pg_engine) == first
    assert pings == []
    clock[0] += IDLE_PING_SECONDS * 1.1
    assert _backend_pid(pg_engine) == first
    assert pings == [1]


def test_a_connection_postgres_dropped_while_idle_is_replaced_before_use(pg_engine, clock, app):
    first = _backend_pid(pg_engine)
    admin_url = app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (first,)).fetchone()[0]
    clock[0] += IDLE_PING_SECONDS * 2
    # Without the ping this statement would run on the dead connection and fail.
    assert _backend_pid(pg_engine) != first
