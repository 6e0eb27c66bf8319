"""On SQLite the writers of a web process take turns, woken in order instead of sleeping in SQLite's
busy handler (server/db.py::take_write_turn, docs/performance.md item 22); PostgreSQL's do not queue."""

import threading

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

import server.db
import server.services.reflections
from server.db import configure_engine, take_write_turn
from server.errors import Problem
from server.extensions import db
from tests.support.factories import reflection


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


def test_a_new_reflection_takes_the_turn_right_before_its_first_insert(app, team_setup, monkeypatch):
    steps = []
    execute = db.session.execute

    def recording_take(session):
        steps.append("turn")

    def recording_execute(statement, *args, **kwargs):
        steps.append(str(statement).split("(")[0].strip().lower())
        return execute(statement, *args, **kwargs)

    monkeypatch.setattr(server.services.reflections, "take_write_turn", recording_take)
    monkeypatch.setattr(db.session, "execute", recording_execute)
    response = team_setup["client"]["alice"].post("/api/v1/reflections", json=reflection())
    assert response.status_code == 201, response.get_json()
    assert steps[steps.index("turn") :] == ["turn", "insert into reflections", "insert into outbox_events"]
