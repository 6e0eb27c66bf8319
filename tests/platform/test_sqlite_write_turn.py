"""On SQLite the writers of a web process take turns, woken in order instead of sleeping in SQLite's
busy handler (server/db.py::take_write_turn, docs/performance.md item 24); PostgreSQL's do not queue."""

import threading
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

import server.db
import server.services.reflections
from server.db import configure_engine, take_write_turn
from server.errors import Problem
from tests.support.factories import reflection
from tests.support.sql import recorded_statements


@pytest.fixture
def sqlite_engine():
    # One in-memory database shared by the threads (one connection): only the turn is under test.
    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    configure_engine(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes (text TEXT)"))
    yield engine
    engine.dispose()


def hold_turn(
    engine, holding: threading.Event, done: threading.Event, end: str = "commit"
) -> threading.Thread:
    """A writer in another thread that takes the turn, writes, and ends its transaction once `done`."""

    def write():
        with Session(engine) as session:
            take_write_turn(session)
            session.execute(text("INSERT INTO notes VALUES ('eerste')"))
            holding.set()
            done.wait(10)
            getattr(session, end)()

    thread = threading.Thread(target=write)
    thread.start()
    assert holding.wait(10)
    return thread


@pytest.mark.parametrize("end", ["commit", "rollback", "close"])
def test_a_second_sqlite_writer_goes_once_the_first_transaction_ends(sqlite_engine, end):
    order = []
    holding, done = threading.Event(), threading.Event()
    first = hold_turn(sqlite_engine, holding, done, end)

    def second_writer():
        with Session(sqlite_engine) as session:
            take_write_turn(session)
            order.append("second")
            session.commit()

    second = threading.Thread(target=second_writer)
    second.start()
    second.join(0.3)  # room to go in, were there no turn
    order.append(f"first: {end}")
    done.set()
    first.join(10)
    second.join(10)
    assert order == [f"first: {end}", "second"]


def test_a_turn_not_had_in_time_answers_503_as_a_locked_database(sqlite_engine, monkeypatch):
    monkeypatch.setattr(server.db, "SQLITE_BUSY_SECONDS", 0.05)
    holding, done = threading.Event(), threading.Event()
    first = hold_turn(sqlite_engine, holding, done)
    try:
        with Session(sqlite_engine) as session, pytest.raises(Problem) as refused:
            take_write_turn(session)
    finally:
        done.set()
        first.join(10)
    assert refused.value.status == 503
    assert refused.value.headers == {"Retry-After": "5"}


def test_postgresql_writers_do_not_queue_and_a_second_take_in_one_transaction_does_not_wait(sqlite_engine):
    postgresql = create_engine("postgresql+psycopg://leerlus@127.0.0.1/never-connected")  # its dialect only
    holding, done = threading.Event(), threading.Event()
    first = hold_turn(sqlite_engine, holding, done)
    try:
        with Session(postgresql) as session:
            take_write_turn(session)  # returns at once
    finally:
        done.set()
        first.join(10)
    with Session(sqlite_engine) as session:
        take_write_turn(session)
        take_write_turn(session)
        session.commit()


@pytest.mark.parametrize("with_visit", [False, True])
def test_a_new_reflection_takes_the_turn_right_before_its_first_insert(
    app, team_setup, monkeypatch, with_visit
):
    """Before any of its writes: a thread that held SQLite's lock (the visit's INSERT) and then
    waited for the turn would wait for a writer that waits for that lock."""
    body = reflection()
    if with_visit:
        body["visit"] = {"client_id": str(uuid.uuid4()), "occurred_at": datetime.now(UTC).isoformat()}
    with recorded_statements(app) as steps:
        monkeypatch.setattr(
            server.services.reflections, "take_write_turn", lambda session: steps.append("turn")
        )
        response = team_setup["client"]["alice"].post("/api/v1/reflections", json=body)
    assert response.status_code == 201, response.get_json()
    writes = [s.split("(")[0].strip() for s in steps if s == "turn" or s.startswith("insert")]
    first = ["insert into visits", "insert into outbox_events"] if with_visit else []  # the visit's own event
    assert writes[0] == "turn", writes  # before any INSERT of the request
    assert [w for w in writes if w != "turn"] == [
        *first,
        "insert into reflections",
        "insert into outbox_events",
    ]
