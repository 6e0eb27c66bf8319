"""On SQLite the writers of a web process take turns, woken in order instead of sleeping in SQLite's
busy handler (server/db.py::write_turn, docs/performance.md item 22); PostgreSQL's do not queue."""

import contextlib
import threading

import pytest
from sqlalchemy import create_engine

import server.api.reflections
import server.db
import server.idempotency
from server.db import write_turn
from server.errors import Problem
from server.extensions import db
from tests.support.factories import reflection

SQLITE = create_engine("sqlite://")
POSTGRESQL = create_engine("postgresql+psycopg://leerlus@127.0.0.1/never-connected")  # only its dialect


@contextlib.contextmanager
def turn_held_elsewhere():
    """Another thread holds this process's SQLite turn until the block ends."""
    holding, done = threading.Event(), threading.Event()

    def hold():
        with write_turn(SQLITE):
            holding.set()
            done.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)
    try:
        yield
    finally:
        done.set()
        thread.join(10)


def test_a_second_sqlite_writer_goes_once_the_first_is_done():
    order = []

    def second_writer():
        with write_turn(SQLITE):
            order.append("second")

    with turn_held_elsewhere():
        second = threading.Thread(target=second_writer)
        second.start()
        second.join(0.3)  # room to go in, were there no turn
        order.append("first done")
    second.join(10)
    assert order == ["first done", "second"]


def test_a_turn_not_had_in_time_answers_503_as_a_locked_database(monkeypatch):
    monkeypatch.setattr(server.db, "SQLITE_BUSY_SECONDS", 0.05)
    with turn_held_elsewhere(), pytest.raises(Problem) as refused, write_turn(SQLITE):
        pass
    assert refused.value.status == 503
    assert refused.value.headers == {"Retry-After": "5"}


def test_postgresql_writers_do_not_queue_and_a_nested_turn_does_not_wait():
    with turn_held_elsewhere(), write_turn(POSTGRESQL):
        pass
    with write_turn(SQLITE), write_turn(SQLITE):
        pass


def test_an_idempotent_write_runs_inside_the_turn(app, team_setup, monkeypatch):
    steps = []
    commit_once = server.idempotency.commit_once

    @contextlib.contextmanager
    def recording_turn(engine):
        steps.append(("turn", engine.dialect.name))
        yield
        steps.append("turn over")

    def recording_commit_once(create):
        return commit_once(lambda: steps.append("create") or create())

    def recording_commit():
        steps.append("commit")
        commit()

    commit = db.session.commit
    monkeypatch.setattr(server.idempotency, "write_turn", recording_turn)
    monkeypatch.setattr(server.idempotency.db.session, "commit", recording_commit)
    monkeypatch.setattr(server.api.reflections, "commit_once", recording_commit_once)
    response = team_setup["client"]["alice"].post("/api/v1/reflections", json=reflection())
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        dialect = db.engine.dialect.name
    assert steps == [("turn", dialect), "create", "commit", "turn over"]
