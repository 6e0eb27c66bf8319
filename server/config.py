"""All configuration, read from environment variables in one place.

With nothing set, the embedded default applies: a SQLite file in the instance folder and
development mode. `leerlus run` adds an embedded Redis and passes its URL down as REDIS_URL.
"""

import os
import secrets
from pathlib import Path

from server.clock import parse_today

DEFAULT_PUSH_HOSTS = ",".join(
    [
        "fcm.googleapis.com",
        "updates.push.services.mozilla.com",
        "push.services.mozilla.com",
        "web.push.apple.com",
        "wns2-par02p.notify.windows.com",
        "*.notify.windows.com",
    ]
)


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path, env: str) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if env == "production":
        raise RuntimeError("SECRET_KEY is required when LEERLUS_ENV=production")
    # Development keeps one generated key so sessions survive a restart.
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def listen_host(environ=os.environ) -> str:
    """Where the web process listens. Development (`make run`, with its public demo passwords) stays
    on this machine unless HOST says otherwise; production runs behind a proxy or a platform router."""
    host = (environ.get("HOST") or "").strip()
    if host:
        return host
    return "0.0.0.0" if environ.get("LEERLUS_ENV", "development") == "production" else "127.0.0.1"


def open_to_network_warning(environ=os.environ) -> str | None:
    """The warning to print when development is reachable from other machines (HOST=0.0.0.0)."""
    host = listen_host(environ)
    if host in LOOPBACK or environ.get("LEERLUS_ENV", "development") == "production":
        return None
    return (
        f"LET OP: Leerlus luistert op {host}, dus ook voor andere apparaten in dit netwerk, "
        "en de demo-accounts hebben een openbaar wachtwoord. Alleen om op een telefoon te testen; "
        "zet HOST weer uit (standaard 127.0.0.1) als je klaar bent."
    )


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Build the Flask config dict from the environment (plus test overrides)."""
    overrides = overrides or {}
    instance = Path(instance_path)
    env = overrides.get("LEERLUS_ENV") or os.environ.get("LEERLUS_ENV", "development")
    if env not in {"development", "production"}:
        raise RuntimeError(f"LEERLUS_ENV must be development or production, not {env!r}")
    production = env == "production"
    public_base_url = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/") or None
    if production and not public_base_url and "PUBLIC_BASE_URL" not in overrides:
        raise RuntimeError("PUBLIC_BASE_URL is required when LEERLUS_ENV=production")

    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'leerlus.db'}"
    # Heroku-style URLs name the old driver; psycopg 3 is what we ship.
    if database_url.startswith(("postgres://", "postgresql://")):
        database_url = "postgresql+psycopg://" + database_url.split("://", 1)[1]

    config = {
        "LEERLUS_ENV": env,
        "PRODUCTION": production,
        "SECRET_KEY": overrides.get("SECRET_KEY") or _secret_key(instance, env),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # hide_parameters: an error message must not carry the values of a statement into the logs.
        # No pool_pre_ping (a round trip per request): server/db.py pings only idle connections.
        "SQLALCHEMY_ENGINE_OPTIONS": {"hide_parameters": True},
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "PUBLIC_BASE_URL": public_base_url,
        "PORT": int(os.environ.get("PORT", "8000")),
        # Bodies above 1 MB are refused with 413 before anything parses them.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "SESSION_DAYS": int(os.environ.get("SESSION_DAYS", "14")),
        "SESSION_COOKIE_SECURE": production,
        "SMTP_URL": os.environ.get("SMTP_URL") or None,
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Leerlus <noreply@leerlus.local>"),
        "VAPID_PRIVATE_KEY": os.environ.get("VAPID_PRIVATE_KEY") or None,
        "VAPID_SUBJECT": os.environ.get("VAPID_SUBJECT", "mailto:beheer@leerlus.local"),
        "PUSH_ALLOWED_HOSTS": os.environ.get("PUSH_ALLOWED_HOSTS", DEFAULT_PUSH_HOSTS),
        "PUSH_STALE_DAYS": int(os.environ.get("PUSH_STALE_DAYS", "60")),
        "RATELIMIT_ENABLED": _bool(os.environ.get("RATELIMIT_ENABLED"), True),
        "DEMO_ACCOUNTS": not production,
        "MFA_REQUIRED_ROLES": ("teamleider", "beheerder", "beleidsmedewerker") if production else (),
        "OUTBOX_RELAY_SECONDS": int(os.environ.get("OUTBOX_RELAY_SECONDS", "5")),
        "PROXY_HOPS": int(os.environ.get("PROXY_HOPS", "0")),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        # Development and tests only: the day the clock reads (server/clock.py); ignored in production.
        "LEERLUS_TODAY": None if production else parse_today(os.environ.get("LEERLUS_TODAY")),
        # Installation bounds on the team settings (docs/privacy.md §4): set by whoever runs the
        # installation; no team setting may keep raw text or data longer.
        "RAW_TEXT_DAYS_MAX": int(os.environ.get("RAW_TEXT_DAYS_MAX", "30")),
        "RETENTION_MONTHS_MAX": int(os.environ.get("RETENTION_MONTHS_MAX", "24")),
        # JSON lines (server/logs.py); "text" for a developer's terminal.
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json"),
        # /metrics answers only with this bearer token; unset, it does not exist (server/metrics.py).
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN") or None,
        # Encrypts `leerlus backup` files; kept by the operator, not on the server (server/backup.py).
        "BACKUP_KEY": os.environ.get("BACKUP_KEY") or None,
        # Single sign-on (server/auth/oidc.py describes OIDC_PROVIDERS); LOCAL_PASSWORDS=false leaves only it.
        "OIDC_PROVIDERS": os.environ.get("OIDC_PROVIDERS") or None,
        "LOCAL_PASSWORDS": _bool(os.environ.get("LOCAL_PASSWORDS"), True),
        "OIDC_CLOCK_SKEW_SECONDS": int(os.environ.get("OIDC_CLOCK_SKEW_SECONDS", "60")),
        # Benchmarks only (never in production): /bench/bare, the baseline `make bench` compares against.
        "BENCH_BARE_ENDPOINT": _bool(os.environ.get("BENCH_BARE_ENDPOINT")) and not production,
        "JSON_SORT_KEYS": False,
        # OpenAPI (flask-smorest)
        "API_TITLE": "Leerlus API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }
    config.update(overrides)
    return config


def pwa_dir() -> Path:
    """pwa/ next to the server package (the package is installed editable); LEERLUS_PWA_DIR overrides."""
    configured = os.environ.get("LEERLUS_PWA_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parent.parent / "pwa"
