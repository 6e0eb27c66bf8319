"""Rate limits (security-tests T3): login per address (per account: test_login_throttle.py), and what happens when the
limiter's Redis is gone. Random-token brute force on /f/ is in test_feedback.py; here it runs again
with Redis down."""

import secrets
import socket

import pytest

from server.ratelimits import FEEDBACK_LIMIT, LOGIN_LIMIT

PER_MINUTE = int(LOGIN_LIMIT.split()[0])
FEEDBACK_PER_MINUTE = int(FEEDBACK_LIMIT.split()[0])


def client_from(app, ip: str):
    http = app.test_client()
    http.environ_base["REMOTE_ADDR"] = ip
    return http


def email_of(app, user_id) -> str:
    from server.extensions import db
    from server.models import User

    with app.app_context():
        return db.session.get(User, user_id).email


def login_attempts(http, count: int) -> list:
    """Failed logins for accounts that do not exist: only the address can be limited."""
    return [
        http.post("/api/v1/auth/login", json={"email": f"{secrets.token_hex(4)}@nergens.nl", "password": "x"})
        for _ in range(count)
    ]


def test_login_is_limited_per_address_with_retry_after(app):
    responses = login_attempts(client_from(app, "10.0.0.1"), PER_MINUTE + 1)
    assert [r.status_code for r in responses] == [401] * PER_MINUTE + [429]
    limited = responses[-1]
    assert limited.mimetype == "application/problem+json"
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    # Another address is not affected.
    assert login_attempts(client_from(app, "10.0.0.2"), 1)[0].status_code == 401


@pytest.fixture
def limiter_redis_down(app):
    """The limiter's Redis stops answering: its storage points at a port nobody listens on."""
    from limits.storage import storage_from_string

    from server.extensions import limiter

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    saved = limiter._storage, limiter._limiter
    limiter._storage = storage_from_string(
        f"redis://127.0.0.1:{port}/0", socket_connect_timeout=0.5, socket_timeout=0.5
    )
    limiter._limiter = type(saved[1])(limiter._storage)
    yield
    limiter._storage, limiter._limiter = saved
    limiter._storage_dead = False


def test_with_redis_down_login_stays_limited_from_memory_without_errors(app, limiter_redis_down):
    from server.extensions import limiter

    responses = login_attempts(client_from(app, "10.2.0.1"), PER_MINUTE + 1)
    assert limiter._storage_dead, "the limiter noticed Redis was gone and counts in memory"
    assert [r.status_code for r in responses] == [401] * PER_MINUTE + [429]
    assert responses[-1].headers.get("Retry-After")


def test_with_redis_down_token_guessing_stays_limited(app, limiter_redis_down):
    http = client_from(app, "10.2.0.2")
    statuses = [
        http.get(f"/f/{secrets.token_urlsafe(32)}").status_code for _ in range(FEEDBACK_PER_MINUTE + 1)
    ]
    assert statuses == [404] * FEEDBACK_PER_MINUTE + [429]
