"""What the benchmarks share: a throw-away database, a seeded team with live sessions, and gunicorn
started exactly as the Procfile starts it (but bound to 127.0.0.1). A private Redis, a real worker or
scheduler, stopping them and waiting come from server/embedded.py, which the fault tests use too."""

import contextlib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from server.embedded import free_port, stop, wait_until

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
PYTHON = sys.executable


def scratch_dir(prefix: str) -> Path:
    # RAM-backed when available: on a shared machine the disk is the noisiest part.
    return Path(tempfile.mkdtemp(prefix=prefix, dir="/dev/shm" if os.path.isdir("/dev/shm") else None))


def postgres_available() -> bool:
    import psycopg

    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


@contextlib.contextmanager
def postgres_database(name: str):
    """A database of our own next to the shared one, dropped afterwards; yields its URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def database(kind: str, name: str):
    """('postgresql' | 'sqlite', name) -> a fresh, empty database URL."""
    if kind == "postgresql":
        with postgres_database(name) as url:
            yield url
    else:
        folder = scratch_dir(f"leerlus-{name}-")
        try:
            yield f"sqlite:///{folder}/bench.db"
        finally:  # RAM-backed (/dev/shm): a left-over database holds memory until reboot
            shutil.rmtree(folder, ignore_errors=True)


def bench_env(database_url: str, redis_url: str, instance: Path, **extra) -> dict:
    return dict(
        os.environ,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        LEERLUS_INSTANCE_PATH=str(instance),
        PYTHONPATH=str(ROOT),
        SECRET_KEY="bench",
        RATELIMIT_ENABLED="false",
        LOG_LEVEL="WARNING",
        **extra,
    )


def make_app(env: dict):
    """The app in this process, on the bench database (migrated)."""
    for key in (
        "DATABASE_URL",
        "REDIS_URL",
        "LEERLUS_INSTANCE_PATH",
        "SECRET_KEY",
        "RATELIMIT_ENABLED",
        "LOG_LEVEL",
        "BENCH_BARE_ENDPOINT",
    ):
        os.environ[key] = env.get(key, "")
    from flask_migrate import upgrade

    from server import create_app

    app = create_app()
    with app.app_context():
        upgrade()
    return app


def seed_team(app, medewerkers: int) -> list[dict]:
    """One team; per medewerker a live session: [{"cookie", "csrf", "user_id", "team_id"}]."""
    from server.auth.sessions import cookie_name
    from server.auth.tokens import new_token, token_hash
    from server.extensions import db
    from server.models import AuthSession, Membership, Team, User

    people = []
    with app.app_context():
        team = Team(name=f"Bench {uuid.uuid4().hex[:6]}")
        db.session.add(team)
        db.session.flush()
        for index in range(medewerkers):
            user = User(email=f"m{index}-{uuid.uuid4().hex[:6]}@bench.test", display_name=f"M{index}")
            db.session.add(user)
            db.session.flush()
            db.session.add(Membership(user_id=user.id, team_id=team.id, role="medewerker"))
            # A session row as a login leaves it (logins are rate-limited and cost an argon2 hash each).
            token, now = new_token(), datetime.now(UTC)
            row = AuthSession(
                token_hash=token_hash(token),
                user_id=user.id,
                csrf_token=new_token(),
                mfa_passed=True,
                created_at=now,
                last_seen_at=now,
                expires_at=now + timedelta(days=1),
            )
            db.session.add(row)
            people.append(
                {
                    "cookie": f"{cookie_name()}={token}",
                    "csrf": row.csrf_token,
                    "user_id": user.id,
                    "team_id": team.id,
                }
            )
        db.session.commit()
    return people


def reflection_body(index: int = 0) -> dict:
    """A typical reflection: four short Dutch texts with a name and a phone number to de-identify."""
    at = datetime.now(UTC) - timedelta(minutes=30)
    return {
        "client_id": str(uuid.uuid4()),
        "occurred_at": at.isoformat(),
        "what_happened": f"Huisbezoek bij mevrouw Jansen ({index}) over de schulden en de post die zich opstapelt. "
        "Haar dochter Fatima was erbij en belde tussendoor met 06-12345678.",
        "noticed": "Ze werd stil toen het over de huur ging; ik heb niet doorgevraagd.",
        "why": "Ik wilde het gesprek niet te zwaar maken bij een eerste bezoek.",
        "next_time": "Eerder vragen wat haar het meeste zorgen geeft en samen de brieven sorteren.",
        "learning_zone": "learning",
        "energy": 3,
        "themes": [],
        "suggested": [],
        "visibility": "team",
    }


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    """Until the app answers: gunicorn listens before its workers have imported the app."""
    import requests

    def answers() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before answering {url}")
        with contextlib.suppress(requests.RequestException):
            return requests.get(url, timeout=5).status_code < 500
        return False

    wait_until(answers, timeout, 0.3, f"{url} to answer")


def procfile_web_command(port: int, web_concurrency: int = 2, app: str | None = None) -> list[str]:
    """The Procfile's web line, bound to loopback: the benchmark serves what production serves.

    `app`: another WSGI app to serve with the same configuration (bench.floor wraps the real one)."""
    line = next(x for x in (ROOT / "Procfile").read_text().splitlines() if x.startswith("web:"))
    argv = shlex.split(line.split(":", 1)[1])
    assert argv[0] == "gunicorn", argv
    if app is not None:
        assert argv[-1] == "server.wsgi:app", argv
        argv[-1] = app
    # Command-line settings override the config module's (which binds 0.0.0.0:$PORT).
    return [
        PYTHON,
        "-m",
        "gunicorn",
        *argv[1:],
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(web_concurrency),
    ]


@contextlib.contextmanager
def gunicorn(env: dict, log: Path, app: str | None = None):
    """Yields the base URL of a Procfile-configured gunicorn; stops it (and only it) afterwards."""
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            procfile_web_command(port, app=app),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/healthz", process)
        yield base
    finally:
        stop(process)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(name: str, value: str) -> None:
    """One row of `make bench`'s summary table (bench/__main__.py collects these lines)."""
    print(f"SUMMARY\t{name}\t{value}", flush=True)
