"""The floor of a durable, authenticated reflection write on this stack: what bench/api.py compares
`POST /api/v1/reflections` to. Benchmarks only: gunicorn serves `bench.floor:app` instead of
`server.wsgi:app` with the same configuration (`-c python:server.gunicorn_config`, same workers and
threads), and this module hands every other path to the real app.

    POST /bench/floor   the least such a write must do, without Flask, marshmallow or SQLAlchemy:
      1. the session cookie's token hash -> one indexed SELECT (session, user, membership) through the
         raw driver (psycopg / sqlite3, one connection per thread, opened once);
      2. expiry, active user, second factor and the CSRF header checked; the JSON body parsed with a
         minimal check of the fields the table needs;
      3. INSERT the reflection row and its outbox row in one transaction, COMMIT (the unique
         (author_id, client_id) constraint is what keeps a replay from writing twice);
      4. wake the outbox relay as the real write does (one pipelined LPUSH + LTRIM): without it the
         relay's timer would hand the floor's events to RQ during the next endpoint's round, and
         that endpoint would pay for them;
      5. the same JSON as the real endpoint, status 201.
It skips what the real write adds on top: full validation with problem documents, the replay check
with a payload fingerprint, theme/visit/learning-question references, the safety-signal check,
request logging, metrics and security headers.

    GET /bench/floor-page/   the floor of a repeat load on a phone: see bench/floor_page.py.

Never imported by server/: production cannot register it.
"""

import hashlib
import hmac
import json
import os
import sqlite3
import threading
import uuid
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

import redis

from bench.floor_page import PAGE_FILES, floor_page
from server.events import WAKE_KEY
from server.wsgi import app as real_app

DATABASE_URL = os.environ["DATABASE_URL"]
SQLITE = DATABASE_URL.startswith("sqlite")
TEXTS = ("what_happened", "noticed", "why", "next_time")
EDIT_WINDOW = timedelta(hours=24)
_local = threading.local()
_redis = redis.Redis.from_url(os.environ["REDIS_URL"])

SESSION_SQL = (
    "SELECT s.user_id, s.csrf_token, s.expires_at, s.mfa_passed, u.active, m.team_id"
    " FROM auth_sessions s JOIN users u ON u.id = s.user_id JOIN memberships m ON m.user_id = u.id"
    " WHERE s.token_hash = {p} LIMIT 1"
)
INSERT_REFLECTION = (
    "INSERT INTO reflections (id, client_id, author_id, team_id, occurred_at, received_at, what_happened,"
    " noticed, why, next_time, learning_zone, energy, visibility, payload_hash)"
    " VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})"
)
INSERT_EVENT = "INSERT INTO outbox_events (kind, payload, created_at, attempts, request_id) VALUES ({p}, {p}, {p}, 0, {p})"


def _sql(template: str) -> str:
    return template.replace("{p}", "?" if SQLITE else "%s")


SESSION_SQL, INSERT_REFLECTION, INSERT_EVENT = map(_sql, (SESSION_SQL, INSERT_REFLECTION, INSERT_EVENT))


def _connection():
    conn = getattr(_local, "conn", None)
    if conn is None:
        if SQLITE:
            # The app's pragmas (server/db.py); Python's sqlite3 opens transactions itself on INSERT.
            conn = sqlite3.connect(DATABASE_URL.removeprefix("sqlite:///"), timeout=10)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
        else:
            import psycopg

            conn = psycopg.connect(DATABASE_URL.replace("postgresql+psycopg://", "postgresql://"))
        _local.conn = conn
    return conn


def _db(value):
    """Bind values as the app stores them: SQLite gets hex UUIDs and naive UTC text."""
    if not SQLITE:
        return value
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    return value


