"""Fault injection with real services and processes: Redis gone or silent, workers killed,
PostgreSQL restarted, offline clients replaying. Private instances only; the shared ones stay up."""

import random
import signal
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from redis import Redis
from rq import Queue
from rq.job import Job
from rq.serializers import JSONSerializer

from server.embedded import EmbeddedRedis, start_worker, stop, wait_until
from tests.support.factories import reflection
from tests.support.processes import PrivatePostgres, pg_binary, worker_env

pytestmark = pytest.mark.faults


@pytest.fixture
def private_redis(app, tmp_path):
    """Point the app at a private redis-server the test may stop and start."""
    from server.queue import _redis

    server = EmbeddedRedis(tmp_path / "redis", persist=False)
    original = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = server.url
    _redis.cache_clear()
    yield server
    app.config["REDIS_URL"] = original
    _redis.cache_clear()
    server.stop()


def _reset_backoff():
    import server.events as events

    events._redis_down_until = 0.0


def test_100_writes_while_redis_is_down_are_processed_exactly_once_after_it_returns(
    team_setup, app, private_redis, tmp_path
):
    from sqlalchemy import select

    from server.events import Event
    from server.extensions import db
    from server.models import OutboxEvent, Reflection
    from workers.relay import relay
    from workers.runner import make_worker

    private_redis.stop()
    alice = team_setup["client"]["alice"]
    statuses = [
        alice.post("/api/v1/reflections", json=reflection(what_happened=f"zonder redis {n}")).status_code
        for n in range(100)
    ]
    assert statuses == [201] * 100

    restarted = EmbeddedRedis(tmp_path / "redis", port=private_redis.port, persist=False)
    try:
        _reset_backoff()
        with app.app_context():
            assert relay() == 100
            assert relay() == 0  # a second relay (another scheduler) adds nothing
            connection = Redis.from_url(restarted.url)
            make_worker(connection).work(burst=True)
            finished = Queue(
                "default", connection=connection, serializer=JSONSerializer
            ).finished_job_registry
            assert finished.count == 100
            assert db.session.query(Reflection).count() == 100
            assert db.session.query(Reflection).filter(Reflection.processed_at.is_(None)).count() == 0
            # The backlog marked its one team week once: one recount job, relayed after it (item 22).
            # A text the fast path was unsure about also has a refine job on its own queue: which
            # of the 100 that is depends on the model, not on this test.
            pending = db.session.scalars(
                select(OutboxEvent.kind).where(OutboxEvent.processed_at.is_(None))
            ).all()
            assert pending.count(Event.TEAM_WEEK_RECOUNT) == 1
            assert set(pending) <= {Event.TEAM_WEEK_RECOUNT, Event.REFLECTION_REFINE}
            assert relay() == len(pending)
            make_worker(connection).work(burst=True)
            assert finished.count == 101
            assert db.session.query(OutboxEvent).filter(OutboxEvent.processed_at.is_(None)).count() == 0
    finally:
        restarted.stop()


def test_a_redis_that_never_answers_does_not_hang_requests(team_setup, app):
    from server.queue import _redis

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(50)
    held = []
    stop = threading.Event()

    def accept_and_ignore():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_ignore, daemon=True)
    thread.start()
    original = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    _redis.cache_clear()
    _reset_backoff()
    try:
        alice = team_setup["client"]["alice"]
        started = time.monotonic()
        response = alice.post("/api/v1/reflections", json=reflection())
        elapsed = time.monotonic() - started
        assert response.status_code == 201
        # Bounded by the explicit socket timeouts (1 s), not by Redis: generous slack for a busy machine.
        assert elapsed < 10
        assert alice.get("/readyz").status_code == 503
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()
        app.config["REDIS_URL"] = original
        _redis.cache_clear()
        _reset_backoff()


def _wrong_aggregate_and_job(app, team_id, redis_url, marker):
    """Counts are made wrong on purpose; only a completed recompute job repairs them."""
    from server.extensions import db
    from server.models import TeamWeekTheme
    from server.queue import RETRY
    from server.weeks import iso_week_of

    with app.app_context():
        from zoneinfo import ZoneInfo

        week = iso_week_of(datetime.now(UTC), ZoneInfo("Europe/Amsterdam"))
        db.session.merge(
            TeamWeekTheme(
                team_id=team_id, iso_week=week, theme_id="gespreksvoering", reflections=99, authors=99
            )
        )
        db.session.commit()
    queue = Queue("default", connection=Redis.from_url(redis_url), serializer=JSONSerializer)
    job = queue.enqueue_call(
        "tests.support.jobs.slow_recompute",
        args=(str(team_id), str(marker)),
        retry=RETRY,
        job_id="slow-recompute",
    )
    return week, job


