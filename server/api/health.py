"""Liveness and readiness probes (outside /api/v1, for load balancers and Procfile platforms)."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from server.errors import problem_response
from server.events import relay_alive
from server.extensions import db
from server.queue import QUEUE_NAMES, get_queue, redis_connection
from server.themes import language, multilingual

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    return jsonify(status="ok")


def _themes_readiness() -> dict:
    """Reported, not required: without these the themes still work at lower quality (lexicons)."""
    return {"language_detection": language.readiness(), "multilingual_embeddings": multilingual.readiness()}


@blp.get("/readyz")
def readyz():
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        checks["database"] = error.__class__.__name__
    try:
        redis_connection().ping()
        checks["redis"] = "ok"
    except Exception as error:  # noqa: BLE001
        checks["redis"] = error.__class__.__name__
    if all(value == "ok" for value in checks.values()):
        # Reported, not required: without a scheduler the web still takes writes (their events wait
        # in the outbox), so a load balancer must not take it out of rotation for that.
        # Failed jobs are the dead letters (an event no handler takes, a job out of retries): the
        # operator's monitoring alerts on them; they do not make the web unready.
        return jsonify(
            status="ok",
            checks=checks,
            relay="ok" if relay_alive() else "no relay pass seen",
            failed_jobs=sum(get_queue(name).failed_job_registry.count for name in QUEUE_NAMES),
            themes=_themes_readiness(),
        )
    current_app.logger.warning("not ready: %s", checks)
    return problem_response(503, "Niet alle onderdelen zijn bereikbaar.", checks=checks)
