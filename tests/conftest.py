"""Shared fixtures: a migrated database and a real Redis for every test run.

TEST_DATABASE_URL / TEST_REDIS_URL point the suite at real services (CI: PostgreSQL and Redis on
this machine); without them it uses the embedded default (a SQLite file and a private redis-server).
"""

import os
import time
import uuid
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import MetaData, text
from sqlalchemy.exc import OperationalError

from server.embedded import EmbeddedRedis

TEST_PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        yield url
        return
    with EmbeddedRedis(tmp_path_factory.mktemp("redis"), persist=False) as server:
        yield server.url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    return url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url, redis_url, tmp_path_factory):
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    os.environ.setdefault("LEERLUS_INSTANCE_PATH", str(tmp_path_factory.mktemp("instance")))
    from flask_migrate import upgrade

    from server import create_app
    from server.extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "PUBLIC_BASE_URL": "http://leerlus.test"})
    with app.app_context():
        _drop_everything(db.engine)
        upgrade()
    return app


def _drop_everything(engine) -> None:
    meta = MetaData()
    meta.reflect(bind=engine)
    meta.drop_all(bind=engine)


@pytest.fixture(autouse=True)
def _clean_state(request, app, redis_url):
    """Every test starts from empty tables and an empty Redis database."""
    from server.extensions import db, limiter

    yield
    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables)]
        # A browser test's last requests may still be running in the live server's threads: if
        # PostgreSQL picks the TRUNCATE as a deadlock victim, wait for them and truncate again.
        for attempt in range(5):
            try:
                with db.engine.begin() as conn:
                    if conn.dialect.name == "postgresql":
                        conn.execute(
                            text(
                                "TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE"
                            )
                        )
                    else:
                        for table in tables:
                            conn.execute(table.delete())
                break
            except OperationalError:
                if attempt == 4:
                    raise
                time.sleep(0.5)
    Redis.from_url(redis_url).flushdb()
    limiter.reset()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


class ApiClient:
    """A logged-in (or anonymous) JSON client that sends the CSRF header like the PWA does."""

    def __init__(self, flask_client, csrf: str | None = None):
        self.http = flask_client
        self.csrf = csrf

    def _call(self, method, path, json=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if self.csrf:
            headers.setdefault("X-CSRF-Token", self.csrf)
        return self.http.open(path, method=method, json=json, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self._call("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self._call("POST", path, json=json, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self._call("PATCH", path, json=json, **kwargs)

    def put(self, path, json=None, **kwargs):
        return self._call("PUT", path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self._call("DELETE", path, **kwargs)


@pytest.fixture
def make_team(app):
    from server.extensions import db
    from server.models import Team

    def make(name="Wijkteam Test", **settings):
        with app.app_context():
            team = Team(name=name, **settings)
            db.session.add(team)
            db.session.commit()
            return team.id

    return make


@pytest.fixture
def make_user(app):
    """make_user(team_id, role) -> user id; password TEST_PASSWORD."""
    from server.auth.passwords import hash_password
    from server.extensions import db
    from server.models import Membership, User

    hashed = hash_password(TEST_PASSWORD)

    def make(team_id=None, role="medewerker", email=None, name=None, **fields):
        with app.app_context():
            user = User(
                email=email or f"{uuid.uuid4().hex[:10]}@test.leerlus.nl",
                display_name=name or role.capitalize(),
                password_hash=hashed,
                **fields,
            )
            db.session.add(user)
            db.session.flush()
            if team_id is not None:
                db.session.add(Membership(user_id=user.id, team_id=team_id, role=role))
            db.session.commit()
            return user.id

    return make


@pytest.fixture
def login(app):
    """login(user_id) -> ApiClient with its own cookie jar and CSRF token."""
    from server.extensions import db
    from server.models import User

    def do_login(user_id) -> ApiClient:
        with app.app_context():
            email = db.session.get(User, user_id).email
        client = app.test_client()
        response = client.post("/api/v1/auth/login", json={"email": email, "password": TEST_PASSWORD})
        assert response.status_code == 200, response.get_json()
        return ApiClient(client, response.get_json()["csrf_token"])

    return do_login


@pytest.fixture
def anonymous(app):
    return ApiClient(app.test_client())


@pytest.fixture
def team_setup(make_team, make_user, login):
    """A team with a teamleider and two medewerkers, plus a medewerker of another team."""
    team = make_team()
    other_team = make_team("Ander team")
    people = {
        "team": team,
        "other_team": other_team,
        "lead": make_user(team, "teamleider", name="Lead"),
        "alice": make_user(team, "medewerker", name="Alice"),
        "bob": make_user(team, "medewerker", name="Bob"),
        "stranger": make_user(other_team, "medewerker", name="Stranger"),
    }
    people["client"] = {name: login(people[name]) for name in ("lead", "alice", "bob", "stranger")}
    return people


@pytest.fixture
def clock():
    """A controlled clock for the server, the workers, the demo and (through GET /me) the PWA:
    `clock(moment)` puts every reader of server.clock at `moment`, from where time runs on; the
    real clock is back after the test. Use it for anything that depends on today or a week."""
    from server import clock as server_clock

    yield server_clock.travel_to
    server_clock.reset()


@pytest.fixture
def run_jobs(app, redis_url):
    """Drain the queues with a real RQ SimpleWorker in this process (burst mode), as the running
    product does: the relay hands over the events that jobs emitted too (a reflection's refine job,
    a built digest's notices) until none is left. once=True: one relay and one drain, so what the
    jobs emitted waits for the next call; relay_first=False: only the jobs queued already."""
    from workers.relay import relay_all
    from workers.runner import make_worker

    def drain(relay_first: bool = True, once: bool = False) -> None:
        with app.app_context():
            # Bounded: a failed job's event is sent again only once stale, never within this loop.
            for round_ in range(1 if once or not relay_first else 10):
                if relay_first and not relay_all() and round_:
                    return  # nothing new since the last round
                make_worker(Redis.from_url(redis_url)).work(burst=True)
            if not once and relay_first:
                raise AssertionError("the jobs kept emitting events: 10 rounds of relay and work")

    return drain


ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