def _aggregate(app, team_id, week):
    from server.extensions import db
    from server.models import TeamWeekTheme

    with app.app_context():
        db.session.expire_all()
        row = db.session.get(TeamWeekTheme, (team_id, week, "gespreksvoering"))
        return (row.reflections, row.authors) if row else None


@pytest.mark.parametrize("kill", ["pool-workers", "whole-worker"])
def test_worker_killed_mid_job_is_retried_and_aggregates_end_correct(
    kill, team_setup, app, database_url, private_redis, tmp_path, run_jobs
):
    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    alice.post("/api/v1/reflections", json=reflection(themes=["gespreksvoering"]))
    bob.post("/api/v1/reflections", json=reflection(themes=["gespreksvoering"]))
    run_jobs()
    marker = tmp_path / "started"
    week, job = _wrong_aggregate_and_job(app, team_setup["team"], private_redis.url, marker)
    log = tmp_path / "worker.log"
    env = worker_env(database_url, private_redis.url, tmp_path)
    first = start_worker(env, log, processes=2 if kill == "pool-workers" else 1)
    second = None
    try:
        wait_until(marker.exists, 120, what="the job to start")
        if kill == "pool-workers":
            # SIGKILL every worker of the pool (as the OOM killer would); the pool respawns them.
            children = subprocess.run(
                ["pgrep", "-P", str(first.pid)], capture_output=True, text=True
            ).stdout.split()
            assert children, "no pool workers found"
            for pid in children:
                subprocess.run(["kill", "-KILL", pid])
        else:
            stop(first, sig=signal.SIGKILL)
            second = start_worker(env, log)
        status = wait_until(
            lambda: (
                Job.fetch(
                    job.id, connection=Redis.from_url(private_redis.url), serializer=JSONSerializer
                ).get_status()
                == "finished"
            ),
            150,
            interval=1,
            what="the job to be retried and finish",
        )
        assert status
        assert _aggregate(app, team_setup["team"], week) == (2, 2)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                stop(process)


@pytest.mark.skipif(pg_binary("initdb") is None, reason="PostgreSQL server binaries (initdb) not installed")
def test_postgres_restart_gives_503_then_recovers_without_restarting_the_app(redis_url):
    from flask_migrate import upgrade

    from server import create_app
    from server.auth.passwords import hash_password
    from server.extensions import db
    from server.models import Membership, Reflection, Team, User

    pg = PrivatePostgres()
    try:
        url = pg.url.replace("postgresql://", "postgresql+psycopg://")
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "x",
                "SQLALCHEMY_DATABASE_URI": url,
                "REDIS_URL": redis_url,
                "PUBLIC_BASE_URL": "http://leerlus.test",
            }
        )
        with app.app_context():
            upgrade()
            team = Team(name="Fouten")
            user = User(
                email="pg@test.nl", display_name="PG", password_hash=hash_password("een lang wachtwoord")
            )
            db.session.add_all([team, user])
            db.session.flush()
            db.session.add(Membership(user_id=user.id, team_id=team.id, role="medewerker"))
            db.session.commit()
        client = app.test_client()
        csrf = client.post(
            "/api/v1/auth/login", json={"email": "pg@test.nl", "password": "een lang wachtwoord"}
        ).get_json()["csrf_token"]
        headers = {"X-CSRF-Token": csrf}
        before = [
            client.post("/api/v1/reflections", json=reflection(), headers=headers).status_code
            for _ in range(5)
        ]
        assert before == [201] * 5

        pg.stop()
        during = client.post("/api/v1/reflections", json=reflection(), headers=headers)
        assert during.status_code == 503
        assert during.mimetype == "application/problem+json"
        assert client.get("/readyz").status_code == 503

        pg.start()
        after = client.post("/api/v1/reflections", json=reflection(), headers=headers)
        assert after.status_code == 201
        with app.app_context():
            assert db.session.query(Reflection).count() == 6
            db.engine.dispose()
    finally:
        pg.close()


def test_offline_replays_in_any_order_with_skewed_clocks_create_no_duplicates(team_setup, app):
    """Five reflections written offline, replayed 4 times each, shuffled and concurrent."""
    from server.extensions import db
    from server.models import Reflection

    now = datetime.now(UTC)
    bodies = [
        reflection(occurred_at=(now + timedelta(hours=skew)).isoformat(), what_happened=f"offline {n}")
        for n, skew in enumerate((-72, -5, 0, 3, 23))
    ]
    attempts = bodies * 4
    random.Random(7).shuffle(attempts)
    alice = team_setup["client"]["alice"]

    def send(body):
        return alice.post("/api/v1/reflections", json=body).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(send, attempts))
    assert sorted(set(statuses)) == [200, 201]
    assert statuses.count(201) == 5
    with app.app_context():
        assert db.session.query(Reflection).count() == 5
