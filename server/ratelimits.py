"""Rate limits (Flask-Limiter) backed by Redis, with a bounded in-memory fallback when Redis is down."""

from server.extensions import limiter

LOGIN_LIMIT = "10 per minute;100 per hour"
FEEDBACK_LIMIT = "20 per minute;200 per hour"
# Typing a short code (/f/, /f/code) is the one way to guess at feedback links without a token:
# held back harder, per IP address, on top of FEEDBACK_LIMIT.
CODE_LIMIT = "10 per minute;50 per hour"


def configure_limiter(app) -> None:
    redis_url = app.config.get("REDIS_URL")
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    # Explicit timeouts: a Redis that accepts connections but never answers must not hang a request.
    app.config.setdefault(
        "RATELIMIT_STORAGE_OPTIONS",
        {"socket_connect_timeout": 0.5, "socket_timeout": 0.5} if redis_url else {},
    )
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
