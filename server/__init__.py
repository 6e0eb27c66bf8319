"""Leerlus: the application factory."""

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from server import clock, logs, metrics
from server.config import load_config
from server.jsonout import IsoJSONProvider


class LeerlusFlask(Flask):
    json_provider_class = IsoJSONProvider


def create_app(overrides: dict | None = None) -> Flask:
    # Imported here, not at the top: this package's __init__ runs for every `import server.x`, so
    # the pure packages (themes, privacy, digest, ...) stay importable without the app, and the app's
    # modules (which import server.x themselves) do not import a half-initialised package.
    app = LeerlusFlask(
        __name__,
        instance_relative_config=True,
        static_folder=None,
        instance_path=os.environ.get("LEERLUS_INSTANCE_PATH") or None,
    )
    app.config.update(load_config(app.instance_path, overrides))
    if app.config["LEERLUS_TODAY"]:
        clock.shift_to_day(app.config["LEERLUS_TODAY"])
    logs.configure(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])
    if app.config["PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=1, x_host=1)

    from server import events, extensions, i18n
    from server.api import api, register_blueprints, sso
    from server.auth.access import check_request, organisation_scope
    from server.auth.sessions import load_session
    from server.cli import register_commands
    from server.db import configure_engine
    from server.errors import register_error_handlers
    from server.headers import set_security_headers
    from server.jsonin import check_json_request
    from server.ratelimits import configure_limiter

    i18n.init_app(app)
    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=_migrations_dir())
    configure_limiter(app)
    api.init_app(app)
    with app.app_context():
        configure_engine(extensions.db.engine)
    events.install()
    register_error_handlers(app)
    # First, so that every later hook and every log line of the request has its id (it reads no body).
    logs.init_app(app)
    metrics.init_app(app)
    app.before_request(check_json_request)  # then: nothing else parses an unchecked body
    app.before_request(load_session)
    app.before_request(check_request)
    app.before_request(organisation_scope)
    app.after_request(set_security_headers)
    register_blueprints(app)
    sso.init_app(app)
    register_commands(app)
    if app.config["BENCH_BARE_ENDPOINT"]:
        # The same gunicorn, Flask and hooks with no application work: what bench/api.py compares to.
        app.add_url_rule("/bench/bare", "bench_bare", lambda: {"ok": True}, methods=["GET", "POST"])
    return app


def _migrations_dir() -> str:
    return str(Path(__file__).resolve().parent.parent / "migrations")