def _answer(start_response, status: str, body: dict) -> list[bytes]:
    data = json.dumps(body, ensure_ascii=False, default=str).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def _insert(conn, reflection_id, client_id, user_id, team_id, occurred_at, now, texts, args, raw, environ):
    p = _db
    conn.execute(
        INSERT_REFLECTION,
        (
            p(reflection_id),
            p(client_id),
            p(user_id),
            p(team_id),
            p(occurred_at),
            p(now),
            *texts.values(),
            args.get("learning_zone"),
            args.get("energy"),
            args.get("visibility") or "private",
            hashlib.sha256(raw).hexdigest(),
        ),
    )
    conn.execute(
        INSERT_EVENT,
        (
            "reflection.submitted",
            json.dumps({"reflection_id": str(reflection_id)}),
            p(now),
            environ.get("HTTP_X_REQUEST_ID"),
        ),
    )
    conn.commit()


def floor(environ, start_response):
    cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    morsel = cookie.get("leerlus_session") or cookie.get("__Host-leerlus")
    if morsel is None:
        return _answer(start_response, "401 Unauthorized", {"title": "Log eerst in."})
    conn = _connection()

    def refuse(status: str, title: str) -> list[bytes]:
        conn.rollback()  # end the SELECT's transaction
        return _answer(start_response, status, {"title": title})

    found = conn.execute(SESSION_SQL, (hashlib.sha256(morsel.value.encode()).hexdigest(),)).fetchone()
    now = datetime.now(UTC)
    if found is None:
        return refuse("401 Unauthorized", "Log eerst in.")
    user_id, csrf, expires_at, mfa_passed, active, team_id = found
    if SQLITE:
        user_id, team_id = uuid.UUID(user_id), uuid.UUID(team_id)
        expires_at = datetime.fromisoformat(expires_at).replace(tzinfo=UTC)
    if expires_at <= now or not active or not mfa_passed:
        return refuse("401 Unauthorized", "Log eerst in.")
    if not hmac.compare_digest(environ.get("HTTP_X_CSRF_TOKEN", "").encode(), csrf.encode()):
        return refuse("403 Forbidden", "CSRF")
    raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    try:
        args = json.loads(raw)
        client_id = uuid.UUID(args["client_id"])
        occurred_at = datetime.fromisoformat(args["occurred_at"])
        texts = {field: str(args.get(field) or "") for field in TEXTS}
        if not texts["what_happened"].strip() or occurred_at.tzinfo is None:
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        return refuse("422 Unprocessable Entity", "Ongeldige invoer.")
    reflection_id = uuid.uuid4()
    visibility = args.get("visibility") or "private"
    try:
        _insert(conn, reflection_id, client_id, user_id, team_id, occurred_at, now, texts, args, raw, environ)
    except Exception:  # noqa: BLE001 - a replayed client_id (unique constraint) or a lost connection
        return refuse("409 Conflict", "Niet opgeslagen.")
    _redis.pipeline(transaction=False).lpush(WAKE_KEY, 1).ltrim(WAKE_KEY, 0, 0).execute()
    body = {
        "id": reflection_id,
        "client_id": client_id,
        "team_id": team_id,
        "visit_id": None,
        "occurred_at": occurred_at.isoformat(),
        "received_at": now.isoformat(),
        "updated_at": None,
        "learning_zone": args.get("learning_zone"),
        "energy": args.get("energy"),
        "visibility": visibility,
        "previous_intention_outcome": None,
        "learning_question_id": None,
        "processed_at": None,
        "safety_signal": None,
        **texts,
        "themes": [],
        "editable_until": (now + EDIT_WINDOW).isoformat(),
    }
    return _answer(start_response, "201 Created", body)


def app(environ, start_response):
    if environ.get("PATH_INFO") == "/bench/floor" and environ.get("REQUEST_METHOD") == "POST":
        return floor(environ, start_response)
    if environ.get("PATH_INFO") in PAGE_FILES and environ.get("REQUEST_METHOD") == "GET":
        return floor_page(environ, start_response)
    return real_app(environ, start_response)
